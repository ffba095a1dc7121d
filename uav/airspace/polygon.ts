/**
 * Simple-polygon geometry in a scenario's local ENU frame, metres (x east,
 * y north): what the geofence-avoidance planner (`planner.ts`) stands on.
 *
 * A polygon is an open ring of vertices (the first vertex is NOT repeated at
 * the end, unlike a GeoJSON ring), in either orientation.
 *
 * Tolerance. Every "is it on the line / on the boundary / the same point"
 * decision uses one absolute distance, GEOMETRY_EPS_M = 1e-6 m (a
 * micrometre), applied to distances, never to raw cross products (whose unit
 * is m²). Why that size: coordinates are bounded by MAX_ABS_COORD_M = 1e6 m,
 * where a double's spacing is 1.2e-10 m, so rounding in a few chained
 * operations stays four orders of magnitude below the tolerance; and a
 * micrometre is far below anything a fence file can express (ED-269 and
 * GeoJSON give 7 decimal places of a degree at best, ~1 cm). Points closer
 * than the tolerance to a boundary count as ON it, which is what makes the
 * visibility test below stable for segments that touch a vertex or run along
 * an edge (PX4's src/lib/geofence/geofence_utils.cpp draws the same line with
 * exact orientation signs: "touching" and "collinear overlap" are not
 * crossings).
 */

/** A point or vector in local ENU metres: [east, north]. */
export type Vec2 = readonly [number, number];
/** An open ring of at least three vertices, either orientation. */
export type Polygon = readonly Vec2[];

/** Distance under which two points coincide or a point lies on a segment, m. */
export const GEOMETRY_EPS_M = 1e-6;
/**
 * Largest coordinate accepted, m. A local ENU frame is for the few tens of
 * kilometres of a mission; 1000 km out, the azimuthal-equidistant frame's
 * scale error is already ~0.4 %, and a bigger number is a unit slip (degrees
 * times 1e7, millimetres) rather than a place.
 */
export const MAX_ABS_COORD_M = 1e6;

const sub = (a: Vec2, b: Vec2): [number, number] => [a[0] - b[0], a[1] - b[1]];
const cross = (a: Vec2, b: Vec2): number => a[0] * b[1] - a[1] * b[0];
const dot = (a: Vec2, b: Vec2): number => a[0] * b[0] + a[1] * b[1];

/** Euclidean distance between two points, m. */
export function distance(a: Vec2, b: Vec2): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Signed area, m² (shoelace formula); positive when counter-clockwise. */
export function signedArea(poly: Polygon): number {
  let s = 0;
  for (let i = 0, n = poly.length; i < n; i++) {
    const a = poly[i]!, b = poly[(i + 1) % n]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** True when the ring runs counter-clockwise (east towards north). */
export function isCounterClockwise(poly: Polygon): boolean {
  return signedArea(poly) > 0;
}

/**
 * Side of point c relative to the directed line a->b: +1 left, -1 right, 0
 * when c is within GEOMETRY_EPS_M of the line (or a and b coincide).
 */
export function orientation(a: Vec2, b: Vec2, c: Vec2): -1 | 0 | 1 {
  const len = distance(a, b);
  if (len <= GEOMETRY_EPS_M) return 0;
  const d = cross(sub(b, a), sub(c, a)) / len; // signed distance of c from the line, m
  return d > GEOMETRY_EPS_M ? 1 : d < -GEOMETRY_EPS_M ? -1 : 0;
}

/** Distance from p to the segment a-b, m. */
export function pointSegmentDistance(p: Vec2, a: Vec2, b: Vec2): number {
  return segmentDistanceXY(p[0], p[1], a[0], a[1], b[0], b[1]);
}

/** Distance from (px, py) to the segment a-b, m, from plain numbers (allocation-free: the per-tick zone checks use it). */
export function segmentDistanceXY(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Distance from p to the boundary of the polygon, m. */
export function pointPolygonBoundaryDistance(p: Vec2, poly: Polygon): number {
  let best = Infinity;
  for (let i = 0, n = poly.length; i < n; i++) best = Math.min(best, pointSegmentDistance(p, poly[i]!, poly[(i + 1) % n]!));
  return best;
}

export type SegmentIntersection = 'none' | 'proper' | 'touching' | 'overlap';

/**
 * How the closed segments a-b and c-d meet (O'Rourke, Computational Geometry
 * in C, 2nd ed., section 1.5, with the tolerance above): 'proper' when each
 * strictly straddles the other's line; 'overlap' when they are collinear and
 * share more than a point; 'touching' when an endpoint of one lies on the
 * other (a shared vertex, a T, or collinear segments meeting end to end);
 * 'none' otherwise.
 */
export function segmentIntersection(a: Vec2, b: Vec2, c: Vec2, d: Vec2): SegmentIntersection {
  const o1 = orientation(a, b, c), o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a), o4 = orientation(c, d, b);
  if (o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return o1 !== o2 && o3 !== o4 ? 'proper' : 'none';
  const on = (p: Vec2, s0: Vec2, s1: Vec2) => pointSegmentDistance(p, s0, s1) <= GEOMETRY_EPS_M;
  const cOn = on(c, a, b), dOn = on(d, a, b), aOn = on(a, c, d), bOn = on(b, c, d);
  if (!(cOn || dOn || aOn || bOn)) return 'none';
  if (o1 === 0 && o2 === 0) {
    // collinear: more than a point in common?
    const u = sub(b, a), len = Math.hypot(u[0], u[1]);
    if (len <= GEOMETRY_EPS_M) return 'touching';
    const tc = dot(sub(c, a), u) / len, td = dot(sub(d, a), u) / len;
    const lo = Math.max(0, Math.min(tc, td)), hi = Math.min(len, Math.max(tc, td));
    return hi - lo > GEOMETRY_EPS_M ? 'overlap' : 'touching';
  }
  return 'touching';
}

export type PointLocation = 'inside' | 'outside' | 'boundary';

/**
 * Where p lies: 'boundary' within GEOMETRY_EPS_M of an edge, else by the
 * crossing-number rule (for a simple polygon it agrees with the winding
 * number; Sunday, "Inclusion of a point in a polygon", geomalgorithms.com).
 */
export function pointInPolygon(p: Vec2, poly: Polygon): PointLocation {
  const e = GEOMETRY_EPS_M;
  let inside = false;
  for (let i = 0, n = poly.length, j = n - 1; i < n; j = i++) {
    const a = poly[i]!, b = poly[j]!;
    // boundary first, but only for edges whose box (grown by the tolerance) holds the point
    if (
      p[0] >= Math.min(a[0], b[0]) - e && p[0] <= Math.max(a[0], b[0]) + e &&
      p[1] >= Math.min(a[1], b[1]) - e && p[1] <= Math.max(a[1], b[1]) + e &&
      pointSegmentDistance(p, a, b) <= e
    ) {
      return 'boundary';
    }
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (p[0] < x) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

/**
 * Which sides of the polygon the segment a-b visits: it is cut at every point
 * where it meets the boundary (proper crossings, vertices on it, ends of
 * collinear overlaps), and the midpoint of each piece is located. A piece
 * along an edge is on the boundary; a segment that only touches a vertex or
 * runs along an edge therefore visits neither the inside nor the outside.
 */
export function segmentSides(a: Vec2, b: Vec2, poly: Polygon): { inside: boolean; outside: boolean } {
  const ab = sub(b, a), len = Math.hypot(ab[0], ab[1]);
  if (len <= GEOMETRY_EPS_M) {
    const where = pointInPolygon(a, poly);
    return { inside: where === 'inside', outside: where === 'outside' };
  }
  const ts: number[] = [0, 1];
  const param = (p: Vec2) => dot(sub(p, a), ab) / (len * len);
  const e = GEOMETRY_EPS_M;
  const x0 = Math.min(a[0], b[0]) - e, x1 = Math.max(a[0], b[0]) + e;
  const y0 = Math.min(a[1], b[1]) - e, y1 = Math.max(a[1], b[1]) + e;
  for (let i = 0, n = poly.length; i < n; i++) {
    const c = poly[i]!, d = poly[(i + 1) % n]!;
    // boxes apart: the segments cannot meet (cheap, and most edges of most fences are far away)
    if (Math.max(c[0], d[0]) < x0 || Math.min(c[0], d[0]) > x1 || Math.max(c[1], d[1]) < y0 || Math.min(c[1], d[1]) > y1) continue;
    const kind = segmentIntersection(a, b, c, d);
    if (kind === 'none') continue;
    if (kind === 'proper') {
      const cd = sub(d, c);
      ts.push(cross(sub(c, a), cd) / cross(ab, cd));
      continue;
    }
    // touching or overlap: the cut points are the endpoints lying on the other segment
    if (pointSegmentDistance(c, a, b) <= GEOMETRY_EPS_M) ts.push(param(c));
    if (pointSegmentDistance(d, a, b) <= GEOMETRY_EPS_M) ts.push(param(d));
  }
  ts.sort((x, y) => x - y);
  let inside = false, outside = false;
  const minPiece = GEOMETRY_EPS_M / len;
  for (let k = 0; k + 1 < ts.length; k++) {
    const t0 = Math.max(0, ts[k]!), t1 = Math.min(1, ts[k + 1]!);
    if (t1 - t0 <= minPiece) continue;
    const tm = (t0 + t1) / 2;
    const where = pointInPolygon([a[0] + tm * ab[0], a[1] + tm * ab[1]], poly);
    if (where === 'inside') inside = true;
    else if (where === 'outside') outside = true;
  }
  return { inside, outside };
}

/**
 * True when the segment passes through the polygon's interior. Touching a
 * vertex or running along an edge is not a crossing (the segment is
 * "visible"), the way a visibility graph over buffered fences needs it.
 */
export function segmentCrossesInterior(a: Vec2, b: Vec2, poly: Polygon): boolean {
  return segmentSides(a, b, poly).inside;
}

/** True when some part of the segment lies strictly outside the polygon. */
export function segmentLeavesPolygon(a: Vec2, b: Vec2, poly: Polygon): boolean {
  return segmentSides(a, b, poly).outside;
}

/** Index i of the first vertex equal (within GEOMETRY_EPS_M) to the next one, ring closure included; -1 if none. */
export function findDuplicateConsecutiveVertex(poly: Polygon): number {
  for (let i = 0, n = poly.length; i < n; i++) {
    if (distance(poly[i]!, poly[(i + 1) % n]!) <= GEOMETRY_EPS_M) return i;
  }
  return -1;
}

/**
 * The first pair of edges [i, j] (edge i runs from vertex i to vertex i+1)
 * that meet where they should not: non-adjacent edges that meet at all, or
 * adjacent edges that fold back over each other. null for a simple polygon.
 * O(n²), fine for fences of a few hundred vertices checked at load time.
 */
export function findSelfIntersection(poly: Polygon): [number, number] | null {
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const a = poly[i]!, b = poly[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      const c = poly[j]!, d = poly[(j + 1) % n]!;
      const kind = segmentIntersection(a, b, c, d);
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent ? kind === 'overlap' || kind === 'proper' : kind !== 'none') return [i, j];
    }
  }
  return null;
}

/**
 * Throws a RangeError naming `what` if the polygon cannot be a fence: fewer
 * than three vertices, a NaN, infinite or out-of-range coordinate, a
 * duplicate consecutive vertex, a self-intersection, or no area.
 */
export function validatePolygon(poly: Polygon, what = 'polygon'): void {
  if (!Array.isArray(poly) || poly.length < 3) {
    throw new RangeError(`${what} needs at least 3 vertices, got ${Array.isArray(poly) ? poly.length : typeof poly}`);
  }
  poly.forEach((v, i) => validatePoint(v, `${what} vertex ${i}`));
  const dup = findDuplicateConsecutiveVertex(poly);
  if (dup >= 0) {
    const next = (dup + 1) % poly.length;
    throw new RangeError(
      `${what} has duplicate consecutive vertices ${dup} and ${next} at (${poly[dup]![0]}, ${poly[dup]![1]})` +
        (next === 0 ? ' (a ring must not repeat its first vertex at the end)' : ''),
    );
  }
  const hit = findSelfIntersection(poly);
  if (hit) throw new RangeError(`${what} is self-intersecting: edge ${hit[0]} meets edge ${hit[1]}`);
  if (Math.abs(signedArea(poly)) <= GEOMETRY_EPS_M * GEOMETRY_EPS_M) throw new RangeError(`${what} has no area`);
}

/** Throws a RangeError naming `what` unless p is a pair of finite coordinates within MAX_ABS_COORD_M. */
export function validatePoint(p: Vec2, what = 'point'): void {
  if (!Array.isArray(p) || p.length !== 2) throw new RangeError(`${what} must be [east, north] in metres`);
  const [x, y] = p;
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`${what} has a non-finite coordinate (${x}, ${y})`);
  if (Math.abs(x) > MAX_ABS_COORD_M || Math.abs(y) > MAX_ABS_COORD_M) {
    throw new RangeError(`${what} (${x}, ${y}) is out of range: local ENU coordinates must be within ±${MAX_ABS_COORD_M} m of the origin`);
  }
}

/**
 * A polygon of `segments` vertices that circumscribes the circle (every
 * edge tangent to it), so the polygon contains the whole circle: the safe
 * choice for a no-fly circle. The vertices lie at radius r / cos(pi / n);
 * an inscribed polygon would cut chords up to r (1 - cos(pi / n)) into the
 * zone (2 % of the radius at 16 sides). ArduPilot circumscribes the same
 * way (libraries/AC_Avoidance/AP_OADijkstra.cpp,
 * create_exclusion_circle_with_margin: six points at (r + margin) / cos 30°),
 * and so does PX4 (geofence_avoidance_planner.cpp: r / cos(pi / n) + margin).
 * For an inclusion circle, use an inscribed polygon instead: `inscribed: true`.
 */
export function circleToPolygon(center: Vec2, radiusM: number, segments = 16, inscribed = false): Vec2[] {
  validatePoint(center, 'circle centre');
  if (!(radiusM > 0) || !Number.isFinite(radiusM)) throw new RangeError(`circle radius must be a positive finite number of metres, got ${radiusM}`);
  if (!Number.isInteger(segments) || segments < 3) throw new RangeError(`a circle needs an integer number of segments >= 3, got ${segments}`);
  const r = inscribed ? radiusM : radiusM / Math.cos(Math.PI / segments);
  const out: Vec2[] = [];
  for (let i = 0; i < segments; i++) {
    const a = (2 * Math.PI * (i + 0.5)) / segments;
    out.push([center[0] + r * Math.cos(a), center[1] + r * Math.sin(a)]);
  }
  return out;
}

export interface OffsetOptions {
  /**
   * Largest angle one vertex of a round join may span, rad (default pi/4).
   * A corner that turns by theta gets ceil(theta / maxJoinStepRad) vertices;
   * a single vertex is the plain mitre. Smaller steps hug the arc closer
   * (the join bulges at most 1 / cos(step / 2) - 1 of the margin beyond it:
   * 8 % at pi/4) at the cost of more graph nodes.
   */
  maxJoinStepRad?: number;
}

/**
 * The polygon offset by `distanceM`: outward (a buffer) when positive,
 * inward when negative. Every edge moves out (in) by exactly |distance|; at
 * a corner that opens on the offset side the edges are joined by a polygon
 * that circumscribes the arc of radius |distance| about the vertex (a round
 * join approximated from outside, so never closer to the vertex than the
 * margin); at a corner that closes on the offset side the two moved edges
 * simply meet. The result is counter-clockwise.
 *
 * This is the raw offset: it is exact while the margin is smaller than the
 * polygon's local feature size. When it is not (an inward offset of a
 * polygon thinner than twice the margin, an outward offset that closes a
 * notch), the raw ring self-intersects or an edge turns round, and this
 * returns null rather than a wrong polygon; resolving those loops is a
 * polygon union (Clipper's approach), which this small helper does not do.
 *
 * Compared with PX4's expandOrShrinkPolygon (src/lib/geofence/geofence_utils.cpp),
 * which moves each vertex by the margin along the bisector (so an edge
 * between two moved vertices sits closer than the margin to a sharp fence
 * edge), here every point of the result is at least the margin away, which
 * lets the planner check visibility against the buffered polygon alone.
 */
export function offsetPolygon(poly: Polygon, distanceM: number, options: OffsetOptions = {}): Vec2[] | null {
  validatePolygon(poly);
  if (!Number.isFinite(distanceM)) throw new RangeError(`offset distance must be finite, got ${distanceM}`);
  const step = options.maxJoinStepRad ?? Math.PI / 4;
  if (!(step > 0 && step <= Math.PI / 2)) throw new RangeError(`maxJoinStepRad must be in (0, pi/2], got ${step}`);
  const ring = isCounterClockwise(poly) ? [...poly] : [...poly].reverse();
  if (distanceM === 0) return ring;
  const n = ring.length, s = Math.sign(distanceM), d = Math.abs(distanceM);
  // unit direction and outward normal of edge i (vertex i -> i+1); outward is to the right of a CCW ring
  const dir: Vec2[] = [], nrm: Vec2[] = [];
  for (let i = 0; i < n; i++) {
    const e = sub(ring[(i + 1) % n]!, ring[i]!), len = Math.hypot(e[0], e[1]);
    dir.push([e[0] / len, e[1] / len]);
    nrm.push([e[1] / len, -e[0] / len]);
  }
  const out: Vec2[] = [];
  // first and last output vertex of each vertex's contribution, to check that edges keep their direction
  const firstOf: number[] = [], lastOf: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = ring[i]!, u1 = dir[(i + n - 1) % n]!, u2 = dir[i]!;
    const n1: Vec2 = [s * nrm[(i + n - 1) % n]![0], s * nrm[(i + n - 1) % n]![1]];
    const n2: Vec2 = [s * nrm[i]![0], s * nrm[i]![1]];
    const turn = Math.atan2(cross(n1, n2), dot(n1, n2)); // signed angle from n1 to n2
    // The corner opens on the offset side when the offset normal turns the same way the ring turns
    // (left for CCW): convex corners for a buffer, reflex corners for an inward offset.
    const opens = s * cross(u1, u2) > 0;
    firstOf.push(out.length);
    if (opens) {
      const k = Math.max(1, Math.ceil(Math.abs(turn) / step - 1e-9));
      const dTheta = turn / k, r = d / Math.cos(dTheta / 2), a0 = Math.atan2(n1[1], n1[0]);
      for (let j = 0; j < k; j++) {
        const a = a0 + (j + 0.5) * dTheta;
        out.push([v[0] + r * Math.cos(a), v[1] + r * Math.sin(a)]);
      }
    } else {
      const c = 1 + dot(n1, n2); // 2 cos²(half the turn); ~0 at a hairpin
      if (c < 1e-9) return null;
      out.push([v[0] + (d * (n1[0] + n2[0])) / c, v[1] + (d * (n1[1] + n2[1])) / c]);
    }
    lastOf.push(out.length - 1);
  }
  // an offset edge that runs backwards means the margin swallowed it: the raw offset is wrong there
  for (let i = 0; i < n; i++) {
    const p = out[lastOf[i]!]!, q = out[firstOf[(i + 1) % n]!]!;
    if (dot(sub(q, p), dir[i]!) < -GEOMETRY_EPS_M) return null;
  }
  if (findDuplicateConsecutiveVertex(out) >= 0) {
    // coincident vertices (a zero-length moved edge) are harmless: drop them
    const dedup = out.filter((p, i) => distance(p, out[(i + 1) % out.length]!) > GEOMETRY_EPS_M);
    out.length = 0;
    out.push(...dedup);
  }
  if (out.length < 3 || findSelfIntersection(out) || signedArea(out) <= 0) return null;
  return out;
}

/**
 * The band within `distanceM` of the segment a-b (a stadium), as a convex
 * counter-clockwise polygon: the two sides moved out by the distance, and
 * half-disc caps about a and b circumscribed the same way as offsetPolygon's
 * joins, so the polygon contains the whole band. The union of a polygon and
 * the bands of all its edges is its exact outward buffer (up to that
 * circumscription), whatever its shape: the planner falls back to it when
 * the raw offset is not simple.
 */
export function segmentBand(a: Vec2, b: Vec2, distanceM: number, options: OffsetOptions = {}): Vec2[] {
  const step = options.maxJoinStepRad ?? Math.PI / 4;
  if (!(distanceM > 0) || !Number.isFinite(distanceM)) throw new RangeError(`band half-width must be a positive finite number of metres, got ${distanceM}`);
  const len = distance(a, b);
  if (len <= GEOMETRY_EPS_M) throw new RangeError('a band needs a segment of non-zero length');
  const k = Math.ceil(Math.PI / step - 1e-9), dTheta = Math.PI / k, r = distanceM / Math.cos(dTheta / 2);
  const right = Math.atan2(-(b[0] - a[0]), b[1] - a[1]); // direction of the right-hand normal
  const out: Vec2[] = [];
  for (const [c, a0] of [[b, right], [a, right + Math.PI]] as const) {
    for (let j = 0; j < k; j++) {
      const ang = a0 + (j + 0.5) * dTheta;
      out.push([c[0] + r * Math.cos(ang), c[1] + r * Math.sin(ang)]);
    }
  }
  return out;
}
