/**
 * Scenario loading: text -> validated `Scenario`, with one clear error per
 * broken file that names the file, the field path and what was expected.
 * Pure (no Node APIs) so the browser uses the same code; `node-io.ts` adds
 * file and folder reading for the CLI.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { AGENTS, AGENT_NAMES } from '../agents/registry.ts';
import { Rng } from '../sim/rng.ts';
import { RPLIDAR_A2M8 } from '../sim/sensors/range-ring.ts';
import { REQUIREMENTS } from '../seeds/requirements.ts';
import { BMW_320I } from '../vehicles/car/params.ts';
import { buildHighway, buildIntersection, buildOnRamp, buildUrbanGrid } from '../vehicles/road/builders.ts';
import { newRoadPose } from '../vehicles/road/geometry.ts';
import { LaneGraph } from '../vehicles/road/lane-graph.ts';
import { newLanePosition } from '../vehicles/road/road.ts';
import { RoadNetwork, RoadNetworkError } from '../vehicles/road/road-network.ts';
import { drivingEgoId, routeEndpoints } from './criteria/index.ts';
import { checkPedestrian, checkRoadWorks, checkVia } from './traffic-features.ts';
import {
  ACTOR_KINDS,
  BEHAVIOUR_TYPES,
  CRITERION_TYPES,
  DRIVER_TYPES,
  DRIVING_CRITERION_TYPES,
  MRM_TRIGGER_KINDS,
  EVENT_TYPES,
  ROAD_BUILDERS,
  SENSOR_TYPES,
  scenarioSchema,
  type ActorSpec,
  type CarSpec,
  type DrivingCriterionSpec,
  type GroundSpec,
  type RoadSpec,
  type RoutePointSpec,
  type Scenario,
  type VarySpec,
} from './schema.ts';

import { checkV2x } from './v2x-checks.ts';
import { expandSwarms, SwarmBlockError } from './swarm-generator.ts';
import { resolveAirspace, setResolvedAirspace, type AirspaceFileTexts, type ResolvedAirspace } from './airspace-resolve.ts';

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    /** Field path such as `actors[1].agent`, or '' for the whole file. */
    readonly fieldPath: string,
    /** What was expected, and what was found. */
    readonly expected: string,
  ) {
    super(`${file}: ${fieldPath ? `${fieldPath}: ` : ''}${expected}`);
    this.name = 'ScenarioError';
  }
}

/** A scenario as written (before the seed draws its varied parameters) and validated. */
export interface LoadedScenario {
  file: string;
  /** The parsed document, untouched; `instantiate` draws `vary` on a copy. */
  raw: unknown;
  /** Validated with the file's own values (no `vary` applied). */
  scenario: Scenario;
  /** The texts of `world.airspace.files`, by the path as written (read once at load, reused per seed). */
  airspaceFiles?: AirspaceFileTexts;
  /** Non-fatal findings, one line each (e.g. tolerated quirks of an imported airspace file). */
  warnings: string[];
}

export interface LoadOptions {
  /**
   * Reads a file named relative to the scenario file (world.airspace.files).
   * Node: scenarios/node-io.ts gives one; the web app gives its bundled data
   * files. Without it, a scenario with airspace files is refused.
   */
  readFile?: (relativePath: string) => string;
}

type Path = (string | number)[];

export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${String(p)}` : String(p);
  }
  return s;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '...' : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return 'an object';
}

function getAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

const oneOf = (xs: readonly string[]) => `one of ${xs.map((x) => `"${x}"`).join(', ')}`;

/** Parse YAML or JSON text. */
export function parseDocument(text: string, file: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}` : '';
      const first = err.message.split('\n')[0] ?? err.message;
      throw new ScenarioError(file, where, `YAML syntax error: ${first.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    throw new ScenarioError(file, '', `cannot parse: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Check the discriminating fields first, so that a typo names the field and the choices. */
function checkDiscriminators(doc: Record<string, unknown>, file: string): void {
  const list = (key: string): unknown[] => (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : []);
  const check = (key: string, field: string, allowed: readonly string[], what: string) => {
    list(key).forEach((item, i) => {
      if (item === null || typeof item !== 'object') return;
      const v = (item as Record<string, unknown>)[field];
      if (v === undefined) throw new ScenarioError(file, `${key}[${i}].${field}`, `missing; expected ${what}: ${oneOf(allowed)}`);
      if (typeof v !== 'string' || !allowed.includes(v)) {
        throw new ScenarioError(file, `${key}[${i}].${field}`, `unknown ${what} ${describeValue(v)}; expected ${oneOf(allowed)}`);
      }
    });
  };
  const world = doc.world;
  if (world !== null && typeof world === 'object' && 'road' in world) {
    const road = (world as Record<string, unknown>).road;
    if (road !== null && typeof road === 'object') {
      const b = (road as Record<string, unknown>).builder;
      if (b === undefined) throw new ScenarioError(file, 'world.road.builder', `missing; expected a road builder: ${oneOf(ROAD_BUILDERS)}`);
      if (typeof b !== 'string' || !(ROAD_BUILDERS as readonly string[]).includes(b)) {
        throw new ScenarioError(file, 'world.road.builder', `unknown road builder ${describeValue(b)}; expected ${oneOf(ROAD_BUILDERS)}`);
      }
    }
  }
  check('actors', 'kind', ACTOR_KINDS, 'actor kind');
  list('actors').forEach((a, i) => {
    if (a === null || typeof a !== 'object') return;
    const driver = (a as Record<string, unknown>).driver;
    if (driver === null || typeof driver !== 'object') return;
    const t = (driver as Record<string, unknown>).type;
    if (typeof t !== 'string' || !(DRIVER_TYPES as readonly string[]).includes(t)) {
      throw new ScenarioError(file, `actors[${i}].driver.type`, `${t === undefined ? 'missing' : `unknown driver type ${describeValue(t)}`}; expected ${oneOf(DRIVER_TYPES)}`);
    }
    const beh = (driver as Record<string, unknown>).behaviour;
    if (beh === null || typeof beh !== 'object') return;
    const bt = (beh as Record<string, unknown>).type;
    if (typeof bt !== 'string' || !(BEHAVIOUR_TYPES as readonly string[]).includes(bt)) {
      throw new ScenarioError(file, `actors[${i}].driver.behaviour.type`, `${bt === undefined ? 'missing' : `unknown behaviour ${describeValue(bt)}`}; expected ${oneOf(BEHAVIOUR_TYPES)}`);
    }
  });
  check('criteria', 'type', CRITERION_TYPES, 'criterion type');
  list('criteria').forEach((c, i) => {
    if (c === null || typeof c !== 'object') return;
    const trig = (c as Record<string, unknown>).trigger;
    if ((c as Record<string, unknown>).type !== 'mrm-success' || trig === null || typeof trig !== 'object') return;
    const k = (trig as Record<string, unknown>).kind;
    if (typeof k !== 'string' || !(MRM_TRIGGER_KINDS as readonly string[]).includes(k)) {
      throw new ScenarioError(file, `criteria[${i}].trigger.kind`, `${k === undefined ? 'missing' : `unknown trigger kind ${describeValue(k)}`}; expected ${oneOf(MRM_TRIGGER_KINDS)}`);
    }
  });
  check('events', 'type', EVENT_TYPES, 'event type');
  list('actors').forEach((a, i) => {
    if (a === null || typeof a !== 'object') return;
    const sensors = (a as Record<string, unknown>).sensors;
    if (!Array.isArray(sensors)) return;
    sensors.forEach((s, j) => {
      if (s === null || typeof s !== 'object') return;
      const t = (s as Record<string, unknown>).type;
      if (typeof t !== 'string' || !(SENSOR_TYPES as readonly string[]).includes(t)) {
        throw new ScenarioError(file, `actors[${i}].sensors[${j}].type`, `unknown sensor type ${describeValue(t)}; expected ${oneOf(SENSOR_TYPES)}`);
      }
    });
  });
}

/** For a union, the most specific issue: the one that got deepest into some branch. */
function deepestIssue(issue: z.core.$ZodIssue, prefix: PropertyKey[]): { issue: z.core.$ZodIssue; path: PropertyKey[] } {
  const path = [...prefix, ...(issue.path as PropertyKey[])];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { issue, path };
  let best: { issue: z.core.$ZodIssue; path: PropertyKey[] } = { issue, path };
  for (const branch of issue.errors) {
    for (const sub of branch) {
      const cand = deepestIssue(sub, path);
      if (cand.path.length > best.path.length) best = cand;
    }
  }
  return best;
}

function zodFail(file: string, doc: unknown, error: z.ZodError): never {
  const { issue, path } = deepestIssue(error.issues[0]!, []);
  const found = getAt(doc, path);
  let expected = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') {
    expected = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  } else if (found === undefined && issue.code === 'invalid_type') {
    expected = `missing; ${expected.replace(/, received undefined$/, '')}`;
  } else if (!/received|got/.test(expected)) {
    expected = `${expected}, got ${describeValue(found)}`;
  }
  throw new ScenarioError(file, formatPath(path), expected);
}

/** Validate references and geometry that the schema alone cannot. */
function checkSemantics(s: Scenario, file: string): void {
  const ids = new Map<string, number>();
  s.actors.forEach((a, i) => {
    if (a.id === 'ground') throw new ScenarioError(file, `actors[${i}].id`, '"ground" is reserved for the world\'s ground');
    if (ids.has(a.id)) throw new ScenarioError(file, `actors[${i}].id`, `duplicate actor id "${a.id}" (also actors[${ids.get(a.id)}])`);
    ids.set(a.id, i);
  });
  s.world.scatter.forEach((sc, i) => {
    for (let k = 0; k < sc.count; k++) {
      const id = `${sc.idPrefix}-${k}`;
      if (ids.has(id)) {
        const other = ids.get(id)!;
        throw new ScenarioError(file, `world.scatter[${i}].idPrefix`, `scattered obstacle id "${id}" is already taken by ${other >= 0 ? `actors[${other}]` : 'another scatter'}; give each scatter its own idPrefix`);
      }
      ids.set(id, -1);
    }
  });
  // NPC drivers are world-side traffic, not agents: only `agent` makes an actor agent-driven.
  const agentDriven = new Set(s.actors.filter((a) => (a.kind === 'rover' || a.kind === 'car' || a.kind === 'uav') && a.agent !== undefined).map((a) => a.id));
  const needActor = (path: string, id: string) => {
    if (!ids.has(id)) throw new ScenarioError(file, path, `no actor with id "${id}"; expected one of ${[...ids.keys()].slice(0, 12).map((x) => `"${x}"`).join(', ')}`);
  };

  let network: RoadNetwork | undefined;
  if (s.world.road) {
    try {
      network = roadNetworkOf(s.world.road);
    } catch (err) {
      const why = err instanceof RoadNetworkError ? err.problems.join('; ') : err instanceof Error ? err.message : String(err);
      throw new ScenarioError(file, 'world.road.params', `the ${s.world.road.builder} builder refused these parameters: ${why}`);
    }
  } else if (!s.world.ground) {
    throw new ScenarioError(file, 'world.ground', 'missing; expected { centerM, sizeM } (it may be omitted only when world.road is given)');
  }
  const ground = groundOf(s, network);
  const [gcx, gcy] = ground.centerM;
  const [gsx, gsy] = ground.sizeM;
  const onGround = (x: number, y: number) => Math.abs(x - gcx) <= gsx / 2 && Math.abs(y - gcy) <= gsy / 2;
  // Road works (issue #3): lane and road closures on world.road (scenarios/traffic-features.ts).
  checkRoadWorks(s.world.roadWorks, network, ids, (p, e) => new ScenarioError(file, p, e));

  const cars: { i: number; id: string; x: number; y: number; yaw: number }[] = [];
  s.actors.forEach((a, i) => {
    let x: number, y: number;
    let posePath = `actors[${i}].pose.position`;
    if (a.kind === 'car') {
      const start = carStartChecked(a, i, network, file);
      ({ x, y } = start);
      if (a.lane) posePath = `actors[${i}].lane`;
      cars.push({ i, id: a.id, x, y, yaw: start.yawRad });
    } else if (a.kind === 'pedestrian') {
      [x, y] = checkPedestrian(a, i, s, ids, network, onGround, (p, e) => new ScenarioError(file, p, e))[0]!;
      posePath = a.path ? `actors[${i}].path[0]` : `actors[${i}].crosswalk`;
    } else {
      [x, y] = a.pose.position;
    }
    if (!onGround(x, y)) {
      throw new ScenarioError(file, posePath, `[${round3(x)}, ${round3(y)}] is off the ground (centre [${round3(gcx)}, ${round3(gcy)}], size [${round3(gsx)}, ${round3(gsy)}] m)`);
    }
    if (a.kind === 'car') checkCar(a, i, s, ids, file);
    if (a.kind === 'rover' || a.kind === 'car' || a.kind === 'uav') {
      const names = new Set<string>();
      a.sensors.forEach((sen, j) => {
        if (names.has(sen.name)) throw new ScenarioError(file, `actors[${i}].sensors[${j}].name`, `duplicate sensor name "${sen.name}"`);
        names.add(sen.name);
        if (sen.type === 'range-ring') {
          const lo = sen.minRangeM ?? RPLIDAR_A2M8.minRangeM, hi = sen.maxRangeM ?? RPLIDAR_A2M8.maxRangeM;
          if (lo >= hi) throw new ScenarioError(file, `actors[${i}].sensors[${j}].minRangeM`, `must be below maxRangeM (${hi}${sen.maxRangeM === undefined ? ', the default' : ''}), got ${lo}`);
        }
      });
      if (a.agent !== undefined) {
        const ref = typeof a.agent === 'string' ? { type: a.agent, params: {} } : a.agent;
        const path = typeof a.agent === 'string' ? `actors[${i}].agent` : `actors[${i}].agent.type`;
        const entry = AGENTS[ref.type];
        if (!entry) throw new ScenarioError(file, path, `unknown agent "${ref.type}"; expected ${oneOf(AGENT_NAMES)}`);
        if (!entry.actorKinds.includes(a.kind)) {
          throw new ScenarioError(file, path, `agent "${ref.type}" drives ${entry.actorKinds.join(', ')}, not a ${a.kind}`);
        }
        const r = entry.params.safeParse(ref.params);
        if (!r.success) {
          const iss = r.error.issues[0]!;
          const p = formatPath(iss.path as PropertyKey[]);
          throw new ScenarioError(file, `actors[${i}].agent.params${p ? '.' + p : ''}`, iss.message.replace(/^Invalid input: /, ''));
        }
        if (ref.type === 'go-to-goal' && a.kind === 'rover' && !a.mission) throw new ScenarioError(file, `actors[${i}].mission`, 'missing; agent "go-to-goal" needs a mission with a goal');
        if (entry.needsMap && !s.world.road && !(r.data as { map?: unknown }).map) {
          throw new ScenarioError(file, path, `agent "${ref.type}" drives by an HD map, and the scenario has no world.road (nor params.map)`);
        }
        for (const need of entry.sensors(r.data)) {
          const j = a.sensors.findIndex((x) => x.name === need.name);
          const have = a.sensors[j];
          if (!have && need.required) {
            throw new ScenarioError(file, `actors[${i}].sensors`, `agent "${ref.type}" reads a ${need.type} sensor named "${need.name}", and the actor has none`);
          }
          if (have && have.type !== need.type) {
            throw new ScenarioError(file, `actors[${i}].sensors[${j}].type`, `agent "${ref.type}" reads "${need.name}" as a ${need.type} sensor, but it is a ${have.type}`);
          }
        }
      }
    }
  });

  // Cars overlapping at the start would begin the run in contact.
  for (let p = 0; p < cars.length; p++) {
    for (let q = p + 1; q < cars.length; q++) {
      const a = cars[p]!, b = cars[q]!;
      if (footprintGap(a, b) < 0) {
        throw new ScenarioError(file, `actors[${b.i}]`, `car "${b.id}" overlaps car "${a.id}" (actors[${a.i}]) at the start; move one of them (a car is ${BMW_320I.bodyLengthM} x ${BMW_320I.bodyWidthM} m)`);
      }
    }
  }

  s.events.forEach((e, i) => {
    if (e.type !== 'marker' && e.type !== 'zone') needActor(`events[${i}].actor`, e.actor);
    if ((e.at === undefined) === (e.when === undefined)) {
      throw new ScenarioError(file, `events[${i}]`, e.at === undefined ? 'missing a trigger; expected at (a time, s) or when (a condition)' : 'has both at and when; expected exactly one trigger');
    }
    if (e.at !== undefined && e.at >= s.duration) throw new ScenarioError(file, `events[${i}].at`, `${e.at} s is not before the end of the run (duration ${s.duration} s), so it would never fire`);
    if (e.when) {
      needActor(`events[${i}].when.actor`, e.when.actor);
      if (typeof e.when.of === 'string') {
        needActor(`events[${i}].when.of`, e.when.of);
        if (e.when.of === e.when.actor) throw new ScenarioError(file, `events[${i}].when.of`, `is the watched actor "${e.when.actor}" itself; expected another actor or a point`);
      }
      if (e.type === 'sensor-fault' && e.restoreAt !== undefined) throw new ScenarioError(file, `events[${i}].restoreAt`, 'only a timed fault (at) can be restored at a time; a conditional one has no known start');
    }
    if (e.type === 'sensor-fault') {
      const idx = ids.get(e.actor)!;
      const a = idx >= 0 ? s.actors[idx] : undefined;
      const sensors = a && (a.kind === 'rover' || a.kind === 'car' || a.kind === 'uav') ? a.sensors.map((x) => x.name) : [];
      if (!sensors.includes(e.sensor)) throw new ScenarioError(file, `events[${i}].sensor`, `actor "${e.actor}" has no sensor "${e.sensor}"; it has ${sensors.length ? oneOf(sensors) : 'none'}`);
      if (e.at !== undefined && e.restoreAt !== undefined && !(e.restoreAt > e.at && e.restoreAt < s.duration)) {
        throw new ScenarioError(file, `events[${i}].restoreAt`, `must be after at (${e.at} s) and before the end of the run (${s.duration} s), got ${e.restoreAt}`);
      }
    }
    if (e.type === 'set-motion') {
      const idx = ids.get(e.actor)!;
      const a = idx >= 0 ? s.actors[idx] : undefined;
      if (!a || a.kind !== 'obstacle' || !a.motion) throw new ScenarioError(file, `events[${i}].actor`, `"${e.actor}" is not a moving obstacle (set-motion needs an obstacle with motion)`);
    }
  });

  const names = new Set<string>();
  s.criteria.forEach((c, i) => {
    const name = c.name ?? c.type;
    if (names.has(name)) throw new ScenarioError(file, `criteria[${i}].name`, `duplicate criterion name "${name}"; give each a distinct name`);
    names.add(name);
    if ('actor' in c && c.actor !== undefined) {
      needActor(`criteria[${i}].actor`, c.actor);
      // Judging something no agent drives measures the scenario's script, not an agent.
      if (!agentDriven.has(c.actor)) throw new ScenarioError(file, `criteria[${i}].actor`, `"${c.actor}" is not driven by an agent; ${c.type} judges an agent-driven actor (${agentDriven.size ? oneOf([...agentDriven]) : 'there is none'})`);
    }
    if (c.type === 'no-collision' && c.actor === undefined && agentDriven.size === 0) {
      throw new ScenarioError(file, `criteria[${i}]`, 'no-collision judges every agent-driven actor by default, and no actor has an agent: it would pass without judging anything');
    }
    if (c.type === 'min-clearance') {
      c.others?.forEach((o, j) => {
        needActor(`criteria[${i}].others[${j}]`, o);
        if (o === c.actor) throw new ScenarioError(file, `criteria[${i}].others[${j}]`, `"${o}" is the judged actor itself`);
      });
      const count = c.others ? c.others.length : ids.size - 1;
      if (count === 0) throw new ScenarioError(file, `criteria[${i}].others`, 'nothing to measure the clearance against: it would pass without measuring anything');
    }
    if (c.type === 'min-separation') {
      c.actors?.forEach((o, j) => {
        needActor(`criteria[${i}].actors[${j}]`, o);
        const k = ids.get(o)!;
        const a = k >= 0 ? s.actors[k] : undefined;
        if (a?.kind !== 'uav') throw new ScenarioError(file, `criteria[${i}].actors[${j}]`, `"${o}" is ${a ? `${/^[aeiou]/.test(a.kind) ? 'an' : 'a'} ${a.kind}` : 'a scattered obstacle'}; min-separation judges UAVs`);
        if (c.actors!.indexOf(o) !== j) throw new ScenarioError(file, `criteria[${i}].actors[${j}]`, `"${o}" is listed twice`);
      });
      const uavs = c.actors ?? s.actors.filter((a) => a.kind === 'uav' && agentDriven.has(a.id)).map((a) => a.id);
      if (uavs.length < 2) throw new ScenarioError(file, `criteria[${i}]${c.actors ? '.actors' : ''}`, `min-separation judges pairs of UAVs, and there ${uavs.length === 1 ? 'is one' : 'is none'} (by default: the agent-driven UAVs): it would pass without measuring anything`);
    }
    if (isDriving(c)) checkDriving(c, i, s, network, agentDriven, ids, file);
    checkUavMission(c, i, s, ids, file);
    if (c.type === 'max-duration' && c.thresholdS >= s.duration && !s.criteria.some((x) => (x.type === 'reach-goal' || x.type === 'route-completion') && x.endsRun)) {
      throw new ScenarioError(file, `criteria[${i}].thresholdS`, `${c.thresholdS} s is not below the run's duration (${s.duration} s) and no criterion ends the run early, so it could never fail`);
    }
  });
  // A gimbal's point-at target is another actor (or a point).
  s.actors.forEach((a, i) => {
    if (a.kind !== 'uav' || !a.gimbal || a.gimbal.mode.type !== 'point-at' || typeof a.gimbal.mode.target !== 'string') return;
    const t = a.gimbal.mode.target;
    if (t === a.id) throw new ScenarioError(file, `actors[${i}].gimbal.mode.target`, `"${t}" is the UAV itself; expected another actor or a point [x, y, z]`);
    if (!s.actors.some((b) => b.id === t)) throw new ScenarioError(file, `actors[${i}].gimbal.mode.target`, `no actor "${t}"; expected one of ${oneOf(s.actors.filter((b) => b.id !== a.id).map((b) => b.id))} or a point [x, y, z]`);
  });
  // A battery sensor reads its UAV's battery (uav actors' `battery`).
  s.actors.forEach((a, i) => {
    if (!('sensors' in a)) return;
    a.sensors.forEach((sp, j) => {
      if (sp.type !== 'battery') return;
      if (a.kind !== 'uav') throw new ScenarioError(file, `actors[${i}].sensors[${j}]`, `a battery sensor reads a UAV's battery; "${a.id}" is ${/^[aeiou]/.test(a.kind) ? 'an' : 'a'} ${a.kind}`);
      if (!a.battery) throw new ScenarioError(file, `actors[${i}].battery`, `missing; the battery sensor "${sp.name}" needs the UAV's battery (e.g. battery: { initialStateOfCharge: 1 })`);
    });
  });
  s.expect?.failing.forEach((name, i) => {
    if (!names.has(name)) throw new ScenarioError(file, `expect.failing[${i}]`, `no criterion named "${name}"; expected one of ${oneOf([...names])}`);
    if (s.expect!.failing.indexOf(name) !== i) throw new ScenarioError(file, `expect.failing[${i}]`, `"${name}" is listed twice`);
  });

  s.requirements.forEach((id, i) => {
    if (!(id in REQUIREMENTS)) throw new ScenarioError(file, `requirements[${i}]`, `unknown requirement "${id}"; expected ${oneOf(Object.keys(REQUIREMENTS))} (seeds/requirements.ts)`);
  });

  s.vary.forEach((v, i) => {
    if ('uniform' in v && !(v.uniform[0] <= v.uniform[1])) throw new ScenarioError(file, `vary[${i}].uniform`, `expected [min, max] with min <= max, got [${v.uniform[0]}, ${v.uniform[1]}]`);
  });

  const steps = s.duration * s.world.physicsHz;
  if (Math.abs(steps - Math.round(steps)) > 1e-6 * Math.max(1, steps)) {
    throw new ScenarioError(file, 'duration', `${s.duration} s is not a whole number of physics steps at ${s.world.physicsHz} Hz (${steps.toFixed(3)} steps)`);
  }

  s.world.scatter.forEach((sc, i) => {
    const { min, max } = sc.region;
    if (!(min[0] < max[0] && min[1] < max[1])) throw new ScenarioError(file, `world.scatter[${i}].region`, `min must be below max on both axes, got min [${min}] max [${max}]`);
    if (!onGround(min[0], min[1]) || !onGround(max[0], max[1])) throw new ScenarioError(file, `world.scatter[${i}].region`, 'must lie on the ground');
    const [lo, hi] = sc.shape.type === 'cylinder' ? sc.shape.radiusM : sc.shape.sideM;
    if (lo > hi) throw new ScenarioError(file, `world.scatter[${i}].shape`, `range [${lo}, ${hi}] has min above max`);
  });

  checkV2x(s, network, (path, expected) => {
    throw new ScenarioError(file, path, expected);
  });
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

// ---------- UAV mission criteria ----------

/** UAV mission criteria judge a UAV; battery-reserve needs its battery; a hold window must start before the end. */
function checkUavMission(c: Scenario['criteria'][number], i: number, s: Scenario, ids: ReadonlyMap<string, number>, file: string): void {
  if (c.type === 'gimbal-jitter' || c.type === 'gimbal-drift' || c.type === 'gimbal-pointing') {
    const j = ids.get(c.actor);
    const a = j !== undefined && j >= 0 ? s.actors[j] : undefined;
    if (a?.kind !== 'uav') throw new ScenarioError(file, `criteria[${i}].actor`, `"${c.actor}" is not a UAV; ${c.type} judges a UAV's gimbal`);
    if (!a.gimbal) throw new ScenarioError(file, `criteria[${i}].actor`, `"${c.actor}" carries no gimbal (actors[${j}].gimbal); ${c.type} would judge nothing`);
    if (!(c.settleS < s.duration)) throw new ScenarioError(file, `criteria[${i}].settleS`, `${c.settleS} s is not before the end of the run (${s.duration} s): nothing would be judged`);
    return;
  }
  if (c.type !== 'mission-completion' && c.type !== 'flight-time' && c.type !== 'position-hold' && c.type !== 'landing' && c.type !== 'battery-reserve') return;
  const j = ids.get(c.actor);
  const a = j !== undefined && j >= 0 ? s.actors[j] : undefined;
  if (a?.kind !== 'uav') throw new ScenarioError(file, `criteria[${i}].actor`, `"${c.actor}" is not a UAV; ${c.type} judges a UAV`);
  if (c.type === 'battery-reserve' && !a.battery) throw new ScenarioError(file, `criteria[${i}].actor`, `"${c.actor}" has no battery (actors[${j}].battery); battery-reserve would judge nothing`);
  if (c.type === 'position-hold' && !(c.fromS < s.duration)) throw new ScenarioError(file, `criteria[${i}].fromS`, `${c.fromS} s is not before the end of the run (${s.duration} s): the window would be empty`);
}

// ---------- driving criteria ----------

const isDriving = (c: Scenario['criteria'][number]): c is DrivingCriterionSpec => (DRIVING_CRITERION_TYPES as readonly string[]).includes(c.type);

const graphs = new WeakMap<RoadNetwork, LaneGraph>();
function laneGraphOf(network: RoadNetwork): LaneGraph {
  let g = graphs.get(network);
  if (!g) graphs.set(network, (g = new LaneGraph(network)));
  return g;
}

/** Collision class of a scenario actor, as the runner classes the built actor (criteria/index.ts `drivingCategoryOfKind`). */
function categoryOfSpec(a: ActorSpec): 'pedestrian' | 'vehicle' | 'static' {
  if (a.kind === 'pedestrian') return 'pedestrian';
  return a.kind === 'car' || a.kind === 'rover' || a.kind === 'uav' ? 'vehicle' : 'static';
}

/**
 * A driving criterion must be able to fail: a road to judge on, an
 * agent-driven car to judge, a reachable route, lights or stop signs to run,
 * other actors to collide with or close on, a trigger that fires.
 */
function checkDriving(c: DrivingCriterionSpec, i: number, s: Scenario, network: RoadNetwork | undefined, agentDriven: ReadonlySet<string>, ids: ReadonlyMap<string, number>, file: string): void {
  const at = `criteria[${i}]`;
  if (!network) throw new ScenarioError(file, at, `${c.type} judges a car on the road network, and the scenario has no world.road: it would judge nothing`);
  const agentCars = s.actors.filter((a) => a.kind === 'car' && agentDriven.has(a.id)).map((a) => a.id);
  if (c.ego !== undefined) {
    const j = ids.get(c.ego);
    if (j === undefined) throw new ScenarioError(file, `${at}.ego`, `no actor with id "${c.ego}"; expected ${agentCars.length ? oneOf(agentCars) : 'an agent-driven car (there is none)'}`);
    const a = j >= 0 ? s.actors[j] : undefined;
    if (a?.kind !== 'car') throw new ScenarioError(file, `${at}.ego`, `"${c.ego}" is ${a ? `${/^[aeiou]/.test(a.kind) ? 'an' : 'a'} ${a.kind}` : 'a scattered obstacle'}; ${c.type} judges a car`);
    // Judging something no agent drives measures the scenario's script, not an agent.
    if (!agentDriven.has(c.ego)) throw new ScenarioError(file, `${at}.ego`, `"${c.ego}" is not driven by an agent; ${c.type} judges an agent-driven car (${agentCars.length ? oneOf(agentCars) : 'there is none'})`);
  } else if (agentCars.length !== 1) {
    throw new ScenarioError(file, `${at}.ego`, agentCars.length === 0
      ? `missing; ${c.type} judges an agent-driven car, and no car has an agent`
      : `missing; there are several agent-driven cars, name the judged one: ${oneOf(agentCars)}`);
  }
  const egoId = drivingEgoId(c, s)!;
  const ego = s.actors[ids.get(egoId)!] as CarSpec;

  if (c.type === 'route-completion' || c.type === 'driving-score') {
    const { from, to } = routeEndpoints(c, s, egoId);
    if (!from) throw new ScenarioError(file, `${at}.route.from`, `missing; the ego "${egoId}" is placed by pose, so the route needs a start { road, lane, s } (it defaults only to a lane placement)`);
    // A defaulted start is the ego's lane placement, already checked with the actor.
    if (c.route.from) checkRoutePoint(network, from, `${at}.route.from`, file);
    checkRoutePoint(network, to, `${at}.route.to`, file);
    const r = laneGraphOf(network).route({ roadId: from.road, laneId: from.lane, s: from.s }, { roadId: to.road, laneId: to.lane, s: to.s });
    if (!r.found) {
      throw new ScenarioError(file, `${at}.route`, `unreachable: ${r.reason} over the lane graph (lanes are driven in their direction: right lanes (id < 0) towards +s, left lanes towards -s; changes only across broken markings); expected a route.to downstream of route.from`);
    }
  }

  if (c.type === 'red-light' && !network.stopLines.some((l) => l.control.kind === 'traffic-light')) {
    throw new ScenarioError(file, at, `red-light counts stop lines crossed on red, and the ${s.world.road!.builder} road has no traffic lights: it would pass without judging anything`);
  }
  if (c.type === 'stop-sign' && !network.stopLines.some((l) => l.control.kind === 'stop-sign')) {
    throw new ScenarioError(file, at, `stop-sign counts stop-sign lines run, and the ${s.world.road!.builder} road has no stop-sign lines: it would pass without judging anything`);
  }

  if (c.type === 'min-ttc' || c.type === 'driving-collisions') {
    const wanted: readonly string[] = c.categories ?? (c.type === 'min-ttc' ? ['vehicle'] : ['pedestrian', 'vehicle', 'static']);
    const scattered = s.world.scatter.reduce((n, sc) => n + sc.count, 0);
    const others = s.actors.filter((a) => a.id !== egoId && wanted.includes(categoryOfSpec(a))).length + (wanted.includes('static') ? scattered + s.world.roadWorks.length : 0);
    if (others === 0) {
      throw new ScenarioError(file, c.categories ? `${at}.categories` : at, `${c.type} judges ${egoId} against ${wanted.join(', ')} actors, and the scenario has none: it would pass without judging anything`);
    }
  }

  if (c.type === 'mrm-success') {
    if (ego.model !== 'dynamic') {
      throw new ScenarioError(file, c.ego !== undefined ? `${at}.ego` : at, `mrm-success needs hazard lights, which only a car with model: dynamic has; "${egoId}" is model: ${ego.model}`);
    }
    const t = c.trigger;
    if (t.kind === 'fault' && !s.events.some((e) => e.type === 'sensor-fault' && e.actor === egoId)) {
      throw new ScenarioError(file, `${at}.trigger`, `the trigger (kind: fault, the default) waits for a sensor fault on "${egoId}", and events has no sensor-fault on it: it would never fire`);
    }
    if (t.kind === 'time' && t.atS >= s.duration) {
      throw new ScenarioError(file, `${at}.trigger.atS`, `${t.atS} s is not before the end of the run (duration ${s.duration} s), so it would never fire`);
    }
    if (t.kind === 'timeline') {
      const names = timelineNames(s);
      if (!names.includes(t.event)) throw new ScenarioError(file, `${at}.trigger.event`, `no scheduled event "${t.event}", so it would never fire; expected ${names.length ? oneOf(names.slice(0, 12)) : 'an entry in events (there is none)'}`);
    }
  }
}

/** The names the world's timeline gives the scheduled events (scenarios/build.ts). */
function timelineNames(s: Scenario): string[] {
  return s.events.flatMap((e) => {
    switch (e.type) {
      case 'remove': return [`remove ${e.actor}`];
      case 'set-motion': return [`set-motion ${e.actor}`];
      case 'marker': return [`marker ${e.name}`];
      case 'zone': return [`zone ${e.zone} ${e.active ? 'on' : 'off'}`];
      case 'sensor-fault': return [`sensor-fault ${e.actor}.${e.sensor}`, ...(e.restoreAt !== undefined ? [`sensor-restore ${e.actor}.${e.sensor}`] : [])];
    }
  });
}

/** A route point on a drivable lane of the network. */
function checkRoutePoint(network: RoadNetwork, p: RoutePointSpec, path: string, file: string): void {
  if (!network.hasRoad(p.road)) {
    throw new ScenarioError(file, `${path}.road`, `no road "${p.road}" in the network; expected ${oneOf(network.roads.filter((r) => r.junction === undefined).map((r) => r.id).slice(0, 12))}`);
  }
  const road = network.road(p.road);
  if (p.s > road.lengthM) throw new ScenarioError(file, `${path}.s`, `${p.s} m is off road "${p.road}", which is ${round3(road.lengthM)} m long`);
  const lane = road.sections[road.sectionIndexAt(p.s)]!.lane(p.lane);
  if (!lane || !lane.drivable) {
    throw new ScenarioError(file, `${path}.lane`, `road "${p.road}" has no ${lane ? `drivable lane ${p.lane} (it is a ${lane.type} lane)` : `lane ${p.lane}`} at s=${p.s}; expected one of ${drivableLanes(network, p.road, p.s).join(', ')}`);
  }
}

// ---------- roads and cars ----------

const DEG_TO_RAD = Math.PI / 180;
const networks = new WeakMap<RoadSpec, RoadNetwork>();

/**
 * The road network a scenario's `world.road` describes, built by its
 * procedural builder (degrees at the file edge become radians here). Cached
 * per validated spec object, so the loader's checks and the world build share
 * one immutable network. Throws the builder's RangeError or RoadNetworkError.
 */
export function roadNetworkOf(spec: RoadSpec): RoadNetwork {
  const cached = networks.get(spec);
  if (cached) return cached;
  const rad = (deg: number | undefined) => (deg === undefined ? {} : { headingRad: deg * DEG_TO_RAD });
  let network: RoadNetwork;
  switch (spec.builder) {
    case 'highway': {
      const { headingDeg, curve, ...rest } = spec.params;
      network = new RoadNetwork(buildHighway({
        ...rest,
        ...rad(headingDeg),
        ...(curve ? { curve: { startS: curve.startS, radiusM: curve.radiusM, angleRad: curve.angleDeg * DEG_TO_RAD, ...(curve.spiralLengthM !== undefined ? { spiralLengthM: curve.spiralLengthM } : {}) } } : {}),
      }));
      break;
    }
    case 'on-ramp': {
      const { headingDeg, rampAngleDeg, ...rest } = spec.params;
      network = new RoadNetwork(buildOnRamp({ ...rest, ...rad(headingDeg), ...(rampAngleDeg !== undefined ? { rampAngleRad: rampAngleDeg * DEG_TO_RAD } : {}) }));
      break;
    }
    case 'intersection':
      network = new RoadNetwork(buildIntersection(spec.params));
      break;
    case 'urban-grid':
      network = new RoadNetwork(buildUrbanGrid(spec.params));
      break;
  }
  networks.set(spec, network);
  return network;
}

/** Axis-aligned bounds of every lane of a network (outer lane borders sampled every <= 5 m), m. */
export function networkBounds(network: RoadNetwork): { min: [number, number]; max: [number, number] } {
  const pose = newRoadPose();
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const road of network.roads) {
    const n = Math.max(2, Math.ceil(road.lengthM / 5));
    for (let k = 0; k <= n; k++) {
      const sAt = (road.lengthM * k) / n;
      const i = road.sectionIndexAt(sAt);
      const sec = road.sections[i]!;
      const off = road.laneOffsetAt(sAt);
      for (const t of [sec.outerT(sec.left.length, sAt - sec.s, off), sec.outerT(-sec.right.length, sAt - sec.s, off)]) {
        road.referenceLine.toWorld(sAt, t, pose);
        x0 = Math.min(x0, pose.x); x1 = Math.max(x1, pose.x);
        y0 = Math.min(y0, pose.y); y1 = Math.max(y1, pose.y);
      }
    }
  }
  return { min: [x0, y0], max: [x1, y1] };
}

/** The world's ground: as written, or (with a road and no ground) the road network's bounds plus `groundMarginM`. */
export function groundOf(s: Scenario, network?: RoadNetwork): GroundSpec {
  if (s.world.ground) return s.world.ground;
  if (!s.world.road) throw new Error('a scenario needs world.ground or world.road');
  const b = networkBounds(network ?? roadNetworkOf(s.world.road));
  const m = s.world.road.groundMarginM;
  return {
    centerM: [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2],
    sizeM: [b.max[0] - b.min[0] + 2 * m, b.max[1] - b.min[1] + 2 * m],
    friction: 0.8,
  };
}

export interface CarStartPose {
  x: number;
  y: number;
  yawRad: number;
}

const _lanePose = newRoadPose();

/**
 * Start pose of a car (its centre of gravity): its `pose`, or the centre line
 * of its `lane` at road s, heading in the lane's driving direction (towards
 * -s for left lanes), shifted `offsetM` to the driver's left.
 */
export function carStart(a: CarSpec, network: RoadNetwork | undefined): CarStartPose {
  if (a.pose) return { x: a.pose.position[0], y: a.pose.position[1], yawRad: a.pose.yawDeg * DEG_TO_RAD };
  const l = a.lane!;
  const road = network!.road(l.road);
  road.laneCenterAt(road.sectionIndexAt(l.s), l.lane, l.s, _lanePose);
  const h = l.lane > 0 ? _lanePose.headingRad + Math.PI : _lanePose.headingRad;
  return { x: _lanePose.x - l.offsetM * Math.sin(h), y: _lanePose.y + l.offsetM * Math.cos(h), yawRad: Math.atan2(Math.sin(h), Math.cos(h)) };
}

const _locate = newLanePosition();

/** Drivable lane ids of a road at s, for error messages. */
function drivableLanes(network: RoadNetwork, roadId: string, sAt: number): number[] {
  const road = network.road(roadId);
  const sec = road.sections[road.sectionIndexAt(sAt)]!;
  return sec.lanes().filter((l) => l.id !== 0 && l.drivable).map((l) => l.id).sort((p, q) => p - q);
}

/** The car's placement, checked against the road network: exactly one of pose and lane, on the road. */
function carStartChecked(a: CarSpec, i: number, network: RoadNetwork | undefined, file: string): CarStartPose {
  const at = `actors[${i}]`;
  if (a.pose && a.lane) throw new ScenarioError(file, `${at}.lane`, 'give either pose or lane, not both');
  if (!a.pose && !a.lane) throw new ScenarioError(file, at, 'missing placement; expected pose { position, yawDeg } or lane { road, lane, s }');
  if (a.lane) {
    const l = a.lane;
    if (!network) throw new ScenarioError(file, `${at}.lane`, 'a lane placement needs a road network (world.road)');
    if (!network.hasRoad(l.road)) {
      throw new ScenarioError(file, `${at}.lane.road`, `no road "${l.road}" in the network; expected ${oneOf(network.roads.filter((r) => r.junction === undefined).map((r) => r.id).slice(0, 12))}`);
    }
    const road = network.road(l.road);
    if (l.s > road.lengthM) throw new ScenarioError(file, `${at}.lane.s`, `${l.s} m is off road "${l.road}", which is ${round3(road.lengthM)} m long`);
    const sec = road.sections[road.sectionIndexAt(l.s)]!;
    const lane = sec.lane(l.lane);
    if (!lane || !lane.drivable) {
      const ok = drivableLanes(network, l.road, l.s);
      throw new ScenarioError(file, `${at}.lane.lane`, `road "${l.road}" has no ${lane ? `drivable lane ${l.lane} (it is a ${lane.type} lane)` : `lane ${l.lane}`} at s=${l.s}; expected one of ${ok.join(', ')}`);
    }
    const half = 0.5 * lane.widthAt(l.s - sec.s);
    if (Math.abs(l.offsetM) > half) throw new ScenarioError(file, `${at}.lane.offsetM`, `${l.offsetM} m puts the car's centre outside its ${round3(2 * half)} m wide lane (expected |offsetM| <= ${round3(half)})`);
    return carStart(a, network);
  }
  const start = carStart(a, network);
  if (a.driver && network) {
    // An NPC driver follows lanes: it must start on one.
    const on = network.roads.some((r) => {
      r.locate(start.x, start.y, _locate);
      return _locate.laneId !== undefined && r.sections[_locate.sectionIndex]!.lane(_locate.laneId)!.drivable;
    });
    if (!on) throw new ScenarioError(file, `${at}.pose.position`, `[${start.x}, ${start.y}] is off every drivable lane of the road network; an NPC driver needs to start on one (or place it with lane)`);
  } else if (a.driver) {
    throw new ScenarioError(file, `${at}.driver`, 'an NPC driver follows lanes, and there is no road network (world.road)');
  }
  return start;
}

/** Driver, agent and behaviour references of one car. */
function checkCar(a: CarSpec, i: number, s: Scenario, ids: Map<string, number>, file: string): void {
  const at = `actors[${i}]`;
  if (a.driver && a.agent !== undefined) throw new ScenarioError(file, `${at}.driver`, 'a car is driven by an NPC driver or by an agent, not both; remove driver or agent');
  if (!a.driver) return;
  if (a.model !== 'kinematic') throw new ScenarioError(file, `${at}.model`, `the NPC driver drives the kinematic model; expected model: kinematic, got "${a.model}"`);
  checkVia(a.driver.via, at, s.world.road ? roadNetworkOf(s.world.road) : undefined, (p, e) => new ScenarioError(file, p, e));
  const b = a.driver.behaviour;
  const p = a.driver.params;
  if (p.minLookaheadM !== undefined && p.maxLookaheadM !== undefined && p.maxLookaheadM < p.minLookaheadM) {
    throw new ScenarioError(file, `${at}.driver.params.maxLookaheadM`, `must be >= minLookaheadM (${p.minLookaheadM}), got ${p.maxLookaheadM}`);
  }
  if (!b) return;
  const bp = `${at}.driver.behaviour`;
  const needCar = (path: string, target: string) => {
    const j = ids.get(target);
    const other: ActorSpec | undefined = j !== undefined && j >= 0 ? s.actors[j] : undefined;
    if (!other) throw new ScenarioError(file, path, `no actor with id "${target}"; expected ${oneOf(s.actors.filter((x) => x.kind === 'car' && x.id !== a.id).map((x) => x.id).slice(0, 12))}`);
    if (other.kind !== 'car') throw new ScenarioError(file, path, `"${target}" is a ${other.kind}; NPC behaviours track cars only`);
    if (target === a.id) throw new ScenarioError(file, path, `"${target}" is this car itself`);
  };
  switch (b.type) {
    case 'cut-in':
      needCar(`${bp}.targetActor`, b.targetActor);
      break;
    case 'lead-brake':
      if (b.triggerTimeS === undefined && b.triggerGapM === undefined) throw new ScenarioError(file, bp, 'needs triggerTimeS or triggerGapM');
      if (b.triggerGapM !== undefined && b.targetActor === undefined) throw new ScenarioError(file, `${bp}.targetActor`, 'missing; triggerGapM measures the gap to targetActor (the car behind)');
      if (b.targetActor !== undefined) needCar(`${bp}.targetActor`, b.targetActor);
      if (b.triggerTimeS !== undefined && b.triggerTimeS >= s.duration) throw new ScenarioError(file, `${bp}.triggerTimeS`, `${b.triggerTimeS} s is not before the end of the run (duration ${s.duration} s), so it would never fire`);
      break;
    case 'cut-out':
      if (b.triggerTimeS === undefined && b.triggerGapM === undefined) throw new ScenarioError(file, bp, 'needs triggerTimeS or triggerGapM');
      if (b.triggerTimeS !== undefined && b.triggerTimeS >= s.duration) throw new ScenarioError(file, `${bp}.triggerTimeS`, `${b.triggerTimeS} s is not before the end of the run (duration ${s.duration} s), so it would never fire`);
      break;
    case 'constant-speed':
      break;
  }
}

/** Separation of two car footprints (body length x width rectangles), m: negative when they overlap (separating axes). */
function footprintGap(a: { x: number; y: number; yaw: number }, b: { x: number; y: number; yaw: number }): number {
  const L = BMW_320I.bodyLengthM / 2, W = BMW_320I.bodyWidthM / 2;
  const dx = b.x - a.x, dy = b.y - a.y;
  let best = -Infinity;
  for (const yaw of [a.yaw, b.yaw]) {
    for (const [ax, ay] of [[Math.cos(yaw), Math.sin(yaw)], [-Math.sin(yaw), Math.cos(yaw)]] as const) {
      const ext = (y: number) => L * Math.abs(Math.cos(y) * ax + Math.sin(y) * ay) + W * Math.abs(-Math.sin(y) * ax + Math.cos(y) * ay);
      best = Math.max(best, Math.abs(dx * ax + dy * ay) - ext(a.yaw) - ext(b.yaw));
    }
  }
  return best;
}

/** world.airspace: the zones resolved (files imported, inline zones checked), then what refers to them. */
function checkAirspace(s: Scenario, file: string, texts: AirspaceFileTexts | undefined): ResolvedAirspace | undefined {
  const fail = (p: string, e: string) => new ScenarioError(file, p, e);
  const spec = s.world.airspace;
  const r = spec ? resolveAirspace(spec, texts, file, fail) : undefined;
  const ids = r ? [...new Set(r.zones.map((z) => z.id))] : [];
  const zoneExpected = () => (ids.length ? `expected ${oneOf(ids)}` : 'world.airspace has no zones');
  s.events.forEach((e, i) => {
    if (e.type !== 'zone') return;
    if (!r) throw fail(`events[${i}].zone`, 'the scenario has no world.airspace; a zone event switches one of its zones');
    if (!ids.includes(e.zone)) throw fail(`events[${i}].zone`, `no airspace zone "${e.zone}"; ${zoneExpected()}`);
  });
  s.actors.forEach((a, i) => {
    if (!('sensors' in a)) return;
    a.sensors.forEach((sp, j) => {
      if (sp.type !== 'geo-awareness') return;
      if (a.kind !== 'uav') throw fail(`actors[${i}].sensors[${j}]`, `a geo-awareness sensor serves a UAV; "${a.id}" is ${/^[aeiou]/.test(a.kind) ? 'an' : 'a'} ${a.kind}`);
      if (!r) throw fail(`actors[${i}].sensors[${j}]`, 'a geo-awareness sensor needs world.airspace');
    });
  });
  s.actors.forEach((a, i) => {
    if (a.kind !== 'uav') return;
    a.airspaceAuthorisations.forEach((z, k) => {
      const at = `actors[${i}].airspaceAuthorisations[${k}]`;
      if (!r) throw fail(at, 'the scenario has no world.airspace');
      if (!ids.includes(z)) throw fail(at, `no airspace zone "${z}"; ${zoneExpected()}`);
    });
  });
  s.criteria.forEach((c, i) => {
    if (!c.type.startsWith('airspace-')) return;
    if (!r) throw fail(`criteria[${i}].type`, `${c.type} judges world.airspace, which the scenario does not have`);
    const actor = (c as { actor?: string }).actor;
    if (actor !== undefined) {
      const a = s.actors.find((x) => x.id === actor);
      if (a?.kind !== 'uav') throw fail(`criteria[${i}].actor`, `"${actor}" is not a UAV; expected ${oneOf(s.actors.filter((x) => x.kind === 'uav').map((x) => x.id))}`);
    }
  });
  return r;
}

function validate(doc: unknown, file: string, texts?: AirspaceFileTexts): { scenario: Scenario; warnings: string[] } {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ScenarioError(file, '', `expected a mapping of scenario fields (name, description, seed, duration, world, actors, criteria), got ${describeValue(doc)}`);
  }
  // `swarms` blocks become ordinary actors first (scenarios/swarm-generator.ts); errors in a member name its block.
  let expanded: ReturnType<typeof expandSwarms>;
  try {
    expanded = expandSwarms(doc as Record<string, unknown>);
  } catch (err) {
    if (err instanceof SwarmBlockError) throw new ScenarioError(file, err.fieldPath, err.expected);
    throw err;
  }
  try {
    checkDiscriminators(expanded.doc, file);
    const r = scenarioSchema.safeParse(expanded.doc);
    if (!r.success) zodFail(file, expanded.doc, r.error);
    checkSemantics(r.data, file);
    const air = checkAirspace(r.data, file, texts);
    if (air) setResolvedAirspace(r.data, air);
    return { scenario: r.data, warnings: air?.warnings ?? [] };
  } catch (err) {
    const m = err instanceof ScenarioError ? /^actors\[(\d+)\](.*)$/.exec(err.fieldPath) : null;
    const member = m ? expanded.members.get(Number(m[1])) : undefined;
    if (!member) throw err;
    throw new ScenarioError(file, `swarms[${member.block}]${m![2]}`, `member "${member.id}": ${(err as ScenarioError).expected}`);
  }
}

/** Parse and validate a scenario's text. Throws `ScenarioError`. */
export function loadScenarioText(text: string, file: string, opts: LoadOptions = {}): LoadedScenario {
  const raw = parseDocument(text, file);
  const airspaceFiles = readAirspaceFiles(raw, file, opts);
  const { scenario, warnings } = validate(raw, file, airspaceFiles);
  // Check every vary path now, so a bad path fails at load, not mid-sweep.
  scenario.vary.forEach((v, i) => varyPaths(v).forEach((path, k) => resolvePath(structuredClone(raw), path, file, varyField(v, i, k))));
  return { file, raw, scenario, warnings, ...(airspaceFiles ? { airspaceFiles } : {}) };
}

/** The texts of world.airspace.files, through the reader (none without one: the resolver then refuses them). */
function readAirspaceFiles(raw: unknown, file: string, opts: LoadOptions): AirspaceFileTexts | undefined {
  const files = (getAt(raw, ['world', 'airspace', 'files']) as unknown);
  if (!Array.isArray(files) || !opts.readFile) return undefined;
  const out = new Map<string, string>();
  files.forEach((p, i) => {
    if (typeof p !== 'string' || p.length === 0 || out.has(p)) return;
    try {
      out.set(p, opts.readFile!(p));
    } catch (err) {
      throw new ScenarioError(file, `world.airspace.files[${i}]`, `cannot read airspace file "${p}" (relative to the scenario file): ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return out;
}

function varyPaths(v: VarySpec): string[] {
  return typeof v.path === 'string' ? [v.path] : v.path;
}

function varyField(v: VarySpec, i: number, k: number): string {
  return typeof v.path === 'string' ? `vary[${i}].path` : `vary[${i}].path[${k}]`;
}

/** Array items are addressed by index, or by their `id`, `name` or (for criteria) `type`. */
function resolvePath(root: unknown, dotted: string, file: string, field: string): { parent: Record<string | number, unknown>; key: string | number } {
  const segs = dotted.split('.');
  let cur: unknown = root;
  const walked: Path = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    let key: string | number = seg;
    if (Array.isArray(cur)) {
      if (/^\d+$/.test(seg)) key = Number(seg);
      else {
        const items: unknown[] = cur;
        const key_ = (field: string) => items.findIndex((x) => x !== null && typeof x === 'object' && (x as Record<string, unknown>)[field] === seg);
        let idx = key_('id');
        if (idx < 0) idx = key_('name');
        if (idx < 0) idx = key_('type');
        if (idx < 0) throw new ScenarioError(file, field, `"${dotted}": no item with id "${seg}" in ${formatPath(walked) || 'the document'}`);
        key = idx;
      }
    }
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) {
      throw new ScenarioError(file, field, `"${dotted}": ${formatPath([...walked, key])} does not exist`);
    }
    if (i === segs.length - 1) return { parent: cur as Record<string | number, unknown>, key };
    walked.push(key);
    cur = (cur as Record<string | number, unknown>)[key];
  }
  throw new ScenarioError(file, field, 'empty path');
}

function draw(v: VarySpec, rng: Rng): unknown {
  if ('uniform' in v) return rng.uniform(v.uniform[0], v.uniform[1]);
  if ('normal' in v) return rng.normal(v.normal.mean, v.normal.sd);
  return v.choice[rng.int(v.choice.length)];
}

/**
 * The concrete scenario for one seed: each `vary` entry is drawn from the
 * seed's "vary" stream, in file order, then the result is validated again.
 */
export function instantiate(loaded: LoadedScenario, seed: number): Scenario {
  if (loaded.scenario.vary.length === 0) return loaded.scenario;
  const doc = structuredClone(loaded.raw) as Record<string, unknown>;
  const rng = Rng.stream(seed, 'vary');
  loaded.scenario.vary.forEach((v, i) => {
    const value = draw(v, rng);
    varyPaths(v).forEach((path, k) => {
      const { parent, key } = resolvePath(doc, path, loaded.file, varyField(v, i, k));
      parent[key] = structuredClone(value);
    });
  });
  try {
    return validate(doc, loaded.file, loaded.airspaceFiles).scenario;
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioError(err.file, err.fieldPath, `${err.expected} (value drawn by vary for seed ${seed})`);
    throw err;
  }
}
