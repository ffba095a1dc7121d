import { afterEach, describe, expect, it } from 'vitest';
import { routePolyline } from '../../../scenarios/criteria/driving/context.ts';
import { CARLA_PENALTIES, DrivingScore, drivingScore, meanDrivingScore } from '../../../scenarios/criteria/driving/driving-score.ts';
import type { RunResult } from '../../../scenarios/result.ts';
import { buildHighway, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { LaneGraph } from '../../../vehicles/road/lane-graph.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig } from './harness.ts';

afterEach(disposeRigs);
const laneY = -HIGHWAY_LANE_WIDTH_M / 2;

/** A straight highway with a stop sign on lane -1 at s = 150, and a 200 m route along that lane from s = 50. */
function setup() {
  const d = buildHighway({ lanesPerDirection: 2, lengthM: 400 });
  d.stopLines = [{ id: 'stop', roadId: 'highway', s: 150, laneIds: [-1], control: { kind: 'stop-sign' } }];
  const network = new RoadNetwork(d);
  const route = new LaneGraph(network).route({ roadId: 'highway', laneId: -1, s: 50 }, { roadId: 'highway', laneId: -1, s: 250 });
  if (!route.found) throw new Error(route.reason);
  return { network, route: routePolyline(network, route.steps) };
}

/** Drive the route at 10 m/s, halting with the front bumper 1 m before the stop line for `haltS`. */
function drive(haltS: number) {
  const stopX = 150 - 1 - 2.25; // centre when the front is 1 m short of the line
  const tStop = (stopX - 50) / 10;
  return (t: number) => ({
    x: t < tStop ? 50 + 10 * t : t < tStop + haltS ? stopX : Math.min(stopX + 10 * (t - tStop - haltS), 255),
    y: laneY,
    yawRad: 0,
  });
}

describe('driving-score', () => {
  it('is route completion times the CARLA penalty per infraction', () => {
    expect(CARLA_PENALTIES).toEqual({ pedestrian: 0.5, vehicle: 0.6, static: 0.65, redLight: 0.7, stopSign: 0.8 });
    expect(drivingScore(80, { pedestrian: 1, vehicle: 2, static: 0, redLight: 1, stopSign: 0 })).toBeCloseTo(80 * 0.5 * 0.36 * 0.7, 12);
  });

  it('passes a clean drive of the whole route with a full stop at the stop sign: 100', async () => {
    const { network, route } = setup();
    const r = await rig(network, { route });
    r.scripted('ego', 'ego', drive(1));
    const c = new DrivingScore('score', r.ctx, 90);
    r.run(24, c);
    expect(c.infractions).toEqual({ pedestrian: 0, vehicle: 0, static: 0, redLight: 0, stopSign: 0 });
    expect(c.result()).toMatchObject({ passed: true, value: 100, thresholdSource: 'scenario' });
  });

  it('fails a drive that runs the stop sign and hits a parked car and a cone: 100 x 0.8 x 0.6 x 0.65', async () => {
    const { network, route } = setup();
    const r = await rig(network, { route });
    r.scripted('ego', 'ego', drive(0));
    r.fixed('parked', 'vehicle', 200, laneY);
    r.fixed('cone', 'static', 230, laneY);
    const c = new DrivingScore('score', r.ctx, 90);
    r.run(24, c);
    expect(c.infractions).toEqual({ pedestrian: 0, vehicle: 1, static: 1, redLight: 0, stopSign: 1 });
    const res = c.result();
    expect(res.passed).toBe(false);
    expect(res.value!).toBeCloseTo(100 * 0.8 * 0.6 * 0.65, 9);
    expect(res.reason).toMatch(/score 31\.2 = route 100\.0 % x penalties \(vehicle x1, static x1, stopSign x1\)/);
  });

  it('averages over a sweep, an errored run counting 0', () => {
    const run = (verdict: RunResult['verdict'], value: number | null): RunResult => ({
      scenario: 's', file: 'f', seed: 1, backend: 'rapier', verdict, simTime: 1, wallTime: 1, stateHash: '', steps: 1, endReason: '',
      criteria: value === null ? [] : [{ name: 'score', type: 'driving-score', value, threshold: 50, unit: 'score', passed: value >= 50, reason: '', thresholdSource: 'scenario' }],
    });
    expect(meanDrivingScore([run('pass', 100), run('fail', 40), run('error', null)])).toEqual({ mean: 140 / 3, runs: 3 });
    expect(meanDrivingScore([]).runs).toBe(0);
  });
});
