/** The gimbal error plot's data: peak-keeping decimation, the criterion's high-pass, a sliding window, in mdeg. */
import { describe, expect, it } from 'vitest';
import { angularJitter, ButterworthHighPass } from '../../uav/gimbal/jitter.ts';
import { GimbalTrace, MDEG_PER_RAD, symmetricRange } from '../../web/gimbal-trace.ts';

const LOG_HZ = 2000;
const SUBSTEPS = 8; // 2 kHz under a 250 Hz physics tick

/** A deterministic test error, rad: drift, a 3 Hz sway and a 160 Hz vibration with a pseudo-random part, per axis. */
function errorAt(k: number, axis: number): number {
  const t = k / LOG_HZ;
  const r = Math.sin(12.9898 * (k + 1) * (axis + 1)) * 43758.5453;
  return 1e-4 * t + 2e-4 * Math.sin(2 * Math.PI * 3 * t + axis) + 5e-5 * Math.sin(2 * Math.PI * 160 * t) + 2e-5 * (r - Math.floor(r) - 0.5);
}

/** Feed `ticks` physics ticks of errorAt to a trace, the way the panel does (the log of each tick). */
function feed(trace: GimbalTrace, ticks: number, from = 0): void {
  const log = new Float64Array(3 * SUBSTEPS);
  for (let i = from; i < from + ticks; i++) {
    for (let k = 0; k < SUBSTEPS; k++) for (let a = 0; a < 3; a++) log[3 * k + a] = errorAt(i * SUBSTEPS + k, a);
    trace.push(log, SUBSTEPS, (i * SUBSTEPS + SUBSTEPS - 1) / LOG_HZ);
  }
}

describe('GimbalTrace', () => {
  it('keeps every peak: the largest |error| of the decimated raw series is the largest of the substeps, sign and all', () => {
    const trace = new GimbalTrace({ logHz: LOG_HZ, bucket: 4, windowS: 10 });
    feed(trace, 500); // 2 s
    const w = trace.window('raw');
    expect(w.t.length).toBe((500 * SUBSTEPS) / 4);
    for (const [a, s] of [w.x, w.y, w.z].entries()) {
      let peak = 0;
      for (let k = 0; k < 500 * SUBSTEPS; k++) if (Math.abs(errorAt(k, a)) > Math.abs(peak)) peak = errorAt(k, a);
      let got = 0;
      for (const v of s) if (Math.abs(v) > Math.abs(got)) got = v;
      expect(got).toBeCloseTo(peak * MDEG_PER_RAD, 9);
    }
  });

  it("high-passes with the jitter criterion's 1 Hz Butterworth, fed every substep", () => {
    const trace = new GimbalTrace({ logHz: LOG_HZ, bucket: 4, windowS: 10 });
    feed(trace, 750); // 3 s
    for (let a = 0; a < 3; a++) {
      const series = Array.from({ length: 750 * SUBSTEPS }, (_, k) => errorAt(k, a));
      expect(trace.hpPeakMdeg[a]).toBeCloseTo(angularJitter(series, LOG_HZ, 0).peakRad * MDEG_PER_RAD, 9);
    }
    // The last point of the hp series is the filter's output at the peak substep of the last bucket.
    const hp = new ButterworthHighPass(1, LOG_HZ);
    const out = Array.from({ length: 750 * SUBSTEPS }, (_, k) => hp.step(errorAt(k, 0) * MDEG_PER_RAD));
    const last = out.slice(-4).reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
    const w = trace.window('hp');
    expect(w.x[w.x.length - 1]).toBeCloseTo(last, 9);
  });

  it('slides: holds the newest window only, times rising to the last substep fed', () => {
    const trace = new GimbalTrace({ logHz: LOG_HZ, bucket: 4, windowS: 1 });
    expect(trace.capacity).toBe(500);
    feed(trace, 250 * 3 + 7); // 3.03 s
    const w = trace.window('hp');
    expect(trace.count).toBe(500);
    expect(w.t.length).toBe(500);
    for (let i = 1; i < w.t.length; i++) expect(w.t[i]!).toBeGreaterThan(w.t[i - 1]!);
    const lastT = (757 * SUBSTEPS - 1) / LOG_HZ;
    expect(trace.lastTime).toBeCloseTo(lastT, 12);
    expect(w.t[w.t.length - 1]).toBeLessThanOrEqual(lastT + 1e-12);
    expect(w.t[w.t.length - 1]).toBeGreaterThan(lastT - 4 / LOG_HZ);
    expect(w.t[0]).toBeGreaterThan(lastT - 1 - 4 / LOG_HZ);
    // The raw series' times are those of the substeps: on the 0.5 ms grid.
    for (const t of trace.window('raw').t) expect(Math.abs(t * LOG_HZ - Math.round(t * LOG_HZ))).toBeLessThan(1e-6);
  });

  it('rejects a bucket, rate or window it cannot use', () => {
    expect(() => new GimbalTrace({ logHz: LOG_HZ, bucket: 0, windowS: 10 })).toThrow(RangeError);
    expect(() => new GimbalTrace({ logHz: LOG_HZ, bucket: 1.5, windowS: 10 })).toThrow(RangeError);
    expect(() => new GimbalTrace({ logHz: 0, bucket: 4, windowS: 10 })).toThrow(RangeError);
    expect(() => new GimbalTrace({ logHz: LOG_HZ, bucket: 4, windowS: 0 })).toThrow(RangeError);
  });
});

describe('symmetricRange', () => {
  it('covers the data with a margin, and at least the band', () => {
    const w = { t: new Float64Array(2), x: Float64Array.of(1, -2), y: Float64Array.of(0.5, 0), z: Float64Array.of(0, 0) };
    expect(symmetricRange(w, 10)).toEqual([-11, 11]);
    const r = symmetricRange({ ...w, z: Float64Array.of(-40, 3) }, 10);
    expect(r[0]).toBeCloseTo(-44, 12);
    expect(r[1]).toBeCloseTo(44, 12);
  });
});
