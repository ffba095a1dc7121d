import { describe, expect, it } from 'vitest';
import { wrapAngle } from '../../../sim/math.ts';
import { buildHighway, buildIntersection, buildOnRamp, buildUrbanGrid, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { crosswalkPolygon } from '../../../vehicles/road/crosswalk.ts';
import { newRoadPose } from '../../../vehicles/road/geometry.ts';
import { LaneGraph, type LaneNode } from '../../../vehicles/road/lane-graph.ts';
import { RoadNetwork, RoadNetworkError, type RoadNetworkDescriptor } from '../../../vehicles/road/road-network.ts';

const networks: [string, () => RoadNetworkDescriptor][] = [
  ['straight highway', () => buildHighway({ lanesPerDirection: 3, lengthM: 1000 })],
  ['curved highway with spirals', () => buildHighway({ lanesPerDirection: 2, lengthM: 1500, origin: [100, -50], headingRad: 0.4, curve: { startS: 300, radiusM: 800, angleRad: -0.6, spiralLengthM: 120 } })],
  ['on-ramp', () => buildOnRamp({ lanesPerDirection: 2, upstreamLengthM: 300, downstreamLengthM: 600, headingRad: 1 })],
  ['four-way intersection, 2 lanes', () => buildIntersection({ armLengthM: 60, lanesPerDirection: 2 })],
  ['urban grid 3 x 3', () => buildUrbanGrid({ rows: 3, cols: 3, blockLengthM: 150, lanesPerDirection: 2 })],
];

const _a = newRoadPose();
const _b = newRoadPose();

/** Centre-line pose where a lane node is left (exit) or entered, in the driving direction. */
function endPose(net: RoadNetwork, n: LaneNode, which: 'entry' | 'exit', out = _a) {
  const road = net.road(n.roadId);
  const atStart = (which === 'entry') === (n.direction > 0);
  road.laneCenterAt(n.sectionIndex, n.laneId, atStart ? n.sFrom : n.sTo, out);
  if (n.direction < 0) out.headingRad += Math.PI;
  return out;
}

describe.each(networks)('%s builder', (_name, build) => {
  const net = new RoadNetwork(build());
  const graph = new LaneGraph(net);

  it('resolves every link (the network validates) and is deterministic', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
    expect(graph.nodes.length).toBeGreaterThan(0);
  });

  it('keeps lane centre lines continuous within 1 cm across every section, road and junction link', () => {
    let edges = 0;
    for (const n of graph.nodes) {
      endPose(net, n, 'exit', _a);
      for (const m of graph.successors(n)) {
        endPose(net, m, 'entry', _b);
        const gap = Math.hypot(_a.x - _b.x, _a.y - _b.y);
        expect(gap, `${n.roadId}/${n.sectionIndex}/${n.laneId} -> ${m.roadId}/${m.sectionIndex}/${m.laneId}`).toBeLessThan(0.01);
        expect(Math.abs(wrapAngle(_a.headingRad - _b.headingRad))).toBeLessThan(1e-6);
        edges++;
      }
    }
    if (net.roads.length > 1) expect(edges).toBeGreaterThan(0);
  });

  it('gives every lane change a same-direction neighbour in the same section', () => {
    for (const n of graph.nodes) {
      for (const m of graph.laneChanges(n)) {
        expect([m.roadId, m.sectionIndex, m.direction]).toEqual([n.roadId, n.sectionIndex, n.direction]);
        expect(Math.abs(Math.abs(m.laneId) - Math.abs(n.laneId))).toBe(1);
      }
    }
  });
});

describe('highway builder', () => {
  it('lays n lanes each way at the standard width, right lanes driven towards +s', () => {
    const net = new RoadNetwork(buildHighway({ lanesPerDirection: 3, lengthM: 500 }));
    const road = net.road('highway');
    const sec = road.sections[0]!;
    expect(sec.right.map((l) => l.type)).toEqual(['driving', 'driving', 'driving', 'shoulder']);
    expect(road.laneCenterT(0, -3, 100)).toBeCloseTo(-2.5 * HIGHWAY_LANE_WIDTH_M, 12);
    expect(sec.lane(-1)!.direction).toBe(1);
    expect(road.speedLimitAt(0, -1, 10)).toBeCloseTo(120 / 3.6, 12);
  });

  it('puts spiral-arc-spiral into a curve and turns by the requested angle', () => {
    const net = new RoadNetwork(buildHighway({ lanesPerDirection: 1, lengthM: 1000, curve: { startS: 200, radiusM: 500, angleRad: 0.5, spiralLengthM: 100 } }));
    const ref = net.road('highway').referenceLine;
    expect(ref.geometries.map((g) => g.type)).toEqual(['line', 'spiral', 'arc', 'spiral', 'line']);
    expect(ref.poseAt(1000, _a).headingRad).toBeCloseTo(0.5, 12);
    expect(ref.lengthM).toBeCloseTo(1000, 9);
  });

  it('refuses a curve that does not fit', () => {
    expect(() => buildHighway({ lanesPerDirection: 1, lengthM: 100, curve: { startS: 50, radiusM: 500, angleRad: 0.5 } })).toThrow(/does not fit/);
  });
});

describe('on-ramp builder', () => {
  const net = new RoadNetwork(buildOnRamp({ lanesPerDirection: 2, upstreamLengthM: 300, downstreamLengthM: 600 }));
  const out = net.road('main-out');

  it('ends the ramp tangent to the mainline, on the acceleration lane', () => {
    const ramp = net.road('ramp');
    ramp.laneCenterAt(0, -1, ramp.lengthM, _a);
    out.laneCenterAt(0, -3, 0, _b);
    expect(Math.hypot(_a.x - _b.x, _a.y - _b.y)).toBeLessThan(1e-9);
    expect(ramp.referenceLine.geometries.map((g) => g.type)).toEqual(['line', 'spiral', 'arc', 'spiral']);
  });

  it('tapers the acceleration lane smoothly to zero width', () => {
    const taper = out.sections[1]!.lane(-3)!;
    expect(taper.widthAt(0)).toBeCloseTo(HIGHWAY_LANE_WIDTH_M, 12);
    expect(taper.widthAt(80)).toBeCloseTo(0, 12);
    expect(taper.widthSlopeAt(0)).toBeCloseTo(0, 12);
    expect(taper.widthSlopeAt(80)).toBeCloseTo(0, 12);
    expect(taper.widthAt(40)).toBeCloseTo(HIGHWAY_LANE_WIDTH_M / 2, 12);
  });
});

describe('signalised intersection builder', () => {
  const net = new RoadNetwork(buildIntersection({ armLengthM: 60, lanesPerDirection: 2 }));
  const junction = net.junction('x');
  const controller = net.controller('x/signals');

  it('connects every incoming lane straight on, the outer lane right and the inner lane left', () => {
    const fromEast = junction.connections.filter((c) => c.incomingRoad === 'x/east');
    expect(fromEast.map((c) => c.connectingRoad).sort()).toEqual(['x/east-left-1', 'x/east-right-2', 'x/east-straight-1', 'x/east-straight-2']);
    for (const c of junction.connections) expect(controller.signalGroups).toContain(c.signalGroup);
  });

  it('runs protected phases: no conflicting movements green together', () => {
    const conflicts: [string, string][] = [
      ['x/east-left', 'x/west-through'], ['x/west-left', 'x/east-through'],
      ['x/north-left', 'x/south-through'], ['x/east-through', 'x/north-through'],
      ['x/east-left', 'x/north-left'],
    ];
    for (let t = 0; t < controller.cycleS; t += 0.5) {
      for (const [a, b] of conflicts) {
        expect(controller.stateAt(a, t) === 'red' || controller.stateAt(b, t) === 'red', `${a} / ${b} at t=${t}`).toBe(true);
      }
    }
    // 2 x (30 + 3 + 2) + 2 x (12 + 3 + 2)
    expect(controller.cycleS).toBe(104);
  });

  it('puts the stop line behind the crosswalk on the incoming lanes, with its lights', () => {
    const stop = net.stopLines.find((s) => s.roadId === 'x/east')!;
    const cw = net.crosswalks.find((c) => c.roadId === 'x/east')!;
    expect(stop.laneIds).toEqual([1, 2]);
    // The arm starts at the junction, so further from it is larger s.
    expect(stop.s).toBeGreaterThan(cw.sEnd);
    expect(stop.control).toEqual({ kind: 'traffic-light', trafficLightIds: ['x/east-through-light', 'x/east-left-light'] });
    const poly = crosswalkPolygon(net.road('x/east'), cw);
    expect(poly).toHaveLength(4);
    // Across the whole road: 2 lanes of 3.5 m and a 2 m sidewalk each side.
    expect(Math.hypot(poly[2]![0] - poly[1]![0], poly[2]![1] - poly[1]![1])).toBeCloseTo(18, 12);
  });
});

describe('urban grid builder', () => {
  it('builds rows x cols junctions joined by roads, with stubs at the edge', () => {
    const net = new RoadNetwork(buildUrbanGrid({ rows: 2, cols: 3, blockLengthM: 100 }));
    expect(net.junctions).toHaveLength(6);
    const plain = net.roads.filter((r) => r.junction === undefined);
    // Inner roads: 2 rows x 2 + 3 cols x 1 = 7; stubs: 2 x (3 + 2) = 10.
    expect(plain).toHaveLength(17);
    expect(net.road('h1-1').predecessor).toEqual({ elementType: 'junction', elementId: 'j1-1' });
    expect(net.road('h1-1').successor).toEqual({ elementType: 'junction', elementId: 'j1-2' });
  });

  it('refuses blocks too short for the junction boxes and crosswalks', () => {
    expect(() => buildUrbanGrid({ rows: 2, cols: 2, blockLengthM: 20 })).toThrow(/blockLengthM must be at least/);
  });
});

describe('network validation', () => {
  it('lists every link that does not resolve', () => {
    const d = buildIntersection({ armLengthM: 60 });
    d.roads[0]!.successor = { elementType: 'road', elementId: 'nowhere', contactPoint: 'start' };
    d.junctions![0]!.connections[0]!.laneLinks[0]!.to = -7;
    d.stopLines![0]!.laneIds = [3];
    expect(() => new RoadNetwork(d)).toThrow(RoadNetworkError);
    try {
      new RoadNetwork(d);
    } catch (e) {
      const problems = (e as RoadNetworkError).problems;
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/road x\/east successor: no road nowhere/);
      expect(problems[1]).toMatch(/has no lane -7 at its start/);
      expect(problems[2]).toMatch(/stop line .*: road x\/\w+ has no lane 3/);
    }
  });
});
