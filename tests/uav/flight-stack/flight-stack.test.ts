/**
 * The flight stack flying the quadrotor actor, closed loop, on both engines
 * and both airframes, at 400 Hz (physics, rate loop and every outer loop).
 *
 * The StateEstimate each tick is built from the actor's GROUND TRUTH
 * (harness.ts: no noise, delay or bias). The estimator in uav/estimation/ is
 * written separately; these tests judge the controllers and modes alone. All
 * aerodynamic effects of the actor are on (rotor and body drag, ground effect).
 * Every bound is stated with the measured value next to it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { wrapAngle, yawOf, type Vec3 } from '../../../sim/math.ts';
import type { BackendId, PhysicsBackend } from '../../../sim/physics/backend.ts';
import { newStateEstimate } from '../../../uav/estimation/state-estimate.ts';
import { FlightStack, MODE_DEFAULTS } from '../../../uav/flight-stack/flight-stack.ts';
import { hoverRotorSpeed, type Airframe } from '../../../uav/multirotor/airframe.ts';
import { CRAZYFLIE_2X, IRIS } from '../../../uav/multirotor/airframes.ts';
import { DT, flight, type Flight } from './harness.ts';

const BACKENDS: BackendId[] = ['rapier', 'cannon'];
const live: PhysicsBackend[] = [];
afterEach(() => {
  while (live.length) live.pop()!.free();
});

/** Half height of the airframe's inertia box: the centre-of-mass height when it rests on the ground. */
const restHeight = (a: Airframe): number => (a === IRIS ? 0.055 : 0.0187);

/** Starts in trimmed hover at `p`, holding there. */
async function hovering(backend: BackendId, a: Airframe, p: Vec3): Promise<Flight> {
  const f = await flight(backend, a, { position: p, rotorRadPerS: hoverRotorSpeed(a) }, true, live);
  f.stack.setMode({ kind: 'hold' });
  f.fly(2);
  return f;
}

describe.each(BACKENDS)('flight stack on %s', (backend) => {
  describe.each([IRIS, CRAZYFLIE_2X].map((a) => [a.name, a] as const))('%s', (_n, a) => {
    it('takes off from the ground to 5 m and then holds within 0.1 m for 10 s', async () => {
      const f = await flight(backend, a, { position: [1, -2, restHeight(a) + 0.01] }, true, live);
      f.fly(0.5);
      expect(f.uav.rotorSpeedsRadPerS.every((w) => w === 0)).toBe(true); // idle until told
      f.stack.setMode({ kind: 'takeoff', altitudeM: 5 });
      // 5 m at MPC_TKO_SPEED 1.5 m/s is 3.3 s; measured 3.5 s.
      const tTakeoff = f.flyUntil(() => f.stack.reached, 8);
      expect(tTakeoff).toBeLessThan(5);
      f.fly(5); // settle
      let worst = 0;
      f.fly(10, () => { worst = Math.max(worst, Math.hypot(f.s.position[0] - 1, f.s.position[1] + 2, f.s.position[2] - 5)); });
      // Measured: 0.0036 m (Iris), 0.0054 m (Crazyflie).
      expect(worst).toBeLessThan(0.1);
    });

    it('flies a 5 m step in x with less than 0.25 m overshoot and settles within 0.1 m in 8 s', async () => {
      const f = await hovering(backend, a, [0, 0, 5]);
      f.stack.setMode({ kind: 'hold', positionM: [5, 0, 5] });
      let maxX = -Infinity, lastOut = 0, maxZErr = 0;
      const t0 = f.t;
      f.fly(15, () => {
        maxX = Math.max(maxX, f.s.position[0]);
        maxZErr = Math.max(maxZErr, Math.abs(f.s.position[2] - 5));
        if (Math.hypot(f.s.position[0] - 5, f.s.position[1]) > 0.1) lastOut = f.t - t0;
      });
      // Measured overshoot 0.17 m (Iris), 0.14 m (Crazyflie); settling (last exit from 0.1 m) 6.6 s and 5.9 s.
      expect(maxX - 5).toBeLessThan(0.25);
      expect(lastOut).toBeLessThan(8);
      expect(maxZErr).toBeLessThan(0.2);
    });

    it('turns a 90 degree yaw step within 0.02 rad in 4 s, overshooting less than 0.1 rad, holding position', async () => {
      const f = await hovering(backend, a, [0, 0, 5]);
      f.stack.setMode({ kind: 'hold', positionM: [0, 0, 5], yawRad: Math.PI / 2 });
      let maxYaw = -Infinity, maxPosErr = 0;
      f.fly(4, () => {
        maxYaw = Math.max(maxYaw, yawOf(f.s.rotation));
        maxPosErr = Math.max(maxPosErr, Math.hypot(f.s.position[0], f.s.position[1], f.s.position[2] - 5));
      });
      expect(Math.abs(wrapAngle(yawOf(f.s.rotation) - Math.PI / 2))).toBeLessThan(0.02);
      // Measured overshoot 0.018 rad (Iris), 0.048 rad (Crazyflie).
      expect(maxYaw - Math.PI / 2).toBeLessThan(0.1);
      expect(maxPosErr).toBeLessThan(0.1);
    });

    it('flies a waypoint route (a 10 m square at 3 m/s, 0.5 m acceptance) and reaches every corner', async () => {
      const f = await hovering(backend, a, [0, 0, 5]);
      const route: Vec3[] = [[10, 0, 5], [10, 10, 7], [0, 10, 7], [0, 0, 5]];
      for (const wp of route) {
        f.stack.setMode({ kind: 'waypoint', positionM: wp, cruiseSpeedMps: 3, acceptanceRadiusM: 0.5 });
        let maxSpeed = 0;
        // 10 m at 3 m/s is 3.3 s plus the speed ramps at 3 m/s^2.
        const tLeg = f.flyUntil(() => f.stack.reached, 10, () => { maxSpeed = Math.max(maxSpeed, Math.hypot(f.s.linearVelocity[0], f.s.linearVelocity[1])); });
        // Measured legs 4.5 to 5.1 s, top ground speed 2.69 to 2.96 m/s.
        expect(tLeg).toBeLessThan(6);
        expect(maxSpeed).toBeLessThan(3 * 1.1);
      }
      f.fly(10);
      // The velocity integrator (MPC_XY_VEL_I_ACC 0.4) takes the last centimetres slowly:
      // measured 0.032 m (Iris) and 0.026 m (Crazyflie) 10 s after the last corner.
      expect(Math.hypot(f.s.position[0], f.s.position[1], f.s.position[2] - 5)).toBeLessThan(0.05);
    });

    it('flies a velocity setpoint with a yaw rate', async () => {
      const f = await hovering(backend, a, [0, 0, 5]);
      f.stack.setMode({ kind: 'velocity', velocityMps: [1, -0.5, 0.3], yawRateRadPerS: 0.3 });
      f.fly(6);
      const v = f.s.linearVelocity;
      expect(Math.hypot(v[0] - 1, v[1] + 0.5, v[2] - 0.3)).toBeLessThan(0.05);
      const y0 = yawOf(f.s.rotation);
      f.fly(1);
      expect(wrapAngle(yawOf(f.s.rotation) - y0)).toBeCloseTo(0.3, 1);
    });

    it('lands at the land speed, detects touchdown and cuts the motors', async () => {
      const f = await hovering(backend, a, [2, 3, 5]);
      f.stack.setMode({ kind: 'land' });
      f.fly(2);
      const z0 = f.s.position[2];
      f.fly(2);
      // MPC_LAND_SPEED 0.7 m/s in the middle of the descent.
      expect((z0 - f.s.position[2]) / 2).toBeCloseTo(MODE_DEFAULTS.landDescentMps, 1);
      const t = f.flyUntil(() => f.stack.mode === 'idle', 15);
      expect(t).toBeLessThan(15);
      expect(f.stack.reached).toBe(true);
      f.fly(1);
      expect(f.uav.rotorSpeedsRadPerS.every((w) => w < 1)).toBe(true);
      expect(f.s.position[2]).toBeCloseTo(restHeight(a), 2);
      expect(Math.hypot(f.s.position[0] - 2, f.s.position[1] - 3)).toBeLessThan(0.1);
    });

    it('returns home: climbs to the safe altitude, flies home, lands and cuts the motors', async () => {
      const f = await flight(backend, a, { position: [0, 0, restHeight(a) + 0.01] }, true, live);
      f.stack.setMode({ kind: 'takeoff', altitudeM: 3 });
      f.flyUntil(() => f.stack.reached, 8);
      f.stack.setMode({ kind: 'waypoint', positionM: [8, 6, 3], cruiseSpeedMps: 4 });
      f.flyUntil(() => f.stack.reached, 10);
      f.stack.setMode({ kind: 'return', safeAltitudeM: 6 });
      let maxZ = 0, minZAway = Infinity;
      const t = f.flyUntil(() => f.stack.mode === 'idle', 40, () => {
        maxZ = Math.max(maxZ, f.s.position[2]);
        if (f.stack.returnPhase === 'cruise') minZAway = Math.min(minZAway, f.s.position[2]);
      });
      expect(t).toBeLessThan(40);
      expect(maxZ).toBeGreaterThan(5.8);
      // On the way home (cruise phase) it flew at the safe altitude.
      expect(minZAway).toBeGreaterThan(5.5);
      expect(f.stack.reached).toBe(true);
      expect(Math.hypot(f.s.position[0], f.s.position[1])).toBeLessThan(0.3);
      f.fly(1);
      expect(f.s.position[2]).toBeCloseTo(restHeight(a), 2);
      expect(f.uav.rotorSpeedsRadPerS.every((w) => w < 1)).toBe(true);
    });
  });

  it('refuses a control tick slower than 250 Hz', async () => {
    const f = await hovering(backend, IRIS, [0, 0, 5]);
    expect(() => f.stack.update(f.est, f.t, 1 / 200)).toThrow(/250 Hz/);
    expect(DT).toBeLessThanOrEqual(1 / 250);
  });
});

describe('flight stack without a flight', () => {
  it('keeps the motors off while idle and while the estimate is not valid', () => {
    const stack = new FlightStack(IRIS);
    const est = newStateEstimate();
    est.valid = true;
    est.positionM[2] = 5;
    expect(Array.from(stack.update(est, 0, DT))).toEqual([0, 0, 0, 0]);
    stack.setMode({ kind: 'hold' });
    expect(stack.update(est, DT, DT).every((w) => w > 0)).toBe(true);
    est.valid = false;
    expect(Array.from(stack.update(est, 2 * DT, DT))).toEqual([0, 0, 0, 0]);
  });

  it('gives bit-identical rotor commands for identical estimates (no hidden state outside the instance)', () => {
    const a = new FlightStack(CRAZYFLIE_2X), b = new FlightStack(CRAZYFLIE_2X);
    const est = newStateEstimate();
    est.valid = true;
    a.setMode({ kind: 'waypoint', positionM: [3, 1, 2] });
    b.setMode({ kind: 'waypoint', positionM: [3, 1, 2] });
    for (let i = 0; i < 100; i++) {
      est.positionM[0] = 0.01 * i;
      est.angularRateRadPerS[0] = 0.1 * Math.sin(i);
      const wa = Array.from(a.update(est, i * DT, DT));
      expect(Array.from(b.update(est, i * DT, DT))).toEqual(wa);
    }
  });

  it('refuses a bad mode with the field named', () => {
    const stack = new FlightStack(IRIS);
    expect(() => stack.setMode({ kind: 'waypoint', positionM: [0, NaN, 1] })).toThrow(/waypoint.positionM/);
    expect(() => stack.setMode({ kind: 'land', descentRateMps: -1 })).toThrow(/land.descentRateMps/);
  });
});
