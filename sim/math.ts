/**
 * Plain-data math types shared by every layer. They cross the worker boundary
 * and the scenario files, so they are tuples and records, not classes.
 * Hot paths that need vector algebra use three's math classes on top of these.
 *
 * Frames: world ENU, z up; body x forward, y left, z up (ROS REP 103).
 */
export type Vec3 = [number, number, number];
/** Unit quaternion, scalar last: [x, y, z, w] (the order three.js, Rapier and cannon-es use). */
export type Quat = [number, number, number, number];

export interface Pose {
  position: Vec3;
  rotation: Quat;
}

export const IDENTITY_QUAT: Readonly<Quat> = [0, 0, 0, 1];

/** Quaternion for a rotation of `yawRad` about world z. */
export function quatFromYaw(yawRad: number): Quat {
  const h = yawRad / 2;
  return [0, 0, Math.sin(h), Math.cos(h)];
}

/** Yaw (rotation about z, ENU, counter-clockwise from east) of a unit quaternion. */
export function yawOf(q: Readonly<Quat>): number {
  const [x, y, z, w] = q;
  return Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
}

/** Quaternion from roll, pitch, yaw (intrinsic z-y'-x'', aerospace convention). */
export function quatFromEuler(rollRad: number, pitchRad: number, yawRad: number): Quat {
  return quatFromEulerInto(rollRad, pitchRad, yawRad, [0, 0, 0, 1]);
}

/** `quatFromEuler` into `out` (allocation-free, for per-tick use); returns `out`. */
export function quatFromEulerInto(rollRad: number, pitchRad: number, yawRad: number, out: Quat): Quat {
  const cr = Math.cos(rollRad / 2), sr = Math.sin(rollRad / 2);
  const cp = Math.cos(pitchRad / 2), sp = Math.sin(pitchRad / 2);
  const cy = Math.cos(yawRad / 2), sy = Math.sin(yawRad / 2);
  out[0] = sr * cp * cy - cr * sp * sy;
  out[1] = cr * sp * cy + sr * cp * sy;
  out[2] = cr * cp * sy - sr * sp * cy;
  out[3] = cr * cp * cy + sr * sp * sy;
  return out;
}

/** Hamilton product a*b into out (may not alias a or b). */
export function quatMulInto(a: Readonly<Quat>, b: Readonly<Quat>, out: Quat): Quat {
  const [ax, ay, az, aw] = a;
  const [bx, by, bz, bw] = b;
  out[0] = aw * bx + ax * bw + ay * bz - az * by;
  out[1] = aw * by - ax * bz + ay * bw + az * bx;
  out[2] = aw * bz + ax * by - ay * bx + az * bw;
  out[3] = aw * bw - ax * bx - ay * by - az * bz;
  return out;
}

/** Rotate vector `v` by unit quaternion `q`, writing into `out` (may alias `v`). */
export function rotateVec(q: Readonly<Quat>, v: Readonly<Vec3>, out: Vec3): Vec3 {
  // Read by index, not destructured: hot loops (estimator, sensors) call this every tick.
  return rotateByParts(q[0], q[1], q[2], q[3], v, out);
}

/** Rotate `v` by the inverse of unit quaternion `q` (world to local) into `out` (may alias `v`). */
export function rotateVecInv(q: Readonly<Quat>, v: Readonly<Vec3>, out: Vec3): Vec3 {
  return rotateByParts(-q[0], -q[1], -q[2], q[3], v, out);
}

/** v' = v + w t + q.xyz x t with t = 2 q.xyz x v: the rotation by the unit quaternion (qx, qy, qz, qw). */
function rotateByParts(qx: number, qy: number, qz: number, qw: number, v: Readonly<Vec3>, out: Vec3): Vec3 {
  const vx = v[0], vy = v[1], vz = v[2];
  const tx = 2 * (qy * vz - qz * vy);
  const ty = 2 * (qz * vx - qx * vz);
  const tz = 2 * (qx * vy - qy * vx);
  out[0] = vx + qw * tx + (qy * tz - qz * ty);
  out[1] = vy + qw * ty + (qz * tx - qx * tz);
  out[2] = vz + qw * tz + (qx * ty - qy * tx);
  return out;
}

/** Wrap an angle to (-pi, pi]. */
export function wrapAngle(a: number): number {
  const twoPi = 2 * Math.PI;
  a = a % twoPi;
  if (a <= -Math.PI) a += twoPi;
  else if (a > Math.PI) a -= twoPi;
  return a;
}

export const DEG = Math.PI / 180;

export function isFiniteVec(v: readonly number[]): boolean {
  for (const x of v) if (!Number.isFinite(x)) return false;
  return true;
}
