import { afterEach, describe, expect, it } from 'vitest';
import { MrmSuccess } from '../../../scenarios/criteria/driving/mrm-success.ts';
import { buildHighway, HIGHWAY_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig, type Rig } from './harness.ts';

afterEach(disposeRigs);
const laneY = -HIGHWAY_LANE_WIDTH_M / 2;

/** 15 m/s; from the fault at t = 2 s, braking at 3 m/s^2 to a stop at t = 7 s (x = 67.5 m). */
const brakeAfterFault = (t: number) => {
  const u = Math.min(Math.max(t - 2, 0), 5);
  return { x: 15 * Math.min(t, 2) + 15 * u - 1.5 * u * u, y: laneY, yawRad: 0 };
};

async function mrmRig(): Promise<Rig> {
  const r = await rig(new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 300 })));
  r.scripted('ego', 'ego', brakeAfterFault);
  // The object sensor fails at t = 2 s (the event World.setSensorFailed publishes).
  r.world.schedule(2, 'sensor-fault', (w) => w.emit({ type: 'fault', time: w.time, actor: 'ego', target: 'objects', detail: 'sensor failed' }));
  return r;
}

describe('mrm-success', () => {
  it('passes when the ego stops with hazard lights on within the bound after the fault', async () => {
    const r = await mrmRig();
    const c = new MrmSuccess('mrm', r.ctx, { withinS: 8, hazardLights: () => r.world.time >= 2.5 });
    r.run(10, c);
    const res = c.result();
    expect(res.passed).toBe(true);
    expect(c.triggerTime).toBeCloseTo(2, 9);
    // Speed 3 (7 - t) m/s is below 0.1 m/s after t = 6.967 s; a scripted body reports the mean speed of the
    // step that ends at the tick (its mid-step speed), so the first tick below is 6.98 s.
    expect(res.value!).toBeCloseTo(4.98, 6);
  });

  it('fails when the ego stops but never switches its hazard lights on', async () => {
    const r = await mrmRig();
    const c = new MrmSuccess('mrm', r.ctx, { withinS: 8, hazardLights: () => false });
    r.run(12, c);
    expect(c.result().passed).toBe(false);
    expect(c.result().reason).toMatch(/no MRC within 8 s of the trigger at t=2\.00 s \(now 0\.00 m\/s, hazard lights off\)/);
  });

  it('fails when the ego hits a parked car during the MRM, even though it then reaches an MRC', async () => {
    const r = await mrmRig();
    r.fixed('parked', 'vehicle', 62, laneY);
    const c = new MrmSuccess('mrm', r.ctx, { withinS: 8, hazardLights: () => r.world.time >= 2.5 });
    r.run(10, c);
    expect(c.result().passed).toBe(false);
    expect(c.result().reason).toMatch(/ego hit vehicle parked at t=\d+\.\d+ s, \d+\.\d+ s into the MRM/);
  });

  it('fails when the trigger never comes', async () => {
    const r = await rig(new RoadNetwork(buildHighway({ lanesPerDirection: 1, lengthM: 100 })));
    r.scripted('ego', 'ego', () => ({ x: 0, y: laneY, yawRad: 0 }));
    const c = new MrmSuccess('mrm', r.ctx, { withinS: 5, hazardLights: () => true });
    r.run(2, c);
    expect(c.result().reason).toMatch(/trigger \(fault\) never came/);
  });
});
