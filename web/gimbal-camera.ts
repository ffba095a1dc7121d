/**
 * The gimbal camera's geometry for the view, pure (three's math only):
 *
 * - the REP 103 camera frame (x forward along the lens, y left, z up) to a
 *   three.js camera (looks down its -z, +y up, +x right);
 * - the vertical field of view three wants from a horizontal one;
 * - a link's box from its principal inertia (the spec gives masses and
 *   inertias; the drawing wants sizes).
 */
import * as THREE from 'three';
import type { Quat, Vec3 } from '../sim/math.ts';

/**
 * The three.js camera's axes in the REP 103 camera frame: its +x (right) is
 * -y, its +y (up) is +z, its +z (backwards) is -x. As a rotation, three
 * camera frame to REP 103 camera frame: the matrix with those columns.
 */
export const THREE_CAMERA_IN_REP103 = Object.freeze(
  new THREE.Quaternion().setFromRotationMatrix(new THREE.Matrix4().set(
    0, 0, -1, 0,
    -1, 0, 0, 0,
    0, 1, 0, 0,
    0, 0, 0, 1,
  )),
);

/**
 * The three.js camera quaternion (camera to world) for a camera whose REP 103
 * frame has attitude `q` ([x, y, z, w], camera to world): q * fix.
 */
export function threeCameraQuaternion(q: Readonly<Quat>, out: THREE.Quaternion): THREE.Quaternion {
  return out.set(q[0], q[1], q[2], q[3]).multiply(THREE_CAMERA_IN_REP103);
}

/** Vertical field of view, deg, of a pinhole camera with horizontal field `hfovDeg` and aspect width / height. */
export function verticalFovDeg(hfovDeg: number, aspect: number): number {
  if (!(hfovDeg > 0 && hfovDeg < 180 && aspect > 0)) throw new RangeError(`field of view: need 0 < hfovDeg < 180 and aspect > 0, got ${hfovDeg}, ${aspect}`);
  const rad = Math.PI / 180;
  return (2 * Math.atan(Math.tan((hfovDeg * rad) / 2) / aspect)) / rad;
}

/**
 * Sides (x, y, z), m, of the uniform box of mass `massKg` with principal
 * inertia `inertiaKgM2` about its centre: the inverse of
 * I = m/12 (b^2 + c^2, a^2 + c^2, a^2 + b^2), so a^2 = 6 (Iy + Iz - Ix) / m.
 * A side that comes out imaginary (inertias that no box has) is 0.
 */
export function boxSidesFromInertia(massKg: number, inertiaKgM2: Readonly<Vec3>): Vec3 {
  if (!(massKg > 0)) throw new RangeError(`box from inertia: massKg must be > 0, got ${massKg}`);
  const [ix, iy, iz] = inertiaKgM2;
  const side = (s: number) => Math.sqrt(Math.max(0, (6 * s) / massKg));
  return [side(iy + iz - ix), side(ix + iz - iy), side(ix + iy - iz)];
}
