import { describe, expect, it } from 'vitest';
import {
  IDM_CITY,
  IDM_HIGHWAY,
  IDM_THH2000,
  idmAccel,
  idmDesiredGap,
  idmEquilibriumGap,
  idmFreeAccel,
  validateIdmParams,
  type IdmParams,
} from '../../../vehicles/traffic/idm.ts';

const presets: [string, IdmParams][] = [
  ['highway', IDM_HIGHWAY],
  ['city', IDM_CITY],
  ['THH2000', IDM_THH2000],
];

describe('IDM', () => {
  it('presets are valid and carry the cited values', () => {
    for (const [, p] of presets) expect(() => validateIdmParams(p)).not.toThrow();
    expect(IDM_HIGHWAY.desiredSpeedMps).toBeCloseTo(120 / 3.6, 12);
    expect(IDM_CITY.desiredSpeedMps).toBeCloseTo(54 / 3.6, 12);
    expect(IDM_THH2000.timeHeadwayS).toBe(1.6);
    expect(() => validateIdmParams({ ...IDM_HIGHWAY, desiredSpeedMps: 0 })).toThrow(/desiredSpeedMps/);
    expect(() => validateIdmParams({ ...IDM_HIGHWAY, minGapM: -1 })).toThrow(/minGapM/);
  });

  it('on a free road accelerates at a(1 - (v/v0)^4)', () => {
    for (const [, p] of presets) {
      for (const f of [0, 0.05, 0.2, 0.5, 0.8, 0.95, 1]) {
        const v = f * p.desiredSpeedMps;
        const expected = p.maxAccelMps2 * (1 - (v / p.desiredSpeedMps) ** 4);
        expect(idmFreeAccel(v, p)).toBeCloseTo(expected, 12);
        // No leader is a leader infinitely far away, whatever its speed.
        expect(idmAccel(v, Infinity, 0, p)).toBeCloseTo(expected, 12);
        expect(idmAccel(v, Infinity, 50, p)).toBeCloseTo(expected, 12);
      }
      expect(idmFreeAccel(0, p)).toBe(p.maxAccelMps2);
      expect(idmFreeAccel(p.desiredSpeedMps, p)).toBeCloseTo(0, 12);
      // Above v0 (e.g. after a speed-limit drop) it brakes, but never past b_max.
      expect(idmFreeAccel(1.2 * p.desiredSpeedMps, p)).toBeCloseTo(p.maxAccelMps2 * (1 - 1.2 ** 4), 12);
      expect(idmFreeAccel(3 * p.desiredSpeedMps, p)).toBe(-p.maxDecelMps2);
    }
  });

  it('has zero acceleration at the equilibrium gap s_e(v) = (s0 + vT)/sqrt(1 - (v/v0)^4), and brakes closer / speeds up farther', () => {
    for (const [, p] of presets) {
      for (const f of [0, 0.1, 0.3, 0.6, 0.9]) {
        const v = f * p.desiredSpeedMps;
        const se = (p.minGapM + v * p.timeHeadwayS) / Math.sqrt(1 - (v / p.desiredSpeedMps) ** 4);
        expect(idmEquilibriumGap(v, p)).toBeCloseTo(se, 9);
        expect(Math.abs(idmAccel(v, se, 0, p))).toBeLessThan(1e-12);
        expect(idmAccel(v, 0.9 * se, 0, p)).toBeLessThan(-0.02);
        expect(idmAccel(v, 1.1 * se, 0, p)).toBeGreaterThan(0.02);
      }
      expect(idmEquilibriumGap(p.desiredSpeedMps, p)).toBe(Infinity);
    }
  });

  it('brakes harder when closing in than when the leader pulls away, and never wants less than s0', () => {
    const p = IDM_HIGHWAY;
    expect(idmAccel(20, 40, 5, p)).toBeLessThan(idmAccel(20, 40, 0, p));
    expect(idmAccel(20, 40, 0, p)).toBeLessThan(idmAccel(20, 40, -5, p));
    expect(idmDesiredGap(10, -100, p)).toBe(p.minGapM);
    expect(idmDesiredGap(10, 0, p)).toBe(p.minGapM + 10 * p.timeHeadwayS);
  });

  it('returns a finite emergency value, -b_max, for a gap of zero, a negative gap or NaN, and stays in [-b_max, a] everywhere', () => {
    const p = IDM_HIGHWAY;
    for (const gap of [0, -0, -1, -1e9, NaN, -Infinity]) {
      expect(idmAccel(20, gap, 5, p)).toBe(-p.maxDecelMps2);
      expect(idmAccel(0, gap, 0, p)).toBe(-p.maxDecelMps2);
    }
    for (const v of [0, 1, 30, 60, -1]) {
      for (const gap of [1e-12, 0.01, 1, 2, 50, 1e6, Infinity]) {
        for (const dv of [-Infinity, -30, 0, 30, Infinity, NaN]) {
          const acc = idmAccel(v, gap, dv, p);
          expect(Number.isFinite(acc)).toBe(true);
          expect(acc).toBeGreaterThanOrEqual(-p.maxDecelMps2);
          expect(acc).toBeLessThanOrEqual(p.maxAccelMps2);
        }
      }
    }
  });

  it('a platoon of 10 cars starting from a standing queue converges to the leader speed at s_e without a collision', () => {
    // Leader cruises at 15 m/s; ten IDM followers start at rest, 3 m apart.
    // Ballistic update with the speed clamped at 0 (Treiber & Kanagaraj 2015).
    const p = IDM_HIGHWAY;
    const n = 11, lengthM = 4.5, dt = 0.01, leaderSpeed = 15;
    const x = new Float64Array(n), v = new Float64Array(n), acc = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = -i * (lengthM + 3);
    v[0] = leaderSpeed;
    let minGap = Infinity;
    for (let step = 0; step < 300 / dt; step++) {
      for (let i = 1; i < n; i++) acc[i] = idmAccel(v[i]!, x[i - 1]! - x[i]! - lengthM, v[i]! - v[i - 1]!, p);
      for (let i = 1; i < n; i++) {
        const vNew = Math.max(0, v[i]! + acc[i]! * dt);
        x[i]! += 0.5 * (v[i]! + vNew) * dt;
        v[i] = vNew;
      }
      x[0]! += leaderSpeed * dt;
      for (let i = 1; i < n; i++) minGap = Math.min(minGap, x[i - 1]! - x[i]! - lengthM);
    }
    expect(minGap).toBeGreaterThan(p.minGapM * 0.5);
    const se = idmEquilibriumGap(leaderSpeed, p);
    for (let i = 1; i < n; i++) {
      expect(Math.abs(v[i]! - leaderSpeed)).toBeLessThan(0.01);
      expect(Math.abs(x[i - 1]! - x[i]! - lengthM - se)).toBeLessThan(0.05);
    }
  });
});
