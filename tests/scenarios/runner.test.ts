import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun } from '../../scenarios/runner.ts';
import { criterion, LIBRARY } from '../helpers.ts';

const crossing = () => loadScenarioText(readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8'), 'rover-crossing.yaml');

describe('Run', () => {
  it('a criterion that throws makes the run an error with the reason, not a pass or a fail', async () => {
    const run = await startRun(crossing());
    const c = run.criteria.find((x) => x.name === 'min-clearance')!;
    c.observe = () => {
      throw new Error('scorer bug');
    };
    const r = run.runToEnd();
    run.dispose();
    expect(r.verdict).toBe('error');
    expect(r.error).toMatch(/criterion min-clearance threw at t=0\.01 s: scorer bug/);
    expect(r.simTime).toBeCloseTo(0.01, 9);
  });

  it('max-duration ends the run at the first step past its limit, and the end reason names it', async () => {
    const loaded = loadScenarioText(readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8').replace('duration: 60', 'duration: 3').replace('thresholdS: 55', 'thresholdS: 2'), 'short.yaml');
    const run = await startRun(loaded);
    const r = run.runToEnd();
    run.dispose();
    expect(r.steps).toBe(201);
    expect(r.simTime).toBeCloseTo(2.01, 9);
    expect(r.endReason).toMatch(/^max-duration failed: still running at 2\.01 s, limit 2 s/);
  });

  it('a run that only reaches its duration reports "duration" even when a criterion fails at the end', async () => {
    const text = readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8')
      .replace('duration: 60', 'duration: 2')
      .replace(/  - type: max-duration\n    thresholdS: 55\n/, '');
    const run = await startRun(loadScenarioText(text, 'short.yaml'));
    const r = run.runToEnd();
    run.dispose();
    expect(r.simTime).toBe(2);
    expect(r.steps).toBe(200);
    expect(criterion(r, 'reach-goal').passed).toBe(false);
    expect(r.endReason).toBe('duration');
  });

  it('min-clearance fails when nothing was ever measured (the actor is gone from the start)', async () => {
    const text = readFileSync(`${LIBRARY}/rover-crossing.yaml`, 'utf8').replace('criteria:\n', 'events:\n  - { type: remove, at: 0, actor: ego }\ncriteria:\n');
    const run = await startRun(loadScenarioText(text, 'gone.yaml'));
    const r = run.runToEnd();
    run.dispose();
    const c = criterion(r, 'min-clearance');
    expect(c.passed).toBe(false);
    expect(c.reason).toMatch(/no clearance was measured/);
  });
});
