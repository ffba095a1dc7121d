/** The per-axis Kalman filter against closed forms. */
import { describe, expect, it } from 'vitest';
import { AxisKalman } from '../../../uav/estimation/axis-kalman.ts';
import { Rng } from '../../../sim/rng.ts';

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

  it('propagates the covariance as the dense F P F^T, bit for bit (the written-out product keeps the loop\'s sums)', () => {
    // The textbook dense product, as the filter computed it before it was written out.
    const dense = (P: Float64Array, n: number, dt: number, phi: number, qa: number, qb: number, bq: number) => {
      const F = new Float64Array(n * n), T = new Float64Array(n * n), out = new Float64Array(n * n);
      for (let i = 0; i < n; i++) F[i * n + i] = 1;
      F[1] = dt; F[2] = -0.5 * dt * dt; F[n + 2] = -dt;
      if (n === 4) F[3 * n + 3] = phi;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += F[i * n + k]! * P[k * n + j]!; T[i * n + j] = s; }
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += T[i * n + k]! * F[j * n + k]!; out[i * n + j] = s; }
      const dt2 = dt * dt;
      out[0] = out[0]! + (qa * dt2 * dt) / 3; out[1] = out[1]! + (qa * dt2) / 2; out[n] = out[n]! + (qa * dt2) / 2;
      out[n + 1] = out[n + 1]! + qa * dt; out[2 * n + 2] = out[2 * n + 2]! + qb * dt;
      if (n === 4) out[3 * n + 3] = out[3 * n + 3]! + bq;
      return out;
    };
    const rng = Rng.stream(1, 'axis-kalman/dense');
    let compared = 0;
    for (const n of [3, 4] as const) {
      const k = new AxisKalman(n);
      for (let trial = 0; trial < 200; trial++) {
        // Random symmetric P, with exact zeros and negative zeros sprinkled in.
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
          const r = rng.next();
          const v = r < 0.1 ? 0 : r < 0.15 ? -0 : rng.uniform(-2, 2) * 10 ** rng.uniform(-6, 1);
          k.P[i * n + j] = v; k.P[j * n + i] = v;
        }
        const dt = rng.uniform(1e-4, 0.05), phi = rng.uniform(0.9, 1), qa = rng.uniform(0, 1), qb = rng.uniform(0, 1e-3), bq = rng.uniform(0, 1e-3);
        const want = dense(k.P, n, dt, phi, qa, qb, bq);
        k.predict(rng.uniform(-5, 5), dt, qa, qb, phi, bq);
        for (let i = 0; i < n * n; i++) {
          expect(Object.is(k.P[i], want[i]), `n ${n} trial ${trial} P[${i}]: ${k.P[i]} vs ${want[i]}`).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBe(200 * (9 + 16));
  });

  it('refuses a barometer update without the bias state', () => {
    expect(() => new AxisKalman(3).fuseBaro(1, 1)).toThrow(/n = 4/);
  });
});
