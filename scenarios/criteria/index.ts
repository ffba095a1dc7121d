/**
 * The criteria a scenario can name, built from their validated specs.
 *
 * The driving criteria (scenarios/criteria/driving/) judge one agent-driven
 * car, the ego, on the scenario's road. They share a `DrivingContext`: the
 * road network, the ego and its footprint, every other non-terrain actor
 * with its collision class, and the ego's route. `DrivingContexts` builds one
 * per (ego, route) per run, lazily, so a scenario with ten driving criteria on
 * one ego builds the actor list once and plans each route once.
 */
import type { World } from '../../sim/world.ts';
import { REQUIREMENTS, type RequirementId } from '../../seeds/requirements.ts';
import type { Car } from '../../vehicles/car/car.ts';
import type { RoadScene } from '../build.ts';
import type { CriterionSpec, DrivingCriterionSpec, RoutePointSpec, Scenario } from '../schema.ts';
import type { Criterion } from './criterion.ts';
import {
  Comfort,
  DRIVING_CRITERIA,
  DrivingCollisions,
  DrivingScore,
  footprintOf,
  LaneDeparture,
  MinTimeToCollision,
  MrmSuccess,
  OffRoad,
  RedLightViolations,
  RouteCompletion,
  routePolyline,
  Speeding,
  StopSignViolations,
  type ComfortBounds,
  type DrivingActor,
  type DrivingCategory,
  type DrivingContext,
} from './driving/index.ts';
import { MaxDuration } from './max-duration.ts';
import { MinClearance } from './min-clearance.ts';
import { NoCollision } from './no-collision.ts';
import { ReachGoal } from './reach-goal.ts';
import { CrossTrackError, PathEfficiency } from './path-quality.ts';
import { Energy } from './energy.ts';
import { MissionCompletion } from './mission-completion.ts';
import { FlightTime } from './flight-time.ts';
import { PositionHold } from './position-hold.ts';
import { Landing } from './landing.ts';
import { BatteryReserve } from './battery-reserve.ts';
import { MinSeparation } from './min-separation.ts';
import { GimbalDrift, GimbalJitter, GimbalPointing } from './gimbal.ts';
import { AirspaceAuthorisation, AirspaceIncursion, AirspaceMinMargin, AirspaceNoIncursion, AirspacePathExtra, airspaceJudged } from './airspace.ts';

export interface CriterionInfo {
  type: CriterionSpec['type'];
  description: string;
  /** The seeds/ entry its default threshold comes from, if it has a default. */
  requirement?: RequirementId;
  /** Several defaults, one seeds/ entry each (comfort's seven bounds). */
  requirements?: readonly RequirementId[];
}

/** The seeds/ entries of comfort's seven bounds (comfort.ts reads the same ids). */
const COMFORT_REQUIREMENTS = (Object.keys(REQUIREMENTS) as RequirementId[]).filter((id) => id.startsWith('miit-2a-comfort-'));

export const CRITERIA: readonly CriterionInfo[] = [
  { type: 'no-collision', description: 'no contact between the judged actors and anything but terrain', requirement: 'miit-2c-avoidance-collisions' },
  { type: 'reach-goal', description: 'an actor reaches a goal disc by a deadline (scenario sets region and time)' },
  { type: 'min-clearance', description: 'closest ground-truth distance from an actor to the others stays above a threshold', requirement: 'miit-2c-avoidance-clearance' },
  { type: 'max-duration', description: 'the run ends (its goals met) within a time limit (scenario sets the limit)' },
  { type: 'path-efficiency', description: 'travelled length over the straight-line distance to the goal, goal reached (scenario sets the ratio)' },
  { type: 'cross-track-error', description: 'largest distance from a reference route, with its RMS (scenario sets the limit)' },
  { type: 'energy', description: 'rotor shaft energy a UAV spends over the run, Wh (scenario sets the limit)' },
  { type: 'mission-completion', description: 'FlightBench success: a UAV ends the run within a radius of its goal with no collision; reports the final distance', requirement: 'miit-2c-mission-completion-radius' },
  { type: 'flight-time', description: 'time from the take-off to a goal or the touchdown (scenario may set a limit)' },
  { type: 'position-hold', description: 'ground-truth hold error about a setpoint over a window: RMS, p95, max, horizontal and vertical (scenario sets the bounds)' },
  { type: 'landing', description: 'touchdown within a pad radius, vertical speed below a bound, rotors stopped at the end', requirement: 'miit-2c-landing-touchdown-speed' },
  { type: 'battery-reserve', description: "a UAV battery's true state of charge stays above a reserve", requirement: 'miit-2c-battery-reserve' },
  { type: 'min-separation', description: 'closest ground-truth centre-to-centre distance between any two UAVs of a swarm stays above a threshold (default: their agents\' minSeparationM)', requirement: 'miit-2c-swarm-separation' },
  { type: 'gimbal-jitter', description: "angular vibration range of a UAV's camera gimbal: per axis, peak and RMS of the true attitude error high-passed at 1 Hz, after settling", requirement: 'miit-2c-gimbal-precision' },
  { type: 'gimbal-drift', description: 'low-frequency drift of the camera attitude: per axis, peak-to-peak of the error below 1 Hz, after settling', requirement: 'miit-2c-gimbal-drift' },
  { type: 'airspace-no-incursion', description: 'no incursion into an active zone of the judged classes (default PROHIBITED), ground truth, 3D', requirement: 'miit-2c-forced-zone-avoidance' },
  { type: 'airspace-incursion', description: 'total time inside and largest depth into active zones of the judged classes (scenario may set bounds)' },
  { type: 'airspace-min-margin', description: 'smallest horizontal margin to an active zone of the judged classes while in its vertical band (scenario sets the threshold)' },
  { type: 'airspace-authorisation', description: 'REQ_AUTHORISATION zones entered only by UAVs authorised for them' },
  { type: 'airspace-path-extra', description: 'flown path length over the straight (zone-free) route to the goal, m (scenario may set a bound)' },
  { type: 'gimbal-pointing', description: 'absolute pointing error: largest angle between the true optical axis and the commanded one (point-at: the true line of sight)', requirement: 'miit-2c-gimbal-pointing' },
  ...DRIVING_CRITERIA.map((d): CriterionInfo => ({
    ...d,
    type: d.type as DrivingCriterionSpec['type'],
    ...(d.type === 'comfort' ? { requirements: COMFORT_REQUIREMENTS } : {}),
  })),
];

/** What a criterion may be built against: the concrete scenario, its world and its road scene. */
export interface CriterionScene {
  scenario: Scenario;
  world: World;
  road: RoadScene | undefined;
}

/**
 * The judged car of a driving criterion: `ego` if given, else the only
 * agent-driven car (undefined when there is none or more than one; the
 * loader refuses both).
 */
export function drivingEgoId(spec: DrivingCriterionSpec, s: Scenario): string | undefined {
  if (spec.ego !== undefined) return spec.ego;
  const cars = s.actors.filter((a) => a.kind === 'car' && a.agent !== undefined);
  return cars.length === 1 ? cars[0]!.id : undefined;
}

/**
 * The route of a route criterion as lane-graph points: `route.from` if given,
 * else the ego's lane placement; `route.to`. Null `from` when neither exists
 * (the loader refuses that).
 */
export function routeEndpoints(spec: Extract<DrivingCriterionSpec, { route: unknown }>, s: Scenario, egoId: string | undefined): { from: RoutePointSpec | null; to: RoutePointSpec } {
  let from: RoutePointSpec | null = spec.route.from ?? null;
  if (!from) {
    const ego = s.actors.find((a) => a.id === egoId);
    if (ego?.kind === 'car' && ego.lane) from = { road: ego.lane.road, lane: ego.lane.lane, s: ego.lane.s };
  }
  return { from, to: spec.route.to };
}

/** Collision class of a world actor by its kind: cars and rovers are vehicles, pedestrians pedestrians, every other non-terrain actor static. */
export function drivingCategoryOfKind(kind: string): DrivingCategory {
  if (kind === 'car' || kind === 'car-kinematic' || kind === 'rover' || kind === 'uav') return 'vehicle';
  if (kind === 'pedestrian') return 'pedestrian';
  return 'static';
}

/** The driving contexts of one run, built on first use and shared by every criterion on the same ego and route. */
export class DrivingContexts {
  private readonly cache = new Map<string, DrivingContext>();

  constructor(private readonly scene: CriterionScene) {}

  get(spec: DrivingCriterionSpec): DrivingContext {
    const { scenario, world, road } = this.scene;
    const name = spec.name ?? spec.type;
    if (!road) throw new Error(`${name}: a driving criterion needs a road (world.road)`);
    const egoId = drivingEgoId(spec, scenario);
    if (egoId === undefined) throw new Error(`${name}: no ego (name one with ego:)`);
    const ends = 'route' in spec ? routeEndpoints(spec, scenario, egoId) : undefined;
    const key = JSON.stringify([egoId, ends ?? null]);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const base = this.cache.get(JSON.stringify([egoId, null])) ?? this.baseContext(egoId, road);
    let ctx = base;
    if (ends) {
      if (!ends.from) throw new Error(`${name}: the route has no start (route.from, or an ego placed by lane)`);
      const r = road.graph.route({ roadId: ends.from.road, laneId: ends.from.lane, s: ends.from.s }, { roadId: ends.to.road, laneId: ends.to.lane, s: ends.to.s });
      if (!r.found) throw new Error(`${name}: ${r.reason}`);
      ctx = { ...base, route: routePolyline(road.network, r.steps) };
    }
    this.cache.set(key, ctx);
    return ctx;
  }

  private baseContext(egoId: string, road: RoadScene): DrivingContext {
    const { world } = this.scene;
    const others: DrivingActor[] = [];
    for (const a of world.actors()) {
      const d = a.descriptor;
      if (d.isTerrain || a.id === egoId) continue;
      others.push({ id: a.id, category: drivingCategoryOfKind(a.kind), ...footprintOf(d) });
    }
    const ctx: DrivingContext = { network: road.network, egoId, egoFootprint: footprintOf(world.actor(egoId).descriptor), others };
    this.cache.set(JSON.stringify([egoId, null]), ctx);
    return ctx;
  }
}

/** Every criterion of a scenario, for one run: driving criteria share their contexts. */
export function buildCriteria(scene: CriterionScene): Criterion[] {
  const contexts = new DrivingContexts(scene);
  return scene.scenario.criteria.map((spec) => buildCriterion(spec, scene, contexts));
}

/**
 * One criterion from its spec. The non-driving criteria need nothing more;
 * the driving ones need the run's scene (world and road), and take their
 * context from `contexts` (one per run; a fresh one if not given).
 */
export function buildCriterion(spec: CriterionSpec, scene?: CriterionScene, contexts?: DrivingContexts): Criterion {
  const name = spec.name ?? spec.type;
  switch (spec.type) {
    case 'no-collision':
      return new NoCollision(name, spec.actor ? [spec.actor] : 'agents', spec.maxCollisions, spec.terminate);
    case 'reach-goal':
      return new ReachGoal(name, spec.actor, spec.region.center, spec.region.radiusM, spec.withinS, spec.endsRun);
    case 'min-clearance':
      return new MinClearance(name, spec.actor, spec.others, spec.thresholdM);
    case 'max-duration':
      return new MaxDuration(name, spec.thresholdS);
    case 'path-efficiency':
      return new PathEfficiency(name, spec.actor, spec.goal.center, spec.goal.radiusM, spec.maxRatio);
    case 'cross-track-error':
      return new CrossTrackError(name, spec.actor, spec.route, spec.maxM);
    case 'energy':
      return new Energy(name, spec.actor, spec.maxWh);
    case 'mission-completion':
      return new MissionCompletion(name, spec.actor, spec.goal, spec.radiusM);
    case 'flight-time':
      return new FlightTime(name, spec.actor, spec.until === 'landing' ? 'landing' : { goal: spec.until.goal, radiusM: spec.until.radiusM }, spec.maxS);
    case 'position-hold':
      return new PositionHold(name, spec.actor, spec.setpoint, spec.fromS, spec.toS, spec.horizontal, spec.vertical);
    case 'landing':
      return new Landing(name, spec.actor, spec.pad, spec.maxTouchdownSpeedMps, spec.requireDisarmed);
    case 'battery-reserve':
      return new BatteryReserve(name, spec.actor, spec.minStateOfCharge);
    case 'gimbal-jitter':
      return new GimbalJitter(name, spec.actor, spec.settleS, spec.thresholdDeg, spec.cutoffHz);
    case 'gimbal-drift':
      return new GimbalDrift(name, spec.actor, spec.settleS, spec.thresholdDeg, spec.cutoffHz);
    case 'gimbal-pointing':
      return new GimbalPointing(name, spec.actor, spec.settleS, spec.thresholdDeg);
    case 'airspace-path-extra':
      return new AirspacePathExtra(name, spec.actor, spec.goal, spec.maxExtraM);
    case 'airspace-no-incursion':
    case 'airspace-incursion':
    case 'airspace-min-margin':
    case 'airspace-authorisation': {
      if (!scene) throw new Error(`${name}: ${spec.type} is built against a run's scene (its scenario's UAVs)`);
      const uavs = airspaceJudged(spec.actor, scene.scenario);
      if (spec.type === 'airspace-no-incursion') return new AirspaceNoIncursion(name, spec.actor, uavs, spec.classes, spec.maxIncursions, spec.terminate);
      if (spec.type === 'airspace-incursion') return new AirspaceIncursion(name, spec.actor, uavs, spec.classes, spec.maxTotalS, spec.maxDepthM);
      if (spec.type === 'airspace-min-margin') return new AirspaceMinMargin(name, spec.actor, uavs, spec.classes, spec.thresholdM);
      return new AirspaceAuthorisation(name, spec.actor, uavs);
    }
    case 'min-separation': {
      if (!scene) throw new Error(`${name}: min-separation is built against a run's scene (its scenario's UAVs)`);
      const { actorIds, thresholdM, source } = minSeparationTarget(spec, scene.scenario);
      return new MinSeparation(name, actorIds, thresholdM, source);
    }
  }
  if (!scene) throw new Error(`${name}: a driving criterion is built against a run's scene (world and road)`);
  const ctx = (contexts ?? new DrivingContexts(scene)).get(spec);
  switch (spec.type) {
    case 'driving-collisions':
      return new DrivingCollisions(name, ctx, { ...(spec.categories ? { categories: spec.categories } : {}), ...opt('maxCollisions', spec.maxCollisions), terminate: spec.terminate });
    case 'red-light':
      return new RedLightViolations(name, ctx, spec.maxViolations);
    case 'stop-sign':
      return new StopSignViolations(name, ctx, spec.maxViolations);
    case 'lane-departure':
      return new LaneDeparture(name, ctx, spec.maxDepartures);
    case 'off-road':
      return new OffRoad(name, ctx, spec.maxEpisodes);
    case 'speeding':
      return new Speeding(name, ctx, spec.toleranceMps);
    case 'route-completion':
      return new RouteCompletion(name, ctx, { ...opt('minPercent', spec.minPercent), endsRun: spec.endsRun });
    case 'min-ttc':
      return new MinTimeToCollision(name, ctx, { ...opt('minTtcS', spec.minTtcS), ...(spec.categories ? { categories: spec.categories } : {}), ...opt('horizonS', spec.horizonS) });
    case 'comfort': {
      const given: Partial<ComfortBounds> = {};
      for (const [k, v] of Object.entries(spec.bounds) as [keyof ComfortBounds, number | undefined][]) if (v !== undefined) given[k] = v;
      return new Comfort(name, ctx, given);
    }
    case 'mrm-success': {
      const car = scene.world.actor(ctx.egoId) as Partial<Car>;
      if (typeof car.hazardLights !== 'boolean') throw new Error(`${name}: the ego '${ctx.egoId}' has no hazard lights (mrm-success needs a car with model: dynamic)`);
      const t = spec.trigger;
      return new MrmSuccess(name, ctx, {
        withinS: spec.withinS,
        hazardLights: () => (car as Car).hazardLights,
        trigger: t.kind === 'timeline' ? { kind: 'timeline', event: t.event } : t.kind === 'time' ? { kind: 'time', atS: t.atS } : { kind: 'fault' },
        terminate: spec.terminate,
      });
    }
    case 'driving-score':
      return new DrivingScore(name, ctx, spec.minScore);
  }
}

/** `{ [k]: v }` when v is defined, else `{}` (exactOptionalPropertyTypes-safe). */
function opt<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}

/**
 * The UAVs a min-separation criterion judges (its `actors`, else every
 * agent-driven UAV) and its threshold: `thresholdM` if given, else the
 * smallest `minSeparationM` among the judged actors' agent params (the
 * separation the scenario configured its swarm for), else undefined (the
 * seeds/ default).
 */
export function minSeparationTarget(spec: Extract<CriterionSpec, { type: 'min-separation' }>, s: Scenario): { actorIds: string[]; thresholdM: number | undefined; source?: string } {
  const actorIds = spec.actors ?? s.actors.filter((a) => a.kind === 'uav' && a.agent !== undefined).map((a) => a.id);
  if (spec.thresholdM !== undefined) return { actorIds, thresholdM: spec.thresholdM };
  let min = Infinity;
  for (const a of s.actors) {
    if (a.kind !== 'uav' || !actorIds.includes(a.id) || a.agent === undefined || typeof a.agent === 'string') continue;
    const v = a.agent.params?.minSeparationM;
    if (typeof v === 'number' && v < min) min = v;
  }
  return Number.isFinite(min) ? { actorIds, thresholdM: min, source: 'scenario: the agents\' minSeparationM' } : { actorIds, thresholdM: undefined };
}
