/**
 * `uav-pilot`'s forced avoidance of restricted airspace (issue #6 section 4),
 * in a small world built by hand (ground, an Iris with IMU, GNSS, barometer
 * and a 360-degree lidar, the agent given the zones through its env), not
 * through the scenario format. Every check is on the ground-truth track.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UavPilotAgent, uavPilotParams } from '../../../agents/uav/uav-pilot.ts';
import { groundSpec, Prop } from '../../../sim/actors/prop.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import { RayCaster } from '../../../sim/perception/ray-caster.ts';
import { Barometer, BAROMETER_DEFAULTS } from '../../../sim/sensors/barometer.ts';
import { Gnss, ZED_F9P } from '../../../sim/sensors/gnss.ts';
import { BMI088, Imu } from '../../../sim/sensors/imu.ts';
import { Lidar3D, VLP_16 } from '../../../sim/sensors/lidar-3d.ts';
import { World } from '../../../sim/world.ts';
import type { AirspaceKnowledge } from '../../../uav/airspace/knowledge.ts';
import type { Sensor } from '../../../sim/sensor.ts';
import type { BatterySample } from '../../../sim/sensors/battery.ts';
import { Zone, type RestrictionClass, type ZoneDescriptor } from '../../../uav/airspace/zone.ts';
import { inertiaBoxHalfExtents } from '../../../uav/multirotor/airframe.ts';
import { IRIS } from '../../../uav/multirotor/airframes.ts';
import { Multirotor } from '../../../uav/multirotor/multirotor.ts';

const LEVEL = { position: [0, 0, 0] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };
/** Monday 2026-11-23 08:00 UTC. */
const T0_MS = Date.UTC(2026, 10, 23, 8);

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

function circleZone(id: string, restriction: RestrictionClass, centre: [number, number], radiusM: number, lowerM = 0, upperM: number | null = 120): ZoneDescriptor {
  return {
    id,
    restriction,
    volumes: [{ shape: { kind: 'circle', centre, radiusM }, lower: { valueM: lowerM, reference: 'AGL' }, upper: upperM === null ? null : { valueM: upperM, reference: 'AGL' } }],
    applicability: { kind: 'permanent' },
  };
}

interface Flight {
  agent: UavPilotAgent;
  /** Ground truth every 20 ms: t, x, y, z. */
  track: [number, number, number, number][];
}

async function fly(opts: {
  waypoints: [number, number, number][];
  zones: ZoneDescriptor[];
  isActive?: (i: number, t: number) => boolean;
  durationS: number;
  start?: [number, number];
  params?: Record<string, unknown>;
  stopWhen?: (a: UavPilotAgent) => boolean;
  /** A stand-in battery sensor whose warning turns 'low' at this time, s (the battery failsafe's trigger). */
  batteryLowAtS?: number;
  seed?: number;
}): Promise<Flight> {
  const physics = await createBackend('rapier');
  const w = new World({ physics, dt: 1 / 500, seed: opts.seed ?? 1 });
  world = w;
  w.addActor(new Prop(physics, groundSpec([40, 0], [160, 160])));
  const [sx, sy] = opts.start ?? [0, 0];
  const uav = new Multirotor(physics, 'drone', IRIS, { position: [sx, sy, inertiaBoxHalfExtents(IRIS)[2]], yawRad: 0 });
  const zones = opts.zones.map((d) => new Zone(d));
  const airspace: AirspaceKnowledge = {
    zones,
    utcMsAt: (t) => T0_MS + t * 1000,
    isActive: opts.isActive ?? (() => true),
    groundAmslM: () => 0,
  };
  const agent = new UavPilotAgent(uavPilotParams.parse({ waypoints: opts.waypoints, cruiseSpeedMps: 3, ...opts.params }), { airspace });
  const lidar = new Lidar3D({ ...VLP_16, name: 'lidar', mount: LEVEL, beams: 180, layers: 4 } as never);
  w.addActor(uav, {
    sensors: [
      new Imu({ name: 'imu', mount: LEVEL, ...BMI088, rateHz: 250 }),
      new Gnss({ name: 'gnss', mount: LEVEL, ...ZED_F9P }),
      new Barometer({ name: 'baro', mount: LEVEL, ...BAROMETER_DEFAULTS }),
      lidar,
      ...(opts.batteryLowAtS !== undefined ? [lowBatteryAt(opts.batteryLowAtS)] : []),
    ],
    agent,
  });
  lidar.useCaster(RayCaster.fromWorld(w));
  const track: Flight['track'] = [];
  const steps = Math.round(opts.durationS * 500);
  for (let i = 0; i < steps; i++) {
    w.step();
    if (i % 10 === 0) {
      const s = w.snapshot.actors.find((a) => a.id === 'drone')!;
      track.push([w.time, s.position[0], s.position[1], s.position[2]]);
    }
    if (opts.stopWhen && i % 50 === 0 && opts.stopWhen(agent)) break;
  }
  return { agent, track };
}

/** A battery sensor that reads full until `atS`, then at the low warning (no current: the return-time check stays out of it). */
function lowBatteryAt(atS: number): Sensor<BatterySample> {
  return {
    name: 'battery', type: 'battery', rateHz: 10, mount: LEVEL,
    sample: (ctx) => ({
      voltageV: 12, currentA: 0, dischargedAh: 0, remaining: ctx.time >= atS ? 0.14 : 0.9, capacityAh: 5, averageCurrentA: 0,
      timeRemainingS: Infinity, warning: ctx.time >= atS ? 'low' : 'none', lowThreshold: 0.15, criticalThreshold: 0.07, emergencyThreshold: 0.05,
    }),
  };
}

/** Least horizontal distance of the airborne track (above 0.5 m) to a circle's edge, m (negative: inside). */
function minClearance(track: Flight['track'], centre: [number, number], radiusM: number, fromS = 0): number {
  let m = Infinity;
  for (const [t, x, y, z] of track) if (t >= fromS && z > 0.5) m = Math.min(m, Math.hypot(x - centre[0], y - centre[1]) - radiusM);
  return m;
}

const landedOrDone = (a: UavPilotAgent) => a.progress.phase === 'done' || (a.progress.phase === 'land' && a.progress.waypoint >= a.p.waypoints.length);

describe('uav-pilot avoids restricted airspace', () => {
  it('flies round a circular prohibited zone across its route and keeps the safety buffer on ground truth', async () => {
    const centre: [number, number] = [30, 0];
    const f = await fly({ waypoints: [[0, 0, 5], [60, 0, 5]], zones: [circleZone('airport', 'PROHIBITED', centre, 10)], durationS: 70, stopWhen: landedOrDone });
    const buffer = f.agent.safetyBufferM;
    const clearance = minClearance(f.track, centre, 10);
    const end = f.track[f.track.length - 1]!;
    console.log(`[airspace] round: buffer ${buffer.toFixed(2)} m, plan margin ${f.agent.planMarginM.toFixed(2)} m, least clearance ${clearance.toFixed(2)} m, end (${end[1].toFixed(1)}, ${end[2].toFixed(1)}) at ${end[0].toFixed(1)} s, ${JSON.stringify(f.agent.progress)}`);
    // 3 m/s: 3 x (0.56 + 0.1) + 9 / (2 x 1.5) + 1.5 = 6.47 m
    expect(buffer).toBeCloseTo(3 * (1 / 1.8 + 0.1) + 3 + 1.5, 6);
    expect(clearance).toBeGreaterThanOrEqual(buffer);
    expect(landedOrDone(f.agent)).toBe(true);
    expect(Math.hypot(end[1] - 60, end[2])).toBeLessThan(1.5);
    expect(f.agent.progress.airspace?.status).toBe('routed');
  }, 120_000);

  it('refuses to take off inside an active prohibited zone: rotors off, phase refused', async () => {
    const f = await fly({ waypoints: [[0, 0, 5], [40, 0, 5]], zones: [circleZone('stadium', 'PROHIBITED', [5, 0], 20)], durationS: 6 });
    const highest = Math.max(...f.track.map((s) => s[3]));
    console.log(`[airspace] refused: highest ${highest.toFixed(3)} m, ${JSON.stringify(f.agent.progress)}`);
    expect(f.agent.progress.phase).toBe('refused');
    expect(f.agent.progress.airspace?.status).toBe('refused');
    expect(highest).toBeLessThan(0.3);
  }, 60_000);

  it('re-routes when a zone on its route is activated mid-flight (t = 10 s)', async () => {
    const centre: [number, number] = [45, 0];
    const f = await fly({
      waypoints: [[0, 0, 5], [80, 0, 5]],
      zones: [circleZone('tfr', 'PROHIBITED', centre, 8)],
      isActive: (_i, t) => t >= 10,
      durationS: 80,
      stopWhen: landedOrDone,
    });
    const plans = f.agent.plans.map((p) => `${p.t.toFixed(1)} s: ${p.path.length} points`);
    const clearance = minClearance(f.track, centre, 8, 10);
    console.log(`[airspace] mid-flight: plans ${plans.join('; ')}; clearance after 10 s ${clearance.toFixed(2)} m (buffer ${f.agent.safetyBufferM.toFixed(2)})`);
    expect(f.agent.plans[0]!.path.length).toBe(2); // straight at first: the zone is not active
    const replan = f.agent.plans.find((p) => p.t >= 10);
    expect(replan).toBeDefined();
    expect(replan!.path.length).toBeGreaterThan(2);
    expect(clearance).toBeGreaterThanOrEqual(f.agent.safetyBufferM);
    expect(landedOrDone(f.agent)).toBe(true);
  }, 120_000);

  it('flies below an altitude cap over its route instead of round it', async () => {
    const centre: [number, number] = [30, 0];
    const f = await fly({ waypoints: [[0, 0, 15], [60, 0, 15]], zones: [circleZone('cap', 'ALTITUDE_CAP', centre, 10, 8, null)], durationS: 80, stopWhen: landedOrDone });
    let highestInside = -Infinity, closest = Infinity;
    for (const [, x, y, z] of f.track) {
      const d = Math.hypot(x - centre[0], y - centre[1]);
      closest = Math.min(closest, d);
      if (d <= 10) highestInside = Math.max(highestInside, z);
    }
    console.log(`[airspace] cap: track end ${JSON.stringify(f.track[f.track.length - 1])} pts ${f.track.length} max z ${Math.max(...f.track.map((s) => s[3])).toFixed(2)}; closest to the centre ${closest.toFixed(2)} m, highest inside ${highestInside.toFixed(2)} m (cap 8 m), ${JSON.stringify(f.agent.progress)}`);
    expect(closest).toBeLessThan(2); // under it, not round it
    expect(highestInside).toBeLessThan(8);
    expect(landedOrDone(f.agent)).toBe(true);
  }, 120_000);

  it('stops at the boundary when the destination lies inside a prohibited zone, and holds there', async () => {
    const centre: [number, number] = [40, 0];
    const f = await fly({ waypoints: [[0, 0, 5], [40, 0, 5]], zones: [circleZone('prison', 'PROHIBITED', centre, 10)], durationS: 40 });
    const end = f.track[f.track.length - 1]!;
    const clearance = minClearance(f.track, centre, 10);
    console.log(`[airspace] boundary: end (${end[1].toFixed(2)}, ${end[2].toFixed(2)}, ${end[3].toFixed(2)}), clearance ${clearance.toFixed(2)} m, ${JSON.stringify(f.agent.progress)}`);
    expect(f.agent.progress.phase).toBe('done');
    expect(f.agent.progress.airspace?.status).toBe('stopped-at-boundary');
    expect(clearance).toBeGreaterThanOrEqual(f.agent.safetyBufferM);
    // At the boundary of the plan's margin (40 - 10 - margin), still in the air.
    expect(Math.abs(end[1] - (30 - f.agent.planMarginM))).toBeLessThan(1.5);
    expect(end[3]).toBeGreaterThan(4);
  }, 120_000);

  it('leaves a prohibited zone activated around it by the nearest way out, then goes round it to the goal', async () => {
    const centre: [number, number] = [20, 0];
    const f = await fly({
      waypoints: [[0, 0, 5], [60, 0, 5]],
      zones: [circleZone('tfr', 'PROHIBITED', centre, 8)],
      isActive: (_i, t) => t >= 11,
      durationS: 90,
      stopWhen: landedOrDone,
    });
    const at9 = f.track.find((s) => s[0] >= 11)!;
    let lastInside = -Infinity;
    for (const [t, x, y] of f.track) if (t >= 11 && Math.hypot(x - centre[0], y - centre[1]) <= 8) lastInside = t;
    const end = f.track[f.track.length - 1]!;
    console.log(`[airspace] exit: at 11 s (${at9[1].toFixed(1)}, ${at9[2].toFixed(1)}), ${(Math.hypot(at9[1] - centre[0], at9[2] - centre[1]) - 8).toFixed(2)} m from the edge; out at ${lastInside.toFixed(2)} s; end (${end[1].toFixed(1)}, ${end[2].toFixed(1)}) ${JSON.stringify(f.agent.progress)}`);
    expect(Math.hypot(at9[1] - centre[0], at9[2] - centre[1])).toBeLessThan(8); // the zone did switch on around it
    expect(f.agent.progress.airspace?.notes.some((n) => n.includes('became active around the drone'))).toBe(true);
    // Out within 4 s (a few metres to the edge at 3 m/s, plus the turn), and never back in.
    expect(lastInside).toBeLessThan(15);
    expect(landedOrDone(f.agent)).toBe(true);
    expect(Math.hypot(end[1] - 60, end[2])).toBeLessThan(1.5);
  }, 120_000);

  it('goes round a REQ_AUTHORISATION zone without the authorisation and through it with one', async () => {
    const centre: [number, number] = [30, 0];
    const zones = [circleZone('ctr-7', 'REQ_AUTHORISATION', centre, 10)];
    const without = await fly({ waypoints: [[0, 0, 5], [60, 0, 5]], zones, durationS: 70, stopWhen: landedOrDone });
    const clearWithout = minClearance(without.track, centre, 10);
    world?.dispose();
    world = null;
    const withAuth = await fly({ waypoints: [[0, 0, 5], [60, 0, 5]], zones, durationS: 70, stopWhen: landedOrDone, params: { authorisations: ['ctr-7'] } });
    const clearWith = minClearance(withAuth.track, centre, 10);
    console.log(`[airspace] authorisation: clearance without ${clearWithout.toFixed(2)} m, with ${clearWith.toFixed(2)} m; notes ${JSON.stringify(withAuth.agent.progress.airspace?.notes)}`);
    expect(clearWithout).toBeGreaterThanOrEqual(without.agent.safetyBufferM);
    expect(clearWith).toBeLessThan(-9); // straight across the 10 m circle
    expect(withAuth.agent.progress.airspace?.notes).toContain('flying through REQ_AUTHORISATION zone ctr-7 (authorised)');
    expect(landedOrDone(without.agent) && landedOrDone(withAuth.agent)).toBe(true);
  }, 120_000);

  it('returns home round the zone on the battery failsafe and lands at home', async () => {
    const centre: [number, number] = [30, 0];
    const f = await fly({
      waypoints: [[0, 0, 5], [60, 0, 5]],
      zones: [circleZone('airport', 'PROHIBITED', centre, 10)],
      durationS: 80,
      batteryLowAtS: 24,
      stopWhen: (a) => a.progress.phase === 'return' && !a['stack'].armed,
    });
    const at24 = f.track.find((s) => s[0] >= 24)!;
    const end = f.track[f.track.length - 1]!;
    const clearance = minClearance(f.track, centre, 10);
    console.log(`[airspace] return: at 24 s (${at24[1].toFixed(1)}, ${at24[2].toFixed(1)}); end (${end[1].toFixed(2)}, ${end[2].toFixed(2)}, ${end[3].toFixed(2)}) at ${end[0].toFixed(1)} s; clearance ${clearance.toFixed(2)} m; ${JSON.stringify(f.agent.batteryFailsafe)} ${JSON.stringify(f.agent.progress)}`);
    expect(at24[1]).toBeGreaterThan(40); // the zone lies between it and home
    expect(f.agent.batteryFailsafe.action).toBe('return');
    expect(clearance).toBeGreaterThanOrEqual(f.agent.safetyBufferM);
    expect(Math.hypot(end[1], end[2])).toBeLessThan(1);
    expect(end[3]).toBeLessThan(0.3);
  }, 120_000);
});

describe('uav-pilot airspace avoidance across speeds, seeds and zone shapes', () => {
  it('keeps the buffer round a circle at 5 m/s (PX4 MPC_XY_CRUISE) on seeds 1..3, with VFH+ and with the grid planner on its map', async () => {
    const rows: string[] = [];
    for (const extra of [{}, { planner: true, persistentMap: true }]) {
      for (const seed of [1, 2, 3]) {
        const f = await fly({ seed, waypoints: [[0, 0, 5], [100, 10, 5]], zones: [circleZone('a', 'PROHIBITED', [50, 0], 15)], durationS: 120, stopWhen: landedOrDone, params: { cruiseSpeedMps: 5, ...extra } });
        world?.dispose();
        world = null;
        const c = minClearance(f.track, [50, 0], 15);
        rows.push(`${JSON.stringify(extra)} seed ${seed}: clearance ${c.toFixed(2)} m, done at ${f.track[f.track.length - 1]![0].toFixed(1)} s`);
        // 5 m/s: 5 x 0.656 + 25 / 3 + 1.5 = 13.11 m
        expect(f.agent.safetyBufferM).toBeCloseTo(5 * (1 / 1.8 + 0.1) + 25 / 3 + 1.5, 6);
        expect(c).toBeGreaterThanOrEqual(f.agent.safetyBufferM);
        expect(landedOrDone(f.agent)).toBe(true);
      }
    }
    console.log(`[airspace] 5 m/s: ${rows.join('; ')}`);
  }, 300_000);

  it('goes round an L-shaped polygon zone and a circle beside it, keeping the buffer from both', async () => {
    const ell: ZoneDescriptor = {
      id: 'ell',
      restriction: 'PROHIBITED',
      volumes: [{
        shape: { kind: 'polygon', vertices: [[20, -10], [40, -10], [40, 20], [30, 20], [30, 0], [20, 0]] },
        lower: { valueM: 0, reference: 'AGL' },
        upper: { valueM: 100, reference: 'AGL' },
      }],
      applicability: { kind: 'permanent' },
    };
    const disc = circleZone('disc', 'PROHIBITED', [60, -5], 6);
    const f = await fly({ waypoints: [[0, 0, 5], [80, 5, 5]], zones: [ell, disc], durationS: 120, stopWhen: landedOrDone });
    const zones = [new Zone(ell), new Zone(disc)];
    let least = Infinity;
    for (const [, x, y, z] of f.track) if (z > 0.5) for (const zn of zones) least = Math.min(least, zn.horizontalDistanceM(x, y));
    const end = f.track[f.track.length - 1]!;
    console.log(`[airspace] polygon + circle: least clearance ${least.toFixed(2)} m (buffer ${f.agent.safetyBufferM.toFixed(2)}), end (${end[1].toFixed(1)}, ${end[2].toFixed(1)}) at ${end[0].toFixed(1)} s`);
    expect(least).toBeGreaterThanOrEqual(f.agent.safetyBufferM);
    expect(landedOrDone(f.agent)).toBe(true);
    expect(Math.hypot(end[1] - 80, end[2] - 5)).toBeLessThan(1.5);
  }, 120_000);
});

describe('uav-pilot return-time estimate with airspace', () => {
  it('counts the way home round the zones, not the straight line', () => {
    const zones = [new Zone(circleZone('airport', 'PROHIBITED', [30, 0], 10))];
    const airspace: AirspaceKnowledge = { zones, utcMsAt: (t) => T0_MS + t * 1000, isActive: () => true, groundAmslM: () => 0 };
    const params = uavPilotParams.parse({ waypoints: [[0, 0, 5], [60, 0, 5]], cruiseSpeedMps: 3 });
    const aware = new UavPilotAgent(params, { airspace }), blind = new UavPilotAgent(params);
    const distance = (a: UavPilotAgent) => (a as unknown as { returnDistanceM(p: number[], h: number[], t: number): number }).returnDistanceM([60, 0, 5], [0, 0, 0], 0);
    expect(distance(blind)).toBe(60);
    // Round the 10 m circle with the plan margin: longer than the straight 60 m.
    expect(distance(aware)).toBeGreaterThan(62);
    expect(distance(aware)).toBeLessThan(75);
  });
});
