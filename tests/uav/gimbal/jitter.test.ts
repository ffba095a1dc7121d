import { describe, expect, it } from 'vitest';
import { angularJitter, ButterworthHighPass } from '../../../uav/gimbal/jitter.ts';

const DEG = Math.PI / 180;
const FS = 1000; // the gimbal's 1 kHz step (issue #5)

function signal(seconds: number, f: (t: number) => number): Float64Array {
  const n = Math.round(seconds * FS), out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = f(k / FS);
  return out;
}

describe('ButterworthHighPass', () => {
  it('has the Butterworth magnitude: -3 dB at the cutoff, 1/sqrt(1 + (fc/f)^4) elsewhere (bilinear warping is negligible at 1 Hz of 1 kHz)', () => {
    const hp = new ButterworthHighPass(1, FS);
    expect(hp.gainAt(1)).toBeCloseTo(Math.SQRT1_2, 4);
    for (const f of [0.1, 0.3, 3, 10, 100]) expect(hp.gainAt(f)).toBeCloseTo(1 / Math.sqrt(1 + (1 / f) ** 4), 3);
  });

  it('refuses a cutoff at or above Nyquist, or not positive', () => {
    expect(() => new ButterworthHighPass(500, FS)).toThrow(/cutoffHz < sampleHz \/ 2/);
    expect(() => new ButterworthHighPass(0, FS)).toThrow();
  });
});

describe('angularJitter', () => {
  it('reads a 0.004 deg vibration at the blade-pass frequency (here 120 Hz) as peak 0.004 deg, RMS 0.004/sqrt(2) deg', () => {
    const a = 0.004 * DEG;
    const j = angularJitter(signal(5, (t) => a * Math.sin(2 * Math.PI * 120 * t)), FS, 1);
    expect(j.peakRad / a).toBeGreaterThan(0.99);
    expect(j.peakRad / a).toBeLessThan(1.01);
    expect(j.rmsRad / (a / Math.SQRT2)).toBeCloseTo(1, 2);
    expect(j.samples).toBe(4000);
  });

  it('ignores drift and offset: a 0.5 deg offset plus a 1 deg swing at 0.05 Hz leaves under 0.005 deg; the same plus a 0.01 deg vibration reads 0.01 deg', () => {
    const drift = (t: number) => 0.5 * DEG + 1 * DEG * Math.sin(2 * Math.PI * 0.05 * t);
    const slow = angularJitter(signal(20, drift), FS, 5);
    // 1 deg at 0.05 Hz through the filter: (0.05)^2 = 0.0025 deg.
    expect(slow.peakRad).toBeLessThan(0.005 * DEG);
    const shaky = angularJitter(signal(20, (t) => drift(t) + 0.01 * DEG * Math.sin(2 * Math.PI * 50 * t)), FS, 5);
    expect(shaky.peakRad).toBeGreaterThan(0.0095 * DEG);
    expect(shaky.peakRad).toBeLessThan(0.0135 * DEG);
  });

  it('leaves out the settling period: a step at t = 0.5 s that rings out counts only when the window starts before it', () => {
    const step = signal(4, (t) => (t >= 0.5 ? 0.1 * DEG : 0));
    expect(angularJitter(step, FS, 0).peakRad).toBeGreaterThan(0.09 * DEG);
    // After 3 s the high-passed step has decayed (time constant ~ 1 / (2 pi fc)).
    expect(angularJitter(step, FS, 3.5).peakRad).toBeLessThan(0.002 * DEG);
  });

  it('rejects NaN samples and a negative settling time with a clear error', () => {
    expect(() => angularJitter([0, NaN, 0], FS, 0)).toThrow(/sample 1 is not finite/);
    expect(() => angularJitter([0, 0], FS, -1)).toThrow(/settleS must be >= 0/);
  });
});
