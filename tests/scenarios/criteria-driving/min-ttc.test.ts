import { afterEach, describe, expect, it } from 'vitest';
import { MinTimeToCollision } from '../../../scenarios/criteria/driving/min-ttc.ts';
import { buildHighway, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig, straight } from './harness.ts';

afterEach(disposeRigs);
const W = HIGHWAY_LANE_WIDTH_M;
const highway = () => new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 400 }));

describe('min-ttc', () => {
  it('fails when the ego closes on a stopped car in its lane at 10 m/s', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', straight(0, -W / 2, 10));
    r.fixed('stopped', 'vehicle', 30, -W / 2);
    const c = new MinTimeToCollision('ttc', r.ctx);
    // 2.4 s: the bumpers are 30 - 4.5 - 24 = 1.5 m apart, 0.15 s at 10 m/s.
    r.run(2.4, c);
    const res = c.result();
    expect(res.passed).toBe(false);
    expect(res.value!).toBeLessThanOrEqual(0.2);
    expect(res.thresholdSource).toBe('seeds:miit-2a-min-ttc');
    expect(res.threshold).toBe(0.95);
    // Evaluated every 0.1 s. At t = 1.6 s the bumper gap is 9.5 m: contact at 0.95 s, on the 0.1 s grid 1.0 s (a pass);
    // at 1.7 s it is 8.5 m: 0.85 s, on the grid 0.9 s, the first below 0.95 s.
    expect(res.reason).toMatch(/first: TTC 0\.90 s to stopped at t=1\.70/);
  });

  it('passes with the measured TTC when the ego stops looking 2.5 s out', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', straight(0, -W / 2, 10));
    r.fixed('stopped', 'vehicle', 40, -W / 2);
    const c = new MinTimeToCollision('ttc', r.ctx);
    // At 1 s the bumper gap is 40 - 4.5 - 10 = 25.5 m: TTC 2.5 s on the 0.1 s grid (contact at 2.55 s).
    r.run(1, c);
    const res = c.result();
    expect(res.passed).toBe(true);
    expect(res.value!).toBeCloseTo(2.6, 6);
  });

  it('passes with no TTC when the only vehicles are in the next lane or behind', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', straight(0, -W / 2, 10));
    r.fixed('next-lane', 'vehicle', 15, -1.5 * W);
    // Closing from behind in the ego's lane at 2 m/s: its TTC is not the ego's.
    r.scripted('tailgater', 'vehicle', straight(-7, -W / 2, 12));
    const c = new MinTimeToCollision('ttc', r.ctx);
    r.run(2, c);
    expect(c.result()).toMatchObject({ passed: true, value: null });
    expect(c.result().reason).toMatch(/no vehicle in the path of ego within 3 s/);
  });

  it('takes no TTC while the ego is stopped, even with a car coming at it', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', () => ({ x: 0, y: -W / 2, yawRad: 0 }));
    r.scripted('oncoming', 'vehicle', (t) => ({ x: 30 - 10 * t, y: -W / 2, yawRad: Math.PI }));
    const c = new MinTimeToCollision('ttc', r.ctx);
    r.run(2, c);
    expect(c.result()).toMatchObject({ passed: true, value: null });
  });

  it('exposes the live TTC to the car it would hit first, and the minimum so far, for viewers', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', straight(0, -W / 2, 10));
    r.fixed('stopped', 'vehicle', 40, -W / 2);
    r.fixed('next-lane', 'vehicle', 20, -1.5 * W);
    const c = new MinTimeToCollision('ttc', r.ctx);
    r.run(1, c);
    // As in the test above: 2.6 s on the 0.1 s grid at t = 1 s, against the car in the ego's lane only.
    expect(c.egoId).toBe('ego');
    expect(c.currentTtcWith).toBe('stopped');
    expect(c.currentTtcS).toBeCloseTo(2.6, 6);
    expect(c.minTtcS).toBe(c.result().value);
    expect(c.minTtcWith).toBe('stopped');
  });
});
