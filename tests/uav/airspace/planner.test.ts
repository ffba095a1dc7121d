/**
 * The geofence-avoidance planner (uav/airspace/planner.ts).
 *
 * The first block re-expresses PX4's planner unit tests,
 * src/modules/navigator/GeofenceBreachAvoidance/GeofenceAvoidancePlannerTest.cpp
 * (StartEqualsDestination, DirectPathNoFence, PathAroundExclusionZone,
 * PathInsideInclusionZone, DestinationOutsideInclusion,
 * DestinationInsideExclusion, StartInsideExclusion, NanStartOrDestination,
 * LatLonOutOfBounds, DuplicateNeighborVertex), with PX4's own Zurich
 * coordinates taken into local ENU through uav/geo/local-frame.ts, about the
 * first fence vertex as PX4 does. Where PX4 returns "no points", this
 * planner returns the start alone (start = destination), the straight
 * segment (no fence), `ok: false` with a reason, or a RangeError (malformed
 * input, as the issue asks).
 *
 * The second block adds what PX4's tests do not cover: two exclusions whose
 * gap is narrower than twice the margin, the margin itself checked by
 * sampling every path, and optimality against a brute-force search.
 */
import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../uav/geo/local-frame.ts';
import { bufferFences, planPath, type PlanRequest, type PlanResult } from '../../../uav/airspace/planner.ts';
import {
  circleToPolygon,
  distance,
  pointInPolygon,
  pointPolygonBoundaryDistance,
  segmentCrossesInterior,
  type Polygon,
  type Vec2,
} from '../../../uav/airspace/polygon.ts';
import { Rng } from '../../../sim/rng.ts';

type LatLon = readonly [number, number];

/** PX4's fixtures are [lat, lon] degrees; its planner projects them about the first fence vertex. */
function toLocal(origin: LatLon): (p: LatLon) => Vec2 {
  const frame = new LocalFrame({ latDeg: origin[0], lonDeg: origin[1], altM: 0 });
  return ([lat, lon]) => {
    const [e, n] = frame.toEnu({ latDeg: lat, lonDeg: lon, altM: 0 });
    return [e, n];
  };
}

// GeofenceAvoidancePlannerTest.cpp, PathAroundExclusionZone / DestinationInsideExclusion / StartInsideExclusion
const PX4_EXCLUSION: readonly LatLon[] = [
  [47.355242, 8.5192293],
  [47.3555843, 8.5201174],
  [47.3551382, 8.5209143],
  [47.3550828, 8.5171901],
];
const PX4_EXCLUSION_START: LatLon = [47.3559582, 8.5192064];
const PX4_EXCLUSION_DESTINATION: LatLon = [47.3546153, 8.5193195];
const PX4_INSIDE_EXCLUSION: LatLon = [47.3551506, 8.5193859];
// PathInsideInclusionZone / DestinationOutsideInclusion / DuplicateNeighborVertex: an L-shaped inclusion
const PX4_L_INCLUSION: readonly LatLon[] = [
  [47.3562241, 8.518672],
  [47.3562479, 8.5195691],
  [47.3550948, 8.5196762],
  [47.354966, 8.5171633],
  [47.3555168, 8.5171278],
  [47.3554507, 8.5187742],
];
const PX4_L_START: LatLon = [47.3560041, 8.5191872];
const PX4_L_DESTINATION: LatLon = [47.3553241, 8.5177686];

const MARGIN_M = 10;
/** Farthest a round-join vertex sits from its fence vertex: the margin over cos(pi/8) at the default pi/4 step. */
const JOIN_RADIUS_M = MARGIN_M / Math.cos(Math.PI / 8);

const exclusionCase = () => {
  const local = toLocal(PX4_EXCLUSION[0]!);
  return {
    fence: PX4_EXCLUSION.map(local),
    start: local(PX4_EXCLUSION_START),
    destination: local(PX4_EXCLUSION_DESTINATION),
    inside: local(PX4_INSIDE_EXCLUSION),
  };
};
const inclusionCase = () => {
  const local = toLocal(PX4_L_INCLUSION[0]!);
  return { fence: PX4_L_INCLUSION.map(local), start: local(PX4_L_START), destination: local(PX4_L_DESTINATION) };
};

function expectPath(r: PlanResult): { path: Vec2[]; lengthM: number } {
  if (!r.ok) throw new Error(`expected a path, got ${r.reason}: ${r.detail}`);
  return r;
}

/**
 * Samples the path every 0.25 m and checks each point against the fences as
 * drawn: outside every exclusion, inside the inclusion, and at least the
 * margin from each boundary (less the 1 µm geometry tolerance).
 */
function expectClearance(path: readonly Vec2[], req: Pick<PlanRequest, 'exclusions' | 'inclusion' | 'marginM'>): void {
  for (let i = 0; i + 1 < path.length; i++) {
    const a = path[i]!, b = path[i + 1]!;
    const k = Math.max(1, Math.ceil(distance(a, b) / 0.25));
    for (let j = 0; j <= k; j++) {
      const p: Vec2 = [a[0] + ((b[0] - a[0]) * j) / k, a[1] + ((b[1] - a[1]) * j) / k];
      for (const ex of req.exclusions) {
        expect(pointInPolygon(p, ex)).toBe('outside');
        expect(pointPolygonBoundaryDistance(p, ex)).toBeGreaterThanOrEqual(req.marginM - 1e-6);
      }
      if (req.inclusion) {
        expect(pointInPolygon(p, req.inclusion)).toBe('inside');
        expect(pointPolygonBoundaryDistance(p, req.inclusion)).toBeGreaterThanOrEqual(req.marginM - 1e-6);
      }
    }
  }
}

const pathLength = (path: readonly Vec2[]) => path.slice(1).reduce((s, p, i) => s + distance(path[i]!, p), 0);

describe("PX4's geofence-avoidance planner cases, in local coordinates", () => {
  it('start = destination: a path of the start alone, zero metres (StartEqualsDestination)', () => {
    const p = toLocal([47.3977, 8.5456])([47.3977, 8.5456]);
    expect(planPath({ start: p, destination: p, exclusions: [], marginM: MARGIN_M })).toEqual({ ok: true, path: [p], lengthM: 0 });
    // and the same beside a fence
    const { fence, start } = exclusionCase();
    expect(planPath({ start, destination: start, exclusions: [fence], marginM: MARGIN_M })).toEqual({ ok: true, path: [start], lengthM: 0 });
  });

  it('no fence: the straight segment (DirectPathNoFence)', () => {
    const local = toLocal([47.3977, 8.5456]);
    const start = local([47.3977, 8.5456]), destination = local([47.3984, 8.547]);
    const r = expectPath(planPath({ start, destination, exclusions: [], marginM: MARGIN_M }));
    expect(r.path).toEqual([start, destination]);
    expect(r.lengthM).toBeCloseTo(distance(start, destination), 9);
    expect(r.lengthM).toBeGreaterThan(100); // ~133 m: a real distance, not a degenerate case
  });

  it('goes round the exclusion by its vertices 1 and 2, clear of the margin, shorter than the way round vertex 3 (PathAroundExclusionZone)', () => {
    const { fence, start, destination } = exclusionCase();
    expect(segmentCrossesInterior(start, destination, fence)).toBe(true); // the straight line is blocked
    const req = { start, destination, exclusions: [fence], marginM: MARGIN_M };
    const east = expectPath(planPath(req));

    // PX4 expects [start, vertex 1, vertex 2]; here the turns are on the buffer's joins about those vertices.
    const turns = east.path.slice(1, -1);
    expect(east.path[0]).toEqual(start);
    expect(east.path.at(-1)).toEqual(destination);
    const near = (v: Vec2) => turns.filter((p) => distance(p, v) <= JOIN_RADIUS_M + 1e-9).length;
    expect(near(fence[1]!)).toBeGreaterThanOrEqual(1);
    expect(near(fence[2]!)).toBeGreaterThanOrEqual(1);
    expect(near(fence[1]!) + near(fence[2]!)).toBe(turns.length);
    expect(east.lengthM).toBeCloseTo(pathLength(east.path), 9);
    expectClearance(east.path, req);
    const buffered = bufferFences([fence], undefined, MARGIN_M).obstacles[0]!;
    for (let i = 0; i + 1 < east.path.length; i++) expect(segmentCrossesInterior(east.path[i]!, east.path[i + 1]!, buffered)).toBe(false);

    // The other way round: wall off everything east of x = 40 m and plan again.
    const wall: Polygon = [[40, -2000], [2000, -2000], [2000, 2000], [40, 2000]];
    const west = expectPath(planPath({ ...req, exclusions: [fence, wall] }));
    expect(west.path.slice(1, -1).every((p) => distance(p, fence[3]!) <= JOIN_RADIUS_M + 1e-9)).toBe(true);
    expectClearance(west.path, { ...req, exclusions: [fence, wall] });
    expect(east.lengthM).toBeLessThan(west.lengthM);
  });

  it('bends at the inner corner of an L-shaped inclusion, the margin inside it (PathInsideInclusionZone)', () => {
    const { fence, start, destination } = inclusionCase();
    const req = { start, destination, exclusions: [], inclusion: fence, marginM: MARGIN_M };
    const r = expectPath(planPath(req));
    const turns = r.path.slice(1, -1);
    expect(turns.length).toBeGreaterThanOrEqual(1); // no straight line: start and destination do not see each other
    for (const p of turns) expect(distance(p, fence[5]!)).toBeLessThanOrEqual(JOIN_RADIUS_M + 1e-9); // PX4: via vertex 5
    expectClearance(r.path, req);
  });

  it('refuses a destination outside the inclusion (DestinationOutsideInclusion)', () => {
    const { fence, start } = inclusionCase();
    const r = planPath({ start, destination: [-100, 80], exclusions: [], inclusion: fence, marginM: MARGIN_M }); // the L's empty quadrant
    expect(r).toMatchObject({ ok: false, reason: 'destination-outside-inclusion' });
    // PX4's own destination is (0°, 0°): 5,300 km away, out of any local frame's range
    const far = toLocal(PX4_L_INCLUSION[0]!)([0, 0]);
    expect(() => planPath({ start, destination: far, exclusions: [], inclusion: fence, marginM: MARGIN_M })).toThrow(/destination .* out of range/);
  });

  it('refuses a destination inside an exclusion (DestinationInsideExclusion)', () => {
    const { fence, start, inside } = exclusionCase();
    expect(pointInPolygon(inside, fence)).toBe('inside');
    expect(planPath({ start, destination: inside, exclusions: [fence], marginM: MARGIN_M })).toMatchObject({ ok: false, reason: 'destination-in-exclusion' });
  });

  it('refuses a start inside an exclusion (StartInsideExclusion)', () => {
    const { fence, start, inside } = exclusionCase();
    expect(planPath({ start: inside, destination: start, exclusions: [fence], marginM: MARGIN_M })).toMatchObject({ ok: false, reason: 'start-in-exclusion' });
  });

  it('rejects NaN start and destination coordinates with a RangeError (NanStartOrDestination)', () => {
    const { fence, start, destination } = exclusionCase();
    const plan = (s: Vec2, d: Vec2) => () => planPath({ start: s, destination: d, exclusions: [fence], marginM: MARGIN_M });
    expect(plan([NaN, start[1]], destination)).toThrow(/start has a non-finite coordinate/);
    expect(plan([start[0], NaN], destination)).toThrow(/start has a non-finite coordinate/);
    expect(plan(start, [NaN, destination[1]])).toThrow(/destination has a non-finite coordinate/);
    expect(plan(start, [destination[0], NaN])).toThrow(RangeError);
    expect(plan(start, [Infinity, 0])).toThrow(RangeError);
    const withNanFence = () => planPath({ start, destination, exclusions: [[[0, 0], [NaN, 10], [10, 0]]], marginM: MARGIN_M });
    expect(withNanFence).toThrow(/exclusion 0 vertex 1 has a non-finite coordinate/);
    expect(() => planPath({ start, destination, exclusions: [], marginM: NaN })).toThrow(/marginM/);
    expect(() => planPath({ start, destination, exclusions: [], marginM: -1 })).toThrow(/marginM/);
  });

  it('rejects out-of-range coordinates: latitude and longitude at the frame, metres at the planner (LatLonOutOfBounds)', () => {
    const local = toLocal([47.3977, 8.5456]);
    for (const bad of [[91, 8.5456], [-91, 8.5456], [47.3977, 181], [47.3977, -181]] as const) {
      expect(() => local(bad)).toThrow(/latitude in \[-90, 90\], longitude in \[-180, 180\]/);
    }
    const ok: Vec2 = [0, 0];
    for (const bad of [[2e6, 0], [0, -2e6]] as const) {
      expect(() => planPath({ start: bad, destination: ok, exclusions: [], marginM: 1 })).toThrow(/start .* out of range/);
      expect(() => planPath({ start: ok, destination: bad, exclusions: [], marginM: 1 })).toThrow(/destination .* out of range/);
    }
  });

  it('rejects a fence with a duplicate neighbouring vertex (DuplicateNeighborVertex)', () => {
    const { fence, start, destination } = inclusionCase();
    const dup = [...fence, fence[5]!];
    expect(() => planPath({ start, destination, exclusions: [], inclusion: dup, marginM: MARGIN_M })).toThrow(
      /inclusion has duplicate consecutive vertices 5 and 6/,
    );
    expect(() => planPath({ start, destination, exclusions: [dup], marginM: MARGIN_M })).toThrow(/exclusion 0 has duplicate consecutive vertices/);
  });

  it('rejects a self-intersecting fence', () => {
    const bowTie: Polygon = [[0, 0], [100, 100], [100, 0], [0, 100]];
    expect(() => planPath({ start: [-50, -50], destination: [200, 200], exclusions: [bowTie], marginM: 5 })).toThrow(/exclusion 0 is self-intersecting/);
  });
});

describe('planPath beyond the PX4 cases', () => {
  const left: Polygon = [[-45, -20], [-5, -20], [-5, 20], [-45, 20]];
  const right: Polygon = [[5, -20], [45, -20], [45, 20], [5, 20]];
  const start: Vec2 = [0, -60], destination: Vec2 = [0, 60];

  it('flies through a 10 m gap with a 4 m margin, and round both zones with an 8 m one (the buffers overlap)', () => {
    const through = expectPath(planPath({ start, destination, exclusions: [left, right], marginM: 4 }));
    expect(through.path).toEqual([start, destination]);

    const req = { start, destination, exclusions: [left, right], marginM: 8 };
    const around = expectPath(planPath(req));
    expectClearance(around.path, req);
    // every turn is beyond the pair's outer faces (x = ±45 m), on one side: no point of the path is in the gap
    const turns = around.path.slice(1, -1);
    expect(turns.length).toBeGreaterThanOrEqual(2);
    for (const p of turns) expect(Math.abs(p[0])).toBeGreaterThan(45);
    expect(new Set(turns.map((p) => Math.sign(p[0]))).size).toBe(1);
    expect(around.lengthM).toBeGreaterThan(2 * Math.hypot(53, 28) + 40); // out past x = ±53 (face plus margin) and back
  });

  it('keeps the margin at the start: a start closer to a zone than the margin is refused, not flown from', () => {
    const r = planPath({ start: [0, -25], destination, exclusions: [right], marginM: 8 }); // 5 m from the right zone
    expect(r).toMatchObject({ ok: false, reason: 'start-within-margin' });
  });

  it('reports no path when the destination sits in a bay whose mouth is narrower than twice the margin', () => {
    // a 60 m block with a 40 m cavity, open to the east through a 6 m mouth; the destination is mid-cavity
    const bay: Polygon = [[0, 0], [60, 0], [60, 27], [50, 27], [50, 10], [10, 10], [10, 50], [50, 50], [50, 33], [60, 33], [60, 60], [0, 60]];
    const req = { start: [100, 30] as Vec2, destination: [30, 30] as Vec2, exclusions: [bay] };
    const wide = expectPath(planPath({ ...req, marginM: 2.9 })); // 6 m mouth, 5.8 m of buffers: still open
    expect(wide.path).toEqual([req.start, req.destination]);
    expectClearance(wide.path, { ...req, marginM: 2.9 });
    expect(bufferFences([bay], undefined, 2.9).piecewise.exclusions).toEqual([]);
    // at 3.1 m the raw offset folds over itself in the mouth: the bay is buffered piece by piece, and stays a bay
    expect(bufferFences([bay], undefined, 3.1).piecewise.exclusions).toEqual([0]);
    expect(planPath({ ...req, marginM: 3.1 })).toMatchObject({ ok: false, reason: 'no-path' });
    // from inside the bay, a point elsewhere in it is still reachable
    const inBay = expectPath(planPath({ ...req, start: [20, 20], destination: [40, 40], marginM: 3.1 }));
    expect(inBay.path).toEqual([[20, 20], [40, 40]]);
  });

  it('refuses an end point closer to the inclusion boundary than the margin', () => {
    const { fence, start, destination } = inclusionCase();
    expect(planPath({ start, destination, exclusions: [], inclusion: fence, marginM: 40 })).toMatchObject({ ok: false, reason: 'start-within-margin' });
  });

  it('plans in an inclusion that cannot be shrunk whole (a spur thinner than twice the margin), the spur closed', () => {
    const { fence, start, destination } = inclusionCase();
    const plain = expectPath(planPath({ start, destination, exclusions: [], inclusion: fence, marginM: MARGIN_M }));
    // a 6 m wide, 80 m long spur off the east side, between vertices 1 and 2
    const [v1, v2] = [fence[1]!, fence[2]!];
    const at = (t: number): Vec2 => [v1[0] + t * (v2[0] - v1[0]), v1[1] + t * (v2[1] - v1[1])];
    const p0 = at(0.4), p1 = at(0.45);
    const spur: Vec2[] = [...fence.slice(0, 2), p0, [p0[0] + 80, p0[1]], [p1[0] + 80, p1[1]], p1, ...fence.slice(2)];
    expect(bufferFences([], spur, MARGIN_M).piecewise.inclusion).toBe(true);
    const req = { start, destination, exclusions: [], inclusion: spur, marginM: MARGIN_M };
    const r = expectPath(planPath(req));
    expectClearance(r.path, req);
    for (const p of r.path.slice(1, -1)) expect(distance(p, fence[5]!)).toBeLessThanOrEqual(JOIN_RADIUS_M + 1e-9);
    // the same way round the corner; the edge bands' caps circumscribe the corner arc from other angles than the offset's join
    expect(Math.abs(r.lengthM - plain.lengthM)).toBeLessThan(0.01 * plain.lengthM);
    // the spur is narrower than twice the margin: nowhere in it is far enough from its walls
    expect(planPath({ ...req, destination: [p0[0] + 60, (p0[1] + p1[1]) / 2] })).toMatchObject({ ok: false, reason: 'destination-within-margin' });
  });

  it('routes round a circle approximated by a circumscribed polygon', () => {
    const zone = circleToPolygon([0, 0], 100, 16);
    const req = { start: [-200, 5] as Vec2, destination: [200, -5] as Vec2, exclusions: [zone], marginM: 20 };
    const r = expectPath(planPath(req));
    for (let k = 0; k < r.path.length - 1; k++) {
      const a = r.path[k]!, b = r.path[k + 1]!;
      for (let j = 0; j <= 200; j++) {
        const p: Vec2 = [a[0] + ((b[0] - a[0]) * j) / 200, a[1] + ((b[1] - a[1]) * j) / 200];
        expect(Math.hypot(p[0], p[1])).toBeGreaterThanOrEqual(120 - 1e-6); // the true circle plus the margin
      }
    }
    // and not absurdly far round: within 3 % of the exact tangent-arc-tangent length about radius 120
    const R = 120, d = Math.hypot(200, 5), t = Math.sqrt(d * d - R * R);
    const exact = 2 * t + R * (Math.PI - 2 * Math.acos(R / d));
    expect(r.lengthM).toBeGreaterThanOrEqual(exact);
    expect(r.lengthM).toBeLessThan(exact * 1.03);
  });

  it('finds the same shortest length as a brute-force search over every simple path of the visibility graph', () => {
    const rng = Rng.stream(6, 'planner-brute-force');
    const offset = { maxJoinStepRad: Math.PI / 2 }; // plain mitres: few nodes, so the exhaustive search stays small
    let withDetour = 0;
    for (let trial = 0; trial < 25; trial++) {
      const polys: Vec2[][] = [];
      for (let k = 0; k < 2; k++) {
        const cx = rng.uniform(-60, 60), cy = rng.uniform(-40, 40), n = 3 + rng.int(2);
        const poly: Vec2[] = [];
        for (let i = 0; i < n; i++) {
          const a = (2 * Math.PI * (i + rng.uniform(0.2, 0.8))) / n, r = rng.uniform(15, 35);
          poly.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
        }
        polys.push(poly);
      }
      const marginM = rng.uniform(1, 8);
      const start: Vec2 = [-150, rng.uniform(-60, 60)], destination: Vec2 = [150, rng.uniform(-60, 60)];
      const result = planPath({ start, destination, exclusions: polys, marginM, offset });
      const buffered = bufferFences(polys, undefined, marginM, offset).obstacles;

      // exhaustive: all buffered vertices, no filtering; visibility straight from polygon.ts
      const nodes: Vec2[] = [start, ...buffered.flat(), destination];
      const goal = nodes.length - 1;
      const sees = (a: Vec2, b: Vec2) => !buffered.some((p) => segmentCrossesInterior(a, b, p));
      let best = Infinity;
      const used = new Array<boolean>(nodes.length).fill(false);
      const dfs = (u: number, len: number) => {
        if (len >= best) return; // bound: exact, lengths only grow
        if (u === goal) { best = len; return; }
        used[u] = true;
        for (let v = 1; v < nodes.length; v++) {
          if (!used[v] && sees(nodes[u]!, nodes[v]!)) dfs(v, len + distance(nodes[u]!, nodes[v]!));
        }
        used[u] = false;
      };
      dfs(0, 0);

      if (!result.ok) {
        expect(result.reason, result.detail).not.toBe('no-path'); // an end point within a zone's margin is the only excuse
        continue;
      }
      expect(result.lengthM).toBeCloseTo(best, 6);
      expectClearance(result.path, { exclusions: polys, marginM });
      if (result.path.length > 2) withDetour++;
    }
    expect(withDetour).toBeGreaterThanOrEqual(5); // the fences were really in the way in several cases
  });
});
