import { describe, expect, it } from 'vitest';
import { quatFromEuler, type Vec3 } from '../../../sim/math.ts';
import { Rng } from '../../../sim/rng.ts';
import type { SenseContext } from '../../../sim/sensor.ts';
import { Barometer, BAROMETER_DEFAULTS, type BarometerParams, type BarometerSample, isaAltitudeM, isaPressurePa } from '../../../sim/sensors/barometer.ts';
import { mean, std } from './setup.ts';

const level = { position: [0, 0, 0] as Vec3, rotation: [0, 0, 0, 1] as [number, number, number, number] };

/** Samples a barometer on an actor held at `position` (ENU), at its own rate, without a physics world. */
function run(p: Partial<BarometerParams>, position: Vec3, n: number, seed = 5): BarometerSample[] {
  const baro = new Barometer({ name: 'baro', mount: level, ...BAROMETER_DEFAULTS, ...p });
  const rng = Rng.stream(seed, 'sensor/baro');
  const ctx = {
    self: { id: 'uav', kind: 'uav', position, rotation: [0, 0, 0, 1], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true },
    time: 0,
  } as unknown as { -readonly [K in keyof SenseContext]: SenseContext[K] };
  const out: BarometerSample[] = [];
  for (let i = 0; i < n; i++) {
    ctx.time = i / baro.rateHz;
    out.push(baro.sample(ctx as SenseContext, rng));
  }
  return out;
}

const noDrift = { biasSigmaPa: 0 };

describe('ISA pressure model', () => {
  it('gives the standard-atmosphere table values (101 325 Pa at 0 m, 89 874.6 Pa at 1000 m) and inverts exactly', () => {
    expect(isaPressurePa(0)).toBe(101_325);
    expect(isaPressurePa(1000)).toBeCloseTo(89_874.6, 0);
    for (const h of [-100, 0, 123.4, 2500]) expect(isaAltitudeM(isaPressurePa(h))).toBeCloseTo(h, 6);
  });
});

describe('barometer', () => {
  it('without noise reads the true height above the ENU origin, wherever the origin is', () => {
    const s = run({ pressureNoiseSigmaPa: 0, biasSigmaPa: 0, originAltitudeAmslM: 488 }, [3, 4, 57.5], 3);
    expect(s[0]!.altitudeM).toBeCloseTo(57.5, 6);
    expect(s[0]!.pressurePa).toBeCloseTo(isaPressurePa(545.5), 6);
  });

  it('reads the mount point: a sensor 0.2 m above the body origin, body pitched 90 deg, reads the offset horizontally', () => {
    const baro = new Barometer({ name: 'b', ...BAROMETER_DEFAULTS, pressureNoiseSigmaPa: 0, biasSigmaPa: 0, mount: { position: [0, 0, 0.2], rotation: [0, 0, 0, 1] } });
    const self = { id: 'u', kind: 'uav', position: [0, 0, 10] as Vec3, rotation: [0, 0, 0, 1] as [number, number, number, number], linearVelocity: [0, 0, 0] as Vec3, angularVelocity: [0, 0, 0] as Vec3, present: true };
    const rng = Rng.stream(1, 'b');
    expect(baro.sample({ self, time: 0 } as unknown as SenseContext, rng).altitudeM).toBeCloseTo(10.2, 6);
    self.rotation = quatFromEuler(0, Math.PI / 2, 0);
    expect(baro.sample({ self, time: 0.02 } as unknown as SenseContext, rng).altitudeM).toBeCloseTo(10, 6);
  });

  it('white noise is 1 Pa RMS (PX4 SITL) within 5 %, ~0.083 m at sea level, and unbiased', () => {
    const n = 20_000; // rel. sd of sigma-hat 1 / sqrt(2n) = 0.5 %
    const s = run(noDrift, [0, 0, 0], n);
    const truth = isaPressurePa(0);
    const dp = s.map((x) => x.pressurePa - truth);
    const sigma = std(dp);
    console.info(`[baro] white noise ${sigma.toFixed(4)} Pa (spec 1), altitude sd ${std(s.map((x) => x.altitudeM)).toFixed(4)} m`);
    expect(Math.abs(sigma - 1)).toBeLessThan(0.05);
    expect(Math.abs(mean(dp))).toBeLessThan(4 / Math.sqrt(n));
    // dh/dp = -1 / (rho g) = -1 / (1.225 * 9.80665) at sea level: 0.0832 m per Pa
    expect(std(s.map((x) => x.altitudeM))).toBeCloseTo(0.0832, 2);
    // white: consecutive samples uncorrelated
    let c = 0;
    for (let i = 1; i < n; i++) c += dp[i]! * dp[i - 1]!;
    expect(Math.abs(c / (n - 1) / sigma ** 2)).toBeLessThan(0.04);
  });

  it('the drift has the 8 Pa (BMP388 relative accuracy) stationary sigma across runs, within 15 %', () => {
    const first: number[] = [];
    for (let seed = 0; seed < 800; seed++) first.push(run({ pressureNoiseSigmaPa: 0 }, [0, 0, 0], 1, seed)[0]!.pressurePa - isaPressurePa(0));
    const sigma = std(first); // rel. sd 1 / sqrt(1600) = 2.5 %
    console.info(`[baro] bias across 800 seeds: sigma ${sigma.toFixed(3)} Pa (spec 8)`);
    expect(Math.abs(sigma / 8 - 1)).toBeLessThan(0.15);
  });

  it('the drift is Gauss-Markov: correlation e^-1 after one correlation time, and its sigma holds over a run', () => {
    const tau = 2; // short, so that the run covers 1000 correlation times
    const n = 100_000; // 2000 s at 50 Hz
    const b = run({ pressureNoiseSigmaPa: 0, biasCorrelationTimeS: tau }, [0, 0, 0], n, 11).map((x) => x.pressurePa - isaPressurePa(0));
    const m = mean(b);
    const k = tau * 50;
    let num = 0, den = 0;
    for (let i = 0; i < n; i++) {
      den += (b[i]! - m) ** 2;
      if (i + k < n) num += (b[i]! - m) * (b[i + k]! - m);
    }
    const rho = num / den; // sd ~ sqrt(0.59 tau / D) = 0.024
    console.info(`[baro] bias rho(tau) ${rho.toFixed(4)} (spec ${Math.exp(-1).toFixed(4)}), in-run sigma ${std(b).toFixed(3)} Pa`);
    expect(Math.abs(rho - Math.exp(-1))).toBeLessThan(0.08);
    expect(Math.abs(std(b) / 8 - 1)).toBeLessThan(0.1);
  });

  it('is deterministic in the seed', () => {
    const a = run({}, [0, 0, 20], 200, 3).map((x) => x.pressurePa);
    expect(run({}, [0, 0, 20], 200, 3).map((x) => x.pressurePa)).toEqual(a);
    expect(run({}, [0, 0, 20], 200, 4).map((x) => x.pressurePa)).not.toEqual(a);
  });

  it('rejects a negative noise sigma', () => {
    expect(() => new Barometer({ name: 'b', mount: level, ...BAROMETER_DEFAULTS, pressureNoiseSigmaPa: -1 })).toThrow(/pressureNoiseSigmaPa/);
  });
});
