/**
 * NPC drivers in a World on a built highway: kinematic-bicycle cars driven by
 * IDM + MOBIL + pure pursuit, and the scripted test behaviours. Collisions are
 * judged twice: the physics contact events and a pairwise footprint check on
 * ground truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { yawOf } from '../../../sim/math.ts';
import type { BackendId } from '../../../sim/physics/backend.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { World } from '../../../sim/world.ts';
import { KinematicBicycle } from '../../../vehicles/car/kinematic-bicycle.ts';
import { BMW_320I } from '../../../vehicles/car/params.ts';
import { buildHighway, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { newRoadPose } from '../../../vehicles/road/geometry.ts';
import { LaneGraph } from '../../../vehicles/road/lane-graph.ts';
import { newLanePosition } from '../../../vehicles/road/road.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { IDM_HIGHWAY, idmEquilibriumGap, type IdmParams } from '../../../vehicles/traffic/idm.ts';
import { LaneIndex } from '../../../vehicles/traffic/lane-index.ts';
import {
  constantSpeed, cutIn, cutOut, leadBrake, NpcDriver, type NpcBehaviour, type NpcDriverParams,
} from '../../../vehicles/traffic/npc-driver.ts';

const DT = 0.01;
const LEN = BMW_320I.bodyLengthM, WID = BMW_320I.bodyWidthM;
const worlds: World[] = [];
afterEach(() => {
  while (worlds.length) worlds.pop()!.dispose();
});

interface Npc {
  id: string;
  car: KinematicBicycle;
  driver: NpcDriver;
  state: ActorState;
}

async function highway(backend: BackendId, lanesPerDirection: number, lengthM = 3000, speedLimitMps?: number) {
  const physics = await createBackend(backend);
  const world = new World({ physics, dt: DT, seed: 1 });
  worlds.push(world);
  const network = new RoadNetwork(buildHighway({ lanesPerDirection, lengthM, ...(speedLimitMps ? { speedLimitMps } : {}) }));
  const graph = new LaneGraph(network);
  const index = new LaneIndex(graph);
  const road = network.road('highway');
  const pose = newRoadPose();
  const npcs: Npc[] = [];
  const contacts: string[] = [];
  world.events$.subscribe((e) => {
    if (e.type === 'collision' && e.started) contacts.push(`${e.a}/${e.b} at ${e.time.toFixed(2)} s`);
  });

  function add(id: string, laneId: number, s: number, speedMps: number, o: { params?: Partial<NpcDriverParams>; behaviour?: NpcBehaviour; offsetM?: number } = {}): Npc {
    road.laneCenterAt(0, laneId, s, pose);
    const dt = o.offsetM ?? 0;
    const car = new KinematicBicycle(physics, id, {
      x: pose.x - dt * Math.sin(pose.headingRad), y: pose.y + dt * Math.cos(pose.headingRad), yawRad: pose.headingRad, speedMps,
    });
    const driver = new NpcDriver({ index, car, truth: world, ...(o.params ? { params: o.params } : {}), ...(o.behaviour ? { behaviour: o.behaviour } : {}) });
    world.addActor(car, { agent: driver });
    const npc = { id, car, driver, state: world.stateOf(id) };
    npcs.push(npc);
    return npc;
  }

  const lp = newLanePosition();
  /** Lane id and lateral distance from that lane's centre line of a car now. */
  function lanePos(n: Npc): { laneId: number | undefined; s: number; offsetM: number } {
    road.locate(n.state.position[0], n.state.position[1], lp);
    const laneId = lp.laneId;
    const offsetM = laneId === undefined ? NaN : lp.t - road.laneCenterT(lp.sectionIndex, laneId, lp.s);
    return { laneId, s: lp.s, offsetM };
  }

  /** Smallest bumper-to-bumper or side-to-side clearance between any two cars, by their rectangles (separating axes). */
  function minClearance(): number {
    let worst = Infinity;
    for (let i = 0; i < npcs.length; i++) {
      for (let j = i + 1; j < npcs.length; j++) worst = Math.min(worst, rectClearance(npcs[i]!.state, npcs[j]!.state));
    }
    return worst;
  }

  function run(seconds: number, each?: () => void): void {
    const n = Math.round(seconds / DT);
    for (let k = 0; k < n; k++) {
      world.step();
      each?.();
    }
  }

  return { world, network, graph, index, road, add, npcs, contacts, lanePos, minClearance, run };
}

/**
 * Separation of two car footprints (LEN x WID rectangles at their poses), m:
 * the largest gap along any of the four edge normals; negative when they overlap.
 */
function rectClearance(a: ActorState, b: ActorState): number {
  const ya = yawOf(a.rotation), yb = yawOf(b.rotation);
  const dx = b.position[0] - a.position[0], dy = b.position[1] - a.position[1];
  let best = -Infinity;
  for (const [ax, ay] of [[Math.cos(ya), Math.sin(ya)], [-Math.sin(ya), Math.cos(ya)], [Math.cos(yb), Math.sin(yb)], [-Math.sin(yb), Math.cos(yb)]] as const) {
    const ra = extent(ya, ax, ay), rb = extent(yb, ax, ay);
    best = Math.max(best, Math.abs(dx * ax + dy * ay) - ra - rb);
  }
  return best;
}

function extent(yaw: number, ax: number, ay: number): number {
  const c = Math.cos(yaw), s = Math.sin(yaw);
  return (LEN / 2) * Math.abs(c * ax + s * ay) + (WID / 2) * Math.abs(-s * ax + c * ay);
}

const idm = (v0: number): IdmParams => ({ ...IDM_HIGHWAY, desiredSpeedMps: v0 });

describe.each(['rapier', 'cannon'] as const)('NpcDriver on %s', (backend) => {
  it('alone on an empty road: accelerates to the speed limit and stays centred in its lane', async () => {
    // 100 km/h limit under a 120 km/h desired speed: the limit must cap v0.
    const limit = 100 / 3.6;
    const h = await highway(backend, 3, 3000, limit);
    // Start 0.8 m off-centre at 10 m/s: the driver has to bring it back.
    const npc = h.add('npc', -2, 50, 10, { params: { idm: idm(120 / 3.6) }, offsetM: 0.8 });
    expect(h.lanePos(npc).offsetM).toBeCloseTo(0.8, 6);
    let worstOffsetAfterSettling = 0;
    let maxSpeed = 0;
    h.run(60, () => {
      maxSpeed = Math.max(maxSpeed, npc.driver.speedMps);
      if (h.world.time >= 10) worstOffsetAfterSettling = Math.max(worstOffsetAfterSettling, Math.abs(h.lanePos(npc).offsetM));
    });
    const p = h.lanePos(npc);
    expect(p.laneId).toBe(-2);
    // IDM approaches v0 asymptotically: a (1 - (v/v0)^4) leaves ~1 % below v0 after 60 s with a = 1 m/s^2.
    expect(npc.car.state.speedMps).toBeGreaterThan(0.98 * limit);
    expect(maxSpeed).toBeLessThanOrEqual(limit + 1e-6);
    expect(worstOffsetAfterSettling).toBeLessThan(0.2);
    expect(Math.abs(p.offsetM)).toBeLessThan(0.05);
    expect(h.contacts).toEqual([]);
  });
});

describe('NpcDriver traffic (rapier)', () => {
  it('a platoon of 10 with different desired speeds runs 60 s without a collision and settles at IDM equilibrium gaps', async () => {
    const h = await highway('rapier', 1);
    // The leader wants 20 m/s and starts at it (IDM free acceleration 0: it
    // holds 20 m/s); the nine behind want 24..32 m/s and start 30 m apart
    // (centre to centre), closer or farther than their equilibrium gaps
    // s_e(20 m/s) = 23-31 m, so every one of them has to adjust.
    const n = 10;
    const cars: Npc[] = [];
    const v0 = (k: number) => (k === 0 ? 20 : 23 + k);
    for (let k = 0; k < n; k++) cars.push(h.add(`npc-${k}`, -1, 500 - 30 * k, 20, { params: { idm: idm(v0(k)) } }));
    let minClear = Infinity;
    let minGap = Infinity;
    h.run(60, () => {
      minClear = Math.min(minClear, h.minClearance());
      for (let k = 1; k < n; k++) minGap = Math.min(minGap, cars[k - 1]!.car.state.rearX - cars[k]!.car.state.rearX - LEN);
    });
    expect(h.contacts).toEqual([]);
    expect(minClear).toBeGreaterThan(0);
    // Never closer than the IDM standstill gap s0 = 2 m (they never stop here).
    expect(minGap).toBeGreaterThan(IDM_HIGHWAY.minGapM);
    const vLead = cars[0]!.car.state.speedMps;
    expect(vLead).toBeCloseTo(20, 6);
    for (let k = 1; k < n; k++) {
      const v = cars[k]!.car.state.speedMps;
      const gap = cars[k - 1]!.car.state.rearX - cars[k]!.car.state.rearX - LEN;
      const expected = idmEquilibriumGap(v, idm(v0(k)));
      // Settled: same speed as the leader, gap within 5 % of s_e(v) for its own parameters.
      expect(Math.abs(v - vLead), `car ${k} speed`).toBeLessThan(0.2);
      expect(Math.abs(gap / expected - 1), `car ${k} gap ${gap.toFixed(2)} vs s_e ${expected.toFixed(2)}`).toBeLessThan(0.05);
    }
  });

  it('a faster car stuck behind a slow one changes into the free lane to its left (MOBIL) and ends centred there', async () => {
    const h = await highway('rapier', 2);
    // Lane -2 is the outer (right) lane; lane -1, the driver's left, is empty.
    h.add('slow', -2, 150, 18, { behaviour: constantSpeed({ speedMps: 18 }) });
    const fast = h.add('fast', -2, 100, 28, { params: { idm: idm(30) } });
    let changedAt = NaN;
    let minClear = Infinity;
    h.run(30, () => {
      minClear = Math.min(minClear, h.minClearance());
      if (Number.isNaN(changedAt) && fast.driver.isChangingLane) changedAt = h.world.time;
    });
    expect(changedAt).toBeLessThan(5);
    const p = h.lanePos(fast);
    expect(p.laneId).toBe(-1);
    expect(Math.abs(p.offsetM)).toBeLessThan(0.2);
    // It has passed the slow car and runs near its own desired speed.
    expect(p.s).toBeGreaterThan(h.lanePos(h.npcs[0]!).s + 50);
    expect(fast.car.state.speedMps).toBeGreaterThan(28);
    expect(minClear).toBeGreaterThan(0.5);
    expect(h.contacts).toEqual([]);
  });

  it('does not change lanes when the adjacent lane is blocked beside it (MOBIL safety)', async () => {
    const h = await highway('rapier', 2);
    h.add('slow', -2, 150, 18, { behaviour: constantSpeed({ speedMps: 18 }) });
    const fast = h.add('fast', -2, 110, 18, { params: { idm: idm(30) } });
    // A car level with 'fast' in the left lane, at the same speed: a change would land on it.
    h.add('beside', -1, 110, 18, { behaviour: constantSpeed({ speedMps: 18 }) });
    let everChanged = false;
    h.run(10, () => {
      everChanged ||= fast.driver.isChangingLane;
    });
    expect(everChanged).toBe(false);
    expect(h.lanePos(fast).laneId).toBe(-2);
    expect(h.contacts).toEqual([]);
  });

  it('leadBrake decelerates at the commanded rate from its trigger time, and an IDM follower stops behind it', async () => {
    const h = await highway('rapier', 1);
    const decel = 6;
    const lead = h.add('lead', -1, 200, 25, { behaviour: leadBrake({ triggerTimeS: 3, decelMps2: decel }), params: { idm: idm(25) } });
    const follower = h.add('follower', -1, 200 - 35, 25, { params: { idm: idm(25) } });
    const samples: [number, number][] = [];
    let minClear = Infinity;
    // The IDM follower eases into its stop (it reaches 0 at ~12.2 s, 1.8 m behind).
    h.run(14, () => {
      samples.push([h.world.time, Math.hypot(lead.state.linearVelocity[0], lead.state.linearVelocity[1])]);
      minClear = Math.min(minClear, h.minClearance());
    });
    // Fit the slope of the body's speed over the braking phase (25 m/s to 0 in 4.17 s).
    const braking = samples.filter(([t]) => t > 3.1 && t < 3 + 25 / decel - 0.1);
    const n = braking.length;
    const mt = braking.reduce((a, [t]) => a + t, 0) / n, mv = braking.reduce((a, [, v]) => a + v, 0) / n;
    const slope = braking.reduce((a, [t, v]) => a + (t - mt) * (v - mv), 0) / braking.reduce((a, [t]) => a + (t - mt) ** 2, 0);
    expect(Math.abs(-slope - decel)).toBeLessThan(0.05);
    // Still full speed just before the trigger (it drove at its 25 m/s desired speed).
    expect(Math.abs(samples.find(([t]) => t >= 2.95)![1] - 25)).toBeLessThan(0.01);
    expect(lead.car.state.speedMps).toBe(0);
    expect(follower.car.state.speedMps).toBe(0);
    expect(minClear).toBeGreaterThan(1.5);
    expect(h.contacts).toEqual([]);
  });

  it('leadBrake can trigger on the gap to a car behind', async () => {
    const h = await highway('rapier', 1);
    const behaviour = leadBrake({ triggerGapM: 15, targetActor: 'chaser', decelMps2: 4 });
    h.add('lead', -1, 200, 20, { behaviour, params: { idm: idm(20) } });
    // The chaser holds 24 m/s from 40 m gap: it closes at 4 m/s, 25 m in ~6 s.
    h.add('chaser', -1, 200 - 40 - LEN, 24, { behaviour: constantSpeed({ speedMps: 24 }) });
    let gapAtTrigger = NaN;
    h.run(8, () => {
      if (behaviour.triggeredAtS !== undefined && Number.isNaN(gapAtTrigger)) {
        gapAtTrigger = h.npcs[0]!.car.state.rearX - h.npcs[1]!.car.state.rearX - LEN;
      }
    });
    expect(behaviour.triggeredAtS).toBeGreaterThan(5);
    // Decided at 20 Hz on a 4 m/s closing speed: within 0.2 m (plus one physics step) of 15 m.
    expect(Math.abs(gapAtTrigger - 15)).toBeLessThan(0.3);
  });

  it('cutIn ends with the cutter in the target lane, ahead of the target, at a gap near gapM', async () => {
    const h = await highway('rapier', 2);
    const gapM = 12, lateralSpeedMps = 1.0;
    const target = h.add('target', -1, 300, 25, { behaviour: constantSpeed({ speedMps: 25 }) });
    const behaviour = cutIn({ targetActor: 'target', gapM, lateralSpeedMps });
    // The cutter starts 20 m behind in the right lane and overtakes at 28 m/s.
    const cutter = h.add('cutter', -2, 280, 28, { behaviour, params: { idm: idm(28) } });
    const lateral: [number, number][] = [];
    let minClear = Infinity;
    h.run(20, () => {
      lateral.push([h.world.time, cutter.state.position[1]]);
      minClear = Math.min(minClear, h.minClearance());
    });
    expect(behaviour.triggeredAtS).toBeDefined();
    const p = h.lanePos(cutter);
    expect(p.laneId).toBe(-1);
    expect(Math.abs(p.offsetM)).toBeLessThan(0.2);
    const gap = cutter.car.state.rearX - target.car.state.rearX - LEN;
    // The cutter matches the target's speed from the trigger (0.5 s time
    // constant from 28 to 25 m/s adds (28 - 25) x 0.5 = 1.5 m): near gapM.
    expect(gap).toBeGreaterThan(gapM - 0.5);
    expect(gap).toBeLessThan(gapM + 2.5);
    expect(Math.abs(cutter.car.state.speedMps - 25)).toBeLessThan(0.1);
    // Lateral speed over the middle half of the lateral travel (the road runs
    // along +x, so lateral is y): from 25 % to 75 % of the way across. The
    // pursuit lags the commanded ramp (~1 s) but keeps its slope.
    const y0 = lateral[0]![1], y1 = y0 + HIGHWAY_LANE_WIDTH_M;
    const cross = (f: number) => lateral.find(([, yy]) => yy >= y0 + f * (y1 - y0))![0];
    const vy = (0.5 * (y1 - y0)) / (cross(0.75) - cross(0.25));
    expect(Math.abs(vy - lateralSpeedMps)).toBeLessThan(0.1 * lateralSpeedMps);
    expect(minClear).toBeGreaterThan(0);
    expect(h.contacts).toEqual([]);
  });

  it('cutOut leaves the lane in time and reveals a stopped car, which the IDM follower stops for', async () => {
    const h = await highway('rapier', 2);
    h.add('stopped', -2, 400, 0, { behaviour: constantSpeed({ speedMps: 0 }) });
    // 60 m at 22 m/s is 2.7 s before reaching the stopped car: the cutter's
    // side clears it after about 1 s of pursuit lag plus 45 % of the 2.5 s change.
    const behaviour = cutOut({ triggerGapM: 60, lateralSpeedMps: 1.5 });
    const lead = h.add('cutter', -2, 250, 22, { behaviour });
    const follower = h.add('follower', -2, 250 - 30, 22, { params: { idm: idm(22), mobil: { ...MOBIL_NO_CHANGE } } });
    let minClear = Infinity;
    h.run(25, () => {
      minClear = Math.min(minClear, h.minClearance());
    });
    expect(behaviour.triggeredAtS).toBeDefined();
    expect(h.lanePos(lead).laneId).toBe(-1);
    expect(follower.car.state.speedMps).toBeLessThan(0.05);
    expect(h.lanePos(follower).laneId).toBe(-2);
    expect(minClear).toBeGreaterThan(1);
    expect(h.contacts).toEqual([]);
  });

  it('is deterministic: the same setup gives the same final state', async () => {
    const final = async () => {
      const h = await highway('rapier', 2);
      for (let k = 0; k < 6; k++) h.add(`n${k}`, k % 2 ? -1 : -2, 100 + 30 * k, 20, { params: { idm: idm(24 + k) } });
      h.run(20);
      return h.npcs.map((n) => [n.car.state.rearX, n.car.state.rearY, n.car.state.speedMps]);
    };
    expect(await final()).toEqual(await final());
  });
});

/** MOBIL with an unreachable incentive threshold: the follower stays in its lane. */
const MOBIL_NO_CHANGE = { politeness: 0.5, thresholdMps2: 1e9, safeDecelMps2: 4, keepRightBiasMps2: 0 };
