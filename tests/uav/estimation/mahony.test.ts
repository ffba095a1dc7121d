/** The Mahony filter alone, on noiseless inputs. */
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../sim/math.ts';
import { MahonyAttitude } from '../../../uav/estimation/mahony.ts';

const G = 9.81;
const DEG = Math.PI / 180;
const rollOf = (q: readonly number[]) => Math.atan2(2 * (q[3]! * q[0]! + q[1]! * q[2]!), 1 - 2 * (q[0]! ** 2 + q[1]! ** 2));

describe('MahonyAttitude', () => {
  it('levels from a 10 deg roll error on gravity alone, and learns no bias once level (noiseless)', () => {
    const m = new MahonyAttitude();
    m.align([0, G * Math.sin(10 * DEG), G * Math.cos(10 * DEG)], 0); // aligned on a tilted reading
    expect(rollOf(m.q)).toBeCloseTo(10 * DEG, 9);
    const level: Vec3 = [0, 0, G], still: Vec3 = [0, 0, 0];
    for (let i = 0; i < 500; i++) m.update(still, level, 0.01);
    const after5 = Math.abs(rollOf(m.q));
    // PX4's gains: w_n = 0.14 rad/s, zeta = 0.71. After 5 s the error has more than halved.
    expect(after5).toBeLessThan(5 * DEG);
    for (let i = 0; i < 5500; i++) m.update(still, level, 0.01);
    expect(Math.abs(rollOf(m.q))).toBeLessThan(0.05 * DEG);
    expect(Math.hypot(...m.biasRadPerS)).toBeLessThan(1e-4);
  });

  it('learns a constant gyro bias from gravity (roll and pitch axes)', () => {
    const m = new MahonyAttitude();
    m.align([0, 0, G], 0);
    const bias: Vec3 = [0.01, -0.02, 0];
    for (let i = 0; i < 9000; i++) m.update(bias, [0, 0, G], 0.01);
    expect(m.biasRadPerS[0]).toBeCloseTo(0.01, 4);
    expect(m.biasRadPerS[1]).toBeCloseTo(-0.02, 4);
  });

  it('ignores a specific force outside 0.9 g..1.1 g when it has no GNSS reference (PX4 gate)', () => {
    const m = new MahonyAttitude();
    m.align([0, G * Math.sin(10 * DEG), G * Math.cos(10 * DEG)], 0);
    for (let i = 0; i < 500; i++) m.update([0, 0, 0], [0, 0, 1.2 * G], 0.01);
    expect(rollOf(m.q)).toBeCloseTo(10 * DEG, 9);
  });

  it('turns the yaw toward a dual-antenna heading (PI loop: w_n = 0.1 rad/s, zeta = 0.5, settled by 150 s)', () => {
    const m = new MahonyAttitude();
    m.align([0, 0, G], 0);
    for (let i = 0; i < 15000; i++) {
      if (i % 10 === 0) m.setHeading(0.2);
      m.update([0, 0, 0], [0, 0, G], 0.01);
    }
    const yaw = Math.atan2(2 * (m.q[3] * m.q[2] + m.q[0] * m.q[1]), 1 - 2 * (m.q[1] ** 2 + m.q[2] ** 2));
    expect(yaw).toBeCloseTo(0.2, 3);
    expect(Math.abs(m.biasRadPerS[2])).toBeLessThan(1e-4);
  });
});
