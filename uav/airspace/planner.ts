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
 *   returned path is at least the margin from every fence. PX4 instead tests
 *   visibility against the unbuffered fence, so its path may pass closer than
 *   the margin between two nodes.
 * - Buffered exclusions may overlap (a gap narrower than twice the margin
 *   closes): a node strictly inside another buffered exclusion, or outside the
 *   buffered inclusion, is dropped, and visibility is tested against each
 *   buffered polygon, so the path goes round both.
 * - An exclusion whose raw offset is not simple (a notch narrower than twice
 *   the margin) is buffered as its convex hull instead: conservative (the
 *   notch is filled, which an aircraft keeping the margin could not enter
 *   anyway, but so are wider parts of a deep bay). An inclusion that cannot
 *   be shrunk by the margin gives `inclusion-too-small`.
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
  convexHull,
  distance,
  offsetPolygon,
  pointInPolygon,
  segmentCrossesInterior,
  segmentLeavesPolygon,
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
  | 'inclusion-too-small'
  | 'no-path';

export type PlanResult =
  | { ok: true; path: Vec2[]; lengthM: number }
  | { ok: false; reason: PlanFailureReason; detail: string };

export interface BufferedFences {
  /** Each exclusion grown by the margin (counter-clockwise). */
  exclusions: Vec2[][];
  /** Indices of the exclusions that were buffered as their convex hull. */
  hulled: number[];
  /** The inclusion shrunk by the margin, if there is one; null when it vanishes. */
  inclusion: Vec2[] | null | undefined;
}

/** Validates the fences and buffers them by the margin (the planner's obstacles; also what a view can draw). */
export function bufferFences(exclusions: readonly Polygon[], inclusion: Polygon | undefined, marginM: number, offset: OffsetOptions = {}): BufferedFences {
  if (!Number.isFinite(marginM) || marginM < 0) throw new RangeError(`marginM must be a finite number >= 0, got ${marginM}`);
  exclusions.forEach((p, i) => validatePolygon(p, `exclusion ${i}`));
  if (inclusion !== undefined) validatePolygon(inclusion, 'inclusion');
  const hulled: number[] = [];
  const grown = exclusions.map((p, i) => {
    const raw = offsetPolygon(p, marginM, offset);
    if (raw) return raw;
    hulled.push(i);
    const hull = offsetPolygon(convexHull(p), marginM, offset);
    if (!hull) throw new Error(`exclusion ${i}: the offset of its convex hull failed, which should not happen`);
    return hull;
  });
  return { exclusions: grown, hulled, inclusion: inclusion === undefined ? undefined : offsetPolygon(inclusion, -marginM, offset) };
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
  if (fences.inclusion === null) {
    return fail('inclusion-too-small', `the inclusion has no room left once shrunk by the ${marginM} m margin`);
  }
  const blocked = (p: Vec2): number =>
    fences.exclusions.findIndex((poly) => pointInPolygon(p, poly) === 'inside');
  const outsideInclusion = (p: Vec2): boolean => !!fences.inclusion && pointInPolygon(p, fences.inclusion) === 'outside';
  for (const [p, which] of [[start, 'start'], [destination, 'destination']] as const) {
    const i = blocked(p);
    if (i >= 0 || outsideInclusion(p)) {
      return fail(`${which}-within-margin`, `${which} (${p[0]}, ${p[1]}) is within ${marginM} m of ${i >= 0 ? `exclusion ${i}` : 'the inclusion boundary'}`);
    }
  }

  if (distance(start, destination) <= GEOMETRY_EPS_M) return { ok: true, path: [start], lengthM: 0 };

  const visible = (a: Vec2, b: Vec2): boolean =>
    !fences.exclusions.some((poly) => segmentCrossesInterior(a, b, poly)) &&
    !(fences.inclusion && segmentLeavesPolygon(a, b, fences.inclusion));

  if (visible(start, destination)) return { ok: true, path: [start, destination], lengthM: distance(start, destination) };

  // Graph nodes: 0 the start, 1 the destination, then every buffered vertex in free space.
  const nodes: Vec2[] = [start, destination];
  for (const poly of [...fences.exclusions, ...(fences.inclusion ? [fences.inclusion] : [])]) {
    for (const v of poly) if (blocked(v) < 0 && !outsideInclusion(v)) nodes.push(v);
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
