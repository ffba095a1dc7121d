import { afterEach, describe, expect, it } from 'vitest';
import { routePolyline } from '../../../scenarios/criteria/driving/context.ts';
import { RouteCompletion } from '../../../scenarios/criteria/driving/route-completion.ts';
import { buildHighway, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { LaneGraph } from '../../../vehicles/road/lane-graph.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig } from './harness.ts';

afterEach(disposeRigs);
const laneY = -HIGHWAY_LANE_WIDTH_M / 2;

/** A 200 m route along lane -1 of a straight highway, from s = 50 to s = 250. */
function setup() {
  const network = new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 400 }));
  const route = new LaneGraph(network).route({ roadId: 'highway', laneId: -1, s: 50 }, { roadId: 'highway', laneId: -1, s: 250 });
  if (!route.found) throw new Error(route.reason);
  return { network, route: routePolyline(network, route.steps) };
}

describe('route-completion', () => {
  it('passes, and succeeds on arrival, when the ego drives the whole route', async () => {
    const { network, route } = setup();
    const r = await rig(network, { route });
    r.scripted('ego', 'ego', (t) => ({ x: 50 + Math.min(20 * t, 205), y: laneY }));
    const c = new RouteCompletion('route', r.ctx, { endsRun: true });
    r.run(12, c);
    const res = c.result();
    expect(c.progress.lengthM).toBeCloseTo(200, 6);
    expect(res).toMatchObject({ passed: true, value: 100, unit: '%', thresholdSource: 'seeds:miit-2a-route-completion' });
    expect(c.status).toBe('passed');
    // 99 % (198 m) reached at 9.9 s, within 10 m of the end.
    expect(res.reason).toMatch(/route completed at t=9\.9/);
  });

  it('fails with the share driven when the ego stops halfway', async () => {
    const { network, route } = setup();
    const r = await rig(network, { route });
    r.scripted('ego', 'ego', (t) => ({ x: 50 + Math.min(20 * t, 100), y: laneY }));
    const c = new RouteCompletion('route', r.ctx);
    r.run(10, c);
    const res = c.result();
    expect(res.passed).toBe(false);
    expect(res.value!).toBeCloseTo(50, 1);
    expect(res.reason).toMatch(/drove 50\.0 % of its 200\.0 m route/);
  });

  it('gives no progress to a car driving parallel to the route but far from it', async () => {
    const { network, route } = setup();
    const r = await rig(network, { route });
    r.scripted('ego', 'ego', (t) => ({ x: 50 + 20 * t, y: laneY + 40 }));
    const c = new RouteCompletion('route', r.ctx);
    r.run(10, c);
    expect(c.result()).toMatchObject({ passed: false, value: 0 });
  });
});
