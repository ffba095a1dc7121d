/**
 * The mixer alone (no physics): allocation from each airframe's geometry and
 * PX4's airmode-free desaturation. Forces in N, torques in N m, body FLU.
 */
import { describe, expect, it } from 'vitest';
import { Mixer } from '../../../uav/flight-stack/mixer.ts';
import { hoverRotorSpeed, type Airframe } from '../../../uav/multirotor/airframe.ts';
import { CRAZYFLIE_2X, IRIS } from '../../../uav/multirotor/airframes.ts';

const G = 9.81;

describe.each([IRIS, CRAZYFLIE_2X].map((a) => [a.name, a] as const))('mixer for %s', (_n, a: Airframe) => {
  const mg = a.massKg * G;

  it('inverts the effectiveness matrix: B A = I', () => {
    const m = new Mixer(a);
    const n = m.rotorCount;
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += m.effectiveness[r * n + i]! * m.allocation[i * 4 + c]!;
      expect(s).toBeCloseTo(r === c ? 1 : 0, 12);
    }
  });

  it('maps hover (m g, no torque) to hoverRotorSpeed on every rotor', () => {
    const w = new Mixer(a).mix(mg, 0, 0, 0);
    for (const wi of w) expect(wi / hoverRotorSpeed(a, G)).toBeCloseTo(1, 12);
  });

  it('turns a pure roll torque into a left/right thrust differential, with thrust, pitch and yaw unchanged', () => {
    const m = new Mixer(a);
    const tau = 0.05 * mg * a.rotors[0]!.positionM[0]; // small enough not to saturate
    m.mix(mg, tau, 0, 0);
    expect(m.achieved[0]).toBeCloseTo(mg, 9);
    expect(m.achieved[1]! / tau).toBeCloseTo(1, 9);
    expect(Math.abs(m.achieved[2]!)).toBeLessThan(1e-12);
    expect(Math.abs(m.achieved[3]!)).toBeLessThan(1e-12);
    a.rotors.forEach((r, i) => {
      const dT = m.rotorThrustN[i]! - mg / 4;
      // A positive torque about body x (FLU) lifts the left side: rotors with y > 0 push harder.
      expect(Math.sign(dT)).toBe(Math.sign(r.positionM[1]));
    });
    if (a === CRAZYFLIE_2X) {
      // Symmetric X: each rotor changes by tau / (4 |y|).
      a.rotors.forEach((r, i) => expect((m.rotorThrustN[i]! - mg / 4) / (tau / (4 * r.positionM[1]))).toBeCloseTo(1, 9));
    }
  });

  it('keeps roll and pitch and gives up yaw first when yaw saturates the rotors at hover', () => {
    const m = new Mixer(a);
    const tMax = m.maxRotorThrustN;
    const roll = 0.3 * (tMax - mg / 4) * Math.abs(a.rotors[0]!.positionM[1]);
    const pitch = -0.2 * (tMax - mg / 4) * Math.abs(a.rotors[0]!.positionM[0]);
    // Far more yaw than the rotors can give: km/kf times four full thrusts.
    const yaw = 4 * tMax * (a.torqueCoeffNmPerRadPerS2 / a.thrustCoeffNPerRadPerS2);
    m.mix(mg, roll, pitch, yaw);
    expect(m.achieved[1]! / roll).toBeCloseTo(1, 9);
    expect(m.achieved[2]! / pitch).toBeCloseTo(1, 9);
    expect(m.achieved[3]!).toBeGreaterThan(0);
    expect(m.achieved[3]!).toBeLessThan(0.8 * yaw);
    expect(m.saturation.torque[2]).toBe(1);
    expect(m.saturation.torque[0]).toBe(0);
    for (const t of m.rotorThrustN) { expect(t).toBeGreaterThanOrEqual(0); expect(t).toBeLessThanOrEqual(tMax); }
  });

  it('gives up collective before roll when a roll demand at high thrust would exceed full speed', () => {
    const m = new Mixer(a);
    const tMax = m.maxRotorThrustN;
    const thrust = 0.95 * 4 * tMax;
    const roll = 0.3 * tMax * Math.abs(a.rotors[0]!.positionM[1]) * 4;
    m.mix(thrust, roll, 0, 0);
    expect(m.achieved[1]! / roll).toBeCloseTo(1, 9);
    expect(m.achieved[0]!).toBeLessThan(thrust);
    for (const w of m.rotorRadPerS) expect(w).toBeLessThanOrEqual(a.maxRotorRadPerS * (1 + 1e-12));
  });

  it('clamps rotor speeds to [0, max] whatever the demand', () => {
    const m = new Mixer(a);
    m.mix(100 * mg, 100, -100, 100);
    for (const w of m.rotorRadPerS) { expect(w).toBeGreaterThanOrEqual(0); expect(w).toBeLessThanOrEqual(a.maxRotorRadPerS * (1 + 1e-12)); }
    m.mix(-mg, 0, 0, 0);
    for (const w of m.rotorRadPerS) expect(w).toBe(0);
  });
});
