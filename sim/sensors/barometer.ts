/**
 * A barometric altimeter: static pressure at the sensor, and the altitude it
 * implies, relative to the scenario's ENU origin.
 *
 * Truth. The sensor's height is the ground-truth z of its mount point
 * (actor position plus the rotated mount offset), plus the altitude of the
 * ENU origin above mean sea level. Pressure follows the ISA troposphere
 * (ISO 2533 / ICAO Doc 7488, valid to 11 km):
 *   p = p0 (1 - L h / T0)^(g0 / (R L)),
 * p0 = 101 325 Pa, T0 = 288.15 K, L = 0.0065 K/m, g0 = 9.806 65 m/s^2,
 * R = 287.052 87 J/(kg K), so the exponent is 5.2559. The altitude output
 * inverts the same formula, so a noiseless barometer reads the truth exactly.
 * Geometric and geopotential height are not distinguished (the difference is
 * h^2 / R_earth, 1.6 mm at 100 m). Weather (a non-standard sea-level
 * pressure) would be a constant offset, which the bias below absorbs.
 *
 * Noise, in pressure (so its altitude effect grows with height, as a real
 * sensor's does), each term from the sensor's own seeded stream:
 * - white noise, 1 Pa RMS: PX4's SITL barometer (PX4-SITL_gazebo-classic
 *   src/gazebo_barometer_plugin.cpp, "Apply 1 Pa RMS noise"), about 0.08 m
 *   at sea level (dp/dh = rho g = 12.0 Pa/m);
 * - a slowly drifting bias: a first-order Gauss-Markov process with
 *   steady-state sigma 8 Pa, Bosch BMP388 data sheet (BST-BMP388-DS001)
 *   relative accuracy +-0.08 hPa (+-0.66 m), the "typical" figure read as
 *   1 sigma as the IMU does; its correlation time, 300 s, is Skylane's
 *   assumption (the data sheet gives no drift time constant; PX4's SITL
 *   models drift as a linear Pa/s ramp, off by default). The bias starts from
 *   its stationary distribution on the first sample;
 * - optionally a turn-on offset, drawn once (default 0): flight stacks zero
 *   the barometer on the ground before take-off, so the data sheet's absolute
 *   accuracy (+-0.5 hPa) does not reach the altitude estimate.
 * Rate 50 Hz: Skylane's default.
 */
import type { Pose, Quat, Vec3 } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';
import { sensorPose } from './object-list.ts';

/** ISA sea-level pressure, Pa (ISO 2533). */
export const ISA_P0_PA = 101_325;
/** ISA sea-level temperature, K (ISO 2533). */
export const ISA_T0_K = 288.15;
/** ISA troposphere lapse rate, K/m (ISO 2533). */
export const ISA_LAPSE_K_PER_M = 0.0065;
const G0 = 9.80665; // standard gravity, m/s^2
const R_AIR = 287.05287; // specific gas constant of dry air, J/(kg K) (ISO 2533)
const ISA_EXPONENT = G0 / (R_AIR * ISA_LAPSE_K_PER_M); // 5.2559

/** ISA pressure at an altitude above mean sea level, Pa (troposphere). */
export function isaPressurePa(altitudeAmslM: number): number {
  return ISA_P0_PA * Math.pow(1 - (ISA_LAPSE_K_PER_M * altitudeAmslM) / ISA_T0_K, ISA_EXPONENT);
}

/** ISA pressure altitude above mean sea level for a pressure, m (the inverse of `isaPressurePa`). */
export function isaAltitudeM(pressurePa: number): number {
  return (ISA_T0_K / ISA_LAPSE_K_PER_M) * (1 - Math.pow(pressurePa / ISA_P0_PA, 1 / ISA_EXPONENT));
}

export interface BarometerParams {
  name: string;
  rateHz: number;
  mount: Pose;
  /** Altitude of the scenario's ENU origin above mean sea level, m. */
  originAltitudeAmslM: number;
  /** White pressure noise, Pa RMS. */
  pressureNoiseSigmaPa: number;
  /** Steady-state sigma of the Gauss-Markov bias, Pa. */
  biasSigmaPa: number;
  /** Correlation time of the Gauss-Markov bias, s. */
  biasCorrelationTimeS: number;
  /** Constant offset drawn once per run, sigma in Pa. */
  turnOnBiasSigmaPa: number;
}

/** Defaults (see the file header for each source). */
export const BAROMETER_DEFAULTS = {
  rateHz: 50, // Skylane default
  originAltitudeAmslM: 0, // Skylane default: scenarios set their site's altitude
  pressureNoiseSigmaPa: 1, // PX4 SITL gazebo_barometer_plugin: 1 Pa RMS
  biasSigmaPa: 8, // BMP388 relative accuracy +-0.08 hPa, read as 1 sigma
  biasCorrelationTimeS: 300, // Skylane assumption (no data-sheet figure)
  turnOnBiasSigmaPa: 0, // zeroed on the ground by the flight stack (see header)
} as const;

export interface BarometerSample {
  /** Static pressure, Pa. */
  pressurePa: number;
  /** Barometric altitude relative to the ENU origin (ISA inverse of `pressurePa`), m, z up. */
  altitudeM: number;
}

const _o: Vec3 = [0, 0, 0];
const _q: Quat = [0, 0, 0, 1];

export class Barometer implements Sensor<BarometerSample> {
  readonly type = 'barometer';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  private readonly p: BarometerParams;
  private bias = 0;
  private offset = 0;
  private prevTime = NaN;

  constructor(p: BarometerParams) {
    for (const k of ['pressureNoiseSigmaPa', 'biasSigmaPa', 'turnOnBiasSigmaPa'] as const) {
      if (!(p[k] >= 0) || !Number.isFinite(p[k])) throw new RangeError(`barometer '${p.name}': ${k} must be finite and >= 0`);
    }
    if (!(p.biasCorrelationTimeS > 0)) throw new RangeError(`barometer '${p.name}': biasCorrelationTimeS must be > 0`);
    if (!(p.rateHz > 0)) throw new RangeError(`barometer '${p.name}': rateHz must be > 0`);
    if (!Number.isFinite(p.originAltitudeAmslM)) throw new RangeError(`barometer '${p.name}': originAltitudeAmslM must be finite`);
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
  }

  sample(ctx: SenseContext, rng: Rng): BarometerSample {
    const p = this.p;
    if (Number.isNaN(this.prevTime)) {
      // Power-up: the constant offset, and the drift from its stationary distribution.
      this.offset = rng.normal(0, p.turnOnBiasSigmaPa);
      this.bias = rng.normal(0, p.biasSigmaPa);
    } else {
      const phi = Math.exp(-(ctx.time - this.prevTime) / p.biasCorrelationTimeS);
      this.bias = phi * this.bias + p.biasSigmaPa * Math.sqrt(1 - phi * phi) * rng.normal();
    }
    this.prevTime = ctx.time;
    sensorPose(ctx, this.mount, _o, _q);
    const truePa = isaPressurePa(p.originAltitudeAmslM + _o[2]);
    const pressurePa = truePa + this.offset + this.bias + p.pressureNoiseSigmaPa * rng.normal();
    return { pressurePa, altitudeM: isaAltitudeM(pressurePa) - p.originAltitudeAmslM };
  }
}
