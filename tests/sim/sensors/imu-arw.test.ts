/**
 * Angle random walk, closed form (issue #5 section 2): integrating a gyro's
 * white noise of density N (rad/s/sqrt(Hz)) over t seconds gives an angle
 * error of standard deviation N sqrt(t). Checked for each IMU model on many
 * independent walks (every axis of every seeded stream), with the biases off,
 * at two horizons: the spread matches N sqrt(t), and quadrupling t doubles it.
 */
import { describe, expect, it } from 'vitest';
import type { Pose } from '../../../sim/math.ts';
import { Rng } from '../../../sim/rng.ts';
import type { SenseContext } from '../../../sim/sensor.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { IMU_MODELS, Imu } from '../../../sim/sensors/imu.ts';

const LEVEL: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
const RATE_HZ = 250;
const WALKS = 300; // streams; three axes each: 900 walks per model
const T_S = 4;

/** Integrated gyro angle per axis of each walk at t = T/4 and t = T, rad. */
function walks(model: keyof typeof IMU_MODELS): { quarter: number[]; full: number[] } {
  const quarter: number[] = [], full: number[] = [];
  const self: ActorState = { id: 'cam', kind: 'uav', position: [0, 0, 0], rotation: [0, 0, 0, 1], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
  const ctx: SenseContext = { physics: { castRay: () => null }, self, selfBody: 0, time: 0, others: [] };
  const steps = Math.round(T_S * RATE_HZ), dt = 1 / RATE_HZ;
  for (let w = 0; w < WALKS; w++) {
    const imu = new Imu({ name: 'imu', mount: LEVEL, ...IMU_MODELS[model], rateHz: RATE_HZ, gyroTurnOnBiasSigmaRadPerS: 0, gyroBiasInstabilityRadPerS: 0 });
    const rng = Rng.stream(w + 1, `arw/${model}`);
    const angle = [0, 0, 0];
    for (let k = 1; k <= steps; k++) {
      (ctx as { time: number }).time = k * dt;
      const g = imu.sample(ctx, rng).gyro;
      for (let i = 0; i < 3; i++) angle[i]! += g[i]! * dt;
      if (k === steps / 4) quarter.push(...angle);
    }
    full.push(...angle);
  }
  return { quarter, full };
}

const rms = (xs: readonly number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);

describe('gyro angle random walk: std = N sqrt(t)', () => {
  it.each(Object.keys(IMU_MODELS) as (keyof typeof IMU_MODELS)[])('%s', (model) => {
    const n = IMU_MODELS[model].gyroNoiseDensityRadPerSqrtHz;
    const { quarter, full } = walks(model);
    // 900 walks: the RMS of a zero-mean normal sample is within ~1/sqrt(2 x 900) = 2.4 % (1 sigma) of sigma; 15 % is 6 sigma.
    expect(rms(full) / (n * Math.sqrt(T_S))).toBeGreaterThan(0.85);
    expect(rms(full) / (n * Math.sqrt(T_S))).toBeLessThan(1.15);
    expect(rms(quarter) / (n * Math.sqrt(T_S / 4))).toBeGreaterThan(0.85);
    expect(rms(quarter) / (n * Math.sqrt(T_S / 4))).toBeLessThan(1.15);
    // A random walk, not a drift: four times the time, twice the spread (a bias would give four times).
    expect(rms(full) / rms(quarter)).toBeGreaterThan(1.7);
    expect(rms(full) / rms(quarter)).toBeLessThan(2.3);
  });

  it('orders the models by their data-sheet densities: ICM-42688-P < MPU-6000 < BMI088', () => {
    const r = (m: keyof typeof IMU_MODELS) => rms(walks(m).full);
    const icm = r('icm-42688-p'), mpu = r('mpu-6000'), bmi = r('bmi088');
    expect(icm).toBeLessThan(mpu);
    expect(mpu).toBeLessThan(bmi);
  });
});
