/**
 * RotorVibration (uav/gimbal/vibration.ts): the rotor-induced motion at the
 * gimbal mount is one consistent motion (each output the derivative of the
 * next-lower one, at constant rotor speeds), scales with rotor speed as the
 * physics says, and stops with the rotors.
 */
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../sim/math.ts';
import { Rng } from '../../../sim/rng.ts';
import { airframeByName } from '../../../uav/multirotor/airframes.ts';
import { hoverRotorSpeed } from '../../../uav/multirotor/airframe.ts';
import { GOPRO_IRIS_GIMBAL, type VibrationSpec } from '../../../uav/gimbal/spec.ts';
import { RotorVibration } from '../../../uav/gimbal/vibration.ts';

const SPEC = GOPRO_IRIS_GIMBAL.vibration;
const HOVER = hoverRotorSpeed(airframeByName('iris'));
const DT = 1 / GOPRO_IRIS_GIMBAL.substepHz;
/** Four rotors around hover, as in a manoeuvre (each its own tone). */
const SPEEDS = [0.93 * HOVER, 1.0 * HOVER, 1.08 * HOVER, 1.15 * HOVER];

function vibration(spec: VibrationSpec = SPEC, rotors = 4, seed = 7): RotorVibration {
  return new RotorVibration(spec, rotors, HOVER, Rng.stream(seed, 'gimbal/test/vibration'));
}

interface Outputs {
  angle: Vec3; rate: Vec3;
  displacement: Vec3; velocity: Vec3; accel: Vec3;
}
function outputs(v: RotorVibration): Outputs {
  return {
    angle: [...v.angleRad] as Vec3, rate: [...v.rateRadPerS] as Vec3,
    displacement: [...v.displacementM], velocity: [...v.velocityMps], accel: [...v.accelMps2],
  };
}
const KEYS = ['angle', 'rate', 'displacement', 'velocity', 'accel'] as const;

const norm = (v: readonly number[]) => Math.hypot(...v);

describe('RotorVibration: one consistent motion', () => {
  it('its rate is the derivative of its angle, its velocity that of its displacement and its acceleration that of its velocity (central differences, constant rotor speeds)', () => {
    const v = vibration();
    const h = 1e-6; // the fastest tone, twice blade pass at 1.15 x hover, turns 4 x 1.15 x HOVER x h ~ 3e-3 rad in h
    // Pairs (quantity, its derivative): the worst error relative to the derivative's peak over the samples.
    const pairs: [keyof Outputs, keyof Outputs][] = [['angle', 'rate'], ['displacement', 'velocity'], ['velocity', 'accel']];
    const worst = new Map<string, number>(), peak = new Map<string, number>();
    for (let sample = 0; sample < 25; sample++) {
      // Somewhere else along the rotors' phases each time (a few ms apart), then three points h apart.
      for (let k = 0; k < 7; k++) v.step(DT, SPEEDS);
      const before = outputs(v);
      v.step(h, SPEEDS);
      const at = outputs(v);
      v.step(h, SPEEDS);
      const after = outputs(v);
      for (const [f, df] of pairs) {
        const key = `${f}->${df}`;
        for (let i = 0; i < 3; i++) {
          const fd = (after[f][i]! - before[f][i]!) / (2 * h);
          worst.set(key, Math.max(worst.get(key) ?? 0, Math.abs(fd - at[df][i]!)));
        }
        peak.set(key, Math.max(peak.get(key) ?? 0, norm(at[df])));
      }
    }
    for (const [f, df] of pairs) {
      const key = `${f}->${df}`;
      expect(peak.get(key)!, key).toBeGreaterThan(0);
      // Truncation (h w)^2 / 6 ~ 2e-6 of the peak; rounding of the differenced values stays below that at h = 1e-6 s.
      expect(worst.get(key)! / peak.get(key)!, key).toBeLessThan(1e-4);
    }
  });

  it('has the spec\'s amplitudes at hover: one rotor\'s 1x imbalance is a vector of shaftAccelMps2 turning in the rotor plane, its rocking rate one of shaftRateRadPerS', () => {
    const shaftOnly: VibrationSpec = { ...SPEC, bladePassAccelMps2: [0, 0], bladePassRateRadPerS: [0, 0] };
    const v = vibration(shaftOnly, 1);
    for (let k = 0; k < 50; k++) {
      v.step(DT * 0.37, [HOVER]);
      expect(Math.hypot(v.accelMps2[0], v.accelMps2[1])).toBeCloseTo(SPEC.shaftAccelMps2, 12);
      expect(v.accelMps2[2]).toBe(0);
      expect(Math.hypot(v.rateRadPerS[0], v.rateRadPerS[1])).toBeCloseTo(SPEC.shaftRateRadPerS, 12);
      // Displacement: the acceleration over -w^2 (a pure tone at the shaft rate).
      expect(v.displacementM[0] * -HOVER * HOVER).toBeCloseTo(v.accelMps2[0], 10);
    }
  });
});

describe('RotorVibration: rotor speed', () => {
  it('scales with (w / w_hover)^2: at twice the speed and the same rotor phases, acceleration and rate x4, angular acceleration x8 (one more w), angle and velocity x2, displacement x1', () => {
    // Same seed, so the same phase offsets; twice the speed over half the step, so the same phase increments.
    const slow = vibration(), fast = vibration();
    const half = SPEEDS.map((w) => 0.5 * w), full = SPEEDS;
    const factor: Record<keyof Outputs, number> = { accel: 4, rate: 4, angle: 2, velocity: 2, displacement: 1 };
    for (let k = 0; k < 40; k++) {
      slow.step(DT, half);
      fast.step(DT / 2, full);
      const a = outputs(slow), b = outputs(fast);
      for (const key of KEYS) {
        const scale = norm(b[key]);
        expect(scale, key).toBeGreaterThan(0);
        for (let i = 0; i < 3; i++) expect(Math.abs(b[key][i]! - factor[key] * a[key][i]!) / scale, key).toBeLessThan(1e-12);
      }
    }
  });

  it('a stopped rotor adds nothing: all four stopped give exactly zero; with one stopped the rest is the sum of the three others alone', () => {
    const still = vibration();
    for (let k = 0; k < 20; k++) still.step(DT, [0, 0, 0, 0]);
    for (const key of KEYS) expect(outputs(still)[key], key).toEqual([0, 0, 0]);

    const three = vibration();
    const alone = [1, 2, 3].map(() => vibration());
    for (let k = 0; k < 60; k++) {
      const w: number[] = [0, SPEEDS[1]!, SPEEDS[2]!, SPEEDS[3]!];
      three.step(DT, w);
      alone.forEach((v, j) => v.step(DT, w.map((x, r) => (r === j + 1 ? x : 0))));
      const sum = outputs(three), parts = alone.map(outputs);
      for (const key of KEYS) {
        const scale = norm(sum[key]);
        for (let i = 0; i < 3; i++) {
          const added = parts.reduce((s, p) => s + p[key][i]!, 0);
          expect(Math.abs(sum[key][i]! - added) / scale, key).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('a rotor slowing to a stop fades out smoothly: the amplitude follows (w / w_hover)^2 down to zero', () => {
    const shaftOnly: VibrationSpec = { ...SPEC, bladePassAccelMps2: [0, 0], bladePassRateRadPerS: [0, 0] };
    const v = vibration(shaftOnly, 1);
    for (const f of [1, 0.5, 0.1, 0.01, 0]) {
      v.step(DT, [f * HOVER]);
      expect(Math.hypot(v.accelMps2[0], v.accelMps2[1])).toBeCloseTo(SPEC.shaftAccelMps2 * f * f, 12);
    }
    expect(outputs(v).angle).toEqual([0, 0, 0]);
  });
});
