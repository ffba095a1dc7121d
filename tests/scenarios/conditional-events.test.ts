/**
 * Timeline events on a condition (issue #3: "The scenario timeline can inject
 * faults at a time or on a condition"): `when: { actor, withinM, of }` fires
 * once, at the first tick the watched actor's centre is that close to another
 * actor or a point; loader errors for malformed triggers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun } from '../../scenarios/runner.ts';
import type { SimEvent } from '../../sim/snapshot.ts';
import { editedText, expectScenarioError, FIXTURES, scenarioErrorOf } from '../helpers.ts';

const BASE = readFileSync(`${FIXTURES}/cars/ha-pilot-gnss-fault.yaml`, 'utf8');
const FILE = 'fault.yaml';

async function faultsOf(text: string): Promise<{ faults: SimEvent[]; egoXAtFault: number[]; verdict: string; mrm: boolean | undefined }> {
  const run = await startRun(loadScenarioText(text, FILE), { backend: 'rapier' });
  const faults: SimEvent[] = [];
  const egoXAtFault: number[] = [];
  run.world.events$.subscribe((e) => {
    if (e.type === 'fault') {
      faults.push(e);
      egoXAtFault.push(run.world.stateOf('ego').position[0]);
    }
  });
  const r = run.runToEnd();
  return { faults, egoXAtFault, verdict: r.verdict, mrm: r.criteria.find((c) => c.type === 'mrm-success')?.passed };
}

describe('conditional timeline events', () => {
  it('a GNSS fault fires once, when the ego comes within 10 m of a point, and the MRM criterion judges from it', async () => {
    const text = editedText(BASE, (d) => {
      d.events = [{ type: 'sensor-fault', when: { actor: 'ego', withinM: 10, of: [400, -5.625] }, actor: 'ego', sensor: 'gnss' }];
      d.criteria = [{ type: 'mrm-success', withinS: 15 }, { type: 'driving-collisions' }];
    });
    const { faults, egoXAtFault, mrm } = await faultsOf(text);
    expect(faults).toHaveLength(1);
    // The ego starts at x = 200 at 30 m/s: it reaches x = 390 a little after 6 s.
    expect(egoXAtFault[0]).toBeGreaterThanOrEqual(390);
    expect(egoXAtFault[0]).toBeLessThan(391);
    expect(faults[0]!.time).toBeGreaterThan(6);
    expect(faults[0]!.time).toBeLessThan(6.6);
    expect(mrm).toBe(true);
  });

  it('never fires while the condition never holds (a point the ego never nears)', async () => {
    const text = editedText(BASE, (d) => {
      d.events = [{ type: 'sensor-fault', when: { actor: 'ego', withinM: 5, of: [400, 200] }, actor: 'ego', sensor: 'gnss' }];
      d.criteria = [{ type: 'driving-collisions' }];
    });
    expect((await faultsOf(text)).faults).toHaveLength(0);
  });

  it('watches another actor, and fires on the first tick when the condition already holds', async () => {
    const text = editedText(BASE, (d) => {
      d.events = [{ type: 'remove', when: { actor: 'ego', withinM: 200, of: 'ahead' }, actor: 'ahead' }];
      d.criteria = [{ type: 'driving-collisions' }];
    });
    const run = await startRun(loadScenarioText(text, FILE), { backend: 'rapier' });
    const fired: number[] = [];
    run.world.events$.subscribe((e) => e.type === 'timeline' && e.event === 'remove ahead' && fired.push(e.time));
    run.runToEnd();
    // 120 m apart at the start: the condition holds on the first tick.
    expect(fired).toEqual([0]);
  });

  it('a marker changes nothing but names a moment, from which mrm-success can judge', async () => {
    const text = editedText(BASE, (d) => {
      d.events.push({ type: 'marker', name: 'ego at x 390', when: { actor: 'ego', withinM: 10, of: [400, -5.625] } });
      d.criteria = [{ type: 'mrm-success', withinS: 15, trigger: { kind: 'timeline', event: 'marker ego at x 390' } }];
    });
    const run = await startRun(loadScenarioText(text, FILE), { backend: 'rapier' });
    const marks: number[] = [];
    run.world.events$.subscribe((e) => e.type === 'timeline' && e.event === 'marker ego at x 390' && marks.push(e.time));
    const r = run.runToEnd();
    expect(marks).toHaveLength(1);
    expect(marks[0]).toBeGreaterThan(6);
    expect(r.criteria[0]!.passed).toBe(true);
    // A trigger naming a marker that does not exist is refused before anything runs.
    const bad = editedText(BASE, (d) => (d.criteria = [{ type: 'mrm-success', withinS: 15, trigger: { kind: 'timeline', event: 'marker nowhere' } }]));
    expectScenarioError(scenarioErrorOf(() => loadScenarioText(bad, FILE)), FILE, 'criteria[0].trigger.event', /no scheduled event "marker nowhere"/);
  });

  it('loader: exactly one of at and when, known actors, no restoreAt on a conditional fault', () => {
    const err = (edit: (d: any) => void) => scenarioErrorOf(() => loadScenarioText(editedText(BASE, edit), FILE));
    expectScenarioError(err((d) => delete d.events[0].at), FILE, 'events[0]', /missing a trigger; expected at .* or when/);
    expectScenarioError(err((d) => (d.events[0].when = { actor: 'ego', withinM: 5, of: [0, 0] })), FILE, 'events[0]', /both at and when/);
    expectScenarioError(err((d) => (d.events[0] = { type: 'sensor-fault', when: { actor: 'ghost', withinM: 5, of: [0, 0] }, actor: 'ego', sensor: 'gnss' })), FILE, 'events[0].when.actor', /ghost/);
    expectScenarioError(err((d) => (d.events[0] = { type: 'sensor-fault', when: { actor: 'ego', withinM: 5, of: 'ego' }, actor: 'ego', sensor: 'gnss' })), FILE, 'events[0].when.of', /itself/);
    expectScenarioError(err((d) => (d.events[0] = { type: 'sensor-fault', when: { actor: 'ego', withinM: -1, of: [0, 0] }, actor: 'ego', sensor: 'gnss' })), FILE, 'events[0].when.withinM', /> 0/);
    expectScenarioError(err((d) => (d.events[0] = { type: 'sensor-fault', when: { actor: 'ego', withinM: 5, of: [0, 0] }, actor: 'ego', sensor: 'gnss', restoreAt: 9 })), FILE, 'events[0].restoreAt', /only a timed fault/);
  });
});
