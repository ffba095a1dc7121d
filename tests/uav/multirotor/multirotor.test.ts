/**
 * The multirotor actor against closed-form rigid-body physics, on both
 * engines. The loop is the world's: ground truth at the end of a step is the
 * state the actuators see at the next one. Effects not under test are
 * switched off where they would blur a closed form, and each test says so.
 * Tolerances are stated with each check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Prop, groundSpec } from '../../../sim/actors/prop.ts';
import { rotateVec, type Quat, type Vec3 } from '../../../sim/math.ts';
import type { BackendId, PhysicsBackend } from '../../../sim/physics/backend.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { hoverRotorSpeed, type Airframe } from '../../../uav/multirotor/airframe.ts';
import { CRAZYFLIE_2X, IRIS } from '../../../uav/multirotor/airframes.ts';
import { Multirotor, type MultirotorCommand, type MultirotorOptions, type MultirotorStart } from '../../../uav/multirotor/multirotor.ts';

const DT = 1 / 400;
const G = 9.81;
const BACKENDS: BackendId[] = ['rapier', 'cannon'];
const AIRFRAMES: Airframe[] = [IRIS, CRAZYFLIE_2X];
const NO_AERO: MultirotorOptions = { effects: { rotorDrag: false, bodyDrag: false, groundEffect: false } };

const live: PhysicsBackend[] = [];
afterEach(() => {
  while (live.length) live.pop()!.free();
});

interface Rig {
  pb: PhysicsBackend;
  uav: Multirotor;
  s: ActorState;
  run(n: number, cmd?: MultirotorCommand, each?: (i: number) => void): void;
}

async function rig(id: BackendId, airframe: Airframe, start: MultirotorStart, options?: MultirotorOptions, ground = false): Promise<Rig> {
  const pb = await createBackend(id);
  live.push(pb);
  if (ground) new Prop(pb, groundSpec([0, 0], [20, 20]));
  const uav = new Multirotor(pb, 'uav', airframe, start, options);
  const s: ActorState = { id: 'uav', kind: 'uav', position: [0, 0, 0], rotation: [0, 0, 0, 1], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
  uav.groundTruth(pb, s);
  return {
    pb,
    uav,
    s,
    run(n, cmd, each) {
      for (let i = 0; i < n; i++) {
        uav.applyCommand(pb, cmd, DT, s);
        pb.step(DT);
        uav.groundTruth(pb, s);
        each?.(i);
      }
    },
  };
}

const all = (w: number): MultirotorCommand => ({ rotorRadPerS: [w, w, w, w] });

/** Body-frame angular velocity: R^T omega. */
function bodyRate(s: ActorState): Vec3 {
  const q = s.rotation;
  const inv: Quat = [-q[0], -q[1], -q[2], q[3]];
  return rotateVec(inv, s.angularVelocity, [0, 0, 0]);
}

describe.each(BACKENDS)('multirotor on %s', (backend) => {
  describe.each(AIRFRAMES.map((a) => [a.name, a] as const))('%s', (_name, a) => {
    const wh = hoverRotorSpeed(a, G);

    it('has the airframe mass', async () => {
      const r = await rig(backend, a, { position: [0, 0, 5] });
      // Rapier stores mass in f32.
      expect(r.pb.getMass(r.uav.body)).toBeCloseTo(a.massKg, 6);
    });

    it('hovers level and still at the hover rotor speed for 5 s (thrust = m g)', async () => {
      // All effects on: with no motion there is no drag, and no ground below.
      const r = await rig(backend, a, { position: [1, 2, 5], yawRad: 0.3, rotorRadPerS: wh });
      r.run(2000, all(wh));
      // Measured: |dz| < 1e-6 m on both engines; the bound leaves room for f32 (Rapier).
      expect(Math.abs(r.s.position[2] - 5)).toBeLessThan(1e-4);
      expect(Math.hypot(r.s.position[0] - 1, r.s.position[1] - 2)).toBeLessThan(1e-4);
      expect(Math.hypot(...r.s.linearVelocity)).toBeLessThan(1e-4);
      expect(Math.hypot(...r.s.angularVelocity)).toBeLessThan(1e-5);
      expect(r.uav.totalThrustN).toBeCloseTo(a.massKg * G, 9);
    });

    it('does not yaw at equal rotor speeds, and yaws at I_zz^-1 sum(+-km w^2) when the CW pair speeds up', async () => {
      // Rotor drag off: its omega x r term would damp the yaw rate (not part of the closed form).
      const r = await rig(backend, a, { position: [0, 0, 50], rotorRadPerS: wh }, NO_AERO);
      r.run(400, all(wh));
      expect(Math.abs(bodyRate(r.s)[2])).toBeLessThan(1e-9);

      const wCw = 1.1 * wh;
      const cmd: MultirotorCommand = { rotorRadPerS: a.rotors.map((rot) => (rot.spin === -1 ? wCw : wh)) };
      // Let the motors settle (0.1 s = 8 tau_up), then measure over 0.1 s.
      r.run(40, cmd);
      const w0 = bodyRate(r.s)[2];
      r.run(40, cmd);
      const alpha = (bodyRate(r.s)[2] - w0) / (40 * DT);
      // CW rotors (spin -1) push the body +z: alpha = 2 km (w_cw^2 - w_ccw^2) / I_zz > 0.
      const predicted = (2 * a.torqueCoeffNmPerRadPerS2 * (wCw * wCw - wh * wh)) / a.inertiaKgM2[2];
      expect(predicted).toBeGreaterThan(0);
      // Measured within 1e-4 relative; the motors are within e^-8 of their setpoints.
      expect(alpha / predicted).toBeCloseTo(1, 2);
    });

    it('turns at I^-1 (sum r_i x T_i z + sum -spin_i km w_i^2 z) under unequal rotor speeds (the inertia tensor is the airframe\'s)', async () => {
      // Unequal speeds held from the start, so the first step's angular acceleration is the closed form
      // (at rest: no gyroscopic term, no drag).
      const speeds = [1.05 * wh, 0.9 * wh, 1.1 * wh, 0.97 * wh];
      const r = await rig(backend, a, { position: [0, 0, 50], rotorRadPerS: speeds }, NO_AERO);
      r.run(1, { rotorRadPerS: speeds });
      const tau: Vec3 = [0, 0, 0];
      a.rotors.forEach((rot, i) => {
        const w2 = speeds[i]! ** 2;
        const t = a.thrustCoeffNPerRadPerS2 * w2;
        tau[0] += rot.positionM[1] * t;
        tau[1] -= rot.positionM[0] * t;
        tau[2] -= rot.spin * a.torqueCoeffNmPerRadPerS2 * w2;
      });
      const alpha = bodyRate(r.s).map((w) => w / DT);
      for (let k = 0; k < 3; k++) {
        const predicted = tau[k]! / a.inertiaKgM2[k]!;
        // Measured: 1e-15 relative on cannon-es; up to 7e-4 on Rapier (f32 forces, and the
        // Crazyflie's pitch torque here is a difference of near-equal rotor moments).
        expect(Math.abs(alpha[k]! - predicted)).toBeLessThan(2e-3 * Math.abs(predicted) + 1e-9);
      }
    });

    it('slows a sideways slide by the body drag c_x v^2 / m (rotors off)', async () => {
      const v0 = 5;
      const r = await rig(backend, a, { position: [0, 0, 50], linearVelocity: [v0, 0, 0] });
      r.run(1);
      // The speed at the start of the step includes no vertical part yet.
      const predicted = (a.bodyDragCoeffNs2PerM2[0] * v0 * v0) / a.massKg;
      expect((v0 - r.s.linearVelocity[0]) / DT / predicted).toBeCloseTo(1, 3);
    });

    it('spins a rotor up to 63 % of a step in tau_up and down to 37 % in tau_down', async () => {
      const r = await rig(backend, a, { position: [0, 0, 50] }, NO_AERO);
      // tau / DT steps exactly: 5 for both airframes' 12.5 ms, 10 for 25 ms.
      r.run(Math.round(a.motorTauUpS / DT), all(wh));
      for (const w of r.uav.rotorSpeedsRadPerS) expect(w / wh).toBeCloseTo(1 - Math.exp(-1), 9);
      r.run(200, all(wh));
      r.run(Math.round(a.motorTauDownS / DT), all(0));
      for (const w of r.uav.rotorSpeedsRadPerS) expect(w / wh).toBeCloseTo(Math.exp(-1), 6);
    });

    it('falls freely with the rotors off: v = -g t, z = z0 - g t^2 / 2', async () => {
      // Body drag off (at 10 m/s it is no longer negligible); rotor drag and thrust are zero at w = 0.
      const r = await rig(backend, a, { position: [0, 0, 20] }, { effects: { bodyDrag: false } });
      r.run(400);
      expect(r.uav.totalThrustN).toBe(0);
      expect(r.s.linearVelocity[2]).toBeCloseTo(-G, 3);
      // Symplectic Euler: z lags the closed form by g t dt / 2 = 0.012 m after 1 s.
      expect(Math.abs(r.s.position[2] - (20 - G / 2))).toBeLessThan(0.02);
      expect(Math.hypot(r.s.linearVelocity[0], r.s.linearVelocity[1])).toBeLessThan(1e-9);
    });

    it('gains the Cheeseman-Bennett thrust ratio 16/15 with its rotors one radius above the ground', async () => {
      const R = a.rotorRadiusM;
      const hubZ = a.rotors[0]!.positionM[2];
      const z0 = R - hubZ;
      // The inertia box must clear the ground there (Iris: bottom at 0.05 m, Crazyflie 0.004 m).
      const r = await rig(backend, a, { position: [0, 0, z0], rotorRadPerS: wh }, { effects: { rotorDrag: false, bodyDrag: false } }, true);
      r.run(1, all(wh));
      for (const ge of r.uav.groundEffectRatios) expect(ge).toBeCloseTo(16 / 15, 5);
      expect(r.uav.totalThrustN / (a.massKg * G)).toBeCloseTo(16 / 15, 5);
      // The surplus lifts it: a = g (16/15 - 1) in the first step.
      expect(r.s.linearVelocity[2] / DT / (G / 15)).toBeCloseTo(1, 2);
    });

    it('slows a level sideways drift by the rotor drag c sum(w) v / m', async () => {
      const v0 = 2;
      const r = await rig(backend, a, { position: [0, 0, 50], rotorRadPerS: wh, linearVelocity: [v0, 0, 0] }, { effects: { bodyDrag: false } });
      r.run(1, all(wh));
      const predicted = (a.rotorDragCoeffNsPerRadM * 4 * wh * v0) / a.massKg;
      expect((v0 - r.s.linearVelocity[0]) / DT / predicted).toBeCloseTo(1, 3);
    });
  });

  it('refuses a command with the wrong number of rotors or a non-finite setpoint', async () => {
    const r = await rig(backend, IRIS, { position: [0, 0, 5] });
    expect(() => r.uav.applyCommand(r.pb, { rotorRadPerS: [1, 2, 3] }, DT, r.s)).toThrow(/3 rotor speeds, the iris airframe has 4 rotors/);
    expect(() => r.uav.applyCommand(r.pb, { rotorRadPerS: [1, 2, NaN, 4] }, DT, r.s)).toThrow(/rotor 2 setpoint is NaN/);
  });

  it('lands and rests on the ground with the rotors off', async () => {
    const r = await rig(backend, IRIS, { position: [0, 0, 1] }, undefined, true);
    r.run(800);
    // The inertia box's bottom is 0.055 m below the centre of mass.
    expect(r.s.position[2]).toBeCloseTo(0.055, 2);
    expect(Math.abs(r.s.linearVelocity[2])).toBeLessThan(0.05);
  });
});
