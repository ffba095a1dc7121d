/**
 * The airspace library (scenarios/library/airspace/), issue #6's acceptance
 * on its own seeds:
 * - every scenario flown by uav-pilot is green, with zero incursions into
 *   active prohibited zones (and no unauthorised entry);
 * - the straight-line baseline, flown on the same files (every uav-pilot
 *   swapped for straight-line with the same route), has incursions wherever a
 *   zone it may not enter lies on its route; the library keeps one such run as
 *   its negative control (airport-circle-straight-line.yaml, XFAIL);
 * - the bundled ED-269 file imports (through its scenario), in Node and in
 *   the web app's bundle.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { expandScenarioPaths, loadScenarioFile } from '../../scenarios/node-io.ts';
import { runSucceeded } from '../../scenarios/result.ts';
import { runScenario } from '../../scenarios/runner.ts';
import { criterion, LIBRARY, runFile } from '../helpers.ts';

const files = expandScenarioPaths([`${LIBRARY}/airspace`]);
const piloted = files.filter((f) => !f.endsWith('-straight-line.yaml') && !f.endsWith('swarm-members-around-zone.yaml'));
/** straight-line's params (its schema is strict): the route and its speed. */
const STRAIGHT_LINE_KEYS = ['airframe', 'waypoints', 'cruiseSpeedMps', 'acceptanceRadiusM', 'land', 'controlHz', 'imu', 'gnss', 'baro', 'maxSpeedMps'];

/** The file with every uav-pilot replaced by straight-line on the same route, and no expectations. */
function asStraightLine(path: string): string {
  const doc = parse(readFileSync(path, 'utf8'));
  for (const a of doc.actors ?? []) {
    if (a.agent?.type !== 'uav-pilot') continue;
    const params = Object.fromEntries(Object.entries(a.agent.params ?? {}).filter(([k]) => STRAIGHT_LINE_KEYS.includes(k)));
    a.agent = { type: 'straight-line', params };
  }
  delete doc.expect;
  doc.name = `${doc.name}-as-straight-line`;
  return stringify(doc);
}

describe('airspace library', () => {
  it('holds the nine cases of issue #6 (the weekend zone twice: weekday and Saturday), flown by uav-pilot, and one straight-line negative control', () => {
    expect(piloted.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual([
      'airport-circle.yaml', 'ed269-bundled.yaml', 'goal-in-zone.yaml', 'stacked-polygons.yaml', 'swarm-around-zone.yaml',
      'takeoff-in-zone.yaml', 'temporary-zone.yaml', 'wedding-cake.yaml', 'weekend-zone-saturday.yaml', 'weekend-zone-weekday.yaml',
    ]);
    for (const f of piloted) {
      const l = loadScenarioFile(f);
      expect(l.scenario.expect).toBeUndefined();
      expect(l.scenario.actors.every((a) => a.kind !== 'uav' || (typeof a.agent === 'object' && a.agent.type === 'uav-pilot'))).toBe(true);
    }
  });

  // uav-pilot's own runs are the library run's (tests/scenarios/cli.test.ts: every library file passes, exit 0); each
  // file judges airspace-no-incursion, so passing is zero incursions. Here, the baseline on the same routes.
  for (const f of piloted) {
    const name = f.slice(f.lastIndexOf('/') + 1);
    it(`${name}: judges airspace-no-incursion; straight-line on the same route ${name === 'weekend-zone-weekday.yaml' ? 'passes too (the zone is off on a weekday)' : 'flies into the zone'}`, async () => {
      expect(loadScenarioFile(f).scenario.criteria.some((c) => c.type === 'airspace-no-incursion')).toBe(true);
      const dir = f.slice(0, f.lastIndexOf('/'));
      const b = await runScenario(loadScenarioText(asStraightLine(f), name, { readFile: (rel) => readFileSync(`${dir}/${rel}`, 'utf8') }), { backend: 'rapier' });
      const incursions = criterion(b, 'airspace-no-incursion').value!;
      if (name === 'weekend-zone-weekday.yaml') expect(incursions).toBe(0);
      else expect(incursions).toBeGreaterThanOrEqual(1);
    }, 120_000);
  }

  it('airport-circle.yaml, flown by uav-pilot: passes with zero incursions (the other files: the library run)', async () => {
    const r = await runFile(`${LIBRARY}/airspace/airport-circle.yaml`, { backend: 'rapier' });
    expect(r.verdict, r.criteria.filter((c) => !c.passed).map((c) => `${c.name}: ${c.reason}`).join('; ')).toBe('pass');
    expect(criterion(r, 'airspace-no-incursion').value).toBe(0);
  }, 60_000);

  it('swarm-members-around-zone.yaml: six swarm-agent members cross through a prohibited circle\'s place with zero incursions, the separation kept', async () => {
    const r = await runFile(`${LIBRARY}/airspace/swarm-members-around-zone.yaml`, { backend: 'rapier' });
    expect(r.verdict, r.criteria.filter((c) => !c.passed).map((c) => `${c.name}: ${c.reason}`).join('; ')).toBe('pass');
    expect(criterion(r, 'airspace-no-incursion').value).toBe(0);
    expect(criterion(r, 'min-separation').value).toBeGreaterThanOrEqual(1.5);
  }, 60_000);

  it('the negative control fails exactly its incursion criteria (XFAIL)', async () => {
    const r = await runFile(`${LIBRARY}/airspace/airport-circle-straight-line.yaml`, { backend: 'rapier' });
    expect(runSucceeded(r)).toBe(true);
    expect(r.expectedFailure?.met).toBe(true);
    expect(criterion(r, 'airspace-no-incursion').value).toBeGreaterThanOrEqual(1);
  }, 60_000);
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
