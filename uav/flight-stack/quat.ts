/**
 * In-place quaternion helpers for the controllers' hot path. Quaternions are
 * [x, y, z, w] (scalar last, as sim/math.ts), body to world. Every function
 * writes into `out` (which may alias an input) and returns it, so a control
 * tick allocates nothing.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';

/** out = a * b (Hamilton product: b applied first, then a). */
export function qMul(a: Readonly<Quat>, b: Readonly<Quat>, out: Quat): Quat {
  const ax = a[0], ay = a[1], az = a[2], aw = a[3];
  const bx = b[0], by = b[1], bz = b[2], bw = b[3];
  out[0] = aw * bx + ax * bw + ay * bz - az * by;
  out[1] = aw * by - ax * bz + ay * bw + az * bx;
  out[2] = aw * bz + ax * by - ay * bx + az * bw;
  out[3] = aw * bw - ax * bx - ay * by - az * bz;
  return out;
}

/** out = conjugate of q (the inverse of a unit quaternion). */
export function qConj(q: Readonly<Quat>, out: Quat): Quat {
  out[0] = -q[0]; out[1] = -q[1]; out[2] = -q[2]; out[3] = q[3];
  return out;
}

/** Scales q to unit norm in place. */
export function qNormalize(q: Quat): Quat {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  q[0] /= n; q[1] /= n; q[2] /= n; q[3] /= n;
  return q;
}

/** Flips q to the hemisphere w >= 0 (same rotation, shortest way). */
export function qCanonical(q: Quat): Quat {
  if (q[3] < 0) { q[0] = -q[0]; q[1] = -q[1]; q[2] = -q[2]; q[3] = -q[3]; }
  return q;
}

/** The body z axis in the world frame: third column of R(q). */
export function qBodyZ(q: Readonly<Quat>, out: Vec3): Vec3 {
  const [x, y, z, w] = q;
  out[0] = 2 * (x * z + y * w);
  out[1] = 2 * (y * z - x * w);
  out[2] = 1 - 2 * (x * x + y * y);
  return out;
}

/** World vector v expressed in the body frame: R(q)^T v. */
export function qRotateInv(q: Readonly<Quat>, v: Readonly<Vec3>, out: Vec3): Vec3 {
  const x = -q[0], y = -q[1], z = -q[2], w = q[3];
  const vx = v[0], vy = v[1], vz = v[2];
  const tx = 2 * (y * vz - z * vy), ty = 2 * (z * vx - x * vz), tz = 2 * (x * vy - y * vx);
  out[0] = vx + w * tx + (y * tz - z * ty);
  out[1] = vy + w * ty + (z * tx - x * tz);
  out[2] = vz + w * tz + (x * ty - y * tx);
  return out;
}

/**
 * The shortest rotation taking unit vector `from` onto unit vector `to`
 * (PX4 matrix::Quaternion(v1, v2)). Near-opposite vectors have no unique
 * shortest arc; the caller handles that case (see AttitudeController).
 */
export function qFromTwoVectors(from: Readonly<Vec3>, to: Readonly<Vec3>, out: Quat): Quat {
  const cx = from[1] * to[2] - from[2] * to[1];
  const cy = from[2] * to[0] - from[0] * to[2];
  const cz = from[0] * to[1] - from[1] * to[0];
  const d = from[0] * to[0] + from[1] * to[1] + from[2] * to[2];
  out[0] = cx; out[1] = cy; out[2] = cz; out[3] = 1 + d;
  return qNormalize(out);
}

/** Quaternion of the rotation matrix with columns bx, by, bz (Shepperd's method). */
export function qFromAxes(bx: Readonly<Vec3>, by: Readonly<Vec3>, bz: Readonly<Vec3>, out: Quat): Quat {
  const m00 = bx[0], m10 = bx[1], m20 = bx[2];
  const m01 = by[0], m11 = by[1], m21 = by[2];
  const m02 = bz[0], m12 = bz[1], m22 = bz[2];
  const tr = m00 + m11 + m22;
  if (tr > 0) {
    const s = 2 * Math.sqrt(tr + 1);
    out[3] = s / 4; out[0] = (m21 - m12) / s; out[1] = (m02 - m20) / s; out[2] = (m10 - m01) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    out[3] = (m21 - m12) / s; out[0] = s / 4; out[1] = (m01 + m10) / s; out[2] = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    out[3] = (m02 - m20) / s; out[0] = (m01 + m10) / s; out[1] = s / 4; out[2] = (m12 + m21) / s;
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    out[3] = (m10 - m01) / s; out[0] = (m02 + m20) / s; out[1] = (m12 + m21) / s; out[2] = s / 4;
  }
  return qNormalize(out);
}
