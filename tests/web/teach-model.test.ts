/** Teaching mode's pure part (web/teach-model.ts): which switches apply, flipping them, plain words, the comparison. */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import type { RunResult } from '../../scenarios/result.ts';
import { comparisonKey, compareResults, plainCriterion, switchOn, toggleSwitch, whyNotApplicable } from '../../web/teach-model.ts';
import { LIBRARY } from '../helpers.ts';

describe('break-it switches', () => {
  it('apply only where the scenario has the capability', () => {
    const v2x = loadScenarioFile(`${LIBRARY}/cars/v2x-occluded-intersection.yaml`).scenario;
    const gimbal = loadScenarioFile(`${LIBRARY}/gimbal/hover-calm.yaml`).scenario;
    const zones = loadScenarioFile(`${LIBRARY}/airspace/takeoff-in-zone.yaml`).scenario;
    const apply = (s: typeof v2x) => (['v2x-off', 'noise-x10', 'stabiliser-off', 'zones-ignored'] as const).filter((w) => whyNotApplicable(s, w) === null);
    expect(apply(v2x)).toEqual(['v2x-off', 'noise-x10']);
    expect(apply(gimbal)).toEqual(expect.arrayContaining(['stabiliser-off']));
    expect(apply(gimbal)).not.toContain('v2x-off');
    expect(apply(zones)).toEqual(expect.arrayContaining(['zones-ignored']));
    expect(whyNotApplicable(gimbal, 'zones-ignored')).toMatch(/no airspace/);
  });

  it('flip on and off, leaving the others alone', () => {
    const a = toggleSwitch({}, 'v2x-off');
    expect(a).toEqual({ v2xOff: true });
    const b = toggleSwitch(a, 'noise-x10');
    expect(b).toEqual({ v2xOff: true, sensorNoiseScale: 10 });
    expect(switchOn(b, 'noise-x10')).toBe(true);
    expect(toggleSwitch(b, 'v2x-off')).toEqual({ sensorNoiseScale: 10 });
  });

  it('compare runs that differ only in their switches', () => {
    const spec = { scenarioId: 's', seed: 1, backend: 'rapier' as const, extras: {} };
    expect(comparisonKey({ ...spec, extras: { breakIt: { v2xOff: true } } })).toBe(comparisonKey(spec));
    expect(comparisonKey({ ...spec, seed: 2 })).not.toBe(comparisonKey(spec));
    expect(comparisonKey({ ...spec, extras: { agentSwaps: { ego: 'idm-only' } } })).not.toBe(comparisonKey(spec));
  });
});

const crit = (name: string, value: number | null, passed: boolean) => ({ name, type: name, value, threshold: 1.5, unit: 's', passed, reason: '', thresholdSource: 'scenario' });

describe('plain words and the comparison', () => {
  it('say how each criterion stands', () => {
    expect(plainCriterion({ result: crit('min-ttc', 2.31, true), status: 'running' })).toEqual({ text: 'min-ttc: fine so far (2.31 s; limit 1.5 s)', state: 'ok' });
    expect(plainCriterion({ result: crit('min-ttc', 0.8, false), status: 'fail' }).text).toBe('min-ttc: FAILED (0.8 s; limit 1.5 s)');
    expect(plainCriterion({ result: crit('reach-goal', null, false), status: 'running' }).state).toBe('pending');
  });

  it('puts each criterion of the normal run next to the broken one and marks what changed', () => {
    const normal = { criteria: [crit('min-ttc', 2.3, true), crit('red-light', 0, true)] } as unknown as RunResult;
    const broken = { criteria: [crit('min-ttc', 0.4, false), crit('red-light', 0, true)] } as unknown as RunResult;
    expect(compareResults(normal, broken)).toEqual([
      { name: 'min-ttc', normal: { value: '2.3 s', passed: true }, broken: { value: '0.4 s', passed: false }, changed: true },
      { name: 'red-light', normal: { value: '0 s', passed: true }, broken: { value: '0 s', passed: true }, changed: false },
    ]);
  });
});
