/**
 * Gimbal kinematics a controller can compute from its encoders (no ground
 * truth): the camera's attitude in the base frame, the joint axes in the
 * camera frame (the Jacobian from joint rates to camera rate), and the
 * nominal inertia each motor drives at the home position.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import type { GimbalSpec, LinkSpec } from './spec.ts';

/** Camera attitude in the base frame: Rz(q1) Rx(q2) Ry(q3). */
export function cameraInBase(q: ArrayLike<number>, out: Quat): Quat {
  const c1 = Math.cos(q[0]! / 2), s1 = Math.sin(q[0]! / 2);
  const c2 = Math.cos(q[1]! / 2), s2 = Math.sin(q[1]! / 2);
  const c3 = Math.cos(q[2]! / 2), s3 = Math.sin(q[2]! / 2);
  // qz (x) qx: [c1 s2, s1 s2, s1 c2, c1 c2]
  const ax = c1 * s2, ay = s1 * s2, az = s1 * c2, aw = c1 * c2;
  // (qz qx) (x) qy with qy = [0, s3, 0, c3]
  out[0] = ax * c3 - az * s3;
  out[1] = aw * s3 + ay * c3;
  out[2] = az * c3 + ax * s3;
  out[3] = aw * c3 - ay * s3;
  return out;
}

/**
 * Joint axes in the camera frame, as the columns of a 3 x 3 row-major matrix
 * `out` (camera rate relative to the base = out * dq):
 * a3 = y; a2 = Ry(q3)^T x; a1 = (Rx(q2) Ry(q3))^T z.
 */
export function jointAxesInCamera(q: ArrayLike<number>, out: Float64Array): Float64Array {
  const c2 = Math.cos(q[1]!), s2 = Math.sin(q[1]!), c3 = Math.cos(q[2]!), s3 = Math.sin(q[2]!);
  // a1 = Ry(q3)^T Rx(q2)^T z = Ry(q3)^T [0, s2, c2] = [-s3 c2, s2, c3 c2]
  // a2 = Ry(q3)^T x = [c3, 0, s3]
  // a3 = [0, 1, 0]
  out[0] = -s3 * c2; out[1] = c3; out[2] = 0;
  out[3] = s2; out[4] = 0; out[5] = 1;
  out[6] = c3 * c2; out[7] = s3; out[8] = 0;
  return out;
}

/** Solves A x = b for a 3 x 3 row-major A (Cramer's rule); returns false when A is singular. */
export function solve3(A: Float64Array, b: ArrayLike<number>, x: Float64Array | Vec3): boolean {
  const a = A[0]!, bb = A[1]!, c = A[2]!, d = A[3]!, e = A[4]!, f = A[5]!, g = A[6]!, h = A[7]!, k = A[8]!;
  const det = a * (e * k - f * h) - bb * (d * k - f * g) + c * (d * h - e * g);
  if (!(Math.abs(det) > 1e-9)) return false;
  const b0 = b[0]!, b1 = b[1]!, b2 = b[2]!;
  x[0] = (b0 * (e * k - f * h) - bb * (b1 * k - f * b2) + c * (b1 * h - e * b2)) / det;
  x[1] = (a * (b1 * k - f * b2) - b0 * (d * k - f * g) + c * (d * b2 - b1 * g)) / det;
  x[2] = (a * (e * b2 - b1 * h) - bb * (d * b2 - b1 * g) + b0 * (d * h - e * g)) / det;
  return true;
}

function aboutO(l: LinkSpec, axis: number): number {
  const c = l.comOffsetM;
  const perp = c[0] * c[0] + c[1] * c[1] + c[2] * c[2] - c[axis]! * c[axis]!;
  return l.inertiaKgM2[axis]! + l.massKg * perp;
}

/** Inertia each motor drives at q = 0, kg m^2: yaw carries all links about z, roll the roll and pitch links about x, pitch the camera about y. */
export function nominalJointInertia(spec: GimbalSpec): Vec3 {
  const { yaw, roll, pitch } = spec.links;
  return [aboutO(yaw, 2) + aboutO(roll, 2) + aboutO(pitch, 2), aboutO(roll, 0) + aboutO(pitch, 0), aboutO(pitch, 1)];
}
