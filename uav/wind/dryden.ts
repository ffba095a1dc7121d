/**
 * Dryden turbulence, MIL-F-8785C low-altitude model (below 1000 ft AGL).
 *
 * Spectra (MIL-F-8785C section 3.7, atmospheric disturbances; Phi_w as
 * restated by the Modelica Standard Library's DrydenContinuousTurbulence
 * example, H_u = sigma_u sqrt(2 L_u / (pi V)) / (1 + (L_u / V) s) as restated
 * on probsee.com's Dryden page), spatial frequency Omega
 * in rad/m, temporal omega = Omega V for a vehicle at airspeed V through a
 * frozen field:
 *   Phi_u(Omega) = sigma_u^2 (2 L_u / pi) / (1 + (L_u Omega)^2)
 *   Phi_v(Omega) = sigma_v^2 (L_v / pi) (1 + 3 (L_v Omega)^2) / (1 + (L_v Omega)^2)^2
 *   Phi_w: as Phi_v with w.
 * Their autocorrelations over a separation xi are
 *   R_u = sigma_u^2 exp(-xi / L_u)
 *   R_v = sigma_v^2 (1 - xi / (2 L_v)) exp(-xi / L_v)
 * so the longitudinal correlation at xi = L_u is e^-1 and the transverse one
 * at xi = L_v is e^-1 / 2 (the tests check both).
 *
 * Low-altitude scale lengths and intensities, h in FEET above ground:
 *   L_w = h,  L_u = L_v = h / (0.177 + 0.000823 h)^1.2
 *   sigma_w = 0.1 W20,  sigma_u / sigma_w = sigma_v / sigma_w = 1 / (0.177 + 0.000823 h)^0.4
 * with W20 the wind speed at 20 ft: 15 kt light, 30 kt moderate, 45 kt severe.
 * These are the MIL-F-8785C forms. MIL-HDBK-1797, as MATLAB's Dryden block
 * documentation presents it (recalled, not re-read for this file), writes
 * L_v = L_u / 2 and L_w = h / 2 with transverse spectra in 2 L:
 * sigma^2 (2 L / pi) (1 + 12 (L Omega)^2) / (1 + 4 (L Omega)^2)^2, which is
 * the form above with L replaced by 2 L, i.e. the same turbulence. Mixing
 * one's lengths with the other's spectra would halve the transverse
 * correlation lengths, so Skylane uses the MIL-F-8785C pair throughout.
 * Sources checked: the low-altitude laws as restated by the vulcan library's
 * MIL-spec turbulence docs (tanged123.github.io/vulcan, wind namespace) and
 * the Modelica Standard Library's DrydenContinuousTurbulence example
 * (L_w = h, sigma = W20 / 10, 30 kt moderate); MATLAB's block pages confirm
 * they implement MIL-F-8785C / MIL-HDBK-1797 but their formula tables were
 * not readable in the copy searched. W20 = 30 kt for moderate is confirmed by
 * the Modelica page; 15 kt light and 45 kt severe are the MIL-F-8785C values
 * as commonly quoted (MATLAB's block documentation), not re-read in the
 * specification itself.
 *
 * Discrete time. Each component is a unit-variance state driven by white
 * noise, scaled by its current sigma on output:
 * - u: first-order Gauss-Markov, exact discretisation
 *   x_k = phi x_{k-1} + sqrt(1 - phi^2) n,  phi = exp(-V dt / L_u).
 * - v, w: the shaping filter (1 + sqrt(3) T s) / (1 + T s)^2, T = L / V,
 *   realised as two cascaded lags: z = 1 / (1 + T s) (unit-variance
 *   Gauss-Markov) and y = 1 / (1 + T s) z; output
 *   sigma ((1 - sqrt 3) y + sqrt 3 z) / sqrt 2 (the bracket's variance is 2,
 *   from the stationary covariance P = [[1, 1/2], [1/2, 1/2]] of (z, y)).
 *   The step is exact: (z, y)_k = Phi (z, y)_{k-1} + q with
 *   Phi = e^-h [[1, 0], [h, 1]], h = dt / T, and q ~ N(0, P - Phi P Phi^T)
 *   drawn through its 2x2 Cholesky factor.
 * Because P does not depend on T, a change of airspeed or altitude between
 * steps keeps every state at exactly its stationary variance (the filter
 * never "winds up" or decays), only the correlation time changes.
 */
import { M_PER_FT, MPS_PER_KT } from './units.ts';

export type TurbulenceSeverity = 'light' | 'moderate' | 'severe';

/** W20, wind speed at 20 ft (MIL-F-8785C low-altitude model; see header for what was verified), m/s. */
export const W20_MPS: Readonly<Record<TurbulenceSeverity, number>> = {
  light: 15 * MPS_PER_KT, // 15 kt
  moderate: 30 * MPS_PER_KT, // 30 kt
  severe: 45 * MPS_PER_KT, // 45 kt
};

/** Upper limit of the low-altitude model: 1000 ft (MIL-F-8785C; MATLAB's Dryden blocks switch models there). */
export const LOW_ALTITUDE_MAX_M = 1000 * M_PER_FT;
/**
 * Lower limit Skylane applies: 10 ft. Skylane assumption: L_w = h goes to zero
 * at the ground, where the model (a free-air law) stops meaning anything.
 */
export const LOW_ALTITUDE_MIN_M = 10 * M_PER_FT;

export interface DrydenParams {
  /** Intensities, m/s. */
  sigmaUMps: number;
  sigmaVMps: number;
  sigmaWMps: number;
  /** Scale lengths, m. */
  lengthUM: number;
  lengthVM: number;
  lengthWM: number;
}

/**
 * MIL-F-8785C low-altitude Dryden parameters for a height above ground (m)
 * and a W20 (m/s). The height is held to [10 ft, 1000 ft]: below, see
 * LOW_ALTITUDE_MIN_M; above, the 1000 ft values, where the law is already
 * isotropic (sigma_u = sigma_v = sigma_w, L = 1000 ft), stand in for the
 * medium/high-altitude model Skylane does not implement.
 */
export function drydenLowAltitude(heightM: number, w20Mps: number, out: DrydenParams = emptyParams()): DrydenParams {
  if (!Number.isFinite(heightM)) throw new RangeError(`dryden: height must be finite, got ${heightM}`);
  if (!(w20Mps >= 0) || !Number.isFinite(w20Mps)) throw new RangeError(`dryden: W20 must be finite and >= 0, got ${w20Mps}`);
  const hM = Math.min(LOW_ALTITUDE_MAX_M, Math.max(LOW_ALTITUDE_MIN_M, heightM));
  const hFt = hM / M_PER_FT; // the laws are in feet
  const k = 0.177 + 0.000823 * hFt;
  const luFt = hFt / Math.pow(k, 1.2);
  out.lengthUM = luFt * M_PER_FT;
  out.lengthVM = luFt * M_PER_FT; // MIL-F-8785C: L_v = L_u
  out.lengthWM = hM; // L_w = h
  out.sigmaWMps = 0.1 * w20Mps; // W20 in m/s already; the 0.1 is dimensionless
  out.sigmaUMps = out.sigmaWMps / Math.pow(k, 0.4);
  out.sigmaVMps = out.sigmaUMps;
  return out;
}

function emptyParams(): DrydenParams {
  return { sigmaUMps: 0, sigmaVMps: 0, sigmaWMps: 0, lengthUM: 0, lengthVM: 0, lengthWM: 0 };
}

const SQRT3 = Math.sqrt(3);
const SQRT2 = Math.sqrt(2);

/**
 * One vehicle's Dryden filter state: a unit-variance state for u, and (z, y)
 * pairs for v and w. Turbulence is felt along a vehicle's own path, so every
 * vehicle owns one of these.
 */
export class DrydenState {
  private u = 0;
  /** [z_v, y_v, z_w, y_w]. */
  private readonly zy = new Float64Array(4);

  /** Draws the states from their stationary distribution (no start-up transient). */
  init(next: () => number): void {
    this.u = next();
    for (let i = 0; i < 4; i += 2) {
      const n1 = next();
      this.zy[i] = n1;
      this.zy[i + 1] = 0.5 * n1 + 0.5 * next(); // var 1/2, cov with z 1/2
    }
  }

  /**
   * Advances the states by `dt` seconds at airspeed `vMps` through the scale
   * lengths in `p`. `next` draws standard normals.
   */
  step(dt: number, vMps: number, p: DrydenParams, next: () => number): void {
    const pu = Math.exp((-vMps * dt) / p.lengthUM);
    this.u = pu * this.u + Math.sqrt(-Math.expm1((-2 * vMps * dt) / p.lengthUM)) * next();
    stepTransverse(this.zy, 0, (vMps * dt) / p.lengthVM, next);
    stepTransverse(this.zy, 2, (vMps * dt) / p.lengthWM, next);
  }

  /** Turbulence in the (u, v, w) frame, m/s, scaled by the current intensities. */
  output(p: DrydenParams, out: DrydenSample): DrydenSample {
    const zy = this.zy;
    out.u = p.sigmaUMps * this.u;
    out.v = (p.sigmaVMps * ((1 - SQRT3) * zy[1]! + SQRT3 * zy[0]!)) / SQRT2;
    out.w = (p.sigmaWMps * ((1 - SQRT3) * zy[3]! + SQRT3 * zy[2]!)) / SQRT2;
    return out;
  }
}

export interface DrydenSample {
  u: number;
  v: number;
  w: number;
}

/**
 * Exact step of one (z, y) cascade at zy[i], zy[i + 1] over h = dt / T (see
 * header). Written with expm1 so that a small h (fast physics, long scale
 * lengths) keeps its digits.
 */
function stepTransverse(zy: Float64Array, i: number, h: number, next: () => number): void {
  const z0 = zy[i]!, y0 = zy[i + 1]!;
  const e = Math.exp(-h);
  const em = Math.expm1(-2 * h); // e^-2h - 1
  // Q = P - Phi P Phi^T with P = [[1, 1/2], [1/2, 1/2]], Phi = e^-h [[1, 0], [h, 1]].
  const q11 = -em;
  const q12 = -h - (h + 0.5) * em;
  const q22 = -(h * h + h) - (h * h + h + 0.5) * em;
  const l11 = Math.sqrt(q11);
  const l21 = l11 > 0 ? q12 / l11 : 0;
  const l22 = Math.sqrt(Math.max(0, q22 - l21 * l21)); // max(): round-off only, Q is positive semi-definite
  const n1 = next(), n2 = next();
  zy[i] = e * z0 + l11 * n1;
  zy[i + 1] = e * (h * z0 + y0) + l21 * n1 + l22 * n2;
}
