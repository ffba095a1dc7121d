/**
 * world.airspace in the scenario format (issue #6): the loader resolves the
 * imported files and the inline zones, and refuses bad airspace blocks with
 * one error naming the file, the field path and what was expected. An
 * imported file's error keeps the importer's message (file, zone, field) and
 * says the scenario referenced it. The bundled ED-269 file goes through a
 * library scenario.
 */
import { readFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolvedAirspaceOf } from '../../scenarios/airspace-resolve.ts';
import { instantiate, loadScenarioText } from '../../scenarios/loader.ts';
import { expandScenarioPaths, loadScenarioFile } from '../../scenarios/node-io.ts';
import { editedText, expectScenarioError, FIXTURES, LIBRARY, scenarioErrorOf } from '../helpers.ts';

const F = 'air.yaml';
const base = `
name: air
description: one UAV, one zone
family: airspace
seed: 1
duration: 10
world:
  physicsHz: 250
  ground: { centerM: [0, 0], sizeM: [200, 200] }
  airspace:
    origin: { latDeg: 47.3977, lonDeg: 8.5456, altM: 488 }
    startUtc: '2026-11-28T10:00:00Z'
    zones:
      - { id: Z1, restriction: PROHIBITED, circle: { center: [50, 0], radiusM: 20 }, lowerM: 0, upperM: 120 }
      - { id: Z2, restriction: REQ_AUTHORISATION, polygon: [[-10, 30], [10, 30], [10, 50], [-10, 50]], upperM: null, schedule: { days: [SAT, SUN], start: '08:00', end: '20:00' } }
actors:
  - id: drone
    kind: uav
    airframe: iris
    pose: { position: [0, 0] }
    airspaceAuthorisations: [Z2]
    agent: { type: straight-line, params: { waypoints: [[0, 0, 5], [80, 0, 5]] } }
    sensors: [{ type: imu, rateHz: 250 }, { type: gnss }, { type: barometer }]
events:
  - { type: zone, at: 2, zone: Z1, active: false }
criteria:
  - { type: airspace-no-incursion }
`;
const err = (edit: (d: any) => void) => scenarioErrorOf(() => loadScenarioText(editedText(base, edit), F));
const zone = (d: any, k = 0) => d.world.airspace.zones[k];

describe('world.airspace: loading', () => {
  it('resolves inline zones into the local frame, with their schedules and defaults', () => {
    const l = loadScenarioText(base, F);
    const r = resolvedAirspaceOf(l.scenario)!;
    expect(r.zones.map((z) => z.id)).toEqual(['Z1', 'Z2']);
    expect(r.startUtcMs).toBe(Date.parse('2026-11-28T10:00:00Z'));
    expect(r.originAmslM).toBe(488);
    expect(r.offAtStart).toEqual([]);
    expect(r.zones[1]!.volumes[0]!.upper).toBeNull();
    expect(r.zones[1]!.volumes[0]!.lower).toEqual({ valueM: 0, reference: 'AGL' });
    // 2026-11-28 is a Saturday: Z2 applies at 10:00 UTC, not on the Friday.
    expect(r.zones[1]!.isActive(Date.parse('2026-11-28T10:00:00Z'))).toBe(true);
    expect(r.zones[1]!.isActive(Date.parse('2026-11-27T10:00:00Z'))).toBe(false);
    expect(l.warnings).toEqual([]);
  });

  it('keeps the resolution through instantiate (a seed with vary)', () => {
    const text = editedText(base, (d) => (d.vary = [{ path: 'world.airspace.zones.Z1.circle.radiusM', uniform: [10, 15] }]));
    const l = loadScenarioText(text, F);
    const s = instantiate(l, 3);
    const r = resolvedAirspaceOf(s)!;
    const shape = r.zones[0]!.volumes[0]!.shape;
    expect(shape.kind === 'circle' && shape.radiusM >= 10 && shape.radiusM <= 15).toBe(true);
  });

  it('marks zones off at the start (activeAtStart: false)', () => {
    const l = loadScenarioText(editedText(base, (d) => (zone(d, 1).activeAtStart = false)), F);
    expect(resolvedAirspaceOf(l.scenario)!.offAtStart).toEqual([1]);
  });
});

describe('world.airspace: bad blocks, one clear error each', () => {
  it('a NaN radius', () => {
    expectScenarioError(err((d) => (zone(d).circle.radiusM = Number.NaN)), F, 'world.airspace.zones[0].circle.radiusM', /NaN/);
  });
  it('an unknown restriction class', () => {
    expectScenarioError(err((d) => (zone(d).restriction = 'FORBIDDEN')), F, 'world.airspace.zones[0].restriction', /PROHIBITED/);
  });
  it('both circle and polygon', () => {
    expectScenarioError(err((d) => (zone(d).polygon = [[0, 0], [1, 0], [0, 1]])), F, 'world.airspace.zones[0]', /exactly one of circle and polygon/);
  });
  it('neither circle nor polygon', () => {
    expectScenarioError(err((d) => delete zone(d).circle), F, 'world.airspace.zones[0]', /exactly one of circle and polygon/);
  });
  it('a polygon with two vertices', () => {
    expectScenarioError(err((d) => (zone(d, 1).polygon = [[0, 0], [1, 0]])), F, 'world.airspace.zones[1].polygon', /3/);
  });
  it('a self-intersecting polygon (a bow tie)', () => {
    expectScenarioError(err((d) => (zone(d, 1).polygon = [[0, 0], [10, 10], [10, 0], [0, 10]])), F, 'world.airspace.zones[1].polygon', /intersects itself/);
  });
  it('duplicate consecutive vertices', () => {
    expectScenarioError(err((d) => (zone(d, 1).polygon = [[0, 0], [10, 0], [10, 0], [0, 10]])), F, 'world.airspace.zones[1].polygon', /duplicate consecutive/);
  });
  it('a floor above the ceiling', () => {
    expectScenarioError(err((d) => (zone(d).lowerM = 200)), F, 'world.airspace.zones[0].lowerM', /lower limit 200 m is above upper limit 120 m/);
  });
  it('a bad time of day in a schedule', () => {
    expectScenarioError(err((d) => (zone(d, 1).schedule.end = '25:00')), F, 'world.airspace.zones[1].schedule.end', /HH:MM/);
  });
  it('an unknown weekday', () => {
    expectScenarioError(err((d) => (zone(d, 1).schedule.days = ['SAT', 'SABBATH'])), F, 'world.airspace.zones[1].schedule.days[1]', /MON/);
  });
  it('a start instant without a time zone', () => {
    expectScenarioError(err((d) => (d.world.airspace.startUtc = '2026-11-28 10:00')), F, 'world.airspace.startUtc', /ISO 8601/);
  });
  it('activeFrom after activeUntil', () => {
    expectScenarioError(err((d) => Object.assign(zone(d), { activeFrom: '2026-12-01T00:00:00Z', activeUntil: '2026-11-01T00:00:00Z' })), F, 'world.airspace.zones[0].activeFrom', /start must be before end/);
  });
  it('an origin latitude out of range', () => {
    expectScenarioError(err((d) => (d.world.airspace.origin.latDeg = 91)), F, 'world.airspace.origin.latDeg', /90/);
  });
  it('a duplicate zone id', () => {
    expectScenarioError(err((d) => (zone(d, 1).id = 'Z1')), F, 'world.airspace.zones[1].id', /duplicate zone id "Z1" \(also world.airspace.zones\[0\]\)/);
  });
  it('a timeline event naming an unknown zone', () => {
    expectScenarioError(err((d) => (d.events[0].zone = 'Z9')), F, 'events[0].zone', /no airspace zone "Z9"; expected one of "Z1", "Z2"/);
  });
  it('an authorisation for an unknown zone', () => {
    expectScenarioError(err((d) => (d.actors[0].airspaceAuthorisations = ['Z2', 'ZX'])), F, 'actors[0].airspaceAuthorisations[1]', /no airspace zone "ZX"/);
  });
  it('a zone event or an airspace criterion without world.airspace', () => {
    expectScenarioError(err((d) => delete d.world.airspace && (d.actors[0].airspaceAuthorisations = [])), F, 'events[0].zone', /no world.airspace/);
    expectScenarioError(err((d) => { delete d.world.airspace; d.actors[0].airspaceAuthorisations = []; d.events = []; }), F, 'criteria[0].type', /judges world.airspace/);
  });
  it('an airspace criterion on an actor that is not a UAV', () => {
    const box = { id: 'mast', kind: 'obstacle', shape: { type: 'box', sizeM: [1, 1, 10] }, pose: { position: [20, 20] } };
    expectScenarioError(err((d) => { d.actors.push(box); d.criteria = [{ type: 'airspace-min-margin', actor: 'mast', thresholdM: 3 }]; }), F, 'criteria[0].actor', /"mast" is not driven by an agent; airspace-min-margin judges an agent-driven actor \(one of "drone"\)/);
  });
  it('an unknown field in a zone', () => {
    expectScenarioError(err((d) => (zone(d).ceilingM = 3)), F, 'world.airspace.zones[0]', /unknown field "ceilingM"/);
  });
});

describe('world.airspace.files', () => {
  const withFile = (name: string) => editedText(base, (d) => (d.world.airspace.files = [name]));

  it('without a file reader (the browser) a file is refused with a hint to write zones inline', () => {
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(withFile('x.ed269.json'), F)), F, 'world.airspace.files[0]', /cannot read "x.ed269.json" here .* inline under world.airspace.zones/);
  });

  it('a missing file names the field and the path', () => {
    const e = scenarioErrorOf(() => loadScenarioText(withFile('nope.json'), F, { readFile: () => { throw new Error('ENOENT'); } }));
    expectScenarioError(e, F, 'world.airspace.files[0]', /cannot read airspace file "nope.json" .*ENOENT/);
  });

  it("a malformed file keeps the importer's message (file, zone, field) and says the scenario referenced it", () => {
    const bad = readFileSync(`${FIXTURES}/airspace/malformed/duplicate-consecutive-vertex.json`, 'utf8');
    const e = scenarioErrorOf(() => loadScenarioText(withFile('dup.json'), F, { readFile: () => bad }));
    expect(e.fieldPath).toBe('world.airspace.files[0]');
    expect(e.expected).toMatch(/^dup\.json: zone .*duplicate consecutive vertex.*\(airspace file referenced by this scenario\)$/);
  });

  it('a file zone id clashing with an inline zone is refused', () => {
    const text = editedText(base, (d) => { d.world.airspace.files = ['data/skylane-demo.ed269.json']; zone(d).id = 'SKYCTR1'; d.events = []; });
    const e = scenarioErrorOf(() => loadScenarioText(text, F, { readFile: (p) => readFileSync(`${LIBRARY}/airspace/${p}`, 'utf8') }));
    expectScenarioError(e, F, 'world.airspace.zones[0].id', /already used by a zone of world.airspace.files\[0\]/);
  });

  it('import warnings are kept on the loaded scenario', () => {
    const doc = JSON.parse(readFileSync(`${LIBRARY}/airspace/data/skylane-demo.ed269.json`, 'utf8'));
    doc.features[0].identifier = 'SKYCTR1-TOO-LONG';
    doc.features[0].geometry[0].upperLimit = '120';
    const l = loadScenarioText(withFile('q.json'), F, { readFile: () => JSON.stringify(doc) });
    expect(l.warnings.length).toBeGreaterThanOrEqual(2);
    expect(l.warnings.every((w) => w.startsWith('air.yaml: world.airspace.files[0]: q.json'))).toBe(true);
  });

  it('the bundled ED-269 file loads through the library scenario, in the local frame', () => {
    const l = loadScenarioFile(`${LIBRARY}/airspace/ed269-bundled.yaml`);
    const r = resolvedAirspaceOf(l.scenario)!;
    expect(r.zones.map((z) => z.id)).toEqual(['SKYCTR1', 'SKYWDC1', 'SKYWKD1', 'SKYREQ1', 'SKYCND1']);
    const ctr = r.zones[0]!.volumes[0]!.shape;
    expect(ctr.kind).toBe('circle');
    if (ctr.kind === 'circle') {
      // 8.5535485 E, 47.4003981 N from the origin 8.5456 E, 47.3977 N: about 599 m east, 300 m north.
      expect(ctr.centre[0]).toBeCloseTo(599, -1);
      expect(ctr.centre[1]).toBeCloseTo(300, -1);
      expect(ctr.radiusM).toBe(250);
    }
    expect(r.zones[1]!.volumes.length).toBe(3);
    expect(l.warnings).toEqual([]);
  });

  it('folders expand without the data/ folders (zone files are not scenarios)', () => {
    const files = expandScenarioPaths([`${LIBRARY}/airspace`]);
    // Every YAML file of the folder, and only those (the data folder holds the bundled ED-269 JSON).
    expect(files.length).toBe(readdirSync(`${LIBRARY}/airspace`).filter((f) => f.endsWith('.yaml')).length);
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files.some((f) => f.includes('/data/'))).toBe(false);
  });
});
