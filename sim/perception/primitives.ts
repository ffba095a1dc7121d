/**
 * Exact analytic ray tests against Skylane's collider primitives (box,
 * sphere, z-axis cylinder) and an infinite ground plane, on primitives packed
 * in a Float64Array (`PRIM_STRIDE` numbers each) so a scene of thousands is
 * one typed array and a test allocates nothing.
 *
 * Semantics follow `PhysicsBackend.castRay` (Rapier's solid casts): a ray
 * whose origin is inside a primitive hits it at distance 0 with normal
 * -direction; otherwise the hit is the first entry point. Directions are unit.
 *
 * Layout of one primitive at offset `o`:
 *   [o]      kind (PRIM_BOX, PRIM_SPHERE, PRIM_CYLINDER, PRIM_PLANE, and the
 *            fast cases PRIM_ZCYLINDER and PRIM_AABOX, chosen by writePrimitive)
 *   [o+1..3] centre, world frame (plane: a point on it)
 *   [o+4..12] world-to-local rotation, row-major (local = M (p - centre));
 *            identity for spheres and planes
 *   [o+13..15] box half extents | sphere radius | cylinder radius, half height
 *            (plane: unused; its normal is world +z, solid below)
 */
import type { Pose, Vec3 } from '../math.ts';
import type { ShapeDesc } from '../physics/backend.ts';

export const PRIM_BOX = 0;
export const PRIM_SPHERE = 1;
export const PRIM_CYLINDER = 2;
export const PRIM_PLANE = 3;
/** A cylinder whose axis is world z (either way up): tested in 2D, no frame change. Stored with an identity rotation. */
export const PRIM_ZCYLINDER = 4;
/** A box with the identity rotation: slabs in the world frame, no frame change. */
export const PRIM_AABOX = 5;
export const PRIM_STRIDE = 16;

/**
 * Where the last successful test entered, read by `primitiveNormal`:
 * box: 1 + axis, negated for the -h face; cylinder: 0 side, +-3 caps;
 * -9 when the origin was inside (normal = -direction). Module scratch, so a
 * test returns a bare number and allocates nothing.
 */
export let lastEntry = 0;

/** Below this |direction component| a ray counts as parallel to a slab (avoids 0 * Infinity = NaN). */
const PARALLEL_EPS = 1e-12;

/** Write one primitive: `shape` at world pose `pose` (the part's pose composed with its body's). */
export function writePrimitive(out: Float64Array, o: number, shape: ShapeDesc, pose: Pose): void {
  const [cx, cy, cz] = pose.position;
  out[o + 1] = cx; out[o + 2] = cy; out[o + 3] = cz;
  writeInverseRotation(out, o, pose.rotation);
  switch (shape.type) {
    case 'box':
      out[o] = isIdentity(out, o) ? PRIM_AABOX : PRIM_BOX;
      out[o + 13] = shape.halfExtents[0]; out[o + 14] = shape.halfExtents[1]; out[o + 15] = shape.halfExtents[2];
      break;
    case 'sphere':
      out[o] = PRIM_SPHERE;
      out[o + 13] = shape.radius; out[o + 14] = 0; out[o + 15] = 0;
      break;
    case 'cylinder':
      out[o] = PRIM_CYLINDER;
      // Upright (axis along world +-z, any spin about it): the same solid as the unrotated cylinder,
      // so it is stored unrotated and tested in 2D. The test is exact: the axis's x, y are exactly 0.
      if (out[o + 10] === 0 && out[o + 11] === 0) {
        out[o] = PRIM_ZCYLINDER;
        writeInverseRotation(out, o, [0, 0, 0, 1]);
      }
      out[o + 13] = shape.radius; out[o + 14] = shape.halfHeight; out[o + 15] = 0;
      break;
  }
}

function isIdentity(p: Float64Array, o: number): boolean {
  return p[o + 4] === 1 && p[o + 8] === 1 && p[o + 12] === 1 && p[o + 5] === 0 && p[o + 6] === 0 && p[o + 7] === 0 && p[o + 9] === 0 && p[o + 10] === 0 && p[o + 11] === 0;
}

/** Write an infinite horizontal ground plane at height `zM` (solid below it). */
export function writePlane(out: Float64Array, o: number, zM: number): void {
  out[o] = PRIM_PLANE;
  out[o + 1] = 0; out[o + 2] = 0; out[o + 3] = zM;
  writeInverseRotation(out, o, [0, 0, 0, 1]);
  out[o + 13] = 0; out[o + 14] = 0; out[o + 15] = 0;
}

/** Transpose of the quaternion's rotation matrix, i.e. world-to-local, row-major at o+4. */
function writeInverseRotation(out: Float64Array, o: number, q: readonly number[]): void {
  const x = q[0]!, y = q[1]!, z = q[2]!, w = q[3]!;
  // Rotation matrix R (local-to-world); we store R^T.
  const r00 = 1 - 2 * (y * y + z * z), r01 = 2 * (x * y - w * z), r02 = 2 * (x * z + w * y);
  const r10 = 2 * (x * y + w * z), r11 = 1 - 2 * (x * x + z * z), r12 = 2 * (y * z - w * x);
  const r20 = 2 * (x * z - w * y), r21 = 2 * (y * z + w * x), r22 = 1 - 2 * (x * x + y * y);
  out[o + 4] = r00; out[o + 5] = r10; out[o + 6] = r20;
  out[o + 7] = r01; out[o + 8] = r11; out[o + 9] = r21;
  out[o + 10] = r02; out[o + 11] = r12; out[o + 12] = r22;
}

/**
 * World-frame axis-aligned bounds of primitive `o` into `lo`/`hi` (|M^T| h
 * for boxes and cylinders); a plane has infinite x/y bounds.
 */
export function primitiveBounds(p: Float64Array, o: number, lo: Vec3, hi: Vec3): void {
  const kind = p[o]!;
  let ex: number, ey: number, ez: number;
  if (kind === PRIM_SPHERE) {
    ex = ey = ez = p[o + 13]!;
  } else if (kind === PRIM_PLANE) {
    lo[0] = -Infinity; lo[1] = -Infinity; lo[2] = -Infinity;
    hi[0] = Infinity; hi[1] = Infinity; hi[2] = p[o + 3]!;
    return;
  } else {
    let hx: number, hy: number, hz: number;
    if (kind === PRIM_BOX || kind === PRIM_AABOX) {
      hx = p[o + 13]!; hy = p[o + 14]!; hz = p[o + 15]!;
    } else {
      hx = hy = p[o + 13]!; hz = p[o + 14]!;
    }
    // World extent along axis i: sum_j |R_ij| h_j, with R_ij = M_ji = p[o+4+3j+i].
    ex = Math.abs(p[o + 4]!) * hx + Math.abs(p[o + 7]!) * hy + Math.abs(p[o + 10]!) * hz;
    ey = Math.abs(p[o + 5]!) * hx + Math.abs(p[o + 8]!) * hy + Math.abs(p[o + 11]!) * hz;
    ez = Math.abs(p[o + 6]!) * hx + Math.abs(p[o + 9]!) * hy + Math.abs(p[o + 12]!) * hz;
    if (kind === PRIM_CYLINDER || kind === PRIM_ZCYLINDER) {
      // A cylinder is tighter than its box: the rim circle spans r sqrt(1 - a_i^2) along axis i (a = axis direction).
      const r = hx, ax = p[o + 10]!, ay = p[o + 11]!, az = p[o + 12]!;
      ex = Math.abs(ax) * hz + r * Math.sqrt(Math.max(0, 1 - ax * ax));
      ey = Math.abs(ay) * hz + r * Math.sqrt(Math.max(0, 1 - ay * ay));
      ez = Math.abs(az) * hz + r * Math.sqrt(Math.max(0, 1 - az * az));
    }
  }
  const cx = p[o + 1]!, cy = p[o + 2]!, cz = p[o + 3]!;
  lo[0] = cx - ex; lo[1] = cy - ey; lo[2] = cz - ez;
  hi[0] = cx + ex; hi[1] = cy + ey; hi[2] = cz + ez;
}

/**
 * Distance to primitive `o` along the ray, in [0, tMax], or Infinity for no
 * hit within tMax. Sets `lastEntry` when it hits.
 */
export function rayPrimitive(p: Float64Array, o: number, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMax: number): number {
  const kind = p[o]!;
  const rx = ox - p[o + 1]!, ry = oy - p[o + 2]!, rz = oz - p[o + 3]!;
  // The common cases of Skylane's worlds first: upright pillars, unrotated boxes (and the ground slab).
  if (kind === PRIM_ZCYLINDER) return rayCylinderLocal(rx, ry, rz, dx, dy, dz, p[o + 13]!, p[o + 14]!, tMax);
  if (kind === PRIM_AABOX) return rayBoxLocal(rx, ry, rz, dx, dy, dz, p[o + 13]!, p[o + 14]!, p[o + 15]!, tMax);
  if (kind === PRIM_SPHERE) {
    const r = p[o + 13]!;
    const c = rx * rx + ry * ry + rz * rz - r * r;
    if (c <= 0) {
      lastEntry = -9;
      return 0;
    }
    const b = rx * dx + ry * dy + rz * dz;
    if (b >= 0) return Infinity; // outside and moving away
    const disc = b * b - c;
    if (disc < 0) return Infinity;
    // c / (-b + sqrt(disc)) is the near root without the cancellation of -b - sqrt(disc) on grazing rays.
    const t = c / (-b + Math.sqrt(disc));
    if (t > tMax) return Infinity;
    lastEntry = 0;
    return t;
  }
  if (kind === PRIM_PLANE) {
    if (rz <= 0) {
      lastEntry = -9;
      return 0;
    }
    if (dz >= 0) return Infinity;
    const t = -rz / dz;
    if (t > tMax) return Infinity;
    lastEntry = 3;
    return t;
  }
  // Ray in the primitive's local frame.
  const m0 = p[o + 4]!, m1 = p[o + 5]!, m2 = p[o + 6]!, m3 = p[o + 7]!, m4 = p[o + 8]!, m5 = p[o + 9]!, m6 = p[o + 10]!, m7 = p[o + 11]!, m8 = p[o + 12]!;
  const lx = m0 * rx + m1 * ry + m2 * rz, ly = m3 * rx + m4 * ry + m5 * rz, lz = m6 * rx + m7 * ry + m8 * rz;
  const ux = m0 * dx + m1 * dy + m2 * dz, uy = m3 * dx + m4 * dy + m5 * dz, uz = m6 * dx + m7 * dy + m8 * dz;
  if (kind === PRIM_BOX) return rayBoxLocal(lx, ly, lz, ux, uy, uz, p[o + 13]!, p[o + 14]!, p[o + 15]!, tMax);
  return rayCylinderLocal(lx, ly, lz, ux, uy, uz, p[o + 13]!, p[o + 14]!, tMax);
}

/** Slab test of an origin-centred box with half extents h, ray already in its frame. */
function rayBoxLocal(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, hx: number, hy: number, hz: number, tMax: number): number {
  let tNear = -Infinity, tFar = Infinity, entry = 0;
  // x slab
  if (dx > PARALLEL_EPS || dx < -PARALLEL_EPS) {
    const inv = 1 / dx;
    let t0 = (-hx - ox) * inv, t1 = (hx - ox) * inv, face = -1;
    if (t0 > t1) { const s = t0; t0 = t1; t1 = s; face = 1; }
    if (t0 > tNear) { tNear = t0; entry = face; }
    if (t1 < tFar) tFar = t1;
  } else if (ox < -hx || ox > hx) return Infinity;
  // y slab
  if (dy > PARALLEL_EPS || dy < -PARALLEL_EPS) {
    const inv = 1 / dy;
    let t0 = (-hy - oy) * inv, t1 = (hy - oy) * inv, face = -2;
    if (t0 > t1) { const s = t0; t0 = t1; t1 = s; face = 2; }
    if (t0 > tNear) { tNear = t0; entry = face; }
    if (t1 < tFar) tFar = t1;
  } else if (oy < -hy || oy > hy) return Infinity;
  // z slab
  if (dz > PARALLEL_EPS || dz < -PARALLEL_EPS) {
    const inv = 1 / dz;
    let t0 = (-hz - oz) * inv, t1 = (hz - oz) * inv, face = -3;
    if (t0 > t1) { const s = t0; t0 = t1; t1 = s; face = 3; }
    if (t0 > tNear) { tNear = t0; entry = face; }
    if (t1 < tFar) tFar = t1;
  } else if (oz < -hz || oz > hz) return Infinity;
  if (tFar < tNear || tFar < 0) return Infinity;
  if (tNear <= 0) {
    // The origin is inside (or on) the box: a solid cast hits at 0.
    lastEntry = -9;
    return 0;
  }
  if (tNear > tMax) return Infinity;
  lastEntry = entry;
  return tNear;
}

/** Cylinder of radius r, half height hh about local z, ray already in its frame; caps included. */
function rayCylinderLocal(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, r: number, hh: number, tMax: number): number {
  const r2 = r * r;
  const c = ox * ox + oy * oy - r2;
  if (c <= 0 && oz >= -hh && oz <= hh) {
    lastEntry = -9;
    return 0;
  }
  let best = Infinity, entry = 0;
  // Lateral surface: the ray enters the infinite cylinder only from outside it (c > 0).
  const a = dx * dx + dy * dy;
  if (c > 0 && a > PARALLEL_EPS) {
    const b = ox * dx + oy * dy;
    if (b < 0) {
      const disc = b * b - a * c;
      if (disc >= 0) {
        // Near root in the cancellation-free form c / (-b + sqrt(disc)).
        const t = c / (-b + Math.sqrt(disc));
        const z = oz + t * dz;
        if (z >= -hh && z <= hh) { best = t; entry = 0; }
      }
    }
  }
  // Caps: entered only from outside their slab, moving towards it.
  if (best === Infinity) {
    let t = Infinity, face = 0;
    if (oz > hh && dz < -PARALLEL_EPS) { t = (hh - oz) / dz; face = 3; }
    else if (oz < -hh && dz > PARALLEL_EPS) { t = (-hh - oz) / dz; face = -3; }
    if (t !== Infinity) {
      const x = ox + t * dx, y = oy + t * dy;
      if (x * x + y * y <= r2) { best = t; entry = face; }
    }
  }
  if (best > tMax) return Infinity;
  lastEntry = entry;
  return best;
}

/**
 * World-frame unit normal of primitive `o` at world point (px, py, pz), for
 * the entry `entry` its test reported (`lastEntry`), into `out`.
 */
export function primitiveNormal(p: Float64Array, o: number, entry: number, px: number, py: number, pz: number, dx: number, dy: number, dz: number, out: Vec3): void {
  if (entry === -9) {
    out[0] = -dx; out[1] = -dy; out[2] = -dz;
    return;
  }
  const kind = p[o]!;
  const rx = px - p[o + 1]!, ry = py - p[o + 2]!, rz = pz - p[o + 3]!;
  if (kind === PRIM_SPHERE) {
    const n = Math.hypot(rx, ry, rz) || 1;
    out[0] = rx / n; out[1] = ry / n; out[2] = rz / n;
    return;
  }
  if (kind === PRIM_PLANE) {
    out[0] = 0; out[1] = 0; out[2] = 1;
    return;
  }
  // Local normal, then rotate back with R = M^T: world_i = sum_j M_ji n_j.
  let nx = 0, ny = 0, nz = 0;
  if (kind === PRIM_BOX || kind === PRIM_AABOX || entry !== 0) {
    const s = entry > 0 ? 1 : -1, axis = Math.abs(entry);
    if (axis === 1) nx = s;
    else if (axis === 2) ny = s;
    else nz = s;
  } else {
    // Cylinder side: radial direction of the local hit point.
    const lx = p[o + 4]! * rx + p[o + 5]! * ry + p[o + 6]! * rz;
    const ly = p[o + 7]! * rx + p[o + 8]! * ry + p[o + 9]! * rz;
    const n = Math.hypot(lx, ly) || 1;
    nx = lx / n; ny = ly / n;
  }
  out[0] = p[o + 4]! * nx + p[o + 7]! * ny + p[o + 10]! * nz;
  out[1] = p[o + 5]! * nx + p[o + 8]! * ny + p[o + 11]! * nz;
  out[2] = p[o + 6]! * nx + p[o + 9]! * ny + p[o + 12]! * nz;
}
