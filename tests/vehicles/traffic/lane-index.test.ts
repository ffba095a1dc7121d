/**
 * The lane occupancy index on ground-truth poses (no physics): leaders and
 * followers per lane, bumper-to-bumper gaps, straddling cars in both lanes,
 * and continuity across a road boundary.
 */
import { describe, expect, it } from 'vitest';
import { quatFromYaw } from '../../../sim/math.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { newRoadPose } from '../../../vehicles/road/geometry.ts';
import { buildHighway, buildOnRamp, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { LaneGraph } from '../../../vehicles/road/lane-graph.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { LaneIndex, newLaneNeighbor } from '../../../vehicles/traffic/lane-index.ts';

const LEN = 4.5, WID = 1.8;

function state(id: string, x: number, y: number, yaw: number, speed: number): ActorState {
  return {
    id, kind: 'car-kinematic', position: [x, y, 0.5], rotation: quatFromYaw(yaw),
    linearVelocity: [speed * Math.cos(yaw), speed * Math.sin(yaw), 0], angularVelocity: [0, 0, 0], present: true,
  };
}

function setup(lanes = 3) {
  const network = new RoadNetwork(buildHighway({ lanesPerDirection: lanes, lengthM: 500 }));
  const graph = new LaneGraph(network);
  const index = new LaneIndex(graph);
  const road = network.road('highway');
  const pose = newRoadPose();
  /** A car centred in right lane `laneId` at road s, offset `dt` to the left. */
  const put = (id: string, laneId: number, s: number, speed = 20, dt = 0, yaw = 0) => {
    road.laneCenterAt(0, laneId, s, pose);
    const st = state(id, pose.x, pose.y + dt, yaw, speed);
    index.track({ id, state: st, lengthM: LEN, widthM: WID });
    return st;
  };
  const node = (laneId: number) => graph.nodeAt('highway', laneId, 0)!.index;
  return { network, graph, index, put, node };
}

describe('LaneIndex', () => {
  it('finds the leader and follower in a lane with bumper-to-bumper gaps', () => {
    const { index, put, node } = setup();
    put('a', -2, 100, 20);
    put('b', -2, 150, 25);
    put('c', -2, 60, 18);
    put('other-lane', -1, 120);
    index.update();
    const nb = newLaneNeighbor();
    index.leader(node(-2), 100, LEN / 2, index.indexOf('a'), 250, nb);
    expect(nb.found).toBe(true);
    expect(nb.index).toBe(index.indexOf('b'));
    expect(nb.distanceM).toBeCloseTo(50, 9);
    expect(nb.gapM).toBeCloseTo(50 - LEN, 9);
    expect(nb.speedMps).toBeCloseTo(25, 9);
    index.follower(node(-2), 100, LEN / 2, index.indexOf('a'), 250, nb);
    expect(nb.index).toBe(index.indexOf('c'));
    expect(nb.gapM).toBeCloseTo(40 - LEN, 9);
    // Adjacent-lane query at a's s: the car in lane -1 at s = 120 is its leader there.
    index.leader(node(-1), 100, LEN / 2, index.indexOf('a'), 250, nb);
    expect(nb.index).toBe(index.indexOf('other-lane'));
    index.follower(node(-1), 100, LEN / 2, index.indexOf('a'), 250, nb);
    expect(nb.found).toBe(false);
    expect(nb.gapM).toBe(Infinity);
    // Beyond the horizon nothing is found.
    index.leader(node(-2), 100, LEN / 2, index.indexOf('a'), 40, nb);
    expect(nb.found).toBe(false);
  });

  it('puts a car straddling a lane line in both lanes, and a centred one in its own only', () => {
    const { index, put, node } = setup();
    // 1.2 m left of the centre of lane -2: the body reaches 1.2 + 0.9 = 2.1 m > 3.75/2 over the line.
    put('straddler', -2, 100, 20, 1.2);
    // 0.9 m left: its side is at 1.8 m, 7.5 cm inside the line at 3.75 / 2 m: lane -2 only.
    put('near', -2, 200, 20, 0.9);
    put('centred', -3, 300, 20, 0);
    index.update();
    expect(index.occupantsOf(node(-2))).toEqual([index.indexOf('straddler'), index.indexOf('near')]);
    expect(index.occupantsOf(node(-1))).toEqual([index.indexOf('straddler')]);
    expect(index.occupantsOf(node(-3))).toEqual([index.indexOf('centred')]);
    expect(HIGHWAY_LANE_WIDTH_M / 2).toBeGreaterThan(0.9 + WID / 2);
  });

  it('keeps buckets sorted by s whatever the tracking order, and follows moved cars', () => {
    const { index, put, node } = setup();
    const a = put('a', -1, 300);
    put('b', -1, 100);
    put('c', -1, 200);
    index.update();
    expect(index.occupantsOf(node(-1)).map((i) => index.occupant(i).participant.id)).toEqual(['b', 'c', 'a']);
    a.position[0] = 50; // a drops back behind b (straight road along +x)
    index.refresh(0.1);
    expect(index.occupantsOf(node(-1)).map((i) => index.occupant(i).participant.id)).toEqual(['a', 'b', 'c']);
  });

  it('finds a leader just past the end of the road, on the next road through the junction', () => {
    const network = new RoadNetwork(buildOnRamp({ lanesPerDirection: 2, upstreamLengthM: 300, downstreamLengthM: 400 }));
    const graph = new LaneGraph(network);
    const index = new LaneIndex(graph);
    const pose = newRoadPose();
    const mainIn = network.road('main-in');
    const mainOut = network.road('main-out');
    mainIn.laneCenterAt(0, -1, mainIn.lengthM - 5, pose);
    const me = state('me', pose.x, pose.y, pose.headingRad, 30);
    mainOut.laneCenterAt(0, -1, 12, pose);
    const ahead = state('ahead', pose.x, pose.y, pose.headingRad, 28);
    index.track({ id: 'me', state: me, lengthM: LEN, widthM: WID });
    index.track({ id: 'ahead', state: ahead, lengthM: LEN, widthM: WID });
    index.update();
    const o = index.occupant(index.indexOf('me'));
    expect(graph.nodes[o.nodeIndex]!.roadId).toBe('main-in');
    const nb = newLaneNeighbor();
    index.leader(o.nodeIndex, o.s, LEN / 2, o.index, 250, nb);
    expect(nb.found).toBe(true);
    expect(nb.index).toBe(index.indexOf('ahead'));
    expect(nb.distanceM).toBeCloseTo(17, 6);
    expect(nb.speedMps).toBeCloseTo(28, 6);
    // And backwards: the car on main-out finds 'me' as its follower.
    const a = index.occupant(index.indexOf('ahead'));
    index.follower(a.nodeIndex, a.s, LEN / 2, a.index, 250, nb);
    expect(nb.index).toBe(index.indexOf('me'));
    expect(nb.distanceM).toBeCloseTo(17, 6);
  });
});
