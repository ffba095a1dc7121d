/**
 * A linear Kalman filter along one world axis, driven by the IMU's
 * world-frame acceleration (the attitude-rotated specific force plus
 * gravity) as a known input, corrected by scalar position-like and velocity
 * measurements. States:
 *
 *   x = [p, v, b_a]          (n = 3: east, north)
 *   x = [p, v, b_a, b_baro]  (n = 4: up, with the barometer's bias)
 *
 * b_a is the world-frame acceleration bias along the axis (the
 * accelerometer's offset as seen through the current attitude); b_baro is
 * the barometer's slowly drifting offset, a first-order Gauss-Markov
 * process, exactly the model sim/sensors/barometer.ts draws from.
 *
 * Discrete model over dt with input u (measured acceleration):
 *   p+ = p + v dt + (u - b_a) dt^2 / 2,  v+ = v + (u - b_a) dt,
 *   b_a+ = b_a,  b_baro+ = phi b_baro,  phi = exp(-dt / tau).
 * Process noise: the input's white noise of spectral density q_a enters as
 * the classic white-acceleration block q_a [dt^3/3, dt^2/2; dt^2/2, dt]
 * (Bar-Shalom, Li, Kirubarajan, "Estimation with Applications to Tracking
 * and Navigation", 2001, sec. 6.2.2); the bias as a random walk of
 * density q_b; the barometer bias as sigma^2 (1 - phi^2) (its exact
 * discretisation). Measurements are fused one scalar at a time (they are
 * independent), with the Joseph form so P stays positive definite.
 * Allocation-free after construction.
 */
export class AxisKalman {
  readonly n: number;
  /** State, see the header. */
  readonly x: Float64Array;
  /** Covariance, row-major n x n. */
  readonly P: Float64Array;
  /** Innovation (measurement minus prediction) of the last fused measurement (a typed array: no boxed double per call). */
  readonly innovation = new Float64Array(1);
  private readonly T: Float64Array;
  private readonly K: Float64Array;
  private readonly PH: Float64Array;
  private readonly H: Float64Array;

  constructor(n: 3 | 4) {
    this.n = n;
    this.x = new Float64Array(n);
    this.P = new Float64Array(n * n);
    this.T = new Float64Array(n * n);
    this.K = new Float64Array(n);
    this.PH = new Float64Array(n);
    this.H = new Float64Array(n);
  }

  /** Sets the state and a diagonal covariance from standard deviations. */
  reset(x: readonly number[], sigma: readonly number[]): void {
    const n = this.n;
    this.P.fill(0);
    for (let i = 0; i < n; i++) {
      this.x[i] = x[i]!;
      this.P[i * n + i] = sigma[i]! * sigma[i]!;
    }
  }

  /**
   * Propagates over dt with acceleration input u, m/s^2. qAccel: the input's
   * white-noise density squared, (m/s^2)^2/Hz; qBias: the bias random walk,
   * (m/s^3)^2/Hz; baroPhi, baroQ: the barometer bias's Gauss-Markov step (n = 4).
   */
  predict(u: number, dt: number, qAccel: number, qBias: number, baroPhi = 1, baroQ = 0): void {
    const n = this.n, x = this.x, P = this.P, T = this.T;
    const a = u - x[2]!;
    x[0] = x[0]! + x[1]! * dt + 0.5 * a * dt * dt;
    x[1] = x[1]! + a * dt;
    if (n === 4) x[3] = baroPhi * x[3]!;

    // P = F P F^T with F = [[1, dt, -dt^2/2, 0], [0, 1, -dt, 0], [0, 0, 1, 0], [0, 0, 0, baroPhi]],
    // written out term by term: the dense triple loop's sums in the same
    // order with its 0 * x terms left out. Each sum starts from +0 as the
    // loop's does; a sum that starts at +0 is never -0, and adding a 0 * x
    // (+-0 for finite x) to it changes nothing, so the result is the loop's
    // bit for bit (P is finite). A predict runs 3 times per estimator tick.
    const c = -0.5 * dt * dt, mdt = -dt;
    // T = F P
    for (let j = 0; j < n; j++) {
      const p0 = P[j]!, p1 = P[n + j]!, p2 = P[2 * n + j]!;
      T[j] = 0 + p0 + dt * p1 + c * p2;
      T[n + j] = 0 + p1 + mdt * p2;
      T[2 * n + j] = 0 + p2;
      if (n === 4) T[3 * n + j] = 0 + baroPhi * P[3 * n + j]!;
    }
    // P = T F^T
    for (let i = 0; i < n; i++) {
      const r = i * n, t0 = T[r]!, t1 = T[r + 1]!, t2 = T[r + 2]!;
      P[r] = 0 + t0 + t1 * dt + t2 * c;
      P[r + 1] = 0 + t1 + t2 * mdt;
      P[r + 2] = 0 + t2;
      if (n === 4) P[r + 3] = 0 + T[r + 3]! * baroPhi;
    }
    const dt2 = dt * dt;
    P[0] = P[0]! + (qAccel * dt2 * dt) / 3;
    P[1] = P[1]! + (qAccel * dt2) / 2;
    P[n] = P[n]! + (qAccel * dt2) / 2;
    P[n + 1] = P[n + 1]! + qAccel * dt;
    P[2 * n + 2] = P[2 * n + 2]! + qBias * dt;
    if (n === 4) P[3 * n + 3] = P[3 * n + 3]! + baroQ;
  }

  /** Fuses position (p) with variance r, m^2. */
  fusePosition(z: number, r: number): void {
    this.fuse(z, r, 1, 0, 0);
  }

  /** Fuses velocity (v) with variance r, (m/s)^2. */
  fuseVelocity(z: number, r: number): void {
    this.fuse(z, r, 0, 1, 0);
  }

  /** Fuses a barometric altitude (p + b_baro) with variance r, m^2 (n = 4 only). */
  fuseBaro(z: number, r: number): void {
    if (this.n !== 4) throw new Error('axis-kalman: fuseBaro needs the barometer bias state (n = 4)');
    this.fuse(z, r, 1, 0, 1);
  }

  /** Scalar update with H = [hp, hv, 0, hb]; the innovation is kept in `innovation[0]`. */
  private fuse(z: number, r: number, hp: number, hv: number, hb: number): void {
    const n = this.n, x = this.x, P = this.P, H = this.H, PH = this.PH, K = this.K, T = this.T;
    H.fill(0);
    H[0] = hp;
    H[1] = hv;
    if (n === 4) H[3] = hb;
    let zPred = 0;
    for (let i = 0; i < n; i++) zPred += H[i]! * x[i]!;
    const innov = z - zPred;
    this.innovation[0] = innov;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += P[i * n + k]! * H[k]!;
      PH[i] = s;
    }
    let S = r;
    for (let i = 0; i < n; i++) S += H[i]! * PH[i]!;
    for (let i = 0; i < n; i++) {
      K[i] = PH[i]! / S;
      x[i] = x[i]! + K[i]! * innov;
    }
    // Joseph form: P = (I - K H) P (I - K H)^T + K r K^T.
    // T = (I - K H) P
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let hpj = 0;
        for (let k = 0; k < n; k++) hpj += H[k]! * P[k * n + j]!;
        T[i * n + j] = P[i * n + j]! - K[i]! * hpj;
      }
    }
    // P = T (I - K H)^T + K r K^T; (I - K H)^T[k][j] = delta_kj - H[k] K[j].
    for (let i = 0; i < n; i++) {
      let th = 0;
      for (let k = 0; k < n; k++) th += T[i * n + k]! * H[k]!;
      for (let j = 0; j < n; j++) P[i * n + j] = T[i * n + j]! - th * K[j]! + K[i]! * r * K[j]!;
    }
  }
}
