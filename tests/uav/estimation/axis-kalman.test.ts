/** The per-axis Kalman filter against closed forms. */
import { describe, expect, it } from 'vitest';
import { AxisKalman } from '../../../uav/estimation/axis-kalman.ts';

describe('AxisKalman', () => {
  it('integrates the acceleration input exactly: p + v t + (u - b) t^2 / 2', () => {
    const k = new AxisKalman(3);
    k.reset([1, 2, 0.5], [1, 1, 1]);
    for (let i = 0; i < 100; i++) k.predict(3, 0.01, 0, 0);
    // u - b = 2.5 m/s^2 over 1 s
    expect(k.x[0]).toBeCloseTo(1 + 2 + 2.5 / 2, 12);
    expect(k.x[1]).toBeCloseTo(2 + 2.5, 12);
    expect(k.x[2]).toBe(0.5);
  });

  it('fusing n position measurements of a still state gives the information-filter variance 1 / (1 / P0 + n / R)', () => {
    const k = new AxisKalman(3);
    const p0 = 4, r = 0.25;
    k.reset([0, 0, 0], [Math.sqrt(p0), 1e-9, 1e-9]);
    for (let i = 0; i < 10; i++) k.fusePosition(1, r);
    expect(k.P[0]).toBeCloseTo(1 / (1 / p0 + 10 / r), 12);
    // the estimate is the information-weighted mean of the prior 0 and ten 1s
    expect(k.x[0]).toBeCloseTo((10 / r) / (1 / p0 + 10 / r), 12);
  });

  it('separates the barometer bias from height when GNSS position pins the height', () => {
    const k = new AxisKalman(4);
    k.reset([10, 0, 0, 0], [0.01, 0.05, 0.2, 0.66]);
    for (let i = 0; i < 50; i++) {
      k.predict(0, 0.02, 1e-4, 1e-6, 1, 0);
      k.fuseBaro(10.4, 0.083 ** 2); // the barometer reads 0.4 m high
      if (i % 5 === 0) k.fusePosition(10, 0.0085 ** 2);
    }
    expect(k.x[3]).toBeCloseTo(0.4, 2);
    expect(k.x[0]).toBeCloseTo(10, 2);
    // the covariance stays symmetric (Joseph form)
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(k.P[i * 4 + j]).toBeCloseTo(k.P[j * 4 + i]!, 15);
  });

  it('refuses a barometer update without the bias state', () => {
    expect(() => new AxisKalman(3).fuseBaro(1, 1)).toThrow(/n = 4/);
  });
});
