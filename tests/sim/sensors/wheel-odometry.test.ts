import { afterEach, describe, expect, it } from 'vitest';
import { WheelOdometry, type WheelOdometryParams, type WheelOdometrySample } from '../../../sim/sensors/wheel-odometry.ts';
import type { World } from '../../../sim/world.ts';
import type { RoverCommand } from '../../../vehicles/rover/rover.ts';
import { mean, sensorWorld } from './setup.ts';

let world: World | null = null;
afterEach(() => {
  world?.dispose();
  world = null;
});

// A rover-sized encoder, coarse on purpose so the quantisation shows: 6.28 mm per tick, 0.0628 m/s per tick at 10 Hz.
const P: Omit<WheelOdometryParams, 'scaleErrorSigma'> = {
  name: 'odom', rateHz: 10, mount: { position: [0, 0, 0], rotation: [0, 0, 0, 1] },
  wheelRadiusM: 0.1, trackWidthM: 0.37, ticksPerRev: 100,
};
const TICK = (2 * Math.PI * 0.1) / 100;

async function odomWorld(scaleErrorSigma: number, command: RoverCommand, seed = 4) {
  const s = await sensorWorld<WheelOdometrySample>(new WheelOdometry({ ...P, scaleErrorSigma }), { command, seed });
  world = s.world;
  return s;
}

describe('wheel odometry', () => {
  it('quantises: integer ticks, speeds in whole ticks per interval, within one tick of the truth, no accumulation', async () => {
    const s = await odomWorld(0, { speedMps: 1, yawRateRadPerS: 0 });
    s.run(500);
    for (const { value } of s.samples) {
      expect(Number.isInteger(value.leftTicks) && Number.isInteger(value.rightTicks)).toBe(true);
      const halfTicks = (value.speedMps * 0.1 * 2) / TICK; // (nl + nr) per interval
      expect(Math.abs(halfTicks - Math.round(halfTicks))).toBeLessThan(1e-6);
    }
    const last = s.samples.at(-1)!.value;
    expect(Math.abs(last.speedMps - 1)).toBeLessThanOrEqual(TICK / 0.1 + 0.02);
    // After ~4.9 m, the cumulative count is still within one tick (plus rectangle-rule error) of the distance.
    const travelled = s.world.stateOf('ego').position[0];
    expect(Math.abs(last.leftTicks * TICK - travelled)).toBeLessThan(TICK + 0.05);
    // The speed readings are not all the same value: quantisation dithers around 1 m/s.
    expect(new Set(s.samples.slice(20).map((x) => x.value.speedMps.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('a rolling-radius error scales the distance by 1 / (1 + e)', async () => {
    const ratios: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const s = await odomWorld(0.01, { speedMps: 2, yawRateRadPerS: 0 }, seed);
      s.run(500);
      ratios.push((s.samples.at(-1)!.value.leftTicks * TICK) / s.world.stateOf('ego').position[0]);
      s.world.dispose();
      world = null;
    }
    // 9 m at 6 mm per tick: quantisation is < 0.1 %, so a spread of ~1 % shows the scale error.
    const spread = Math.max(...ratios) - Math.min(...ratios);
    expect(spread).toBeGreaterThan(0.005);
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.05);
  });

  it('reads the yaw rate from differential wheel speeds (turning on the spot)', async () => {
    const s = await odomWorld(0, { speedMps: 0, yawRateRadPerS: 0.8 });
    s.run(400);
    const later = s.samples.slice(10);
    expect(mean(later.map((x) => x.value.yawRateRadPerS))).toBeCloseTo(0.8, 1);
    expect(Math.abs(mean(later.map((x) => x.value.speedMps)))).toBeLessThan(0.02);
  });
});
