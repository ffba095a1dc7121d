/**
 * The gimbal's commanded camera attitude, per mode (issue #5 section 3):
 *
 * - lock: a fixed world attitude (roll, pitch, yaw);
 * - follow: roll 0, a fixed pitch, and the UAV's heading through two
 *   cascaded first-order low-passes (time constant `timeConstantS` each: the
 *   command's acceleration stays bounded, and the airframe's heading shake
 *   is attenuated as 1/f^2), so the camera pans smoothly after the airframe
 *   (DJI's "follow" mode);
 * - point-at: the camera's x axis on the line of sight from the camera to a
 *   region of interest (a point or another actor), roll 0; the sight line
 *   (target minus camera) goes through a critically damped type-2 tracker
 *   (position and velocity, natural frequency 1 / timeConstantS), which
 *   follows a target at constant relative velocity with no lag and smooths a
 *   noisy or jumping input, the camera's own wobble included.
 *
 * One generator is fed ground truth (the command the criteria judge
 * against), another is fed what the gimbal can know (the flight
 * controller's heading and position, a target's broadcast position: see
 * uav/gimbal/gimbal.ts), so estimation errors count against the gimbal.
 *
 * The command rate (world axes) is the finite difference of the command,
 * for feed-forward. Pitch follows REP 103: positive about the camera's
 * y axis tilts its x axis DOWN; files give `pitchDeg` positive up (the way
 * pilots and DJI's SDK speak, -90 looks straight down) and the loader
 * flips the sign once.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import { quatFromEulerInto, wrapAngle } from '../../sim/math.ts';
import { qConj, qMul } from '../flight-stack/quat.ts';

export type GimbalMode =
  | { type: 'lock'; rollRad: number; pitchRad: number; yawRad: number }
  | { type: 'follow'; pitchRad: number; timeConstantS: number }
  | { type: 'point-at'; timeConstantS: number };

export interface CommandInputs {
  /** UAV heading (ENU yaw), rad: follow mode. */
  headingRad: number;
  /** Camera position, world, m: point-at. */
  cameraPosition: Readonly<Vec3>;
  /** Region of interest, world, m: point-at. */
  target: Readonly<Vec3> | undefined;
}

const _dq: Quat = [0, 0, 0, 1];
const _c: Quat = [0, 0, 0, 1];
const _q: Quat = [0, 0, 0, 1];

export class CommandGenerator {
  /** Commanded camera attitude (camera to world). */
  readonly rotation: Quat = [0, 0, 0, 1];
  /** Its rate, world axes, rad/s. */
  readonly rateRadPerS: Vec3 = [0, 0, 0];
  private filteredYaw = NaN;
  private midYaw = NaN;
  /** The tracked sight line (target minus camera), m. */
  private readonly filteredTarget: Vec3 = [NaN, NaN, NaN];
  private readonly targetVelocity: Vec3 = [0, 0, 0];
  private readonly prev: Quat = [0, 0, 0, 1];
  private started = false;

  constructor(readonly mode: GimbalMode) {}

  /** Advance by `dt` (0 on the first call) with `inputs`. */
  update(inputs: Readonly<CommandInputs>, dt: number): void {
    const m = this.mode;
    let roll = 0, pitch = 0, yaw = 0;
    if (m.type === 'lock') {
      roll = m.rollRad; pitch = m.pitchRad; yaw = m.yawRad;
    } else if (m.type === 'follow') {
      if (Number.isNaN(this.filteredYaw)) this.filteredYaw = this.midYaw = inputs.headingRad;
      else {
        const k = 1 - Math.exp(-dt / m.timeConstantS);
        this.midYaw = wrapAngle(this.midYaw + k * wrapAngle(inputs.headingRad - this.midYaw));
        this.filteredYaw = wrapAngle(this.filteredYaw + k * wrapAngle(this.midYaw - this.filteredYaw));
      }
      pitch = m.pitchRad; yaw = this.filteredYaw;
    } else {
      // The line of sight, target minus camera, through the tracker: the camera's own wobble (the airframe's hover
      // motion, the physics tick's steps) moves the sight line too, and is smoothed with it.
      const t = inputs.target;
      const f = this.filteredTarget;
      if (t) {
        const p = inputs.cameraPosition;
        const rx = t[0] - p[0], ry = t[1] - p[1], rz = t[2] - p[2];
        if (Number.isNaN(f[0])) { f[0] = rx; f[1] = ry; f[2] = rz; }
        else {
          // p' = v + 2 w (r - p), v' = w^2 (r - p): semi-implicit Euler (dt << 1 / w).
          const w = 1 / m.timeConstantS, v = this.targetVelocity;
          const r = [rx, ry, rz];
          for (let i = 0; i < 3; i++) {
            const e = r[i]! - f[i]!;
            v[i] = v[i]! + dt * w * w * e;
            f[i] = f[i]! + dt * (v[i]! + 2 * w * e);
          }
        }
      }
      if (!Number.isNaN(f[0])) {
        const dx = f[0], dy = f[1], dz = f[2];
        yaw = Math.atan2(dy, dx);
        pitch = Math.atan2(-dz, Math.hypot(dx, dy)); // REP 103: positive looks down
      }
    }
    const q = quatFromEulerInto(roll, pitch, yaw, _q);
    // Keep the sign continuous (q and -q are the same attitude).
    if (this.started && q[0] * this.prev[0] + q[1] * this.prev[1] + q[2] * this.prev[2] + q[3] * this.prev[3] < 0) {
      q[0] = -q[0]; q[1] = -q[1]; q[2] = -q[2]; q[3] = -q[3];
    }
    this.rotation[0] = q[0]; this.rotation[1] = q[1]; this.rotation[2] = q[2]; this.rotation[3] = q[3];
    if (this.started && dt > 0) {
      // World rate: 2 * vec(q_k (x) q_{k-1}^*) / dt.
      qMul(this.rotation, qConj(this.prev, _c), _dq);
      const s = _dq[3] < 0 ? -2 / dt : 2 / dt;
      this.rateRadPerS[0] = _dq[0] * s; this.rateRadPerS[1] = _dq[1] * s; this.rateRadPerS[2] = _dq[2] * s;
    }
    this.prev[0] = q[0]; this.prev[1] = q[1]; this.prev[2] = q[2]; this.prev[3] = q[3];
    this.started = true;
  }
}

/**
 * Attitude error of `actual` about `commanded`, per axis of the commanded
 * frame (x roll, y pitch, z yaw), rad: the rotation vector of
 * commanded^-1 (x) actual (small-angle exact to second order).
 */
export function attitudeError(commanded: Readonly<Quat>, actual: Readonly<Quat>, out: Vec3): Vec3 {
  qConj(commanded, _c);
  qMul(_c, actual, _dq);
  let x = _dq[0], y = _dq[1], z = _dq[2], w = _dq[3];
  if (w < 0) { x = -x; y = -y; z = -z; w = -w; }
  const s = Math.sqrt(x * x + y * y + z * z);
  const k = s > 1e-12 ? (2 * Math.atan2(s, w)) / s : 2;
  out[0] = x * k; out[1] = y * k; out[2] = z * k;
  return out;
}
