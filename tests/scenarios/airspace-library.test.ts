/**
 * The airspace library (scenarios/library/airspace/): every scenario runs
 * green at its own seed. They are flown by the straight-line baseline, which
 * ignores zones, so each one with a zone on its route is a negative control
 * (`expect:`): the incursion criteria must fail (XFAIL), proving they bite;
 * the weekday scenario, whose weekend-only zone is off, passes.
 *
 * The uav-pilot versions, which must pass once uav-pilot avoids zones (the
 * agent side of issue #6), are in tests/fixtures/airspace/scenarios/; here
 * they are only loaded.
 */
import { describe, expect, it } from 'vitest';
import { expandScenarioPaths, loadScenarioFile } from '../../scenarios/node-io.ts';
import { runSucceeded } from '../../scenarios/result.ts';
import { criterion, FIXTURES, LIBRARY, runFile } from '../helpers.ts';

const files = expandScenarioPaths([`${LIBRARY}/airspace`]);

describe('airspace library', () => {
  it('holds the nine cases of issue #6 (the weekend zone twice: weekday and Saturday)', () => {
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual([
      'airport-circle.yaml', 'ed269-bundled.yaml', 'goal-in-zone.yaml', 'stacked-polygons.yaml', 'swarm-around-zone.yaml',
      'takeoff-in-zone.yaml', 'temporary-zone.yaml', 'wedding-cake.yaml', 'weekend-zone-saturday.yaml', 'weekend-zone-weekday.yaml',
    ]);
  });

  for (const f of files) {
    const name = f.slice(f.lastIndexOf('/') + 1);
    it(`${name}: green at its seed; straight-line has incursions exactly where a zone is on its route`, async () => {
      const r = await runFile(f, { backend: 'rapier' });
      expect(r.error, r.error).toBeUndefined();
      expect(runSucceeded(r)).toBe(true);
      const incursions = criterion(r, 'airspace-no-incursion').value!;
      if (name === 'weekend-zone-weekday.yaml') {
        expect(r.verdict).toBe('pass');
        expect(incursions).toBe(0);
      } else {
        expect(r.expectedFailure?.met).toBe(true);
        expect(incursions).toBeGreaterThanOrEqual(name === 'swarm-around-zone.yaml' ? 3 : 1);
      }
    }, 60_000);
  }

  it('the uav-pilot versions in tests/fixtures/airspace/scenarios/ load, one per library scenario, with no negative-control expectation', () => {
    const fixtures = expandScenarioPaths([`${FIXTURES}/airspace/scenarios`]);
    expect(fixtures.length).toBe(files.length);
    for (const f of fixtures) {
      const l = loadScenarioFile(f);
      expect(l.scenario.expect).toBeUndefined();
      expect(l.scenario.actors.every((a) => a.kind !== 'uav' || (typeof a.agent === 'object' && a.agent.type === 'uav-pilot'))).toBe(true);
    }
  });
});

describe('airspace library in the web app', () => {
  it('loads every airspace scenario from the bundle, the ED-269 file included; data files are not listed as scenarios', async () => {
    const { loadLibrary } = await import('../../web/library.ts');
    const entries = loadLibrary().filter((e) => e.file.startsWith('scenarios/library/airspace/'));
    expect(entries.map((e) => e.error)).toEqual(entries.map(() => null));
    expect(entries.length).toBe(files.length);
    expect(entries.some((e) => e.file.includes('/data/'))).toBe(false);
    const ed = entries.find((e) => e.id === 'airspace-ed269-bundled')!;
    const { resolvedAirspaceOf } = await import('../../scenarios/airspace-resolve.ts');
    expect(resolvedAirspaceOf(ed.loaded!.scenario)!.zones.length).toBe(5);
  });
});
