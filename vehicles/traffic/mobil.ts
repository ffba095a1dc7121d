/**
 * MOBIL ("minimizing overall braking induced by lane changes"): the lane-change
 * decision for NPC traffic. Kesting, Treiber & Helbing (2007), "General
 * lane-changing model MOBIL for car-following models", Transp. Res. Rec.
 * 1999:86-94.
 *
 * The caller evaluates the car-following model (here the IDM) twice for each
 * of the three affected cars, before and after the prospective change:
 * - c, the deciding car: a_c (current lane), ã_c (behind its new leader);
 * - o, its old follower:  a_o (behind c), ã_o (behind c's old leader);
 * - n, its new follower:  a_n (behind its current leader), ã_n (behind c).
 *
 * Safety criterion: ã_n >= -b_safe (the change must not force the new follower
 *   to brake harder than b_safe).
 * Incentive criterion (symmetric passing rules, the default, as in US/China
 *   multi-lane traffic where overtaking on either side is allowed):
 *   ã_c - a_c + p [(ã_n - a_n) + (ã_o - a_o)] > Δa_th
 *
 * Asymmetric ("keep right", European) rules, opt-in via keepRightBiasMps2 > 0,
 * in the form of Kesting et al. 2007 (sec. "Asymmetric passing rules"): only
 * the follower in the faster (left) lane counts, since cars in the right lane
 * have no priority over it, and a bias Δa_bias favours the right lane:
 *   to the left:  ã_c - a_c + p (ã_n - a_n) > Δa_th + Δa_bias
 *   to the right: ã_c - a_c + p (ã_o - a_o) > Δa_th - Δa_bias
 * The "no overtaking on the right" rule of that model changes how ã_c is
 * computed (the caller's IDM evaluation), not this decision.
 *
 * Missing cars: pass 0 for both accelerations of a follower that does not
 * exist (its terms vanish and it is trivially safe). A missing new leader is
 * an IDM evaluation with gap = Infinity.
 *
 * Overlap: if c would land on top of or in front of the new follower with no
 * gap, the IDM guard returns -b_max for ã_n, which fails the safety criterion
 * as long as b_safe < b_max (validateMobilParams does not enforce this, but
 * every preset here keeps it).
 */

export interface MobilParams {
  /** p, politeness factor (dimensionless): 0 selfish, 1 weighs others as much as itself. */
  politeness: number;
  /** Δa_th, the acceleration gain a change must exceed (against lane hopping), m/s^2. */
  thresholdMps2: number;
  /** b_safe, the hardest braking a change may impose on the new follower (positive), m/s^2. */
  safeDecelMps2: number;
  /** Δa_bias for keep-right rules, m/s^2; 0 = symmetric passing rules (the default). */
  keepRightBiasMps2: number;
}

/**
 * Defaults from the parameter table of M. Treiber, "The lane-change model
 * MOBIL" (www.vwi.tu-dresden.de/~treiber/MicroApplet/MOBIL.html):
 * b_safe = 4 m/s^2, Δa_th = 0.2 m/s^2 (below the IDM a of any vehicle type),
 * right-lane bias 0.2 m/s^2 (European rules only; here 0, symmetric).
 * Politeness p = 0.5: the page's "realistic" range is 0...0.5; Skylane takes
 * the cooperative end so NPC traffic does not cut in on the ego needlessly.
 */
export const MOBIL_DEFAULT: Readonly<MobilParams> = Object.freeze({
  politeness: 0.5,
  thresholdMps2: 0.2,
  safeDecelMps2: 4,
  keepRightBiasMps2: 0,
});

/** European keep-right rules: MOBIL_DEFAULT plus the page's 0.2 m/s^2 right-lane bias. */
export const MOBIL_KEEP_RIGHT: Readonly<MobilParams> = Object.freeze({
  ...MOBIL_DEFAULT,
  keepRightBiasMps2: 0.2,
});

export type LaneChangeDirection = 'left' | 'right';

/** Accelerations, m/s^2, before and after the prospective change (see the file comment). */
export interface MobilAccelerations {
  /** a_c, ã_c */
  selfBefore: number;
  selfAfter: number;
  /** a_o, ã_o (0, 0 when there is no old follower) */
  oldFollowerBefore: number;
  oldFollowerAfter: number;
  /** a_n, ã_n (0, 0 when there is no new follower) */
  newFollowerBefore: number;
  newFollowerAfter: number;
}

export interface MobilDecision {
  /** True when the change is both safe and worth it. */
  change: boolean;
  /** Safety criterion: ã_n >= -b_safe (and every input finite). */
  safe: boolean;
  /** The left-hand side of the incentive criterion, m/s^2. */
  incentiveMps2: number;
  /** The right-hand side it had to exceed (Δa_th, +/- the bias), m/s^2. */
  thresholdMps2: number;
}

export function validateMobilParams(p: Readonly<MobilParams>): void {
  if (!Number.isFinite(p.politeness)) throw new RangeError(`MOBIL politeness must be finite, got ${p.politeness}`);
  if (!Number.isFinite(p.thresholdMps2)) throw new RangeError(`MOBIL thresholdMps2 must be finite, got ${p.thresholdMps2}`);
  if (!(p.safeDecelMps2 > 0) || !Number.isFinite(p.safeDecelMps2)) {
    throw new RangeError(`MOBIL safeDecelMps2 must be a positive finite number, got ${p.safeDecelMps2}`);
  }
  if (!(p.keepRightBiasMps2 >= 0) || !Number.isFinite(p.keepRightBiasMps2)) {
    throw new RangeError(`MOBIL keepRightBiasMps2 must be a non-negative finite number, got ${p.keepRightBiasMps2}`);
  }
}

/**
 * Decide a lane change. Writes into `out` when given (no allocation in a
 * per-tick loop) and returns it. `direction` only matters with keep-right rules.
 */
export function mobilDecide(
  acc: Readonly<MobilAccelerations>,
  direction: LaneChangeDirection,
  p: Readonly<MobilParams>,
  out: MobilDecision = { change: false, safe: false, incentiveMps2: 0, thresholdMps2: 0 },
): MobilDecision {
  const selfGain = acc.selfAfter - acc.selfBefore;
  const oldGain = acc.oldFollowerAfter - acc.oldFollowerBefore;
  const newGain = acc.newFollowerAfter - acc.newFollowerBefore;
  let incentive: number, threshold: number;
  if (p.keepRightBiasMps2 > 0) {
    // Only the follower in the left (faster) lane has a say: the new one when
    // moving left, the old one when moving right.
    incentive = selfGain + p.politeness * (direction === 'left' ? newGain : oldGain);
    threshold = p.thresholdMps2 + (direction === 'left' ? p.keepRightBiasMps2 : -p.keepRightBiasMps2);
  } else {
    incentive = selfGain + p.politeness * (newGain + oldGain);
    threshold = p.thresholdMps2;
  }
  // `>=` on a negated bound so that a NaN input counts as unsafe.
  const safe = acc.newFollowerAfter >= -p.safeDecelMps2 && Number.isFinite(incentive);
  out.safe = safe;
  out.incentiveMps2 = incentive;
  out.thresholdMps2 = threshold;
  out.change = safe && incentive > threshold;
  return out;
}
