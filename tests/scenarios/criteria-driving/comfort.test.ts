import { afterEach, describe, expect, it } from 'vitest';
import { Comfort } from '../../../scenarios/criteria/driving/comfort.ts';
import { buildHighway } from '../../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig } from './harness.ts';

afterEach(disposeRigs);
const network = () => new RoadNetwork(buildHighway({ lanesPerDirection: 1, lengthM: 100 }));

/** Counter-clockwise circle of radius R about (0, R) at speed v, starting at the origin heading east. */
const circle = (R: number, v: number) => (t: number) => ({ x: R * Math.sin((v * t) / R), y: R - R * Math.cos((v * t) / R), yawRad: (v * t) / R });

describe('comfort', () => {
  it('passes a steady 10 m/s turn of radius 50 m, measuring v^2/R and v/R', async () => {
    const r = await rig(network());
    r.scripted('ego', 'ego', circle(50, 10));
    const c = new Comfort('comfort', r.ctx);
    r.run(6, c);
    const res = c.result();
    expect(res).toMatchObject({ passed: true, value: 0, unit: 'bounds exceeded' });
    expect(c.peaks.maxAbsLatAccel.value).toBeCloseTo(2.0, 1);
    expect(c.peaks.maxAbsYawRate.value).toBeCloseTo(0.2, 2);
    expect(Math.abs(c.peaks.maxLonAccel.value)).toBeLessThan(0.05);
    expect(c.peaks.maxAbsLonJerk.value).toBeLessThan(0.1);
    expect(c.bounds).toEqual({
      maxLonAccel: 2.4, minLonAccel: -4.05, maxAbsLatAccel: 4.89, maxAbsYawRate: 0.95,
      maxAbsYawAccel: 1.93, maxAbsLonJerk: 4.13, maxAbsMagJerk: 8.37,
    });
    expect(res.thresholdSource).toMatch(/^seeds:miit-2a-comfort-max-lon-accel/);
  });

  it('passes a gentle speed change (1 m/s^2 reached over 2 s)', async () => {
    const r = await rig(network());
    // Acceleration ramps 0 -> 1 m/s^2 at 0.5 m/s^3 from t = 1 s, then holds.
    const x = (t: number) => {
      const u = Math.max(0, t - 1);
      const ramp = Math.min(u, 2);
      const hold = Math.max(0, u - 2);
      return 10 * t + (0.5 * ramp ** 3) / 6 + (hold > 0 ? (0.5 * 4) / 2 * hold + 1 * hold ** 2 / 2 : 0);
    };
    r.scripted('ego', 'ego', (t) => ({ x: x(t), y: 0, yawRad: 0 }));
    const c = new Comfort('comfort', r.ctx);
    r.run(5, c);
    expect(c.result().passed).toBe(true);
    expect(c.peaks.maxLonAccel.value).toBeCloseTo(1, 1);
    expect(c.peaks.maxAbsLonJerk.value).toBeLessThan(0.6);
  });

  it('fails a 6 m/s^2 emergency stop from 15 m/s: deceleration and jerk beyond nuPlan\'s bounds', async () => {
    const r = await rig(network());
    const x = (t: number) => {
      if (t < 1) return 15 * t;
      const u = Math.min(t - 1, 2.5);
      return 15 + 15 * u - 3 * u * u;
    };
    r.scripted('ego', 'ego', (t) => ({ x: x(t), y: 0, yawRad: 0 }));
    const c = new Comfort('comfort', r.ctx);
    r.run(5, c);
    const res = c.result();
    expect(res.passed).toBe(false);
    expect(c.peaks.minLonAccel.value).toBeCloseTo(-6, 1);
    expect(c.peaks.maxAbsLonJerk.value).toBeGreaterThan(4.13);
    expect(res.value).toBeGreaterThanOrEqual(2);
    expect(res.reason).toMatch(/longitudinal acceleration min -6\.0\d m\/s\^2/);
  });

  it('fails a tight turn: yaw rate and lateral acceleration beyond the bounds', async () => {
    const r = await rig(network());
    r.scripted('ego', 'ego', circle(4, 5));
    const c = new Comfort('comfort', r.ctx);
    r.run(3, c);
    expect(c.result().passed).toBe(false);
    expect(c.peaks.maxAbsYawRate.value).toBeCloseTo(1.25, 2);
    expect(c.peaks.maxAbsLatAccel.value).toBeGreaterThan(4.89);
    expect(c.result().reason).toMatch(/\|yaw rate\| max 1\.25/);
  });
});
