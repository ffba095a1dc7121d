import { afterEach, describe, expect, it } from 'vitest';
import { quatFromEuler } from '../../../sim/math.ts';
import { BMI088, Imu, type ImuParams, type ImuSample } from '../../../sim/sensors/imu.ts';
import type { World } from '../../../sim/world.ts';
import type { RoverCommand } from '../../../vehicles/rover/rover.ts';
import { mean, sensorWorld, std } from './setup.ts';

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

const level = { position: [0, 0, 0] as [number, number, number], rotation: [0, 0, 0, 1] as [number, number, number, number] };
const noBias = { gyroTurnOnBiasSigmaRadPerS: 0, gyroBiasInstabilityRadPerS: 0, accelTurnOnBiasSigmaMps2: 0, accelBiasInstabilityMps2: 0 };
const G = BMI088.gravityMps2;

async function imuWorld(p: Partial<ImuParams>, command?: RoverCommand, seed = 9) {
  const imu = new Imu({ name: 'imu', mount: level, ...BMI088, ...p });
  const s = await sensorWorld<ImuSample>(imu, { seed, ...(command ? { command } : {}) });
  world = s.world;
  return s;
}

describe('IMU (BMI088)', () => {
  it('at rest reads specific force [0, 0, +g] within noise (first sample included: zero kinematic acceleration)', async () => {
    const s = await imuWorld(noBias);
    s.run(1100);
    expect(s.samples[0]!.value.accel[2]).toBeCloseTo(G, 1);
    const settled = s.samples.slice(100); // the rover is spawned 5 mm up and lands first
    const sigma = BMI088.accelNoiseDensityMps2PerSqrtHz * Math.sqrt(100);
    for (let i = 0; i < 3; i++) {
      const m = mean(settled.map((x) => x.value.accel[i]!));
      expect(Math.abs(m - (i === 2 ? G : 0))).toBeLessThan(4 * sigma / Math.sqrt(settled.length) + 2e-3);
    }
  });

  it('with the data-sheet turn-on bias, at rest reads +g within the 20 mg offset', async () => {
    const s = await imuWorld({});
    s.run(300);
    const az = mean(s.samples.slice(100).map((x) => x.value.accel[2]));
    expect(Math.abs(az - G)).toBeLessThan(4 * BMI088.accelTurnOnBiasSigmaMps2);
    // The bias is constant over the run: the first and last 100 samples agree to white noise.
    const ax = s.samples.map((x) => x.value.accel[0]);
    expect(Math.abs(mean(ax.slice(100, 200)) - mean(ax.slice(200, 300)))).toBeLessThan(0.01);
  });

  it('gyro white-noise variance matches density^2 x rate (0.014 deg/s/rtHz at 100 Hz: sigma_d = 0.14 deg/s)', async () => {
    const s = await imuWorld({});
    s.run(2000);
    const expected = BMI088.gyroNoiseDensityRadPerSqrtHz ** 2 * 100;
    for (let i = 0; i < 3; i++) {
      const v = std(s.samples.map((x) => x.value.gyro[i]!)) ** 2;
      // variance estimate relative sd sqrt(2 / n) = 3.2 %
      expect(Math.abs(v / expected - 1)).toBeLessThan(0.13);
    }
  });

  it('a mount rolled +90 deg sees gravity on its +y axis', async () => {
    const rolled = await sensorWorld<ImuSample>(new Imu({ name: 'imu', ...BMI088, ...noBias, mount: { position: [0, 0, 0], rotation: quatFromEuler(Math.PI / 2, 0, 0) } }));
    rolled.run(300);
    const later = rolled.samples.slice(100);
    expect(mean(later.map((x) => x.value.accel[0]))).toBeCloseTo(0, 2);
    expect(mean(later.map((x) => x.value.accel[1]))).toBeCloseTo(G, 2);
    expect(mean(later.map((x) => x.value.accel[2]))).toBeCloseTo(0, 2);
    rolled.world.dispose();
  });

  it('reads forward acceleration from differenced velocity (Jackal launch at its 2 m/s^2 limit)', async () => {
    const s = await imuWorld(noBias, { speedMps: 1.5, yawRateRadPerS: 0 });
    s.run(40);
    // t = 0.05..0.3 s: the drive is saturated at maxAccelMps2 = 2.
    const ax = s.samples.slice(5, 30).map((x) => x.value.accel[0]);
    expect(mean(ax)).toBeCloseTo(2, 1);
  });
});
