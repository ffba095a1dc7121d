/**
 * Geofence-avoidance path planner: the shortest 2D path from a start to a
 * destination that keeps at least a margin from every exclusion polygon and
 * stays the margin inside the inclusion polygon, in local ENU metres.
 *
 * The approach is PX4's and ArduPilot's:
 * - PX4, src/modules/navigator/GeofenceBreachAvoidance/geofence_avoidance_planner.cpp:
 *   graph nodes are the fence vertices moved outward (exclusion) or inward
 *   (inclusion) by the margin, plus the destination; edges are the pairs that
 *   see each other; Dijkstra (src/lib/dijkstra) gives the shortest path.
 * - ArduPilot, libraries/AC_Avoidance/AP_OADijkstra.cpp: the same visibility
 *   graph over fences "with margin" (create_inclusion_polygon_with_margin,
 *   create_exclusion_polygon_with_margin, create_exclusion_circle_with_margin),
 *   searched with Dijkstra from source to destination.
 *
 * Where this differs, and why:
 * - The buffer is a true offset (polygon.ts offsetPolygon: every edge moved
 *   by the margin, corners joined by a polygon circumscribing the margin arc)
 *   rather than each vertex moved by the margin along its bisector, so the
 *   visibility test runs against the buffered polygons and every point of the
 *   returned path is at least the margin from every fence. PX4 and ArduPilot
 *   (AP_OADijkstra::intersects_fence) instead move each vertex by the margin
 *   along its bisector and test visibility against the unbuffered fence, so
 *   their paths may pass closer than the margin between two nodes.
 * - Buffered exclusions may overlap (a gap narrower than twice the margin
 *   closes): a node strictly inside another buffered exclusion, or outside the
 *   buffered inclusion, is dropped, and visibility is tested against each
 *   buffered polygon, so the path goes round both.
 * - A fence whose raw offset is not simple (a notch, bay mouth or corridor
 *   narrower than twice the margin) is buffered piece by piece instead: the
 *   fence itself plus the margin band along each edge (polygon.ts
 *   segmentBand), whose union is the exact buffer. Exact, but it costs about
 *   nine graph nodes per fence edge, so the raw offset is used whenever it
 *   is valid. (Clipper2's offset would return that union as one polygon,
 *   with far fewer nodes.)
 * - The result always lists the start and the destination (PX4 returns only
 *   the intermediate points, and nothing when the way is clear).
 *
 * Circles: convert them with polygon.ts circleToPolygon, which circumscribes
 * (safe for an exclusion); an inclusion circle should be inscribed.
 *
 * Cost: O(N² E) for N graph nodes and E fence edges (each pair's visibility
 * is tested against every buffered edge); it runs once per plan, not per
 * tick, and allocates freely.
 */
import {
  GEOMETRY_EPS_M,
  distance,
  isCounterClockwise,
  offsetPolygon,
  pointInPolygon,
  segmentCrossesInterior,
  segmentLeavesPolygon,
  segmentBand,
  validatePoint,
  validatePolygon,
  type OffsetOptions,
  type Polygon,
  type Vec2,
} from './polygon.ts';

export interface PlanRequest {
  /** Where the path starts, local ENU m. */
  start: Vec2;
  /** Where it ends, local ENU m. */
  destination: Vec2;
  /** Areas to stay out of, each a simple polygon (open ring). */
  exclusions: readonly Polygon[];
  /** The area to stay in, if any. */
  inclusion?: Polygon;
  /** Clearance to keep from every fence, m (>= 0). */
  marginM: number;
  /** Round-join resolution of the buffers (see OffsetOptions). */
  offset?: OffsetOptions;
}

export type PlanFailureReason =
  | 'start-in-exclusion'
  | 'destination-in-exclusion'
  | 'start-outside-inclusion'
  | 'destination-outside-inclusion'
  | 'start-within-margin'
  | 'destination-within-margin'
  | 'no-path';

export type PlanResult =
  | { ok: true; path: Vec2[]; lengthM: number }
  | { ok: false; reason: PlanFailureReason; detail: string };

export interface BufferedFences {
  /**
   * Areas the path must not enter, each a simple counter-clockwise polygon:
   * an exclusion's offset by the margin, or, when that raw offset is not
   * simple, the exclusion itself plus the margin band along each of its
   * edges (their union is the same buffer); and the bands along the
   * inclusion's edges when the inclusion could not be shrunk. Pieces may
   * overlap.
   */
  obstacles: Vec2[][];
  /** The fence each obstacle comes from: the exclusion's index, or -1 for the inclusion. */
  sourceOf: number[];
  /** The area the path must stay in: the inclusion shrunk by the margin, or the inclusion itself when its edge bands are obstacles. */
  container: Vec2[] | undefined;
  /** The fences that were buffered piece by piece because their raw offset was not simple. */
  piecewise: { exclusions: number[]; inclusion: boolean };
}

/** Validates the fences and buffers them by the margin: the planner's obstacles, and what a view can draw. */
export function bufferFences(exclusions: readonly Polygon[], inclusion: Polygon | undefined, marginM: number, offset: OffsetOptions = {}): BufferedFences {
  if (!Number.isFinite(marginM) || marginM < 0) throw new RangeError(`marginM must be a finite number >= 0, got ${marginM}`);
  exclusions.forEach((p, i) => validatePolygon(p, `exclusion ${i}`));
  if (inclusion !== undefined) validatePolygon(inclusion, 'inclusion');
  const out: BufferedFences = { obstacles: [], sourceOf: [], container: undefined, piecewise: { exclusions: [], inclusion: false } };
  const bands = (p: Polygon, source: number) => {
    for (let i = 0; i < p.length; i++) {
      out.obstacles.push(segmentBand(p[i]!, p[(i + 1) % p.length]!, marginM, offset));
      out.sourceOf.push(source);
    }
  };
  exclusions.forEach((p, i) => {
    const grown = offsetPolygon(p, marginM, offset);
    if (grown) {
      out.obstacles.push(grown);
      out.sourceOf.push(i);
      return;
    }
    // a notch or gap narrower than twice the margin closes: the fence and its edge bands instead
    out.piecewise.exclusions.push(i);
    out.obstacles.push(isCounterClockwise(p) ? [...p] : [...p].reverse());
    out.sourceOf.push(i);
    bands(p, i);
  });
  if (inclusion !== undefined) {
    const shrunk = offsetPolygon(inclusion, -marginM, offset);
    if (shrunk) {
      out.container = shrunk;
    } else {
      // part of the inclusion is narrower than twice the margin: keep the fence, forbid the band along its edges
      out.piecewise.inclusion = true;
      out.container = isCounterClockwise(inclusion) ? [...inclusion] : [...inclusion].reverse();
      bands(inclusion, -1);
    }
  }
  return out;
}

/** Axis-aligned bounds [minX, minY, maxX, maxY] of a polygon, to skip far obstacles quickly. */
function boundsOf(poly: Polygon): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of poly) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

/**
 * The shortest path from start to destination that keeps `marginM` from the
 * fences. Throws a RangeError on malformed input (NaN or out-of-range
 * coordinates, a negative margin, a fence with fewer than three vertices, a
 * duplicate consecutive vertex, a self-intersection); returns `ok: false`
 * with a reason when the input is valid but no path exists.
 */
export function planPath(req: PlanRequest): PlanResult {
  const { start, destination, exclusions, inclusion, marginM } = req;
  validatePoint(start, 'start');
  validatePoint(destination, 'destination');
  const fences = bufferFences(exclusions, inclusion, marginM, req.offset);

  // Where the end points are, against the fences as drawn and then as buffered.
  for (const [p, which] of [[start, 'start'], [destination, 'destination']] as const) {
    const i = exclusions.findIndex((poly) => pointInPolygon(p, poly) !== 'outside');
    if (i >= 0) return fail(`${which}-in-exclusion`, `${which} (${p[0]}, ${p[1]}) is inside exclusion ${i}`);
    if (inclusion && pointInPolygon(p, inclusion) !== 'inside') {
      return fail(`${which}-outside-inclusion`, `${which} (${p[0]}, ${p[1]}) is not inside the inclusion`);
    }
  }
  const { obstacles, container } = fences;
  const bounds = obstacles.map(boundsOf);
  const pad = GEOMETRY_EPS_M;
  const blockedBy = (p: Vec2): number =>
    obstacles.findIndex((poly, i) => {
      const [x0, y0, x1, y1] = bounds[i]!;
      return p[0] > x0 - pad && p[0] < x1 + pad && p[1] > y0 - pad && p[1] < y1 + pad && pointInPolygon(p, poly) === 'inside';
    });
  const outsideContainer = (p: Vec2): boolean => !!container && pointInPolygon(p, container) === 'outside';
  for (const [p, which] of [[start, 'start'], [destination, 'destination']] as const) {
    const i = blockedBy(p);
    if (i >= 0 || outsideContainer(p)) {
      const src = i >= 0 ? fences.sourceOf[i]! : -1;
      return fail(`${which}-within-margin`, `${which} (${p[0]}, ${p[1]}) is within ${marginM} m of ${src >= 0 ? `exclusion ${src}` : 'the inclusion boundary'}`);
    }
  }

  if (distance(start, destination) <= GEOMETRY_EPS_M) return { ok: true, path: [start], lengthM: 0 };

  const visible = (a: Vec2, b: Vec2): boolean => {
    const sx0 = Math.min(a[0], b[0]) - pad, sx1 = Math.max(a[0], b[0]) + pad;
    const sy0 = Math.min(a[1], b[1]) - pad, sy1 = Math.max(a[1], b[1]) + pad;
    for (let i = 0; i < obstacles.length; i++) {
      const [x0, y0, x1, y1] = bounds[i]!;
      if (sx1 < x0 || sx0 > x1 || sy1 < y0 || sy0 > y1) continue;
      if (segmentCrossesInterior(a, b, obstacles[i]!)) return false;
    }
    return !(container && segmentLeavesPolygon(a, b, container));
  };

  if (visible(start, destination)) return { ok: true, path: [start, destination], lengthM: distance(start, destination) };

  // Graph nodes: 0 the start, 1 the destination, then every buffered vertex in free space.
  const nodes: Vec2[] = [start, destination];
  for (const poly of container ? [...obstacles, container] : obstacles) {
    for (const v of poly) if (blockedBy(v) < 0 && !outsideContainer(v)) nodes.push(v);
  }
  const { dist, prev } = dijkstra(nodes, visible, 0, 1);
  if (!Number.isFinite(dist[1]!)) {
    return fail('no-path', `no path keeps ${marginM} m from the fences between (${start[0]}, ${start[1]}) and (${destination[0]}, ${destination[1]})`);
  }
  const path: Vec2[] = [];
  for (let k = 1; k >= 0; k = prev[k]!) path.push(nodes[k]!);
  path.reverse();
  return { ok: true, path, lengthM: dist[1]! };
}

function fail(reason: PlanFailureReason, detail: string): PlanResult {
  return { ok: false, reason, detail };
}

/**
 * Dijkstra over the complete graph of `nodes`, an edge wherever `visible`
 * says so, weighted by length. O(N²) with an array scan instead of a heap:
 * the graph is dense. Each pair's visibility is tested at most once, lazily,
 * when the first of its ends is settled and only if it would shorten the
 * other's distance; the search stops when the target is settled.
 */
function dijkstra(nodes: readonly Vec2[], visible: (a: Vec2, b: Vec2) => boolean, source: number, target: number): { dist: number[]; prev: number[] } {
  const n = nodes.length;
  const dist = new Array<number>(n).fill(Infinity);
  const prev = new Array<number>(n).fill(-1);
  const done = new Array<boolean>(n).fill(false);
  dist[source] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && Number.isFinite(dist[i]!) && (u < 0 || dist[i]! < dist[u]!)) u = i;
    if (u < 0 || u === target) break;
    done[u] = true;
    const pu = nodes[u]!;
    for (let v = 0; v < n; v++) {
      if (done[v]) continue;
      const alt = dist[u]! + distance(pu, nodes[v]!);
      if (alt < dist[v]! && visible(pu, nodes[v]!)) {
        dist[v] = alt;
        prev[v] = u;
      }
    }
  }
  return { dist, prev };
}
