/**
 * ha-pilot constructed directly with an injected map (the hook the world
 * will use, `HaPilotEnv.map`) and fed hand-made sensor readings: its
 * decisions one tick at a time. The scenario runs are in
 * ha-pilot-scenarios.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { HaPilotAgent, haPilotParams } from '../../agents/ha-pilot.ts';
import { PoseEstimator } from '../../agents/ha-pilot/pose-estimator.ts';
import type { Observation } from '../../sim/agent.ts';
import { Rng } from '../../sim/rng.ts';
import type { Reading } from '../../sim/sensor.ts';
import type { Detection } from '../../sim/sensors/object-list.ts';
import type { CarCommand } from '../../vehicles/car/car.ts';
import { BMW_320I } from '../../vehicles/car/params.ts';
import { buildHighway } from '../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../vehicles/road/road-network.ts';

/** 3 lanes each way along +x from the origin: lane -2's centre is y = -5.625 (3.75 m lanes). */
const MAP = new RoadNetwork(buildHighway({ lanesPerDirection: 3, lengthM: 1000 }));
const LANE2_Y = -5.625;
const HALF_LEN = BMW_320I.bodyLengthM / 2;

/** A reset pilot; `map: null` injects no map. */
function pilot(params: Record<string, unknown> = {}, map: RoadNetwork | null = MAP): HaPilotAgent {
  const a = new HaPilotAgent(haPilotParams.parse(params), map ? { map } : {});
  a.reset({ actorId: 'ego', actorKind: 'car', mission: {}, params, rng: Rng.stream(1, 'agent/ego') });
  return a;
}

function reading<T>(value: T, time: number, healthy = true): Reading<T> {
  return { time, value, healthy };
}

interface Scene {
  t?: number;
  x?: number;
  y?: number;
  headingRad?: number;
  v?: number;
  detections?: Detection[];
  gnssHealthy?: boolean;
  objectsTime?: number;
}

function obs(s: Scene): Observation {
  const t = s.t ?? 0, v = s.v ?? 25, h = s.headingRad ?? 0;
  return {
    time: t,
    sensors: {
      gnss: reading({ position: [s.x ?? 100, s.y ?? LANE2_Y, 0], velocity: [v * Math.cos(h), v * Math.sin(h), 0], headingRad: h }, t, s.gnssHealthy ?? true),
      objects: reading({ detections: s.detections ?? [] }, s.objectsTime ?? t),
    },
    v2x: [],
  };
}

function car(ahead: number, left: number, vx: number): Detection {
  return { trackId: 1, kind: 'car-kinematic', position: [ahead, left, 0], velocity: [vx, 0, 0], size: [4.5, 1.6, 1.4], yawRad: 0 };
}

describe('ha-pilot, one tick at a time with an injected map', () => {
  it('steers towards the lane centre from either side, and not at all on it', () => {
    const left = pilot().act(obs({ y: LANE2_Y + 1 }), 0) as CarCommand;
    const right = pilot().act(obs({ y: LANE2_Y - 1 }), 0) as CarCommand;
    const centre = pilot().act(obs({}), 0) as CarCommand;
    expect(left.steeringRad).toBeLessThan(-1e-3);
    expect(right.steeringRad).toBeGreaterThan(1e-3);
    expect(Math.abs(centre.steeringRad)).toBeLessThan(1e-6);
  });

  it('accelerates towards the limit on a free lane, and ignores a car in the next lane', () => {
    const cmd = pilot().act(obs({ detections: [car(10, 3.75, 20)] }), 0) as CarCommand;
    expect(cmd.throttle).toBeGreaterThan(0);
    expect(cmd.brake).toBe(0);
    expect(cmd.hazardLights).toBe(false);
  });

  it('brakes fully (AEB) for a stopped car 15 m ahead at 25 m/s (TTC 0.6 s)', () => {
    const cmd = pilot().act(obs({ detections: [car(15 + 2 * HALF_LEN, 0, 0)] }), 0) as CarCommand;
    expect(cmd.brake).toBe(1);
    expect(cmd.throttle).toBe(0);
  });

  it('brakes only moderately (IDM, no AEB) for a car 40 m ahead going 3 m/s slower', () => {
    const cmd = pilot().act(obs({ detections: [car(40 + 2 * HALF_LEN, 0, 22)] }), 0) as CarCommand;
    expect(cmd.brake).toBeGreaterThan(0);
    expect(cmd.brake).toBeLessThan(0.3);
  });

  it('treats a car crossing into the lane within a second as in path (cut-in)', () => {
    const cutter = car(15 + 2 * HALF_LEN, 2.6, 25);
    cutter.velocity[1] = -1; // drifting right, into the ego's lane, at 1 m/s
    const a = pilot();
    a.act(obs({ detections: [cutter] }), 0);
    expect(a.leader.found).toBe(true);
    const b = pilot();
    b.act(obs({ detections: [car(15 + 2 * HALF_LEN, 2.6, 25)] }), 0);
    expect(b.leader.found).toBe(false);
  });

  it('starts the minimal risk manoeuvre on an unhealthy GNSS reading: hazard lights on, braking', () => {
    const a = pilot();
    a.act(obs({ t: 0 }), 0);
    const cmd = a.act(obs({ t: 0.05, gnssHealthy: false }), 0.05) as CarCommand;
    expect(a.mode).toBe('mrm');
    expect(a.mrmReason).toMatch(/gnss failed/);
    expect(cmd.hazardLights).toBe(true);
    expect(cmd.throttle).toBe(0);
    // Ramped in at 2.5 m/s^3: one 0.05 s tick after the trigger the demand is 0.125 m/s^2.
    a.act(obs({ t: 0.1, gnssHealthy: false }), 0.1);
    expect(a.accelDemandMps2).toBeCloseTo(-0.125, 6);
    const later = a.act(obs({ t: 2, gnssHealthy: false }), 2) as CarCommand;
    expect(later.brake).toBeCloseTo(2.5 / BMW_320I.maxBrakeDecelMps2, 6);
  });

  it('starts the minimal risk manoeuvre when the object list goes stale (older than 0.3 s), and latches it', () => {
    const a = pilot();
    a.act(obs({ t: 0 }), 0);
    a.act(obs({ t: 0.3, objectsTime: 0 }), 0.3);
    expect(a.mode).toBe('drive');
    a.act(obs({ t: 0.35, objectsTime: 0 }), 0.35);
    expect(a.mode).toBe('mrm');
    expect(a.mrmReason).toMatch(/objects stale/);
    const cmd = a.act(obs({ t: 0.4 }), 0.4) as CarCommand;
    expect(a.mode).toBe('mrm');
    expect(cmd.hazardLights).toBe(true);
  });

  it('holds the brake with hazard lights on once stopped in the MRM (the MRC)', () => {
    const a = pilot();
    a.act(obs({ t: 0, v: 0.05 }), 0);
    const cmd = a.act(obs({ t: 0.05, v: 0.05, gnssHealthy: false }), 0.05) as CarCommand;
    expect(a.mode).toBe('mrc');
    expect(cmd.brake).toBeGreaterThan(0.2);
    expect(cmd.throttle).toBe(0);
    expect(cmd.hazardLights).toBe(true);
  });

  it('builds its map from params.map (the world.road spec) when none is injected, and refuses to start without one', () => {
    const a = pilot({ map: { builder: 'highway', params: { lanesPerDirection: 3, lengthM: 1000 } } }, null);
    const cmd = a.act(obs({ y: LANE2_Y + 1 }), 0) as CarCommand;
    expect(cmd.steeringRad).toBeLessThan(-1e-3);
    expect(() => pilot({}, null)).toThrow(/no map: give params.map/);
  });
});

describe('ha-pilot pose estimator', () => {
  it('learns a 1 deg/s gyro bias from the GNSS heading, so dead reckoning holds the heading', () => {
    const est = new PoseEstimator();
    const bias = Math.PI / 180;
    for (let k = 0; k <= 200; k++) {
      const t = k * 0.05;
      const gnss = k % 2 === 0 ? reading({ position: [25 * t, 0, 0], velocity: [25, 0, 0], headingRad: 0 }, t) : undefined;
      est.update(t, gnss, reading({ accel: [0, 0, 9.81], gyro: [0, 0, bias] }, t), undefined);
    }
    expect(est.gyroBiasRadPerS).toBeCloseTo(bias, 3);
    // 10 s of GNSS outage at the learned bias: the heading stays within 0.1 deg.
    for (let k = 1; k <= 200; k++) est.update(10 + k * 0.05, undefined, reading({ accel: [0, 0, 9.81], gyro: [0, 0, bias] }, 10 + k * 0.05), undefined);
    expect(Math.abs(est.headingRad)).toBeLessThan(0.1 * (Math.PI / 180));
  });
});
