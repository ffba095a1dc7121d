/**
 * The "ACC model" of Kesting, Treiber & Helbing, "Enhanced intelligent
 * driver model to access the impact of driving strategies on traffic
 * capacity", Phil. Trans. R. Soc. A 368 (2010) 4585-4605, eq. (2.3)-(2.5):
 * the IDM blended with the constant-acceleration heuristic (CAH), so that
 * a car that cuts in (or a slower car revealed) at a gap well below the
 * IDM's desired gap is met with the braking the situation needs, not the
 * IDM's overreaction (which asks for b_max whenever s << s*).
 *
 *   a_CAH = v^2 ã_l / (v_l^2 - 2 s ã_l)          if v_l (v - v_l) <= -2 s ã_l
 *         = ã_l - (v - v_l)^2 Θ(v - v_l) / (2 s)  otherwise
 *   ã_l = min(a_l, a)
 *   a_ACC = a_IDM                                               if a_IDM >= a_CAH
 *         = (1 - c) a_IDM + c [a_CAH + b tanh((a_IDM - a_CAH) / b)]  otherwise
 *
 * with the paper's coolness factor c = 0.99. The leader's acceleration a_l
 * is not measured by the object list (velocity only); the pilot passes 0,
 * so a hard-braking leader is met by the IDM term's share, the tanh term's
 * extra -b, and the AEB behind them.
 */

/** Coolness factor c: Kesting, Treiber & Helbing 2010, table 1 (c = 0.99). */
export const ACC_COOLNESS = 0.99;

/**
 * ACC-model acceleration, m/s^2, from the IDM's `aIdm` for a follower at
 * `v` behind a leader at `vl` with acceleration `al`, net gap `gapM`;
 * `maxAccel` (a) and `comfortDecel` (b) are the IDM's.
 */
export function accModelAccel(aIdm: number, v: number, vl: number, al: number, gapM: number, maxAccel: number, comfortDecel: number, coolness = ACC_COOLNESS): number {
  if (!(gapM > 0)) return aIdm;
  const at = Math.min(al, maxAccel);
  let cah: number;
  if (vl * (v - vl) <= -2 * gapM * at) {
    const den = vl * vl - 2 * gapM * at;
    cah = den > 0 ? (v * v * at) / den : at;
  } else {
    cah = at - (v > vl ? (v - vl) * (v - vl) : 0) / (2 * gapM);
  }
  if (aIdm >= cah) return aIdm;
  return (1 - coolness) * aIdm + coolness * (cah + comfortDecel * Math.tanh((aIdm - cah) / comfortDecel));
}
