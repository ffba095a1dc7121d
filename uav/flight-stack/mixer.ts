/**
 * The mixer (control allocation) of a multirotor: collective thrust and body
 * torques to rotor speeds, from the airframe's geometry.
 *
 * Effectiveness. Rotor i at (x_i, y_i) in the body frame (FLU) with thrust
 * T_i = kf w_i^2 along body z gives
 *   total thrust  T   = sum T_i
 *   roll torque   t_x = sum  y_i T_i
 *   pitch torque  t_y = sum -x_i T_i
 *   yaw torque    t_z = sum -spin_i (km / kf) T_i
 * (the yaw row is the actor's reaction torque -spin km w^2, airframe.ts). The
 * allocation matrix is the (pseudo-)inverse of this 4 x n effectiveness
 * matrix B, A = B^T (B B^T)^-1, computed once at construction; for a quad it
 * is the exact inverse. Mixing works in per-rotor thrust (N), as PX4's
 * control allocator works in normalised thrust, and only the last step takes
 * the square root to a rotor speed.
 *
 * Saturation: PX4's default (MC_AIRMODE = 0) sequential desaturation,
 * `ControlAllocationSequentialDesaturation::mixAirmodeDisabled` and `mixYaw`
 * (PX4/PX4-Autopilot src/modules/control_allocator/ControlAllocation/,
 * read at commit 1bbd1168):
 *   1. mix roll, pitch and collective without yaw;
 *   2. desaturate along the collective column, reducing thrust only (never
 *      raising it to unsaturate a motor);
 *   3. desaturate along the roll column, then the pitch column (only if
 *      collective alone could not make room);
 *   4. add yaw and desaturate along the yaw column, with the upper limit
 *      raised by 15 % of the range (PX4 lets yaw use a little headroom above
 *      full thrust), then reduce collective once more if still saturated;
 *   5. (Skylane addition) desaturate along the yaw column once more, without
 *      the headroom: step 4's collective reduction can push the slow rotors
 *      below zero, where the clip would cost roll and pitch; this gives up
 *      yaw instead;
 *   6. clip each rotor's thrust to [0, kf w_max^2].
 * Roll and pitch are kept first; yaw is given up first, then collective.
 * Each desaturation step is PX4's: gain k = k_min + k_max over the saturated
 * rotors, applied once, then half of the gain recomputed after it.
 */
import type { Airframe } from '../multirotor/airframe.ts';

/** Control axes, in the order of `Mixer.mix`'s arguments and the effectiveness rows. */
const THRUST = 0, ROLL = 1, PITCH = 2, YAW = 3;

/**
 * PX4 skips rotors whose entry in a desaturation column is below 0.2 of its
 * normalised matrix; our columns are in SI, so the threshold is 0.2 of the
 * column's largest entry (ControlAllocationSequentialDesaturation::computeDesaturationGain).
 */
const WEAK_EFFECTIVENESS_RATIO = 0.2;
/** mixYaw: the upper limit is raised by this share of the range while desaturating yaw (PX4, same file). */
const YAW_HEADROOM_RATIO = 0.15;

export interface MixerSaturation {
  /** Per axis (roll, pitch, yaw): +1 if the achieved torque fell short above, -1 below, 0 if achieved. */
  readonly torque: Int8Array;
}

export class Mixer {
  readonly rotorCount: number;
  /** Allocation matrix A (n x 4), row-major: T_i = sum_k A[i][k] u_k, u = [T, t_x, t_y, t_z]. */
  readonly allocation: Float64Array;
  /** Effectiveness matrix B (4 x n), row-major. */
  readonly effectiveness: Float64Array;
  /** Largest thrust of one rotor, N (kf w_max^2). */
  readonly maxRotorThrustN: number;
  /** Rotor speeds of the last `mix`, rad/s, in motor order (the command to the actor). */
  readonly rotorRadPerS: Float64Array;
  /** Rotor thrusts of the last `mix`, N. */
  readonly rotorThrustN: Float64Array;
  /** Thrust and torques the last `mix` achieved after saturation: [T, t_x, t_y, t_z]. */
  readonly achieved = new Float64Array(4);
  /** Which torque axes fell short in the last `mix` (for the rate loop's anti-windup). */
  readonly saturation: MixerSaturation = { torque: new Int8Array(3) };
  private readonly kf: number;
  private readonly columns: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  /** Per allocation column: WEAK_EFFECTIVENESS_RATIO times its largest |entry| (constant, so computed once). */
  private readonly weak = new Float64Array(4);

  constructor(airframe: Airframe) {
    const n = airframe.rotors.length;
    this.rotorCount = n;
    this.kf = airframe.thrustCoeffNPerRadPerS2;
    this.maxRotorThrustN = this.kf * airframe.maxRotorRadPerS * airframe.maxRotorRadPerS;
    const km = airframe.torqueCoeffNmPerRadPerS2 / airframe.thrustCoeffNPerRadPerS2;
    const B = new Float64Array(4 * n);
    airframe.rotors.forEach((r, i) => {
      B[THRUST * n + i] = 1;
      B[ROLL * n + i] = r.positionM[1];
      B[PITCH * n + i] = -r.positionM[0];
      B[YAW * n + i] = -r.spin * km;
    });
    this.effectiveness = B;
    this.allocation = pseudoInverse(B, n);
    this.rotorRadPerS = new Float64Array(n);
    this.rotorThrustN = new Float64Array(n);
    this.columns = new Float64Array(4 * n);
    for (let k = 0; k < 4; k++) for (let i = 0; i < n; i++) this.columns[k * n + i] = this.allocation[i * 4 + k]!;
    for (let k = 0; k < 4; k++) {
      let big = 0;
      for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(this.columns[k * n + i]!));
      this.weak[k] = WEAK_EFFECTIVENESS_RATIO * big;
    }
    this.min = new Float64Array(n);
    this.max = new Float64Array(n).fill(this.maxRotorThrustN);
  }

  /**
   * Rotor speeds for collective thrust `thrustN` (N, along body z) and body
   * torques (N m, FLU), with PX4's airmode-free desaturation. Writes
   * `rotorRadPerS`, `rotorThrustN`, `achieved` and `saturation`, returns `rotorRadPerS`.
   */
  mix(thrustN: number, rollNm: number, pitchNm: number, yawNm: number): Float64Array {
    const n = this.rotorCount, A = this.allocation, u = this.rotorThrustN;
    for (let i = 0; i < n; i++) u[i] = A[i * 4 + THRUST]! * thrustN + A[i * 4 + ROLL]! * rollNm + A[i * 4 + PITCH]! * pitchNm;
    this.desaturate(THRUST, true, 0);
    this.desaturate(ROLL, false, 0);
    this.desaturate(PITCH, false, 0);
    for (let i = 0; i < n; i++) u[i]! += A[i * 4 + YAW]! * yawNm;
    this.desaturate(YAW, false, YAW_HEADROOM_RATIO * this.maxRotorThrustN);
    this.desaturate(THRUST, true, 0);
    // Not in PX4: lowering collective after the yaw headroom can push the
    // slow rotors below zero, and the final clip would then cost roll and
    // pitch. One more yaw pass, without headroom, gives up yaw instead.
    this.desaturate(YAW, false, 0);

    const B = this.effectiveness, kf = this.kf;
    for (let k = 0; k < 4; k++) this.achieved[k] = 0;
    for (let i = 0; i < n; i++) {
      const t = u[i]! < 0 ? 0 : u[i]! > this.maxRotorThrustN ? this.maxRotorThrustN : u[i]!;
      u[i] = t;
      this.rotorRadPerS[i] = Math.sqrt(t / kf);
      for (let k = 0; k < 4; k++) this.achieved[k]! += B[k * n + i]! * t;
    }
    const s = this.saturation.torque;
    s[0] = flag(rollNm, this.achieved[ROLL]!);
    s[1] = flag(pitchNm, this.achieved[PITCH]!);
    s[2] = flag(yawNm, this.achieved[YAW]!);
    return this.rotorRadPerS;
  }

  /** One PX4 desaturation step along allocation column `axis` (reduceOnly: the gain may only lower that axis). */
  private desaturate(axis: number, reduceOnly: boolean, extraMaxN: number): void {
    const n = this.rotorCount, u = this.rotorThrustN, col = this.columns, off = axis * n;
    let gain = this.gain(off, extraMaxN);
    if (reduceOnly && gain > 0) return;
    // No rotor saturated: the shifts below would add 0 * col (and the second
    // gain, on the unchanged thrusts, is 0 again), which changes no thrust.
    if (gain === 0) return;
    for (let i = 0; i < n; i++) u[i]! += gain * col[off + i]!;
    gain = 0.5 * this.gain(off, extraMaxN);
    for (let i = 0; i < n; i++) u[i]! += gain * col[off + i]!;
  }

  /** PX4 computeDesaturationGain: k_min + k_max of the shifts that bring each saturated rotor back to its limit. */
  private gain(off: number, extraMaxN: number): number {
    const n = this.rotorCount, u = this.rotorThrustN, col = this.columns;
    const weak = this.weak[off / n]!;
    let kMin = 0, kMax = 0;
    for (let i = 0; i < n; i++) {
      const d = col[off + i]!;
      if (Math.abs(d) < weak) continue;
      let k = 0;
      if (u[i]! < this.min[i]!) k = (this.min[i]! - u[i]!) / d;
      else if (u[i]! > this.max[i]! + extraMaxN) k = (this.max[i]! + extraMaxN - u[i]!) / d;
      else continue;
      if (k < kMin) kMin = k;
      if (k > kMax) kMax = k;
    }
    return kMin + kMax;
  }
}

function flag(wanted: number, got: number): number {
  const tol = 1e-9 + 1e-6 * Math.abs(wanted);
  return wanted - got > tol ? 1 : got - wanted > tol ? -1 : 0;
}

/** B^T (B B^T)^-1 for a 4 x n matrix of full row rank (n >= 4), row-major n x 4. */
function pseudoInverse(B: Float64Array, n: number): Float64Array {
  const M = new Float64Array(16);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += B[r * n + i]! * B[c * n + i]!;
    M[r * 4 + c] = s;
  }
  const Minv = invert4(M);
  const A = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) for (let k = 0; k < 4; k++) {
    let s = 0;
    for (let r = 0; r < 4; r++) s += B[r * n + i]! * Minv[r * 4 + k]!;
    A[i * 4 + k] = s;
  }
  return A;
}

/** Gauss-Jordan inverse with partial pivoting; throws on a singular matrix (rotors that cannot control all four axes). */
function invert4(M: Float64Array): Float64Array {
  const a = Float64Array.from(M), inv = new Float64Array(16);
  for (let i = 0; i < 4; i++) inv[i * 5] = 1;
  for (let c = 0; c < 4; c++) {
    let p = c;
    for (let r = c + 1; r < 4; r++) if (Math.abs(a[r * 4 + c]!) > Math.abs(a[p * 4 + c]!)) p = r;
    const pv = a[p * 4 + c]!;
    if (Math.abs(pv) < 1e-15) throw new RangeError('mixer: the rotor layout cannot produce independent thrust, roll, pitch and yaw');
    for (let k = 0; k < 4; k++) {
      [a[c * 4 + k], a[p * 4 + k]] = [a[p * 4 + k]!, a[c * 4 + k]!];
      [inv[c * 4 + k], inv[p * 4 + k]] = [inv[p * 4 + k]!, inv[c * 4 + k]!];
    }
    for (let k = 0; k < 4; k++) { a[c * 4 + k]! /= pv; inv[c * 4 + k]! /= pv; }
    for (let r = 0; r < 4; r++) {
      if (r === c) continue;
      const f = a[r * 4 + c]!;
      for (let k = 0; k < 4; k++) { a[r * 4 + k]! -= f * a[c * 4 + k]!; inv[r * 4 + k]! -= f * inv[c * 4 + k]!; }
    }
  }
  return inv;
}
