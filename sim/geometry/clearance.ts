/**
 * Ground-truth clearance between actors, exact for vertical prisms: each
 * part becomes its footprint in the ground plane (a yawed rectangle for a
 * box, a disc for a cylinder or sphere) extruded between its lowest and
 * highest z. The distance between two such prisms is
 * sqrt(horizontal gap^2 + vertical gap^2). Roll and pitch of boxes are
 * ignored, which is exact for the upright bodies of ground scenarios and an
 * approximation for tilted ones.
 *
 * Cylinders use their true axis a (the part's z axis in the world). An
 * upright one (a vertical) is a disc, exactly. Otherwise, with u the unit
 * horizontal direction of a, c = |a_xy| and |a_z| = sqrt(1 - c^2), the
 * cylinder's support half-widths (h |a.d| + r sqrt(1 - (a.d)^2) in direction
 * d) give a rectangle footprint of half-length h c + r |a_z| along u and
 * half-width r across it, and a z-range of cz -/+ (h |a_z| + r c). For a
 * horizontal cylinder (a car wheel: axis along the body's y) this is exact:
 * a 2h x 2r rectangle between cz - r and cz + r. For any other tilt it is the
 * bounding box of the rotated cylinder in the frame (u, u-perp, z), which
 * contains the cylinder, so the distance is a lower bound (conservative).
 */
import type { ActorPart } from '../actor.ts';
import { rotateVec, yawOf, type Quat, type Vec3 } from '../math.ts';

export interface Prism {
  circle: boolean;
  /** Centre and circumradius of the footprint: a cheap lower bound for distances. */
  cx: number;
  cy: number;
  bound: number;
  /** Circle: centre in xs[0], ys[0], radius r. Rectangle: 4 corners, counter-clockwise. */
  xs: Float64Array;
  ys: Float64Array;
  r: number;
  zMin: number;
  zMax: number;
}

export function newPrism(): Prism {
  return { circle: false, cx: 0, cy: 0, bound: 0, xs: new Float64Array(4), ys: new Float64Array(4), r: 0, zMin: 0, zMax: 0 };
}

const _off: Vec3 = [0, 0, 0];
const _axis: Vec3 = [0, 0, 0];
const Z_AXIS: Readonly<Vec3> = [0, 0, 1];
/** Horizontal axis component below which a cylinder counts as upright (a disc). */
const UPRIGHT_EPS = 1e-9;
/** Corner signs of a rectangle, counter-clockwise: (+,+) (-,+) (-,-) (+,-). */
const CORNER_X = [1, -1, -1, 1] as const;
const CORNER_Y = [1, 1, -1, -1] as const;

/** Write the prism of `part` on an actor at `position`/`rotation` into `out`. */
export function prismOf(part: ActorPart, position: Readonly<Vec3>, rotation: Readonly<Quat>, out: Prism): Prism {
  rotateVec(rotation, part.offset.position, _off);
  const cx = position[0] + _off[0], cy = position[1] + _off[1], cz = position[2] + _off[2];
  const s = part.shape;
  out.cx = cx;
  out.cy = cy;
  if (s.type === 'box') {
    const yaw = yawOf(rotation) + yawOf(part.offset.rotation);
    const c = Math.cos(yaw), sn = Math.sin(yaw);
    const hx = s.halfExtents[0], hy = s.halfExtents[1], hz = s.halfExtents[2];
    for (let i = 0; i < 4; i++) {
      const px = CORNER_X[i]! * hx, py = CORNER_Y[i]! * hy;
      out.xs[i] = cx + c * px - sn * py;
      out.ys[i] = cy + sn * px + c * py;
    }
    out.circle = false;
    out.bound = Math.sqrt(hx * hx + hy * hy);
    out.zMin = cz - hz;
    out.zMax = cz + hz;
  } else if (s.type === 'cylinder' && cylinderRect(s.radius, s.halfHeight, cx, cy, cz, rotation, part.offset.rotation, out)) {
    // Tilted cylinder: written by cylinderRect.
  } else {
    out.circle = true;
    out.xs[0] = cx;
    out.ys[0] = cy;
    out.r = s.radius;
    out.bound = s.radius;
    const hz = s.type === 'cylinder' ? s.halfHeight : s.radius;
    out.zMin = cz - hz;
    out.zMax = cz + hz;
  }
  return out;
}

/**
 * The rectangle prism of a cylinder that is not upright (see the file
 * comment); false, writing nothing, when its axis is vertical.
 */
function cylinderRect(r: number, h: number, cx: number, cy: number, cz: number, rotation: Readonly<Quat>, offsetRotation: Readonly<Quat>, out: Prism): boolean {
  rotateVec(offsetRotation, Z_AXIS, _axis);
  rotateVec(rotation, _axis, _axis);
  const ax = _axis[0], ay = _axis[1], az = Math.abs(_axis[2]);
  const c = Math.sqrt(ax * ax + ay * ay);
  if (!(c > UPRIGHT_EPS)) return false;
  const ux = ax / c, uy = ay / c;
  const hl = h * c + r * az;
  for (let i = 0; i < 4; i++) {
    const pl = CORNER_X[i]! * hl, pw = CORNER_Y[i]! * r;
    out.xs[i] = cx + ux * pl - uy * pw;
    out.ys[i] = cy + uy * pl + ux * pw;
  }
  out.circle = false;
  out.bound = Math.sqrt(hl * hl + r * r);
  const hz = h * az + r * c;
  out.zMin = cz - hz;
  out.zMax = cz + hz;
  return true;
}

function pointSegDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = px - (ax + t * dx), ey = py - (ay + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
}

function pointInRect(p: Prism, x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const j = (i + 1) & 3;
    const ex = p.xs[j]! - p.xs[i]!, ey = p.ys[j]! - p.ys[i]!;
    if (ex * (y - p.ys[i]!) - ey * (x - p.xs[i]!) < 0) return false;
  }
  return true;
}

function pointRectDist(p: Prism, x: number, y: number): number {
  if (pointInRect(p, x, y)) return 0;
  let d = Infinity;
  for (let i = 0; i < 4; i++) {
    const j = (i + 1) & 3;
    d = Math.min(d, pointSegDist(x, y, p.xs[i]!, p.ys[i]!, p.xs[j]!, p.ys[j]!));
  }
  return d;
}

/** Separating-axis test for two convex quads. */
function rectsOverlap(a: Prism, b: Prism): boolean {
  return !separatedByEdgesOf(a, a, b) && !separatedByEdgesOf(b, a, b);
}

/** True when an edge normal of `poly` separates the projections of `a` and `b`. */
function separatedByEdgesOf(poly: Prism, a: Prism, b: Prism): boolean {
  for (let i = 0; i < 4; i++) {
    const j = (i + 1) & 3;
    const nx = -(poly.ys[j]! - poly.ys[i]!), ny = poly.xs[j]! - poly.xs[i]!;
    let aMin = Infinity, aMax = -Infinity, bMin = Infinity, bMax = -Infinity;
    for (let k = 0; k < 4; k++) {
      const pa = a.xs[k]! * nx + a.ys[k]! * ny;
      const pb = b.xs[k]! * nx + b.ys[k]! * ny;
      if (pa < aMin) aMin = pa;
      if (pa > aMax) aMax = pa;
      if (pb < bMin) bMin = pb;
      if (pb > bMax) bMax = pb;
    }
    if (aMax < bMin || bMax < aMin) return true;
  }
  return false;
}

/** Horizontal distance between the footprints; 0 when they overlap. */
export function footprintDistance(a: Prism, b: Prism): number {
  if (a.circle && b.circle) {
    const dx = a.xs[0]! - b.xs[0]!, dy = a.ys[0]! - b.ys[0]!;
    return Math.max(0, Math.sqrt(dx * dx + dy * dy) - a.r - b.r);
  }
  if (a.circle || b.circle) {
    const c = a.circle ? a : b, r = a.circle ? b : a;
    return Math.max(0, pointRectDist(r, c.xs[0]!, c.ys[0]!) - c.r);
  }
  if (rectsOverlap(a, b)) return 0;
  // Disjoint convex polygons: the closest pair includes a vertex of one of them.
  let d = Infinity;
  for (let k = 0; k < 4; k++) {
    d = Math.min(d, pointRectDist(b, a.xs[k]!, a.ys[k]!), pointRectDist(a, b.xs[k]!, b.ys[k]!));
  }
  return d;
}

/**
 * A lower bound on `prismDistance` from centres and circumradii alone; callers
 * tracking a running minimum skip the exact test when the bound is already larger.
 */
export function prismLowerBound(a: Prism, b: Prism): number {
  const dx = a.cx - b.cx, dy = a.cy - b.cy;
  const h = Math.max(0, Math.sqrt(dx * dx + dy * dy) - a.bound - b.bound);
  const v = Math.max(0, a.zMin - b.zMax, b.zMin - a.zMax);
  return Math.sqrt(h * h + v * v);
}

/** Distance between two vertical prisms, metres (0 when they intersect). */
export function prismDistance(a: Prism, b: Prism): number {
  const h = footprintDistance(a, b);
  const v = Math.max(0, a.zMin - b.zMax, b.zMin - a.zMax);
  return Math.sqrt(h * h + v * v);
}
