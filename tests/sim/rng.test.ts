import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/rng.ts';

describe('Rng', () => {
  it('is a pure function of (seed, stream)', () => {
    const a = Rng.stream(42, 'lidar'), b = Rng.stream(42, 'lidar');
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
  });

  it('streams with different names or seeds are different', () => {
    const x = Rng.stream(42, 'lidar').next();
    expect(Rng.stream(42, 'gnss').next()).not.toBe(x);
    expect(Rng.stream(43, 'lidar').next()).not.toBe(x);
    expect(Rng.stream(42, 'a').fork('b').next()).toBe(Rng.stream(42, 'a/b').next());
  });

  it('uniform values lie in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = Rng.stream(1, 'u');
    const n = 200_000;
    let s = 0, s2 = 0, outside = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      s += x;
      s2 += x * x;
    }
    expect(outside).toBe(0);
    const mean = s / n, variance = s2 / n - mean * mean;
    // Standard error of the mean: sqrt(1/12/n) = 6.5e-4; allow 5 sigma.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(2e-3);
  });

  it('normal draws have the requested mean and standard deviation', () => {
    const r = Rng.stream(2, 'n');
    const n = 200_000;
    let s = 0, s2 = 0, beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal(3, 0.5);
      s += x;
      s2 += x * x;
      if (Math.abs(x - 3) > 1) beyond2++;
    }
    const mean = s / n, sd = Math.sqrt(s2 / n - mean * mean);
    expect(mean).toBeCloseTo(3, 2);
    expect(sd).toBeCloseTo(0.5, 2);
    // P(|z| > 2) = 4.55 %
    expect(beyond2 / n).toBeGreaterThan(0.042);
    expect(beyond2 / n).toBeLessThan(0.049);
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => Rng.stream(1.5, 'x')).toThrow(/safe integer/);
    expect(() => Rng.stream(Number.NaN, 'x')).toThrow(/safe integer/);
  });
});
