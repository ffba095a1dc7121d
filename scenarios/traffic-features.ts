/**
 * Loader checks and world building for the traffic and road-feature parts of
 * the scenario format (schema-traffic.ts): pedestrians and road works. Kept
 * out of loader.ts and build.ts, which call in here, so that parallel changes
 * to those files stay apart.
 */
import type { PhysicsBackend } from '../sim/physics/backend.ts';
import { Prop } from '../sim/actors/prop.ts';
import { quatFromYaw } from '../sim/math.ts';
import type { ActorState } from '../sim/snapshot.ts';
import type { World } from '../sim/world.ts';
import { BMW_320I } from '../vehicles/car/params.ts';
import { Pedestrian, PEDESTRIAN_TARGETS, type PedestrianTrigger } from '../vehicles/pedestrian/pedestrian.ts';
import {
  BARRIER_DEPTH_M, BARRIER_HEIGHT_M, CONE_BASE_DIAMETER_M, CONE_HEIGHT_M,
  laneClosure, laneClosureCones, roadClosure, roadClosureBarrier, type ClosureDescriptor,
} from '../vehicles/road/closure.ts';
import { newRoadPose } from '../vehicles/road/geometry.ts';
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import type { LaneIndex } from '../vehicles/traffic/lane-index.ts';
import type { ActorSpec, PedestrianSpec, Scenario } from './schema.ts';
import type { RoadWorkSpec } from './schema-traffic.ts';

/** Throws the loader's error for a field path (the loader passes its `ScenarioError` factory). */
export type Fail = (fieldPath: string, expected: string) => Error;

const _p = newRoadPose();
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Kerb-to-kerb margin: the walk starts and ends this far inside the crosswalk's lateral ends, m. */
const CROSSWALK_END_INSET_M = 0.5;

/**
 * The path a pedestrian walks: its `path`, or across its crosswalk along the
 * crosswalk's middle (road s halfway between sStart and sEnd), from the kerb
 * named by `from` to the other one.
 */
export function pedestrianPath(a: PedestrianSpec, network: RoadNetwork | undefined): [number, number][] {
  if (a.path) return a.path.map(([x, y]) => [x, y]);
  const cw = network!.crosswalks.find((c) => c.id === a.crosswalk!.id)!;
  const road = network!.road(cw.roadId);
  const s = (cw.sStart + cw.sEnd) / 2;
  const lo = cw.tMin + CROSSWALK_END_INSET_M, hi = cw.tMax - CROSSWALK_END_INSET_M;
  const [t0, t1] = a.crosswalk!.from === 'right' ? [lo, hi] : [hi, lo];
  const pts: [number, number][] = [];
  for (const t of [t0, t1]) {
    road.referenceLine.toWorld(s, t, _p);
    pts.push([_p.x, _p.y]);
  }
  return pts;
}

/** Front offset of an actor kind from its centre, m: a car's front bumper; other actors their centre. */
export function frontOffsetOf(a: ActorSpec | undefined): number {
  return a?.kind === 'car' ? BMW_320I.bodyLengthM / 2 : 0;
}

/**
 * A pedestrian's references and geometry: exactly one of path and crosswalk,
 * a crosswalk of the network, a trigger actor that exists, a start time in
 * the run, every point on the ground. Returns its path.
 */
export function checkPedestrian(
  a: PedestrianSpec, i: number, s: Scenario, ids: ReadonlyMap<string, number>, network: RoadNetwork | undefined,
  onGround: (x: number, y: number) => boolean, fail: Fail,
): [number, number][] {
  const at = `actors[${i}]`;
  if (a.path && a.crosswalk) throw fail(`${at}.crosswalk`, 'give either path or crosswalk, not both');
  if (!a.path && !a.crosswalk) throw fail(at, 'missing motion; expected path [[x, y], ...] or crosswalk { id, from }');
  if (a.crosswalk) {
    if (!network) throw fail(`${at}.crosswalk`, 'a crosswalk needs a road network (world.road)');
    const known = network.crosswalks.map((c) => c.id);
    if (!known.includes(a.crosswalk.id)) {
      throw fail(`${at}.crosswalk.id`, `no crosswalk "${a.crosswalk.id}" in the road network; expected ${known.length ? `one of ${known.slice(0, 12).map((x) => `"${x}"`).join(', ')}` : 'none (this road has no crosswalks)'}`);
    }
  }
  const path = pedestrianPath(a, network);
  path.forEach(([x, y], k) => {
    if (!onGround(x, y)) throw fail(a.path ? `${at}.path[${k}]` : `${at}.crosswalk`, `[${round3(x)}, ${round3(y)}] is off the ground`);
  });
  let length = 0;
  for (let k = 1; k < path.length; k++) length += Math.hypot(path[k]![0] - path[k - 1]![0], path[k]![1] - path[k - 1]![1]);
  if (!(length > 0)) throw fail(`${at}.path`, 'the path has zero length: every point is the same');
  const st = a.start;
  if ('atS' in st) {
    if (st.atS >= s.duration) throw fail(`${at}.start.atS`, `${st.atS} s is not before the end of the run (duration ${s.duration} s), so it would never start`);
  } else {
    const j = ids.get(st.actor);
    if (j === undefined || j < 0) throw fail(`${at}.start.actor`, `no actor with id "${st.actor}"; expected one of ${s.actors.filter((x) => x.id !== a.id).slice(0, 12).map((x) => `"${x.id}"`).join(', ')}`);
    if (st.actor === a.id) throw fail(`${at}.start.actor`, `"${st.actor}" is this pedestrian itself`);
  }
  return path;
}

/**
 * Road works checked against the network; returns their descriptors. Each
 * id defaults to "<type>-<index>".
 */
export function checkRoadWorks(works: readonly RoadWorkSpec[], network: RoadNetwork | undefined, takenIds: ReadonlyMap<string, number>, fail: Fail): ClosureDescriptor[] {
  if (works.length > 0 && !network) throw fail('world.roadWorks', 'road works are placed on world.road, and the scenario has none');
  const out: ClosureDescriptor[] = [];
  const seen = new Set<string>();
  works.forEach((w, i) => {
    const at = `world.roadWorks[${i}]`;
    const id = w.id ?? `${w.type}-${i}`;
    if (seen.has(id)) throw fail(`${at}.id`, `duplicate road-works id "${id}"`);
    if (takenIds.has(id)) throw fail(`${at}.id`, `"${id}" is already an actor id`);
    seen.add(id);
    if (!network!.hasRoad(w.road)) {
      throw fail(`${at}.road`, `no road "${w.road}" in the network; expected one of ${network!.roads.filter((r) => r.junction === undefined).slice(0, 12).map((r) => `"${r.id}"`).join(', ')}`);
    }
    const road = network!.road(w.road);
    if (w.type === 'road-closure') {
      if (w.s > road.lengthM) throw fail(`${at}.s`, `${w.s} m is off road "${w.road}", which is ${round3(road.lengthM)} m long`);
      out.push(roadClosure(network!, { id, roadId: w.road, s: w.s }));
      return;
    }
    if (!(w.fromS < w.toS)) throw fail(`${at}.toS`, `must be above fromS (${w.fromS}), got ${w.toS}`);
    if (w.toS > road.lengthM) throw fail(`${at}.toS`, `${w.toS} m is off road "${w.road}", which is ${round3(road.lengthM)} m long`);
    for (const sAt of [w.fromS, w.toS]) {
      const sec = road.sections[road.sectionIndexAt(sAt)]!;
      const lane = sec.lane(w.lane);
      if (!lane || !lane.drivable) {
        const ok = sec.lanes().filter((l) => l.id !== 0 && l.drivable).map((l) => l.id).sort((p, q) => p - q);
        throw fail(`${at}.lane`, `road "${w.road}" has no ${lane ? `drivable lane ${w.lane} (it is a ${lane.type} lane)` : `lane ${w.lane}`} at s=${sAt}; expected one of ${ok.join(', ')}`);
      }
    }
    try {
      out.push(laneClosure(network!, { id, roadId: w.road, laneId: w.lane, fromS: w.fromS, toS: w.toS, ...(w.taperLengthM !== undefined ? { taperLengthM: w.taperLengthM } : {}) }));
    } catch (err) {
      throw fail(w.taperLengthM !== undefined ? `${at}.taperLengthM` : at, err instanceof Error ? err.message : String(err));
    }
  });
  return out;
}

/** A standing ground-truth state for a virtual lane-index participant (a closure). */
function standingState(id: string, x: number, y: number, yawRad: number): ActorState {
  return { id, kind: 'closure', position: [x, y, 0], rotation: quatFromYaw(yawRad), linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
}

/**
 * Put road works into the world: cones and barriers as static props (kinds
 * `cone` and `barrier`: sensors see them, the driving criteria count them as
 * static), and each closed stretch into the lane index as a standing
 * participant, so that NPC drivers brake for it (IDM) and change lanes away
 * from it (MOBIL): a lane closure spans its closed lane from the taper start
 * to its end; a road closure stands in every drivable lane at the barrier.
 */
export function addRoadWorks(world: World, physics: PhysicsBackend, network: RoadNetwork, lanes: LaneIndex, closures: readonly ClosureDescriptor[], specs: readonly RoadWorkSpec[]): void {
  closures.forEach((c, i) => {
    const road = network.road(c.roadId);
    if (c.kind === 'lane') {
      const spec = specs[i] as Extract<RoadWorkSpec, { type: 'lane-closure' }>;
      laneClosureCones(network, c, spec.coneSpacingM).forEach((p, k) => {
        world.addActor(new Prop(physics, {
          id: `${c.id}-cone-${k}`, kind: 'cone',
          shape: { type: 'cylinder', radius: CONE_BASE_DIAMETER_M / 2, halfHeight: CONE_HEIGHT_M / 2 },
          pose: { position: [p.x, p.y, CONE_HEIGHT_M / 2], rotation: quatFromYaw(p.yawRad) },
          color: '#ff7f11',
        }));
      });
      // The taper starts at the upstream end, so the closed stretch is [sStart, sEnd] in either direction.
      const mid = (c.sStart + c.sEnd) / 2;
      const si = road.sectionIndexAt(mid);
      road.laneCenterAt(si, c.laneId, mid, _p);
      const sec = road.sections[si]!;
      const w = sec.lane(c.laneId)!.widthAt(mid - sec.s);
      lanes.track({ id: `${c.id}:closed`, state: standingState(`${c.id}:closed`, _p.x, _p.y, _p.headingRad), lengthM: c.sEnd - c.sStart, widthM: 0.5 * w });
      return;
    }
    const b = roadClosureBarrier(network, c);
    world.addActor(new Prop(physics, {
      id: c.id, kind: 'barrier',
      shape: { type: 'box', halfExtents: [BARRIER_DEPTH_M / 2, b.widthM / 2, BARRIER_HEIGHT_M / 2] },
      pose: { position: [b.x, b.y, BARRIER_HEIGHT_M / 2], rotation: quatFromYaw(b.yawRad) },
      color: '#d62728',
    }));
    const si = road.sectionIndexAt(c.s);
    const sec = road.sections[si]!;
    for (const l of sec.lanes()) {
      if (l.id === 0 || !l.drivable) continue;
      road.laneCenterAt(si, l.id, c.s, _p);
      lanes.track({ id: `${c.id}:lane${l.id}`, state: standingState(`${c.id}:lane${l.id}`, _p.x, _p.y, _p.headingRad), lengthM: BARRIER_DEPTH_M, widthM: 0.5 * l.widthAt(c.s - sec.s) });
    }
  });
}

/**
 * A pedestrian for the world, tracked in the lane index (when there is a
 * road) so that NPC drivers treat one on their lane as a leader: IDM brakes
 * for it as for any slower vehicle ahead, to a standstill if it stands or
 * crosses.
 */
export function addPedestrian(world: World, physics: PhysicsBackend, a: PedestrianSpec, s: Scenario, network: RoadNetwork | undefined, lanes: LaneIndex | undefined): Pedestrian {
  const path = pedestrianPath(a, network);
  const st = a.start;
  const start: PedestrianTrigger = 'atS' in st
    ? { kind: 'time', atS: st.atS }
    : { kind: 'proximity', actorId: st.actor, distanceM: st.distanceM, frontOffsetM: frontOffsetOf(s.actors.find((x) => x.id === st.actor)) };
  const ped = new Pedestrian(physics, { id: a.id, path, speedMps: a.speedMps, start, atEnd: a.atEnd, target: a.target, ...(a.color ? { color: a.color } : {}) }, world, {
    started: (t) => world.emit({ type: 'timeline', time: t, event: `walk ${a.id}`, detail: 'pedestrian started walking' }),
    finished: (t) => {
      if (a.atEnd === 'remove') world.schedule(t + world.dt, `remove ${a.id}`, (w) => w.removeActor(a.id));
    },
  });
  world.addActor(ped);
  lanes?.track({ id: a.id, state: world.stateOf(a.id), lengthM: PEDESTRIAN_TARGETS[a.target].diameterM, widthM: PEDESTRIAN_TARGETS[a.target].diameterM });
  return ped;
}

/** The lanes of the roads an NPC driver prefers at branches (`driver.via`), as lane-graph references. */
export function viaLanes(via: readonly string[] | undefined, network: RoadNetwork): { roadId: string; sectionIndex: number; laneId: number }[] {
  const out: { roadId: string; sectionIndex: number; laneId: number }[] = [];
  for (const id of via ?? []) {
    const road = network.road(id);
    road.sections.forEach((sec, si) => {
      for (const l of sec.lanes()) if (l.id !== 0 && l.drivable) out.push({ roadId: id, sectionIndex: si, laneId: l.id });
    });
  }
  return out;
}

/** `driver.via` names roads of the network. */
export function checkVia(via: readonly string[] | undefined, at: string, network: RoadNetwork | undefined, fail: Fail): void {
  via?.forEach((id, k) => {
    if (network && !network.hasRoad(id)) {
      const near = network.roads.map((r) => r.id).filter((r) => r.startsWith(id.split('/')[0] ?? '')).slice(0, 12);
      throw fail(`${at}.driver.via[${k}]`, `no road "${id}" in the network; expected a road id such as ${near.map((x) => `"${x}"`).join(', ')}`);
    }
  });
}
