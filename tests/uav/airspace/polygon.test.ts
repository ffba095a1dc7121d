/**
 * Simple-polygon helpers (uav/airspace/polygon.ts): orientation, point
 * location, segment intersection and visibility with the 1 µm tolerance,
 * validation of fence polygons, circumscribed circles, and the offset the
 * planner buffers fences with, checked against point-to-polygon distances
 * on random non-convex polygons.
 */
import { describe, expect, it } from 'vitest';
import {
  GEOMETRY_EPS_M,
  circleToPolygon,
  findDuplicateConsecutiveVertex,
  findSelfIntersection,
  isCounterClockwise,
  offsetPolygon,
  orientation,
  pointInPolygon,
  pointPolygonBoundaryDistance,
  segmentCrossesInterior,
  segmentIntersection,
  segmentBand,
  segmentLeavesPolygon,
  signedArea,
  validatePolygon,
  type Polygon,
  type Vec2,
} from '../../../uav/airspace/polygon.ts';
import { Rng } from '../../../sim/rng.ts';

const square: Polygon = [[0, 0], [10, 0], [10, 10], [0, 10]];
/** A U open to the north: walls x in [0, 2] and [8, 10], floor y in [0, 2], 10 m tall. */
const U: Polygon = [[0, 0], [10, 0], [10, 10], [8, 10], [8, 2], [2, 2], [2, 10], [0, 10]];

/** Random star-shaped polygon about the origin: non-convex, simple by construction. */
function randomStar(rng: Rng, n: number, rMin: number, rMax: number): Vec2[] {
  const out: Vec2[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * (i + rng.uniform(0.1, 0.9))) / n;
    const r = rng.uniform(rMin, rMax);
    out.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  return out;
}

/** Points every `stepM` along the ring. */
function sampleBoundary(poly: Polygon, stepM: number): Vec2[] {
  const pts: Vec2[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
    const k = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / stepM));
    for (let j = 0; j < k; j++) pts.push([a[0] + ((b[0] - a[0]) * j) / k, a[1] + ((b[1] - a[1]) * j) / k]);
  }
  return pts;
}

describe('orientation and area', () => {
  it('gives a counter-clockwise square a positive area and its reverse a negative one', () => {
    expect(signedArea(square)).toBe(100);
    expect(isCounterClockwise(square)).toBe(true);
    expect(signedArea([...square].reverse())).toBe(-100);
    expect(isCounterClockwise([...square].reverse())).toBe(false);
  });

  it('puts a point within a micrometre of the line on it, and one 2 µm off to its side', () => {
    expect(orientation([0, 0], [100, 0], [50, 1])).toBe(1);
    expect(orientation([0, 0], [100, 0], [50, -1])).toBe(-1);
    expect(orientation([0, 0], [100, 0], [50, 0.5 * GEOMETRY_EPS_M])).toBe(0);
    expect(orientation([0, 0], [100, 0], [50, 2 * GEOMETRY_EPS_M])).toBe(1);
  });
});

describe('pointInPolygon', () => {
  it('tells inside, outside and boundary apart in a non-convex U', () => {
    expect(pointInPolygon([1, 5], U)).toBe('inside');
    expect(pointInPolygon([5, 1], U)).toBe('inside');
    expect(pointInPolygon([5, 5], U)).toBe('outside'); // in the U's gap
    expect(pointInPolygon([-1, 5], U)).toBe('outside');
    expect(pointInPolygon([2, 5], U)).toBe('boundary');
    expect(pointInPolygon([8, 10], U)).toBe('boundary');
  });

  it('is not fooled by a horizontal ray through vertices', () => {
    // y = 2 and y = 10 pass exactly through vertices of the U
    expect(pointInPolygon([-5, 2], U)).toBe('outside');
    expect(pointInPolygon([5, 2], U)).toBe('boundary');
    expect(pointInPolygon([1, 2], U)).toBe('inside');
    expect(pointInPolygon([9, 10 - 1e-3], U)).toBe('inside');
  });
});

describe('segmentIntersection', () => {
  it('classifies proper crossings, touches, collinear overlaps and misses', () => {
    expect(segmentIntersection([0, 0], [10, 10], [0, 10], [10, 0])).toBe('proper');
    expect(segmentIntersection([0, 0], [10, 0], [5, 0], [5, 5])).toBe('touching'); // a T
    expect(segmentIntersection([0, 0], [10, 0], [10, 0], [10, 5])).toBe('touching'); // shared end
    expect(segmentIntersection([0, 0], [10, 0], [10, 0], [20, 0])).toBe('touching'); // collinear, end to end
    expect(segmentIntersection([0, 0], [10, 0], [5, 0], [20, 0])).toBe('overlap');
    expect(segmentIntersection([0, 0], [10, 0], [11, 0], [20, 0])).toBe('none'); // collinear, apart
    expect(segmentIntersection([0, 0], [10, 0], [0, 1], [10, 1])).toBe('none'); // parallel
    expect(segmentIntersection([0, 0], [10, 0], [5, 1], [5, 0.001])).toBe('none');
  });

  it('counts an endpoint within the tolerance of the other segment as touching', () => {
    expect(segmentIntersection([0, 0], [10, 0], [5, 0.5 * GEOMETRY_EPS_M], [5, 5])).toBe('touching');
    expect(segmentIntersection([0, 0], [10, 0], [5, -0.5 * GEOMETRY_EPS_M], [5, 5])).toBe('touching');
  });
});

describe('segment visibility against a polygon', () => {
  it('lets a segment touch a vertex or run along an edge, but not cross the interior', () => {
    expect(segmentCrossesInterior([-5, -5], [0, 0], square)).toBe(false); // ends on a vertex
    expect(segmentCrossesInterior([-5, 5], [5, -5], square)).toBe(false); // grazes the corner (0, 0)
    expect(segmentCrossesInterior([-5, 0], [15, 0], square)).toBe(false); // runs along the bottom edge
    expect(segmentCrossesInterior([0, 0], [10, 0], square)).toBe(false); // is the bottom edge
    expect(segmentCrossesInterior([0, 0], [10, 10], square)).toBe(true); // the diagonal, vertex to vertex
    expect(segmentCrossesInterior([-5, 5], [15, 5], square)).toBe(true);
    expect(segmentCrossesInterior([-5, 5], [5, 5], square)).toBe(true); // ends inside
    expect(segmentCrossesInterior([-5, 5], [0, 5], square)).toBe(false); // ends on the boundary
  });

  it('sees across the mouth of a U from tip to tip, not through its floor', () => {
    expect(segmentCrossesInterior([2, 10], [8, 10], U)).toBe(false); // across the open mouth
    expect(segmentCrossesInterior([0, 10], [10, 10], U)).toBe(false); // along both wall tops and the mouth
    expect(segmentCrossesInterior([2, 5], [8, 5], U)).toBe(false); // inside the gap, wall face to wall face
    expect(segmentCrossesInterior([2, 10], [8, 2], U)).toBe(false); // gap diagonal, inner corner to inner tip
    expect(segmentCrossesInterior([-1, 1], [11, 1], U)).toBe(true); // through the floor
    expect(segmentCrossesInterior([-1, 5], [11, 5], U)).toBe(true); // through both walls
  });

  it('finds the part of a segment that leaves a polygon (the inclusion test)', () => {
    expect(segmentLeavesPolygon([1, 9], [9, 9], U)).toBe(true); // from wall to wall across the gap
    expect(segmentLeavesPolygon([1, 9], [1, 1], U)).toBe(false);
    expect(segmentLeavesPolygon([1, 1], [9, 1], U)).toBe(false);
    expect(segmentLeavesPolygon([0, 0], [0, 10], U)).toBe(false); // along the outer west face
  });
});

describe('fence validation', () => {
  it('finds duplicate consecutive vertices, the ring closure included', () => {
    expect(findDuplicateConsecutiveVertex(square)).toBe(-1);
    expect(findDuplicateConsecutiveVertex([[0, 0], [10, 0], [10, 0], [0, 10]])).toBe(1);
    expect(findDuplicateConsecutiveVertex([[0, 0], [10, 0], [0, 10], [0, 0]])).toBe(3);
  });

  it('finds self-intersections: a bow-tie, a vertex on a far edge, a collinear fold-back', () => {
    expect(findSelfIntersection(square)).toBeNull();
    expect(findSelfIntersection(U)).toBeNull();
    expect(findSelfIntersection([[0, 0], [10, 10], [10, 0], [0, 10]])).toEqual([0, 2]);
    expect(findSelfIntersection([[0, 0], [10, 0], [10, 10], [5, 0]])).not.toBeNull(); // vertex 3 on edge 0
    expect(findSelfIntersection([[0, 0], [10, 0], [5, 0], [5, 5]])).not.toBeNull(); // edge 1 folds back on edge 0
  });

  it('rejects each malformed fence with a RangeError that says what is wrong', () => {
    expect(() => validatePolygon(square)).not.toThrow();
    expect(() => validatePolygon([[0, 0], [1, 1]], 'zone A')).toThrow(/zone A needs at least 3 vertices/);
    expect(() => validatePolygon([[0, 0], [NaN, 0], [0, 1]])).toThrow(/vertex 1 has a non-finite coordinate/);
    expect(() => validatePolygon([[0, 0], [Infinity, 0], [0, 1]])).toThrow(RangeError);
    expect(() => validatePolygon([[0, 0], [2e6, 0], [0, 1]])).toThrow(/out of range/);
    expect(() => validatePolygon([[0, 0], [10, 0], [10, 0], [0, 10]])).toThrow(/duplicate consecutive vertices 1 and 2/);
    expect(() => validatePolygon([[0, 0], [10, 0], [0, 10], [0, 0]])).toThrow(/must not repeat its first vertex/);
    expect(() => validatePolygon([[0, 0], [10, 10], [10, 0], [0, 10]])).toThrow(/self-intersecting: edge 0 meets edge 2/);
    expect(() => validatePolygon([[0, 0], [5, 0], [10, 0]])).toThrow(RangeError); // all collinear
  });
});

describe('segmentBand and circleToPolygon', () => {
  it('bands a segment: every boundary point between the half-width and the cap bulge from it, both ends covered', () => {
    const a: Vec2 = [3, -4], b: Vec2 = [40, 25], d = 5;
    const band = segmentBand(a, b, d);
    expect(isCounterClockwise(band)).toBe(true);
    expect(band).toHaveLength(8); // two half-disc caps of four vertices at pi/4 steps
    expect(findSelfIntersection(band)).toBeNull();
    for (const p of sampleBoundary(band, 0.1)) {
      const gap = pointPolygonBoundaryDistance(p, [a, b, [(a[0] + b[0]) / 2 + 1e-3, (a[1] + b[1]) / 2]]); // ~distance to the segment
      expect(gap).toBeGreaterThanOrEqual(d - 1e-3);
      expect(gap).toBeLessThanOrEqual(d / Math.cos(Math.PI / 8) + 1e-3);
    }
    for (let k = 0; k < 36; k++) {
      const t = (k * Math.PI) / 18, q: Vec2 = [a[0] + (d - 1e-3) * Math.cos(t), a[1] + (d - 1e-3) * Math.sin(t)];
      expect(pointInPolygon(q, band)).toBe('inside');
    }
  });

  it('circumscribes a circle: every edge is tangent, so no point of the circle lies outside the polygon', () => {
    const c: Vec2 = [100, -50], r = 30;
    const poly = circleToPolygon(c, r, 12);
    expect(poly).toHaveLength(12);
    expect(pointPolygonBoundaryDistance(c, poly)).toBeCloseTo(r, 9); // nearest edge exactly r away
    for (let k = 0; k < 360; k++) {
      const a = (k * Math.PI) / 180;
      expect(pointInPolygon([c[0] + r * Math.cos(a), c[1] + r * Math.sin(a)], poly)).not.toBe('outside');
    }
    for (const v of circleToPolygon(c, r, 12, true)) expect(Math.hypot(v[0] - c[0], v[1] - c[1])).toBeCloseTo(r, 9);
  });
});

describe('offsetPolygon', () => {
  it('grows a square by moving each edge out by the margin and rounding its corners from outside', () => {
    const d = 2;
    const out = offsetPolygon(square, d)!; // 90° corners: two join vertices each at pi/4 steps
    expect(out).toHaveLength(8);
    for (const v of out) {
      const gap = pointPolygonBoundaryDistance(v, square);
      expect(gap).toBeGreaterThanOrEqual(d - 1e-9);
      expect(gap).toBeLessThanOrEqual(d / Math.cos(Math.PI / 8) + 1e-9);
    }
    // one vertex per corner is the plain mitre
    const mitre = offsetPolygon(square, d, { maxJoinStepRad: Math.PI / 2 })!;
    expect(mitre.map((v) => [+v[0].toFixed(9), +v[1].toFixed(9)])).toEqual([[-2, -2], [12, -2], [12, 12], [-2, 12]]);
  });

  it('does not care about the input orientation', () => {
    const a = offsetPolygon(U, 0.5)!, b = offsetPolygon([...U].reverse(), 0.5)!;
    expect(signedArea(b)).toBeCloseTo(signedArea(a), 9);
    expect(isCounterClockwise(a)).toBe(true);
  });

  it('shrinks a U inward, each edge in by the margin, rounding the reflex corners', () => {
    const d = 0.5;
    const inner = offsetPolygon(U, -d)!;
    for (const p of sampleBoundary(inner, 0.05)) {
      expect(pointInPolygon(p, U)).toBe('inside');
      expect(pointPolygonBoundaryDistance(p, U)).toBeGreaterThanOrEqual(d - 1e-9);
    }
  });

  it('gives up (null) when the margin closes a notch or swallows a thin polygon, instead of a wrong ring', () => {
    expect(offsetPolygon(U, 2.9)).not.toBeNull(); // the 6 m gap stays open below 3 m
    expect(offsetPolygon(U, 3.5)).toBeNull(); // the gap closes
    expect(offsetPolygon([[0, 0], [100, 0], [100, 4], [0, 4]], -1.9)).not.toBeNull();
    expect(offsetPolygon([[0, 0], [100, 0], [100, 4], [0, 4]], -2.1)).toBeNull(); // 4 m wide, shrunk by 2.1 m a side
  });

  it('keeps every boundary point of a random non-convex polygon between the margin and the join bulge away from it', () => {
    const rng = Rng.stream(6, 'polygon-offset');
    let checked = 0;
    for (let trial = 0; trial < 60; trial++) {
      const poly = randomStar(rng, 5 + rng.int(10), 20, 100);
      const d = rng.uniform(1, 15);
      for (const sign of [1, -1]) {
        const out = offsetPolygon(poly, sign * d);
        if (!out) continue; // margin too large for this shape; covered by the test above
        checked++;
        let minGap = Infinity, maxGap = 0, wrongSide = 0;
        for (const p of sampleBoundary(out, 1)) {
          const gap = pointPolygonBoundaryDistance(p, poly);
          minGap = Math.min(minGap, gap);
          maxGap = Math.max(maxGap, gap);
          if (pointInPolygon(p, poly) !== (sign > 0 ? 'outside' : 'inside')) wrongSide++;
        }
        expect(minGap).toBeGreaterThanOrEqual(d - 1e-6);
        expect(maxGap).toBeLessThanOrEqual(d / Math.cos(Math.PI / 8) + 1e-6);
        expect(wrongSide).toBe(0);
        if (sign > 0) for (const v of poly) expect(pointInPolygon(v, out)).toBe('inside');
      }
    }
    expect(checked).toBeGreaterThan(60); // most cases offset cleanly, so the property was really exercised
  });
});
