/**
 * Rigid-body dynamics of a yaw-roll-pitch gimbal on a vibration-isolating
 * mount (issue #5 section 1). Not a physics-engine body: it is stepped at
 * its own rate (kHz) inside the physics tick, driven by the airframe's motion.
 *
 * Frames and joints. The airframe body B (REP 103: x forward, y left, z up)
 * carries the isolation mount; beyond it is the gimbal base G. Link 1 (yaw)
 * turns about G's z by q1, link 2 (roll) about link 1's x by q2, link 3
 * (pitch, the camera) about link 2's y by q3: R3 = RG Rz(q1) Rx(q2) Ry(q3).
 * At q = 0 the camera looks along the base's x axis; a positive q3 tilts the
 * camera's x axis down (a right-handed turn about y). The three axes meet at
 * one point O, as on every commercial 3-axis gimbal, so the chain's
 * rotational dynamics about O are exact with each link's inertia about O
 * (parallel-axis term of its residual imbalance c_i) and the translation of
 * O enters only through the imbalance torque m_i c_i x (g - a_O).
 *
 * Link dynamics (recursive Newton-Euler about O, world axes; Featherstone,
 * "Rigid Body Dynamics Algorithms", 2008, ch. 5, specialised to revolute
 * joints through one point):
 *   w_i = w_(i-1) + a_i dq_i
 *   al_i = al_(i-1) + a_i ddq_i + dq_i (w_(i-1) x a_i)
 *   f_i = I_i al_i + w_i x I_i w_i - m_i c_i x (g - a_O)
 *   n_i = f_i + n_(i+1),   tau_i = a_i . n_i
 * The joint-space mass matrix comes column by column from the same recursion
 * with unit accelerations (composite inertia), the bias with ddq = 0; then
 * M ddq = tau_joint - h is solved by Gaussian elimination (3 x 3).
 *
 * Joint torques: motor (saturated, with torque ripple and cogging), minus
 * viscous friction, cable stiffness and Coulomb friction. Coulomb friction
 * is solved at the velocity level (the projected Gauss-Seidel of rigid-body
 * engines: each joint's friction torque is the one that stops its relative
 * motion over the substep, clamped to +-F_c), so a joint sticks and breaks
 * away without the stiffness of a smoothed sign function.
 *
 * Mount: the gimbal base G hangs on rubber isolators, a linear
 * spring-damper in rotation (phi, small angles, airframe axes) and in
 * translation (delta), each given by its natural frequency and damping ratio
 * with the whole gimbal as its load. The rotor vibration moves the springs'
 * anchor (its angle and rate, displacement and velocity), so the base is
 * driven through the isolators as on the real airframe. The base's rotation
 * and the three joints are solved together, a 6 x 6 system in the base's
 * angular acceleration and the joint accelerations (its columns from the
 * same recursion with unit base accelerations): the links' reaction on the
 * light base plate is stiff, and a lagged coupling would ring. Fictitious
 * forces of the rotating airframe frame on the small deflections are
 * neglected (second order in the deflection).
 *
 * Integration: semi-implicit Euler at the substep (velocity first, then
 * position), allocation-free.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import { rotateVec, rotateVecInv } from '../../sim/math.ts';
import { qMul, qNormalize } from '../flight-stack/quat.ts';
import { integrateBodyRate } from '../estimation/mahony.ts';
import type { GimbalSpec, LinkSpec } from './spec.ts';

/**
 * Motion of the airframe at the mount over one substep: its rigid-body part
 * (world axes) and the rotor vibration on top of it (airframe axes), given
 * as angle and rate, displacement and velocity, so the isolators' springs
 * see the vibration as a moving anchor and the stepping stays accurate for
 * tones up to the substep's Nyquist rate (a driving acceleration would need
 * many substeps per period).
 */
export interface BaseMotion {
  /** Airframe attitude (rigid-body), body to world. */
  rotation: Quat;
  /** Airframe angular velocity (rigid-body), rad/s, world axes. */
  angularVelocity: Vec3;
  /** Airframe angular acceleration (rigid-body), rad/s^2, world axes. */
  angularAcceleration: Vec3;
  /** Acceleration of the mount point (rigid-body), m/s^2, world axes (kinematic, gravity not included). */
  linearAcceleration: Vec3;
  /** Rotor vibration at the mount, airframe axes: rotation (rad) and rate (rad/s), displacement (m) and velocity (m/s). */
  vibrationAngle: Vec3;
  vibrationRate: Vec3;
  vibrationDisplacement: Vec3;
  vibrationVelocity: Vec3;
}

const N = 3;
const COULOMB_ITERATIONS = 8;

// Scratch (module level: the substep allocates nothing).
const _v: Vec3 = [0, 0, 0];
const _u: Vec3 = [0, 0, 0];
const _w: Vec3 = [0, 0, 0];
const _q: Quat = [0, 0, 0, 1];
const _b = new Float64Array(9);
const _R = new Float64Array(9);

function cross(a: Readonly<Vec3>, b: Readonly<Vec3>, out: Vec3): Vec3 {
  const x = a[1] * b[2] - a[2] * b[1], y = a[2] * b[0] - a[0] * b[2], z = a[0] * b[1] - a[1] * b[0];
  out[0] = x; out[1] = y; out[2] = z;
  return out;
}
const dot = (a: Readonly<Vec3>, b: Readonly<Vec3>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Quaternion of a rotation by `angle` about a principal axis (0 x, 1 y, 2 z). */
function axisQuat(axis: number, angle: number, out: Quat): Quat {
  const s = Math.sin(angle / 2);
  out[0] = axis === 0 ? s : 0;
  out[1] = axis === 1 ? s : 0;
  out[2] = axis === 2 ? s : 0;
  out[3] = Math.cos(angle / 2);
  return out;
}

/** World-frame inertia about O of a link: R (I_c + m (|c|^2 1 - c c^T)) R^T, into `out` (row-major 3 x 3). */
function inertiaAboutO(link: LinkSpec, r: Quat, out: Float64Array): void {
  const c = link.comOffsetM, m = link.massKg;
  const cc = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
  // Body-frame inertia about O.
  const b = _b;
  b[0] = link.inertiaKgM2[0] + m * (cc - c[0] * c[0]); b[1] = -m * c[0] * c[1]; b[2] = -m * c[0] * c[2];
  b[3] = -m * c[1] * c[0]; b[4] = link.inertiaKgM2[1] + m * (cc - c[1] * c[1]); b[5] = -m * c[1] * c[2];
  b[6] = -m * c[2] * c[0]; b[7] = -m * c[2] * c[1]; b[8] = link.inertiaKgM2[2] + m * (cc - c[2] * c[2]);
  // Rotation matrix columns: R e_j.
  const R = _R;
  for (let j = 0; j < 3; j++) {
    _u[0] = j === 0 ? 1 : 0; _u[1] = j === 1 ? 1 : 0; _u[2] = j === 2 ? 1 : 0;
    rotateVec(r, _u, _v);
    R[j] = _v[0]; R[3 + j] = _v[1]; R[6 + j] = _v[2];
  }
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += R[3 * i + k]! * b[3 * k + l]! * R[3 * j + l]!;
      out[3 * i + j] = s;
    }
  }
}

function mulI(I: Float64Array, v: Readonly<Vec3>, out: Vec3): Vec3 {
  const x = I[0]! * v[0] + I[1]! * v[1] + I[2]! * v[2];
  const y = I[3]! * v[0] + I[4]! * v[1] + I[5]! * v[2];
  const z = I[6]! * v[0] + I[7]! * v[1] + I[8]! * v[2];
  out[0] = x; out[1] = y; out[2] = z;
  return out;
}

export class GimbalDynamics {
  /** Joint angles q1 (yaw), q2 (roll), q3 (pitch), rad. */
  readonly q = new Float64Array(N);
  /** Joint rates, rad/s. */
  readonly dq = new Float64Array(N);
  /** Motor torque actually applied at the last substep (after saturation, ripple and cogging), N m. */
  readonly motorTorqueNm = new Float64Array(N);
  /** Mount rotation (airframe axes, small angle), rad, and its rate. */
  readonly mountPhi: Vec3 = [0, 0, 0];
  readonly mountPhiDot: Vec3 = [0, 0, 0];
  /** Mount translation (airframe axes), m, and its rate. */
  readonly mountDelta: Vec3 = [0, 0, 0];
  readonly mountDeltaDot: Vec3 = [0, 0, 0];
  /** Ground truth after each substep: base and camera attitude (to world), camera rate (world), base acceleration (world). */
  readonly baseRotation: Quat = [0, 0, 0, 1];
  readonly cameraRotation: Quat = [0, 0, 0, 1];
  readonly cameraAngularVelocity: Vec3 = [0, 0, 0];
  readonly baseAngularVelocity: Vec3 = [0, 0, 0];
  readonly baseAcceleration: Vec3 = [0, 0, 0];
  /** World joint axes after the last substep (a1, a2, a3), for tests and read-outs. */
  readonly axes: [Vec3, Vec3, Vec3] = [[0, 0, 1], [1, 0, 0], [0, 1, 0]];

  private readonly links: readonly LinkSpec[];
  private readonly I = [new Float64Array(9), new Float64Array(9), new Float64Array(9)];
  private readonly R: Quat[] = [[0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 1]];
  private readonly c: Vec3[] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  private readonly w: Vec3[] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  private readonly al: Vec3[] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  private readonly n: Vec3[] = [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]];
  private readonly h = new Float64Array(N);
  private readonly ddq = new Float64Array(N);
  private readonly fric = new Float64Array(N);
  /** Base reaction n_1 of the bias pass (ddq = 0, al_G = 0). */
  private readonly n1h: Vec3 = [0, 0, 0];
  private readonly g: Vec3;
  /** Load inertia the rotational mount is tuned for, kg m^2 (mean principal inertia of the whole gimbal about O). */
  private readonly mountInertia: number;

  constructor(readonly spec: GimbalSpec, initialQ: Readonly<Vec3> = [0, 0, 0]) {
    this.links = [spec.links.yaw, spec.links.roll, spec.links.pitch];
    this.g = [0, 0, -spec.gravityMps2];
    for (let i = 0; i < N; i++) this.q[i] = initialQ[i]!;
    let j = 0;
    for (const l of this.links) j += (l.inertiaKgM2[0] + l.inertiaKgM2[1] + l.inertiaKgM2[2]) / 3 + l.massKg * dot(l.comOffsetM, l.comOffsetM);
    this.mountInertia = j + spec.mount.baseInertiaKgM2;
  }

  /** Total mass carried by the translational mount, kg. */
  get massKg(): number {
    return this.links.reduce((s, l) => s + l.massKg, 0) + this.spec.mount.baseMassKg;
  }

  /**
   * Advance one substep of `dt` under the airframe motion `base`, with motor
   * torque commands `cmdNm` (saturated here). Returns nothing; read the state.
   */
  step(dt: number, base: Readonly<BaseMotion>, cmdNm: ArrayLike<number>): void {
    const s = this.spec;
    const mt = s.mount;

    // --- Mount, translation: delta is the base's displacement from the rigid mount point (airframe axes); the spring
    // and damper pull it toward the vibrating anchor (y, u): delta'' = R_B^T (g - a_B) - wn^2 (delta - y) - 2 z wn (delta' - u).
    rotateVecInv(base.rotation, base.linearAcceleration, _v);
    rotateVecInv(base.rotation, this.g, _u);
    const wt = 2 * Math.PI * mt.translationHz, zt = mt.translationDamping;
    const y = base.vibrationDisplacement, u = base.vibrationVelocity;
    for (let i = 0; i < 3; i++) {
      const acc = _u[i]! - _v[i]! - wt * wt * (this.mountDelta[i]! - y[i]!) - 2 * zt * wt * (this.mountDeltaDot[i]! - u[i]!);
      this.mountDeltaDot[i] = this.mountDeltaDot[i]! + dt * acc;
      this.mountDelta[i] = this.mountDelta[i]! + dt * this.mountDeltaDot[i]!;
      _w[i] = acc; // relative acceleration, airframe axes
    }
    // Base acceleration (world) = airframe's + R_B delta''.
    rotateVec(base.rotation, _w, this.baseAcceleration);
    for (let i = 0; i < 3; i++) this.baseAcceleration[i] = this.baseAcceleration[i]! + base.linearAcceleration[i]!;

    // --- Base rotation with the mount's current deflection.
    this.baseKinematics(base);
    const wG = this.baseAngularVelocity;

    // --- Link kinematics and inertias at the current angles.
    this.linkFrames();

    // --- The coupled system in x = [al_G (world, 3); ddq (3)]:
    //   base:   J_b al_G + n_1(al_G, ddq) = tau_mount
    //   joints: tau_i(al_G, ddq) = tau_joint_i
    // Bias (al_G = 0, ddq = 0), then the unit columns of the base and of the joints.
    this.rnea(wG, ZERO, this.dq, null, true, this.h, this.n1h);
    const A = this.A6, Jb = mt.baseInertiaKgM2;
    for (let k = 0; k < 6; k++) {
      if (k < 3) {
        const e = this.unitE[k]!;
        this.rnea(ZERO, e, this.dq, null, false, this.colTau, this.n1c);
      } else {
        this.rnea(ZERO, ZERO, this.dq, k - 3, false, this.colTau, this.n1c);
      }
      for (let r = 0; r < 3; r++) A[6 * r + k] = this.n1c[r]! + (k === r ? Jb : 0);
      for (let r = 0; r < 3; r++) A[6 * (r + 3) + k] = this.colTau[r]!;
    }
    invert6(A, this.A6inv);

    // --- Right-hand sides: the mount's torque on the base (world) minus the bias reaction; joint torques minus the bias.
    const wr = 2 * Math.PI * mt.rotationHz, zr = mt.rotationDamping;
    const kr = this.mountInertia * wr * wr, cr = this.mountInertia * 2 * zr * wr;
    const th = base.vibrationAngle, om = base.vibrationRate;
    for (let i = 0; i < 3; i++) _u[i] = -kr * (this.mountPhi[i]! - th[i]!) - cr * (this.mountPhiDot[i]! - om[i]!);
    rotateVec(base.rotation, _u, _v);
    const rhs = this.rhs;
    for (let i = 0; i < 3; i++) rhs[i] = _v[i]! - this.n1h[i]!;
    for (let i = 0; i < N; i++) {
      const m = s.motors[i]!, jt = s.joints[i]!;
      const cmd = cmdNm[i]!;
      const sat = Math.max(-m.maxTorqueNm, Math.min(m.maxTorqueNm, Number.isFinite(cmd) ? cmd : 0));
      const qi = this.q[i]!;
      const motor = sat * (1 + m.rippleFraction * Math.sin(m.ripplePerRev * qi)) + m.coggingNm * Math.sin(m.coggingPerRev * qi + m.coggingPhaseRad);
      this.motorTorqueNm[i] = motor;
      rhs[3 + i] = motor - jt.viscousNmsPerRad * this.dq[i]! - jt.cableStiffnessNmPerRad * (qi - jt.cableRestRad) - this.h[i]!;
    }

    // --- Coulomb friction at the velocity level (PGS on the joint rows), then the accelerations.
    const fr = this.fric, Ai = this.A6inv;
    for (let i = 0; i < N; i++) fr[i] = 0;
    for (let it = 0; it < COULOMB_ITERATIONS; it++) {
      for (let i = 0; i < N; i++) {
        const fc = s.joints[i]!.coulombNm;
        if (fc <= 0) continue;
        const row = 6 * (3 + i);
        let v = this.dq[i]!;
        for (let k = 0; k < 6; k++) v += dt * Ai[row + k]! * (rhs[k]! + (k >= 3 ? fr[k - 3]! : 0));
        const next = fr[i]! - v / (dt * Ai[row + 3 + i]!);
        fr[i] = Math.max(-fc, Math.min(fc, next));
      }
    }
    for (let r = 0; r < 6; r++) {
      let a = 0;
      for (let k = 0; k < 6; k++) a += Ai[6 * r + k]! * (rhs[k]! + (k >= 3 ? fr[k - 3]! : 0));
      if (r < 3) this.baseAngAccel[r] = a;
      else this.ddq[r - 3] = a;
    }

    // --- Mount: phi (the base's rotation from the rigid airframe, airframe axes, small): phi'' = R_B^T (al_G - al_B).
    for (let i = 0; i < 3; i++) _u[i] = this.baseAngAccel[i]! - base.angularAcceleration[i]!;
    rotateVecInv(base.rotation, _u, this.phiDdot);
    for (let i = 0; i < 3; i++) {
      this.mountPhiDot[i] = this.mountPhiDot[i]! + dt * this.phiDdot[i]!;
      this.mountPhi[i] = this.mountPhi[i]! + dt * this.mountPhiDot[i]!;
    }

    // --- Joints.
    for (let i = 0; i < N; i++) {
      this.dq[i] = this.dq[i]! + dt * this.ddq[i]!;
      this.q[i] = this.q[i]! + dt * this.dq[i]!;
      // Mechanical stops: inelastic.
      const j = s.joints[i]!;
      if (this.q[i]! < j.minRad) { this.q[i] = j.minRad; if (this.dq[i]! < 0) this.dq[i] = 0; }
      if (this.q[i]! > j.maxRad) { this.q[i] = j.maxRad; if (this.dq[i]! > 0) this.dq[i] = 0; }
    }

    // --- Published truth at the end of the substep.
    this.baseKinematics(base);
    this.linkFrames();
    const c = this.R[2]!;
    this.cameraRotation[0] = c[0]; this.cameraRotation[1] = c[1]; this.cameraRotation[2] = c[2]; this.cameraRotation[3] = c[3];
    const w3 = this.w[2]!;
    this.cameraAngularVelocity[0] = w3[0]; this.cameraAngularVelocity[1] = w3[1]; this.cameraAngularVelocity[2] = w3[2];
  }

  /** Mount rotational acceleration of the last substep (airframe axes). */
  private readonly phiDdot: Vec3 = [0, 0, 0];
  private readonly baseAngAccel: Vec3 = [0, 0, 0];

  /** Base attitude, rate and angular acceleration from the airframe's and the mount's state. */
  private baseKinematics(base: Readonly<BaseMotion>): void {
    // R_G = R_B exp(phi) R_mount.
    _q[0] = 0; _q[1] = 0; _q[2] = 0; _q[3] = 1;
    integrateBodyRate(_q, this.mountPhi[0], this.mountPhi[1], this.mountPhi[2], 1);
    qMul(base.rotation, _q, this.baseRotation);
    qMul(this.baseRotation, this.spec.mount.rotation, this.baseRotation);
    qNormalize(this.baseRotation);
    rotateVec(base.rotation, this.mountPhiDot, _v);
    for (let i = 0; i < 3; i++) this.baseAngularVelocity[i] = base.angularVelocity[i]! + _v[i]!;
  }

  /** Link attitudes, world axes, CoM offsets and inertias about O, and link rates, at the current q and dq. */
  private linkFrames(): void {
    qMul(this.baseRotation, axisQuat(2, this.q[0]!, _q), this.R[0]!);
    qMul(this.R[0]!, axisQuat(0, this.q[1]!, _q), this.R[1]!);
    qMul(this.R[1]!, axisQuat(1, this.q[2]!, _q), this.R[2]!);
    // Axes: a1 = R_G z, a2 = R_1 x, a3 = R_2 y.
    _u[0] = 0; _u[1] = 0; _u[2] = 1;
    rotateVec(this.baseRotation, _u, this.axes[0]);
    _u[0] = 1; _u[1] = 0; _u[2] = 0;
    rotateVec(this.R[0]!, _u, this.axes[1]);
    _u[0] = 0; _u[1] = 1; _u[2] = 0;
    rotateVec(this.R[1]!, _u, this.axes[2]);
    for (let i = 0; i < N; i++) {
      inertiaAboutO(this.links[i]!, this.R[i]!, this.I[i]!);
      rotateVec(this.R[i]!, this.links[i]!.comOffsetM, this.c[i]!);
    }
    // Link angular velocities.
    let prev: Readonly<Vec3> = this.baseAngularVelocity;
    for (let i = 0; i < N; i++) {
      const a = this.axes[i]!, w = this.w[i]!, d = this.dq[i]!;
      w[0] = prev[0] + a[0] * d; w[1] = prev[1] + a[1] * d; w[2] = prev[2] + a[2] * d;
      prev = w;
    }
  }

  /**
   * Recursive Newton-Euler about O. With `full`, base motion, joint rates,
   * gravity and base acceleration act and ddq = 0 (the bias); otherwise only
   * a unit acceleration of joint `unit` (a mass-matrix column). Writes the
   * joint torques into `tauOut` and the base reaction n_1 into `n1Out`.
   */
  private rnea(wG: Readonly<Vec3>, alG: Readonly<Vec3>, dq: Float64Array, unit: number | null, full: boolean, tauOut: Float64Array | null, n1Out: Vec3): void {
    const w = this.w, al = this.al;
    let wPrev: Readonly<Vec3> = full ? wG : ZERO;
    let alPrev: Readonly<Vec3> = alG;
    for (let i = 0; i < N; i++) {
      const a = this.axes[i]!;
      const wi = full ? w[i]! : ZERO;
      const ali = al[i]!;
      const d = full ? dq[i]! : 0;
      const dd = unit === i ? 1 : 0;
      cross(wPrev, a, _v);
      ali[0] = alPrev[0] + a[0] * dd + d * _v[0];
      ali[1] = alPrev[1] + a[1] * dd + d * _v[1];
      ali[2] = alPrev[2] + a[2] * dd + d * _v[2];
      wPrev = wi;
      alPrev = ali;
    }
    const n = this.n;
    n[N]![0] = 0; n[N]![1] = 0; n[N]![2] = 0;
    for (let i = N - 1; i >= 0; i--) {
      const I = this.I[i]!, ni = n[i]!, next = n[i + 1]!;
      mulI(I, al[i]!, ni);
      if (full) {
        mulI(I, w[i]!, _u);
        cross(w[i]!, _u, _v);
        ni[0] += _v[0]; ni[1] += _v[1]; ni[2] += _v[2];
        // - m c x (g - a_O)
        const m = this.links[i]!.massKg;
        _u[0] = this.g[0] - this.baseAcceleration[0]; _u[1] = this.g[1] - this.baseAcceleration[1]; _u[2] = this.g[2] - this.baseAcceleration[2];
        cross(this.c[i]!, _u, _v);
        ni[0] -= m * _v[0]; ni[1] -= m * _v[1]; ni[2] -= m * _v[2];
      }
      ni[0] += next[0]; ni[1] += next[1]; ni[2] += next[2];
      if (tauOut) tauOut[i] = dot(this.axes[i]!, ni);
    }
    n1Out[0] = n[0]![0]; n1Out[1] = n[0]![1]; n1Out[2] = n[0]![2];
  }

  private readonly colTau = new Float64Array(N);
  private readonly n1c: Vec3 = [0, 0, 0];
  private readonly A6 = new Float64Array(36);
  private readonly A6inv = new Float64Array(36);
  private readonly rhs = new Float64Array(6);
  private readonly unitE: Vec3[] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

}

const ZERO: Readonly<Vec3> = [0, 0, 0];

/** out = A^-1 for a 6 x 6 row-major A, by Gauss-Jordan elimination with partial pivoting. */
const _aug = new Float64Array(72);
function invert6(A: Float64Array, out: Float64Array): void {
  const n = 6, w = 12, m = _aug;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      m[r * w + c] = A[r * n + c]!;
      m[r * w + n + c] = r === c ? 1 : 0;
    }
  }
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * w + c]!) > Math.abs(m[p * w + c]!)) p = r;
    const piv = m[p * w + c]!;
    if (!(Math.abs(piv) > 1e-15)) throw new Error('gimbal: singular mass matrix (gimbal lock of a link with no inertia)');
    if (p !== c) for (let k = 0; k < w; k++) { const t = m[c * w + k]!; m[c * w + k] = m[p * w + k]!; m[p * w + k] = t; }
    for (let k = 0; k < w; k++) m[c * w + k] = m[c * w + k]! / piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * w + c]!;
      if (f === 0) continue;
      for (let k = 0; k < w; k++) m[r * w + k] = m[r * w + k]! - f * m[c * w + k]!;
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out[r * n + c] = m[r * w + n + c]!;
}
