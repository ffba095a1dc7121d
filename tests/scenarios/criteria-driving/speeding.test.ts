import { afterEach, describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../../seeds/requirements.ts';
import { Speeding } from '../../../scenarios/criteria/driving/speeding.ts';
import { buildHighway, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig, straight } from './harness.ts';

afterEach(disposeRigs);
// Rapier keeps body state in f32: speeds read back to about 1e-3 m/s, hence 2 decimals below.
const LIMIT = 20;
const laneY = -HIGHWAY_LANE_WIDTH_M / 2;
const highway = () => new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 400, speedLimitMps: LIMIT }));

describe('speeding', () => {
  it('fails when the ego drives 5 m/s over the lane limit, reporting the excess and the time over', async () => {
    const r = await rig(highway());
    // 18 m/s for 2 s, then 25 m/s.
    r.scripted('ego', 'ego', (t) => ({ x: t < 2 ? 18 * t : 36 + 25 * (t - 2), y: laneY }));
    const c = new Speeding('speeding', r.ctx);
    r.run(5, c);
    const res = c.result();
    expect(res.passed).toBe(false);
    expect(res.value!).toBeCloseTo(5, 2);
    expect(res.threshold).toBe(REQUIREMENTS['miit-2a-speeding-tolerance'].threshold);
    expect(res.thresholdSource).toBe('seeds:miit-2a-speeding-tolerance');
    expect(c.secondsOver).toBeCloseTo(3, 1);
    expect(res.reason).toMatch(/5\.00 m\/s over the 20\.00 m\/s limit/);
  });

  it('passes a car a little over the limit but within the tolerance', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', straight(0, laneY, LIMIT + 0.3));
    const c = new Speeding('speeding', r.ctx);
    r.run(5, c);
    const res = c.result();
    expect(res.passed).toBe(true);
    expect(res.value!).toBeCloseTo(0.3, 2);
    expect(c.secondsOver).toBe(0);
  });

  it('does not judge off the road, where no lane gives a limit', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', straight(0, 50, 40));
    const c = new Speeding('speeding', r.ctx);
    r.run(2, c);
    expect(c.result()).toMatchObject({ passed: true, value: 0 });
    expect(c.result().reason).toMatch(/never on a lane with a speed limit/);
  });

  it('lists each stretch over limit + tolerance as it begins, with the speed and limit then', async () => {
    const r = await rig(highway());
    // 25 m/s for 1 s, 18 m/s for 1 s, 25 m/s again: two stretches over.
    r.scripted('ego', 'ego', (t) => ({ x: t < 1 ? 25 * t : t < 2 ? 25 + 18 * (t - 1) : 43 + 25 * (t - 2), y: laneY }));
    const c = new Speeding('speeding', r.ctx);
    r.run(3, c);
    expect(c.episodes.length).toBe(2);
    expect(c.episodes[1]!.time).toBeGreaterThan(2 - 0.05);
    expect(c.episodes[1]!.limitMps).toBe(LIMIT);
    expect(c.episodes[1]!.speedMps).toBeCloseTo(25, 1);
    expect(c.currentLimitMps).toBe(LIMIT);
  });
});
