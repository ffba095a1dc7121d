/**
 * `ReferenceLine.project` prunes its search by bounding boxes and takes an
 * optional warm start (`sHint`); neither may change the result. It must
 * equal `projectExhaustive` (every sample scanned) bit for bit, for every
 * point and every hint, good or bad: the simulation's state hashes depend on it.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/rng.ts';
import { buildHighway, chainPlan } from '../../../vehicles/road/builders.ts';
import { newRoadPose } from '../../../vehicles/road/geometry.ts';
import { newFrenetPoint, ReferenceLine, type FrenetPoint } from '../../../vehicles/road/reference-line.ts';
import { newLanePosition, Road } from '../../../vehicles/road/road.ts';

interface Probe {
  x: number;
  y: number;
  /** The s the point was made from (for good hints); NaN for free points. */
  s: number;
}

const ROADS: Record<string, () => ReferenceLine> = {
  // The bench's straight 2 km motorway.
  'straight highway': () => new Road(buildHighway({ lanesPerDirection: 3, lengthM: 2000 }).roads[0]!).referenceLine,
  // The library's curved motorway: line, spiral, 900 m arc, spiral, line.
  'curved highway': () => new Road(buildHighway({
    lanesPerDirection: 3, lengthM: 2200, curve: { startS: 500, radiusM: 900, angleRad: (40 * Math.PI) / 180, spiralLengthM: 120 },
  }).roads[0]!).referenceLine,
  // A hairpin: the two branches are 60 m apart, so a search near one branch must still see the other.
  hairpin: () => ReferenceLine.fromDescriptors(chainPlan({ x: 0, y: 0, headingRad: 0 }, [
    { type: 'line', lengthM: 100 },
    { type: 'arc', lengthM: 30 * Math.PI, curvature: 1 / 30 },
    { type: 'line', lengthM: 100 },
  ])),
  // Hairpins so tight that the branches are a few sample chunks apart along the road and 8 m apart across it.
  'tight switchbacks': () => ReferenceLine.fromDescriptors(chainPlan({ x: 0, y: 0, headingRad: 0 }, [
    { type: 'line', lengthM: 30 },
    { type: 'arc', lengthM: 4 * Math.PI, curvature: 1 / 4 },
    { type: 'line', lengthM: 30 },
    { type: 'arc', lengthM: 4 * Math.PI, curvature: -1 / 4 },
    { type: 'line', lengthM: 30 },
    { type: 'arc', lengthM: 4 * Math.PI, curvature: 1 / 4 },
    { type: 'line', lengthM: 30 },
  ])),
  // Tight spirals turning both ways (curvature jumps at the joints are allowed).
  'spiral S-bend': () => ReferenceLine.fromDescriptors(chainPlan({ x: 10, y: -5, headingRad: 0.3 }, [
    { type: 'line', lengthM: 40 },
    { type: 'spiral', lengthM: 60, curvStart: 0, curvEnd: 1 / 25 },
    { type: 'arc', lengthM: 30, curvature: 1 / 25 },
    { type: 'spiral', lengthM: 80, curvStart: 1 / 25, curvEnd: -1 / 20 },
    { type: 'arc', lengthM: 40, curvature: -1 / 20 },
    { type: 'spiral', lengthM: 50, curvStart: -1 / 20, curvEnd: 0 },
    { type: 'line', lengthM: 30 },
  ])),
  // Almost a full circle: the two ends come within a few metres of each other.
  'near loop': () => ReferenceLine.fromDescriptors(chainPlan({ x: 0, y: 0, headingRad: 0 }, [
    { type: 'arc', lengthM: 2 * Math.PI * 40 - 6, curvature: 1 / 40 },
  ])),
};

/** Arc centres of a plan: every point of the arc is equally near, the worst case for ties. */
function arcCentres(ref: ReferenceLine): Probe[] {
  const out: Probe[] = [];
  const p = newRoadPose();
  for (const g of ref.geometries) {
    const d = g.descriptor();
    if (d.type !== 'arc') continue;
    ref.poseAt(d.s, p);
    const r = 1 / d.curvature;
    out.push({ x: p.x - r * Math.sin(p.headingRad), y: p.y + r * Math.cos(p.headingRad), s: NaN });
  }
  return out;
}

/** Points near the line (|t| up to 40 m), around and beyond both ends, free points over the whole area, and arc centres. */
function probes(ref: ReferenceLine, seed: number): Probe[] {
  const rng = Rng.stream(seed, 'road/warm-start');
  const out: Probe[] = [];
  const p = newRoadPose();
  for (let i = 0; i < 600; i++) {
    const s = rng.uniform(0, ref.lengthM);
    ref.toWorld(s, rng.uniform(-40, 40), p);
    out.push({ x: p.x, y: p.y, s });
  }
  // Around the ends: the line extended straight on beyond them, and sideways.
  for (const end of [0, ref.lengthM]) {
    const dir = end === 0 ? -1 : 1;
    for (let i = 0; i < 100; i++) {
      ref.poseAt(end, p);
      const along = dir * rng.uniform(-5, 25);
      const t = rng.uniform(-30, 30);
      out.push({
        x: p.x + along * Math.cos(p.headingRad) - t * Math.sin(p.headingRad),
        y: p.y + along * Math.sin(p.headingRad) + t * Math.cos(p.headingRad),
        s: end,
      });
    }
  }
  // Free points over the area the line covers, with a margin.
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let s = 0; s <= ref.lengthM; s += 1) {
    ref.poseAt(s, p);
    minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
  }
  for (let i = 0; i < 300; i++) out.push({ x: rng.uniform(minX - 100, maxX + 100), y: rng.uniform(minY - 100, maxY + 100), s: NaN });
  out.push(...arcCentres(ref));
  return out;
}

/** Hints to try for a probe: none, its own s, nearby, anywhere on the line, outside it, and not a number. */
function hints(ref: ReferenceLine, pr: Probe, rng: Rng): (number | undefined)[] {
  const own = Number.isNaN(pr.s) ? rng.uniform(0, ref.lengthM) : pr.s;
  return [undefined, own, own + rng.uniform(-8, 8), rng.uniform(0, ref.lengthM), -50, ref.lengthM + 50, NaN, Infinity];
}

function same(a: FrenetPoint, b: FrenetPoint): boolean {
  return Object.is(a.s, b.s) && Object.is(a.t, b.t) && Object.is(a.distanceM, b.distanceM) && a.inRange === b.inRange;
}

/** How many (probe, hint) pairs project differently from the exhaustive scan. */
function mismatches(ref: ReferenceLine, pts: readonly Probe[], seed: number, project: (x: number, y: number, out: FrenetPoint, hint?: number) => FrenetPoint): number {
  const rng = Rng.stream(seed, 'road/warm-start-hints');
  const want = newFrenetPoint();
  const got = newFrenetPoint();
  let bad = 0;
  for (const pr of pts) {
    ref.projectExhaustive(pr.x, pr.y, want);
    for (const h of hints(ref, pr, rng)) {
      // A stale result in `got` must not leak into the next answer.
      got.s = -1; got.t = -1; got.distanceM = -1; got.inRange = false;
      if (!same(project(pr.x, pr.y, got, h), want)) bad++;
    }
  }
  return bad;
}

describe('reference line: pruned, warm-started projection', () => {
  for (const [name, make] of Object.entries(ROADS)) {
    it(`equals the exhaustive scan bit for bit on the ${name}, for any hint`, () => {
      const ref = make();
      const pts = probes(ref, 7);
      expect(pts.length).toBeGreaterThan(1000);
      expect(mismatches(ref, pts, 7, (x, y, out, h) => ref.project(x, y, out, h))).toBe(0);
    });
  }

  it('gives the same lane position through Road.locate with or without a hint', () => {
    const road = new Road(buildHighway({ lanesPerDirection: 3, lengthM: 2000 }).roads[0]!);
    const a = newLanePosition();
    const b = newLanePosition();
    const rng = Rng.stream(3, 'road/warm-start-locate');
    const p = newRoadPose();
    for (let i = 0; i < 300; i++) {
      const s = rng.uniform(0, road.lengthM);
      road.referenceLine.toWorld(s, rng.uniform(-14, 14), p);
      road.locate(p.x, p.y, a);
      road.locate(p.x, p.y, b, s + rng.uniform(-30, 30));
      expect(b).toEqual(a);
    }
  });

  it('is a test that fails for a search that trusts the hint (local search, no fallback)', () => {
    // The same comparison against a projection that only looks at the chunks
    // next to the hint's: the hairpin's other branch, bad hints and free
    // points must catch it, or the tests above would prove nothing.
    for (const name of ['hairpin', 'curved highway', 'near loop']) {
      const ref = ROADS[name]!();
      const priv = ref as unknown as { boxDist2(c: number, x: number, y: number): number; chunkSize: number; sampleIndexAt(s: number): number };
      const honest = priv.boxDist2.bind(ref);
      let hintChunk = 0;
      priv.boxDist2 = (c, x, y) => (Math.abs(c - hintChunk) <= 1 ? honest(c, x, y) : Infinity);
      const localOnly = (x: number, y: number, out: FrenetPoint, h?: number) => {
        const hint = h !== undefined && Number.isFinite(h) ? Math.min(Math.max(h, 0), ref.lengthM) : 0;
        hintChunk = Math.floor(priv.sampleIndexAt(hint) / priv.chunkSize);
        return ref.project(x, y, out, hint);
      };
      const n = mismatches(ref, probes(ref, 7), 7, localOnly);
      expect(n, name).toBeGreaterThan(50);
    }
  });

  it('keeps the nearer branch of the hairpin when the hint is on the other one', () => {
    const ref = ROADS.hairpin!();
    const f = newFrenetPoint();
    // 15 m from the returning branch, 45 m from the outgoing one; the hint says outgoing.
    ref.project(50, 45, f, 50);
    expect(f.s).toBeCloseTo(100 + 30 * Math.PI + 50, 9);
    expect(f.t).toBeCloseTo(15, 9);
  });
});
