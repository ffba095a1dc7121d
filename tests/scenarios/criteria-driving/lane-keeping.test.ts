import { afterEach, describe, expect, it } from 'vitest';
import { LaneDeparture, OffRoad } from '../../../scenarios/criteria/driving/lane-keeping.ts';
import { buildHighway, HIGHWAY_LANE_WIDTH_M as W, HIGHWAY_SHOULDER_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig } from './harness.ts';

afterEach(disposeRigs);

/**
 * Two lanes each way along +x: lane -1 (y in [-3.75, 0]), lane -2 (y in
 * [-7.5, -3.75]), a broken line between them, a double yellow on y = 0, a
 * solid edge line and a 3 m shoulder below y = -7.5.
 */
const highway = () => new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 400 }));
/** 20 m/s along x, moving smoothly (half a cosine over 4 s from t = 1 s) from y0 to y1. */
const drift = (y0: number, y1: number) => (t: number) => {
  const u = Math.min(Math.max((t - 1) / 4, 0), 1);
  return { x: 10 + 20 * t, y: y0 + ((y1 - y0) * (1 - Math.cos(Math.PI * u))) / 2 };
};

describe('lane-departure and off-road', () => {
  it('pass a lane change across the broken line', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', drift(-W / 2, -1.5 * W));
    const dep = new LaneDeparture('lane-departure', r.ctx);
    const off = new OffRoad('off-road', r.ctx);
    r.run(7, dep, off);
    expect(dep.result()).toMatchObject({ passed: true, value: 0, thresholdSource: 'seeds:miit-2a-lane-departures' });
    expect(off.result()).toMatchObject({ passed: true, value: 0, thresholdSource: 'seeds:miit-2a-off-road' });
  });

  it('lane-departure fails when the ego drifts over the double yellow into the oncoming lane', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', drift(-W / 2, W / 2));
    const dep = new LaneDeparture('lane-departure', r.ctx);
    const off = new OffRoad('off-road', r.ctx);
    r.run(7, dep, off);
    expect(dep.result()).toMatchObject({ passed: false, value: 1 });
    expect(dep.result().reason).toMatch(/crossed a solid marking from lane -1 into lane 1 of road highway/);
    expect(off.result().passed).toBe(true);
  });

  it('lane-departure fails, and off-road passes, when the ego pulls onto the shoulder', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', drift(-1.5 * W, -2 * W - HIGHWAY_SHOULDER_WIDTH_M / 2));
    const dep = new LaneDeparture('lane-departure', r.ctx);
    const off = new OffRoad('off-road', r.ctx);
    r.run(7, dep, off);
    expect(dep.result()).toMatchObject({ passed: false, value: 1 });
    expect(dep.result().reason).toMatch(/left the drivable lanes onto a shoulder/);
    expect(off.result()).toMatchObject({ passed: true, value: 0 });
  });

  it('off-road fails when the ego leaves the carriageway past the shoulder, once per excursion', async () => {
    const r = await rig(highway());
    // Out past the shoulder edge (y = -10.5) and back, twice.
    r.scripted('ego', 'ego', (t) => ({ x: 10 + 20 * t, y: -1.5 * W - 5 * Math.max(0, Math.sin((Math.PI * t) / 4)) }));
    const off = new OffRoad('off-road', r.ctx);
    r.run(10, off);
    expect(off.result()).toMatchObject({ passed: false, value: 2 });
    expect(off.result().reason).toMatch(/off every driving lane and shoulder/);
  });
});
