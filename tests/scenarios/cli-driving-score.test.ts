/**
 * The sweep's mean driving score (issue #3: "report it per run and as a mean
 * across a sweep"): printed by `skylane run` and `skylane merge`, and in the
 * JSON report's summary, whenever a run has a `driving-score` criterion.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { drivingScoreLine } from '../../scenarios/cli/main.ts';
import type { CriterionResult } from '../../scenarios/criteria/criterion.ts';
import { sweepDrivingScore, type ReportSummary } from '../../scenarios/reports/json.ts';
import type { Report, RunResult } from '../../scenarios/result.ts';
import { FIXTURES, ROOT, skylane } from '../helpers.ts';



/** A run result with only what the summary reads. */
function result(file: string, backend: string, verdict: RunResult['verdict'], score: number | null): RunResult {
  const criteria = score === null ? [] : [{ name: 'driving-score', type: 'driving-score', value: score, threshold: 80, unit: 'score', passed: score >= 80, reason: '' } as unknown as CriterionResult];
  return { scenario: file, file, seed: 1, backend, verdict, criteria, simTime: 1, wallTime: 0, stateHash: '0', steps: 1, endReason: 'duration' };
}

describe('sweep driving score', () => {
  it('averages the runs of the scenarios that have the criterion, an errored run scoring 0', () => {
    const runs = [
      result('a.yaml', 'rapier', 'pass', 90),
      result('a.yaml', 'rapier', 'fail', 40),
      result('a.yaml', 'cannon', 'error', null), // a crash of a judged scenario: counts, as 0
      result('rover.yaml', 'rapier', 'pass', null), // not a drive: left out
      result('b.yaml', 'cannon', 'pass', 100),
    ];
    const d = sweepDrivingScore(runs)!;
    expect(d.runs).toBe(4);
    expect(d.mean).toBeCloseTo((90 + 40 + 0 + 100) / 4, 12);
    expect(d.byBackend).toEqual({ rapier: { mean: 65, runs: 2 }, cannon: { mean: 50, runs: 2 } });
    expect(drivingScoreLine(runs)).toBe('mean driving score 57.50 over 4 runs (rapier 65.00, cannon 50.00); an errored run scores 0');
  });

  it('is absent when no run has a driving-score criterion', () => {
    const runs = [result('rover.yaml', 'rapier', 'pass', null), result('rover.yaml', 'rapier', 'error', null)];
    expect(sweepDrivingScore(runs)).toBeUndefined();
    expect(drivingScoreLine(runs)).toBeNull();
    expect(drivingScoreLine([])).toBeNull();
  });

  it('names one backend without a breakdown', () => {
    expect(drivingScoreLine([result('a.yaml', 'rapier', 'pass', 81.234)])).toBe('mean driving score 81.23 over 1 run; an errored run scores 0');
  });
});

describe('skylane run and merge: mean driving score', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'skylane-cli-score-'));
  });

  const FILES = [`${FIXTURES}/cars/criteria-idle-short-route.yaml`, `${FIXTURES}/cars/criteria-idle-rear-ends.yaml`, `${FIXTURES}/idle-rover-times-out.yaml`];

  it('prints it per run and as the sweep mean, and writes it into the JSON summary; merge of the shards gives the same', async () => {
    const r = await skylane('run', ...FILES, '--backend', 'all', '--workers', '1', '--json', `${dir}/all.json`);
    expect(r.code).toBe(1); // the rear-end and the rover fixture fail by design
    const report = JSON.parse(readFileSync(`${dir}/all.json`, 'utf8')) as Report & { summary: ReportSummary };
    // The expected mean from the runs themselves: the four car runs, not the rover's.
    const scores = report.runs.flatMap((x) => x.criteria.filter((c) => c.type === 'driving-score').map((c) => c.value!));
    expect(scores).toHaveLength(4);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(report.summary.drivingScore!.runs).toBe(4);
    expect(report.summary.drivingScore!.mean).toBeCloseTo(mean, 12);
    expect(Object.keys(report.summary.drivingScore!.byBackend)).toEqual(['rapier', 'cannon']);
    expect(r.stdout).toContain(`mean driving score ${mean.toFixed(2)} over 4 runs (rapier `);
    // Per run: a driving-score column, "-" for the rover.
    expect(r.stdout).toMatch(/driving score/);
    expect(r.stdout).toMatch(/criteria-idle-short-route\s+1\s+rapier\s+PASS\s+-\s+100\.00/);
    expect(r.stdout).toMatch(/idle-rover-times-out\s+1\s+cannon\s+FAIL\s+.*max-duration=[\d.]+ s\s+-\s+/);

    for (const k of [1, 2]) await skylane('run', ...FILES, '--backend', 'all', '--workers', '1', '--quiet', '--shard', `${k}/2`, '--json', `${dir}/s${k}.json`);
    const m = await skylane('merge', `${dir}/s1.json`, `${dir}/s2.json`, '--json', `${dir}/merged.json`);
    expect(m.stderr).toBe('');
    expect(m.stdout).toContain(`mean driving score ${mean.toFixed(2)} over 4 runs`);
    const merged = JSON.parse(readFileSync(`${dir}/merged.json`, 'utf8')) as Report & { summary: ReportSummary };
    expect(merged.summary.drivingScore).toEqual(report.summary.drivingScore);
  });

  it('says nothing about driving scores for a sweep without the criterion', async () => {
    const r = await skylane('run', `${FIXTURES}/idle-rover-times-out.yaml`, '--seeds', '1..2', '--json', `${dir}/rover.json`);
    expect(r.stdout).not.toMatch(/driving score/);
    const report = JSON.parse(readFileSync(`${dir}/rover.json`, 'utf8')) as Report & { summary: ReportSummary };
    expect(report.summary.drivingScore).toBeUndefined();
  });
});
