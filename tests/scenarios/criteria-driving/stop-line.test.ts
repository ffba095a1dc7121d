import { afterEach, describe, expect, it } from 'vitest';
import { RedLightViolations, StopSignViolations } from '../../../scenarios/criteria/driving/stop-line-criteria.ts';
import { buildHighway, buildIntersection, HIGHWAY_LANE_WIDTH_M, URBAN_LANE_WIDTH_M } from '../../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig, straight, type Script } from './harness.ts';

afterEach(disposeRigs);

/**
 * One signalised four-way junction at the origin, one lane each way. The ego
 * comes from the west arm eastwards in its lane (y = -1.75 m); its stop line
 * is at x = -14.5 m. Phase 0 (from the cycle start, `offsetS`) is east-west
 * through: 30 s green; then east-west left (red for through), then
 * north-south. With offset 40 s the east-west groups are red until t = 40 s.
 */
const junction = (offsetS: number) => new RoadNetwork(buildIntersection({ armLengthM: 60, signal: { offsetS } }));
const eastbound = straight(-60, -URBAN_LANE_WIDTH_M / 2, 10);

describe('red-light', () => {
  it('fails when the ego crosses the stop line on red', async () => {
    const r = await rig(junction(40));
    r.scripted('ego', 'ego', eastbound);
    const c = new RedLightViolations('red-light', r.ctx);
    r.run(7, c);
    const res = c.result();
    expect(res).toMatchObject({ passed: false, value: 1, thresholdSource: 'seeds:miit-2a-red-light-violations' });
    // Front bumper (2.25 m ahead of the centre) reaches x = -14.5 m at t = 4.325 s: the tick at 4.33 s.
    expect(res.reason).toMatch(/ego crossed stop line x\/west-stop on red \(x\/west-through-light\) at t=4\.33 s/);
  });

  it('passes a straight crossing on the through green while the same lane\'s left-turn light is red', async () => {
    const r = await rig(junction(0));
    r.scripted('ego', 'ego', eastbound);
    const c = new RedLightViolations('red-light', r.ctx);
    r.run(9, c);
    expect(c.result()).toMatchObject({ passed: true, value: 0 });
    expect(c.monitor.violations).toEqual([]);
  });

  it('fails a straight crossing during the left-turn green, once the movement shows it went straight', async () => {
    // Offset -35.7 s: at t = 4.3 s the cycle is at 40 s, inside the east-west left phase (35-47 s).
    const r = await rig(junction(-35.7));
    r.scripted('ego', 'ego', eastbound);
    const c = new RedLightViolations('red-light', r.ctx);
    r.run(9, c);
    expect(c.result()).toMatchObject({ passed: false, value: 1 });
    expect(c.monitor.violations).toEqual([{ kind: 'red-light', time: expect.closeTo(4.33, 6), stopLineId: 'x/west-stop', lightId: 'x/west-through-light' }]);
  });
});

describe('stop-sign', () => {
  const laneY = -HIGHWAY_LANE_WIDTH_M / 2;
  const road = () => {
    const d = buildHighway({ lanesPerDirection: 1, lengthM: 200 });
    d.stopLines = [{ id: 'stop', roadId: 'highway', s: 100, laneIds: [-1], control: { kind: 'stop-sign' } }];
    return new RoadNetwork(d);
  };
  /** 10 m/s, halting for `haltS` (creeping at `creepMps`) with the front `gapM` before the line, then on. */
  const approach = (haltS: number, gapM = 1, creepMps = 0): Script => {
    const x0 = 100 - gapM - 2.25;
    const t0 = x0 / 10;
    return (t) => ({
      x: t < t0 ? 10 * t : t < t0 + haltS ? x0 + creepMps * (t - t0) : x0 + creepMps * haltS + 10 * (t - t0 - haltS),
      y: laneY,
      yawRad: 0,
    });
  };

  it('fails when the ego rolls through the stop sign', async () => {
    const r = await rig(road());
    r.scripted('ego', 'ego', approach(0));
    const c = new StopSignViolations('stop-sign', r.ctx);
    r.run(14, c);
    expect(c.result()).toMatchObject({ passed: false, value: 1 });
    expect(c.result().reason).toMatch(/crossed stop line stop without stopping at t=9\.7/);
  });

  it('fails a halt shorter than 0.5 s, a creep at 0.05 m/s for 0.4 s', async () => {
    const r = await rig(road());
    r.scripted('ego', 'ego', approach(0.4, 1, 0.05));
    const c = new StopSignViolations('stop-sign', r.ctx);
    r.run(14, c);
    expect(c.result().value).toBe(1);
  });

  it('fails a full stop made more than 4 m before the line', async () => {
    const r = await rig(road());
    r.scripted('ego', 'ego', approach(2, 6));
    const c = new StopSignViolations('stop-sign', r.ctx);
    r.run(14, c);
    expect(c.result().value).toBe(1);
  });

  it('passes a 0.6 s stop with the front 1 m before the line', async () => {
    const r = await rig(road());
    r.scripted('ego', 'ego', approach(0.6));
    const c = new StopSignViolations('stop-sign', r.ctx);
    r.run(14, c);
    expect(c.result()).toMatchObject({ passed: true, value: 0 });
  });
});
