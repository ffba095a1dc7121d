/**
 * A running Savitzky-Golay filter (A. Savitzky and M. J. E. Golay, Anal.
 * Chem. 36(8), 1964): a least-squares polynomial of degree 2 over a centred
 * window of `2m + 1` equally spaced samples, evaluated at the window's centre,
 * either its value (smoothing) or its first derivative. nuPlan takes its
 * comfort derivatives the same way (scipy's savgol_filter, polyorder 2, in
 * nuplan/planning/metrics/utils/state_extractors.py, approximate_derivatives).
 *
 * Running: each `push` returns the estimate for the sample `m` pushes ago
 * (NaN until the window first fills), so an online criterion sees every
 * estimate `m` samples late and never sees the first and last `m`.
 *
 * Centre coefficients for degree 2 (Savitzky and Golay's tables, closed form):
 *   value:      c_i = (3(3m^2 + 3m - 1) - 15 i^2) / ((2m + 1)(4m^2 + 4m - 3))
 *   derivative: c_i = i / (dt * sum_j j^2),  sum_j j^2 = m(m + 1)(2m + 1) / 3
 * (the derivative at the centre of a quadratic fit equals the slope of the
 * straight-line fit, since the even term does not contribute).
 */
export class SavitzkyGolay {
  readonly halfWidth: number;
  private readonly coef: Float64Array;
  private readonly ring: Float64Array;
  private count = 0;

  /** `windowLength` odd and >= 3; `derivative` true for d/dt with sample period `dt` (s). */
  constructor(windowLength: number, derivative: boolean, dt = 1) {
    if (!(Number.isInteger(windowLength) && windowLength >= 3 && windowLength % 2 === 1)) {
      throw new RangeError(`Savitzky-Golay: the window must be an odd integer >= 3, got ${windowLength}`);
    }
    if (!(dt > 0)) throw new RangeError(`Savitzky-Golay: dt must be > 0, got ${dt}`);
    const m = (windowLength - 1) / 2;
    this.halfWidth = m;
    this.coef = new Float64Array(windowLength);
    const sumSq = (m * (m + 1) * (2 * m + 1)) / 3;
    const norm = (2 * m + 1) * (4 * m * m + 4 * m - 3);
    for (let i = -m; i <= m; i++) {
      this.coef[i + m] = derivative ? i / (dt * sumSq) : (3 * (3 * m * m + 3 * m - 1) - 15 * i * i) / norm;
    }
    this.ring = new Float64Array(windowLength);
  }

  /** Add a sample; the estimate at the window centre, or NaN while the window fills. */
  push(x: number): number {
    const n = this.ring.length;
    this.ring[this.count % n] = x;
    this.count++;
    if (this.count < n) return NaN;
    // Oldest sample first: index count - n.
    let acc = 0;
    for (let k = 0; k < n; k++) acc += this.coef[k]! * this.ring[(this.count - n + k) % n]!;
    return acc;
  }

  reset(): void {
    this.count = 0;
  }
}

/** A fixed delay of `n` samples (to line a raw signal up with filter outputs `n` samples late). */
export class Delay {
  private readonly ring: Float64Array;
  private count = 0;

  constructor(readonly n: number) {
    this.ring = new Float64Array(n + 1);
  }

  /** Add a sample; the one `n` pushes ago, or NaN before there is one. */
  push(x: number): number {
    const len = this.ring.length;
    this.ring[this.count % len] = x;
    this.count++;
    return this.count <= this.n ? NaN : this.ring[(this.count - 1 - this.n) % len]!;
  }
}
