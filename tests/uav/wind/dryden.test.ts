import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../sim/math.ts';
import { Rng } from '../../../sim/rng.ts';
import { drydenLowAltitude, LOW_ALTITUDE_MAX_M, W20_MPS } from '../../../uav/wind/dryden.ts';
import { WindField, type WindProbe } from '../../../uav/wind/wind-field.ts';

/** Runs one probe at a fixed point and airspeed; returns the u, v, w series (turbulence axes). */
function series(probe: WindProbe, n: number, dt: number, heightM: number, airspeedMps: number | ((t: number) => number)) {
  const u = new Float64Array(n), v = new Float64Array(n), w = new Float64Array(n);
  const pos: Vec3 = [0, 0, heightM];
  const out: Vec3 = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const t = i * dt;
    probe.sample(t, pos, typeof airspeedMps === 'number' ? airspeedMps : airspeedMps(t), out);
    const d = probe.turbulence;
    u[i] = d.u;
    v[i] = d.v;
    w[i] = d.w;
  }
  return { u, v, w };
}

function stats(x: Float64Array) {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return { mean: m, sd: Math.sqrt(s / x.length) };
}

/** Normalised autocorrelation at a lag of k samples. */
function autocorr(x: Float64Array, k: number): number {
  const { mean: m } = stats(x);
  let num = 0, den = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]! - m;
    den += a * a;
    if (i + k < x.length) num += a * (x[i + k]! - m);
  }
  return num / den;
}

const field = (severity: 'light' | 'moderate' | 'severe', seed = 1, steadyMps: Vec3 = [5, 0, 0]) =>
  new WindField({ steadyMps, turbulence: { severity } }, Rng.stream(seed, 'wind'));

// Long-run setting: 50 m AGL, 10 m/s. Hand-computed from the MIL-F-8785C laws (h = 164.04 ft,
// 0.177 + 0.000823 h = 0.31201): L_u = L_v = 202.29 m, L_w = 50 m; moderate W20 = 30 kt = 15.433 m/s,
// sigma_w = 1.5433 m/s, sigma_u = sigma_v = 2.4592 m/s.
const H = 50;
const V = 10;

describe('MIL-F-8785C low-altitude parameters', () => {
  it('match a hand computation at 50 m, moderate', () => {
    const p = drydenLowAltitude(H, W20_MPS.moderate);
    expect(p.lengthUM).toBeCloseTo(202.29, 1);
    expect(p.lengthVM).toBeCloseTo(202.29, 1);
    expect(p.lengthWM).toBeCloseTo(50, 6);
    expect(p.sigmaWMps).toBeCloseTo(1.5433, 3);
    expect(p.sigmaUMps).toBeCloseTo(2.4592, 3);
    expect(p.sigmaVMps).toBeCloseTo(2.4592, 3);
  });

  it('become isotropic at 1000 ft (L = h = 1000 ft, sigma_u = sigma_w) and are held there above', () => {
    const p = drydenLowAltitude(LOW_ALTITUDE_MAX_M, W20_MPS.severe);
    expect(p.lengthUM).toBeCloseTo(LOW_ALTITUDE_MAX_M, 6);
    expect(p.sigmaUMps).toBeCloseTo(p.sigmaWMps, 9);
    expect(drydenLowAltitude(2000, W20_MPS.severe)).toEqual(p);
  });
});

describe('Dryden turbulence, generated', () => {
  // D = 40 000 s at dt = 0.05 s, about 2000 correlation times T_u = L_u / V = 20.2 s (8000 of T_w = 5 s).
  // Sampling error (Gauss-Markov): rel. sd of sigma-hat ~ sqrt(T / (2 D)) = 1.6 % for u, 0.8 % for w;
  // sd of rho-hat(T_u) ~ sqrt(0.59 T / D) = 0.017. Tolerances: 5 % on sigma, 0.06 on rho (> 3.5 sd).
  const dt = 0.05;
  const n = 800_000;
  const p = drydenLowAltitude(H, W20_MPS.moderate);
  const s = series(field('moderate').probe('uav1'), n, dt, H, V);
  const measured = { u: stats(s.u).sd, v: stats(s.v).sd, w: stats(s.w).sd };

  it('u, v, w have the specified standard deviations within 5 %', () => {
    expect(measured.u / p.sigmaUMps).toBeGreaterThan(0.95);
    expect(measured.u / p.sigmaUMps).toBeLessThan(1.05);
    expect(measured.v / p.sigmaVMps).toBeGreaterThan(0.95);
    expect(measured.v / p.sigmaVMps).toBeLessThan(1.05);
    expect(measured.w / p.sigmaWMps).toBeGreaterThan(0.95);
    expect(measured.w / p.sigmaWMps).toBeLessThan(1.05);
    console.info(`[dryden] sigma measured u ${measured.u.toFixed(4)} v ${measured.v.toFixed(4)} w ${measured.w.toFixed(4)} m/s; spec u ${p.sigmaUMps.toFixed(4)} v ${p.sigmaVMps.toFixed(4)} w ${p.sigmaWMps.toFixed(4)}`);
  });

  it('u decorrelates to e^-1 at a lag of L_u / V (first-order Dryden), within 0.06', () => {
    const rho = autocorr(s.u, Math.round(p.lengthUM / V / dt));
    console.info(`[dryden] rho_u(L_u/V) = ${rho.toFixed(4)} (spec ${Math.exp(-1).toFixed(4)})`);
    expect(Math.abs(rho - Math.exp(-1))).toBeLessThan(0.06);
    // and not at half or twice the length: e^-0.5 = 0.61, e^-2 = 0.14
    expect(Math.abs(autocorr(s.u, Math.round(p.lengthUM / (2 * V) / dt)) - Math.exp(-0.5))).toBeLessThan(0.06);
  });

  it('v and w follow the transverse law (1 - xi / 2L) e^(-xi / L): e^-1 / 2 at xi = L, 0 at xi = 2L, within 0.05', () => {
    const kv = Math.round(p.lengthVM / V / dt), kw = Math.round(p.lengthWM / V / dt);
    const rv = autocorr(s.v, kv), rw = autocorr(s.w, kw);
    console.info(`[dryden] rho_v(L_v/V) = ${rv.toFixed(4)}, rho_w(L_w/V) = ${rw.toFixed(4)} (spec ${(Math.exp(-1) / 2).toFixed(4)}); rho_w(2 L_w/V) = ${autocorr(s.w, 2 * kw).toFixed(4)} (spec 0)`);
    expect(Math.abs(rv - Math.exp(-1) / 2)).toBeLessThan(0.05);
    expect(Math.abs(rw - Math.exp(-1) / 2)).toBeLessThan(0.05);
    expect(Math.abs(autocorr(s.w, 2 * kw))).toBeLessThan(0.05);
    // a first-order filter on w would give e^-1 at L_w / V: the second-order shape is really there
    expect(rw).toBeLessThan(Math.exp(-1) - 0.1);
  });

  it('keeps its variance when the airspeed changes between steps (hover to cruise and back)', () => {
    const q = series(field('moderate', 4).probe('uav1'), 200_000, dt, H, (t) => (Math.floor(t / 50) % 2 === 0 ? 1 : 20));
    const r = stats(q.w).sd / p.sigmaWMps;
    expect(r).toBeGreaterThan(0.93);
    expect(r).toBeLessThan(1.07);
  });
});

describe('Dryden turbulence, severity and seeds', () => {
  it('light < moderate < severe, in the W20 = 15 / 30 / 45 kt ratio', () => {
    const sd = (sev: 'light' | 'moderate' | 'severe') => stats(series(field(sev, 2).probe('a'), 100_000, 0.05, H, V).w).sd;
    const l = sd('light'), m = sd('moderate'), s = sd('severe');
    expect(l).toBeLessThan(m);
    expect(m).toBeLessThan(s);
    // Same seed, same stream: the series are exact multiples of each other.
    expect(m / l).toBeCloseTo(2, 9);
    expect(s / l).toBeCloseTo(3, 9);
    expect(l / (0.1 * 15 * (1852 / 3600))).toBeGreaterThan(0.85);
    expect(l / (0.1 * 15 * (1852 / 3600))).toBeLessThan(1.15);
  });

  it('the same seed gives the same series; another seed, or another vehicle, a different one', () => {
    const a = series(field('moderate', 7).probe('uav1'), 2000, 0.01, H, V);
    const b = series(field('moderate', 7).probe('uav1'), 2000, 0.01, H, V);
    const c = series(field('moderate', 8).probe('uav1'), 2000, 0.01, H, V);
    const d = series(field('moderate', 7).probe('uav2'), 2000, 0.01, H, V);
    expect(Array.from(b.u)).toEqual(Array.from(a.u));
    expect(Array.from(b.w)).toEqual(Array.from(a.w));
    expect(Array.from(c.u)).not.toEqual(Array.from(a.u));
    expect(Array.from(d.u)).not.toEqual(Array.from(a.u));
  });

  it('a second vehicle does not change the first one\'s turbulence', () => {
    const f = field('moderate', 7);
    const p1 = f.probe('uav1');
    const p2 = f.probe('uav2');
    const out: Vec3 = [0, 0, 0];
    const alone = series(field('moderate', 7).probe('uav1'), 500, 0.01, H, V);
    for (let i = 0; i < 500; i++) {
      p2.sample(i * 0.01, [3, 4, 20], 5, out);
      p1.sample(i * 0.01, [0, 0, H], V, out);
      expect(p1.turbulence.u).toBe(alone.u[i]);
    }
  });
});

describe('WindField output (ENU)', () => {
  it('is steady wind plus turbulence along the wind axes: u along the steady wind, w up', () => {
    const f = new WindField({ steadyMps: [0, 8, 0], turbulence: { severity: 'light' } }, Rng.stream(3, 'wind'));
    const probe = f.probe('x');
    const out: Vec3 = [0, 0, 0];
    for (let i = 0; i < 50; i++) {
      probe.sample(i * 0.1, [0, 0, 30], 8, out);
      const d = probe.turbulence;
      // u along +y (north), v to its left (-x, west), w along +z
      expect(out[0]).toBeCloseTo(-d.v, 12);
      expect(out[1]).toBeCloseTo(8 + d.u, 12);
      expect(out[2]).toBeCloseTo(d.w, 12);
    }
  });

  it('without turbulence is exactly the steady wind and needs no random draw', () => {
    const f = new WindField({ steadyMps: [3, -2, 0.5] }, Rng.stream(1, 'wind'));
    expect(f.probe('a').sample(12, [0, 0, 10], 0, [0, 0, 0])).toEqual([3, -2, 0.5]);
  });

  it('rejects time going backwards and a negative airspeed', () => {
    const probe = field('light').probe('a');
    const out: Vec3 = [0, 0, 0];
    probe.sample(1, [0, 0, 10], 5, out);
    expect(() => probe.sample(0.5, [0, 0, 10], 5, out)).toThrow(/non-decreasing/);
    expect(() => probe.sample(2, [0, 0, 10], -1, out)).toThrow(/airspeed/);
    expect(() => new WindField({ turbulence: {} }, Rng.stream(1, 'w'))).toThrow(/severity/);
  });
});
