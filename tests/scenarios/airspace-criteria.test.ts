/**
 * The airspace-* criteria (scenarios/criteria/airspace.ts), each seen to
 * pass and to fail. A straight-line Iris flies from (0, 0) to (60, 0) at
 * 5 m: with the zones on its route (a PROHIBITED circle about (25, 0) and a
 * REQ_AUTHORISATION circle about (45, 0), radius 6 m each) it enters both;
 * with the zones moved 30 m north it enters none.
 */
import { describe, expect, it, vi } from 'vitest';
import { AGENTS } from '../../agents/registry.ts';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { runScenario, startRun } from '../../scenarios/runner.ts';
import type { GeoAwarenessSample } from '../../uav/airspace/geo-awareness.ts';
import { airspaceOf } from '../../uav/airspace/service.ts';
import type { RunResult } from '../../scenarios/result.ts';
import { criterion, editedText } from '../helpers.ts';

const F = 'airspace-criteria.yaml';
const base = (zoneY: number) => `
name: airspace-criteria
description: a straight-line flight past two zones
family: airspace
seed: 1
duration: 16
world:
  physicsHz: 250
  ground: { centerM: [30, 0], sizeM: [120, 100] }
  airspace:
    origin: { latDeg: 47.3977, lonDeg: 8.5456, altM: 488 }
    startUtc: '2026-11-25T10:00:00Z'
    zones:
      - { id: P, restriction: PROHIBITED, circle: { center: [25, ${zoneY}], radiusM: 6 }, lowerM: 0, upperM: 60 }
      - { id: R, restriction: REQ_AUTHORISATION, circle: { center: [45, ${zoneY}], radiusM: 6 }, lowerM: 0, upperM: 60 }
actors:
  - id: drone
    kind: uav
    airframe: iris
    pose: { position: [0, 0] }
    agent: { type: straight-line, params: { waypoints: [[0, 0, 5], [60, 0, 5]], cruiseSpeedMps: 8, land: false } }
    sensors: [{ type: imu, rateHz: 250 }, { type: gnss }, { type: barometer }]
criteria:
  - { type: airspace-no-incursion }
  - { name: no-incursion-any-class, type: airspace-no-incursion, classes: [PROHIBITED, REQ_AUTHORISATION], maxIncursions: 1 }
  - { type: airspace-incursion, maxTotalS: 0.5, maxDepthM: 1 }
  - { name: incursion-report, type: airspace-incursion }
  - { type: airspace-min-margin, thresholdM: 5 }
  - { type: airspace-authorisation }
  - { name: extra-loose, type: airspace-path-extra, actor: drone, goal: [60, 0, 5], maxExtraM: 15 }
  - { name: extra-tight, type: airspace-path-extra, actor: drone, goal: [60, 0, 5], maxExtraM: 1 }
`;

const run = (text: string): Promise<RunResult> => runScenario(loadScenarioText(text, F), { backend: 'rapier' });

describe('airspace criteria', () => {
  it('zones on the route: every incursion criterion fails, naming the zone and the time', async () => {
    const r = await run(base(0));
    const ni = criterion(r, 'airspace-no-incursion');
    expect(ni.passed).toBe(false);
    expect(ni.value).toBe(1); // only P is PROHIBITED
    expect(ni.threshold).toBe(0);
    expect(ni.thresholdSource).toBe('seeds:miit-2c-forced-zone-avoidance');
    expect(ni.reason).toMatch(/^drone entered PROHIBITED zone P at t=\d+\.\d\d s \(incursion 1, allowed 0\)$/);
    const any = criterion(r, 'no-incursion-any-class');
    expect(any.passed).toBe(false);
    expect(any.value).toBe(2);
    const inc = criterion(r, 'airspace-incursion');
    expect(inc.passed).toBe(false);
    // 12 m across the circle's centre at about 8 m/s: about 1.5 s inside.
    expect(inc.value!).toBeGreaterThan(1);
    expect(inc.value!).toBeLessThan(3);
    expect(inc.reason).toMatch(/spent .* s inside active PROHIBITED zones \(allowed 0.5 s\)/);
    const rep = criterion(r, 'incursion-report');
    expect(rep.passed).toBe(true);
    expect(rep.reason).toMatch(/deepest [45]\.\d\d m \(drone in P\)/);
    const m = criterion(r, 'airspace-min-margin');
    expect(m.passed).toBe(false);
    expect(m.value!).toBeLessThan(-5);
    expect(m.reason).toMatch(/horizontal margin -\d\.\d\d m \(drone to P at t=/);
    const a = criterion(r, 'airspace-authorisation');
    expect(a.passed).toBe(false);
    expect(a.reason).toMatch(/drone entered REQ_AUTHORISATION zone R at t=.* without its authorisation/);
    const loose = criterion(r, 'extra-loose');
    expect(loose.passed).toBe(true);
    // The climb to 5 m is the extra over the 3D straight line: a few metres.
    expect(loose.value!).toBeGreaterThan(2);
    expect(loose.value!).toBeLessThan(15);
    expect(loose.reason).toMatch(/flown path .* m longer than the straight route \(ratio 1\.\d{3}\)/);
    expect(criterion(r, 'extra-tight').passed).toBe(false);
  });

  it('with the authorisation, entering R passes airspace-authorisation', async () => {
    const r = await run(editedText(base(0), (d) => (d.actors[0].airspaceAuthorisations = ['R'])));
    const a = criterion(r, 'airspace-authorisation');
    expect(a.passed).toBe(true);
    expect(a.reason).toBe('1 entry into REQ_AUTHORISATION zones, all authorised');
    expect(criterion(r, 'airspace-no-incursion').passed).toBe(false);
  });

  it('zones 30 m off the route: every airspace criterion passes', async () => {
    const r = await run(base(30));
    for (const name of ['airspace-no-incursion', 'no-incursion-any-class', 'airspace-incursion', 'airspace-min-margin', 'airspace-authorisation', 'extra-loose']) {
      expect(criterion(r, name).passed, name).toBe(true);
    }
    expect(criterion(r, 'airspace-no-incursion').value).toBe(0);
    expect(criterion(r, 'airspace-incursion').value).toBe(0);
    // The margin is taken in the zone's band (ground to 60 m): 30 - 6 = 24 m at the closest.
    expect(criterion(r, 'airspace-min-margin').value!).toBeCloseTo(24, 0);
  });

  it('a zone switched on by the timeline after the UAV passed it is no incursion; before, it is', async () => {
    const late = editedText(base(0), (d) => {
      d.world.airspace.zones[0].activeAtStart = false;
      d.events = [{ type: 'zone', at: 14, zone: 'P', active: true }];
    });
    const r1 = await run(late);
    expect(criterion(r1, 'airspace-no-incursion').passed).toBe(true);
    const early = editedText(late, (d) => (d.events[0].at = 0.5));
    expect(criterion(await run(early), 'airspace-no-incursion').passed).toBe(false);
  });
});

describe('geo-awareness sensor and AgentEnv.airspace', () => {
  it('the UAV reads the active zones and a predicted-breach warning before it enters the prohibited zone', async () => {
    const text = editedText(base(0), (d) => d.actors[0].sensors.push({ type: 'geo-awareness' }));
    const run = await startRun(loadScenarioText(text, F), { backend: 'rapier' });
    try {
      const svc = airspaceOf(run.world)!;
      let warnedAt = -1;
      let activeSeen: number[] = [];
      while (!run.done && svc.incursions.length === 0) {
        run.step();
        const r = run.world.readingOf('drone', 'geo');
        const v = r?.value as GeoAwarenessSample | undefined;
        if (v) activeSeen = v.active;
        if (warnedAt < 0 && v?.warnings.some((w) => w.zone === 'P')) warnedAt = run.world.time;
      }
      expect(activeSeen).toEqual([0, 1]);
      const entry = svc.incursions[0]!;
      expect(entry.zone).toBe('P');
      // Warned ahead of the entry: at 8 m/s the stopping distance is 10.4 m, about 1.3 s of flight.
      expect(warnedAt).toBeGreaterThan(0);
      expect(entry.entryS - warnedAt).toBeGreaterThan(0.5);
    } finally {
      run.dispose();
    }
  });

  it('UAV agents are created with AgentEnv.airspace: the same service that judges', async () => {
    const spy = vi.spyOn(AGENTS['straight-line']!, 'create');
    const run = await startRun(loadScenarioText(base(0), F), { backend: 'rapier' });
    try {
      const env = spy.mock.calls[0]![1]!;
      expect(env.airspace).toBe(airspaceOf(run.world));
      expect(env.airspace!.zones.map((z) => z.id)).toEqual(['P', 'R']);
      expect(env.airspace!.utcMsAt(0)).toBe(Date.parse('2026-11-25T10:00:00Z'));
      expect(env.airspace!.groundAmslM(0, 0)).toBe(488);
    } finally {
      run.dispose();
      spy.mockRestore();
    }
  });

  it('a geo-awareness sensor needs world.airspace', () => {
    const text = editedText(base(0), (d) => { d.actors[0].sensors.push({ type: 'geo-awareness' }); delete d.world.airspace; d.criteria = [{ type: 'no-collision' }]; });
    expect(() => loadScenarioText(text, F)).toThrow(/actors\[0\]\.sensors\[3\]: a geo-awareness sensor needs world.airspace/);
  });
});
