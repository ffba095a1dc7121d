import { describe, expect, it } from 'vitest';
import { buildHighway, buildIntersection, buildOnRamp, buildUrbanGrid } from '../../../vehicles/road/builders.ts';
import { LaneGraph, type RouteResult } from '../../../vehicles/road/lane-graph.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';

function found(r: RouteResult) {
  if (!r.found) throw new Error(r.reason);
  return r;
}

/** Every step follows the previous one by a graph edge. */
function expectConnected(g: LaneGraph, r: ReturnType<typeof found>): void {
  for (let i = 1; i < r.steps.length; i++) {
    const a = g.node(r.steps[i - 1]!.lane)!;
    const b = g.node(r.steps[i]!.lane)!;
    const next = r.steps[i]!.enteredBy === 'lane-change' ? g.laneChanges(a) : g.successors(a);
    expect(next).toContain(b);
  }
}

describe('lane graph routing', () => {
  // 2 x 2 grid, blocks 120 m: junction box half size 3.5 + 2 + 3 = 8.5 m, so inner roads are 103 m.
  const grid = new RoadNetwork(buildUrbanGrid({ rows: 2, cols: 2, blockLengthM: 120 }));
  const g = new LaneGraph(grid);
  const leftTurnM = (Math.PI / 2) * 8.5; // connecting road reference line: radius H + w/2 - w/2

  it('finds the shortest route on a small grid: straight on, then left', () => {
    const r = found(g.route({ roadId: 'h0-0', laneId: -1, s: 10 }, { roadId: 'v0-1', laneId: -1, s: 50 }));
    expect(r.steps.map((s) => s.lane.roadId)).toEqual(['h0-0', 'j0-1/west-left-1', 'v0-1']);
    expect(r.lengthM).toBeCloseTo(93 + leftTurnM + 50, 9);
    expect(r.laneChanges).toEqual([]);
    expect(r.steps[0]!.sFrom).toBe(10);
    expect(r.steps[2]!.sTo).toBe(50);
    expectConnected(g, r);
  });

  it('goes round the block to reach a point behind the start in the same lane', () => {
    const r = found(g.route({ roadId: 'h0-0', laneId: -1, s: 50 }, { roadId: 'h0-0', laneId: -1, s: 20 }));
    expect(r.steps.map((s) => s.lane.roadId)).toEqual([
      'h0-0', 'j0-1/west-left-1', 'v0-1', 'j1-1/south-left-1', 'h1-0', 'j1-0/east-left-1', 'v0-0', 'j0-0/north-left-1', 'h0-0',
    ]);
    expect(r.lengthM).toBeCloseTo(53 + 4 * leftTurnM + 103 * 3 + 20, 9);
    expectConnected(g, r);
  });

  it('returns the same route every time', () => {
    const a = g.route({ roadId: 'h0-0', laneId: -1, s: 10 }, { roadId: 'h1-0', laneId: 1, s: 5 });
    const b = new LaneGraph(new RoadNetwork(buildUrbanGrid({ rows: 2, cols: 2, blockLengthM: 120 }))).route(
      { roadId: 'h0-0', laneId: -1, s: 10 }, { roadId: 'h1-0', laneId: 1, s: 5 });
    expect(a).toEqual(b);
  });

  it('changes lanes before a junction to turn right from the outer lane', () => {
    const net = new RoadNetwork(buildIntersection({ armLengthM: 50, lanesPerDirection: 2 }));
    const lg = new LaneGraph(net);
    // Lane 1 of the east arm is the inner incoming lane (driven towards s = 0); right turns leave from lane 2.
    const r = found(lg.route({ roadId: 'x/east', laneId: 1, s: 40 }, { roadId: 'x/north', laneId: -2, s: 20 }));
    expect(r.steps.map((s) => [s.lane.roadId, s.lane.laneId, s.enteredBy])).toEqual([
      ['x/east', 1, 'start'], ['x/east', 2, 'lane-change'], ['x/east-right-2', -1, 'successor'], ['x/north', -2, 'successor'],
    ]);
    expect(r.laneChanges).toHaveLength(1);
    const change = r.laneChanges[0]!;
    expect(change.sWindow).toEqual([40, 0]);
    expect(change.s).toBeCloseTo(20, 12);
    expect(r.costM - r.lengthM).toBe(lg.laneChangeCostM);
    expectConnected(lg, r);
  });

  it('spreads two lane changes over their window on a highway', () => {
    const lg = new LaneGraph(new RoadNetwork(buildHighway({ lanesPerDirection: 3, lengthM: 600 })));
    const r = found(lg.route({ roadId: 'highway', laneId: -1, s: 0 }, { roadId: 'highway', laneId: -3, s: 600 }));
    expect(r.lengthM).toBeCloseTo(600, 12);
    expect(r.laneChanges.map((c) => [c.from.laneId, c.to.laneId, c.s])).toEqual([[-1, -2, 200], [-2, -3, 400]]);
  });

  it('does not change lanes across the centre line or a solid line', () => {
    const lg = new LaneGraph(new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 300 })));
    const r = lg.route({ roadId: 'highway', laneId: -1, s: 10 }, { roadId: 'highway', laneId: 1, s: 20 });
    expect(r.found).toBe(false);
    if (!r.found) expect(r.reason).toBe('no route from road highway lane -1 s=10 to road highway lane 1 s=20');
    // Shoulders are not drivable: a route may not start on one.
    expect(() => lg.route({ roadId: 'highway', laneId: -3, s: 10 }, { roadId: 'highway', laneId: -1, s: 20 })).toThrow(/not a drivable lane/);
  });

  it('reports an unreachable goal: back up the on-ramp from the mainline', () => {
    const lg = new LaneGraph(new RoadNetwork(buildOnRamp({ lanesPerDirection: 2, upstreamLengthM: 300, downstreamLengthM: 600 })));
    const r = lg.route({ roadId: 'main-out', laneId: -1, s: 400 }, { roadId: 'ramp', laneId: -1, s: 10 });
    expect(r).toEqual({ found: false, reason: 'no route from road main-out lane -1 s=400 to road ramp lane -1 s=10' });
  });

  it('merges from the ramp through the acceleration lane into the mainline', () => {
    const lg = new LaneGraph(new RoadNetwork(buildOnRamp({ lanesPerDirection: 2, upstreamLengthM: 300, downstreamLengthM: 600 })));
    const r = found(lg.route({ roadId: 'ramp', laneId: -1, s: 10 }, { roadId: 'main-out', laneId: -2, s: 500 }));
    expect(r.laneChanges).toHaveLength(1);
    expect(r.laneChanges[0]!.from.laneId).toBe(-3);
    expect(r.laneChanges[0]!.to.laneId).toBe(-2);
    // The acceleration lane must be left before it ends (200 m parallel + 80 m taper).
    expect(r.laneChanges[0]!.s).toBeLessThan(280);
    expectConnected(lg, r);
  });
});
