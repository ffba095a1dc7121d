import { describe, expect, it } from 'vitest';
import { expandJobs } from '../../scenarios/jobs.ts';
import { runJobs } from '../../scenarios/cli/pool.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import type { RunResult } from '../../scenarios/result.ts';
import { LIBRARY, runFile, withoutWallTime } from '../helpers.ts';

const LIB = ['rover-crossing', 'rover-random-field', 'rover-moving-obstacle'].map((n) => `${LIBRARY}/${n}.yaml`);

describe('determinism', () => {
  it('the same scenario, seed and backend give the same stateHash', async () => {
    for (const backend of ['rapier', 'cannon'] as const) {
      const a = await runFile(LIB[1]!, { seed: 11, backend });
      const b = await runFile(LIB[1]!, { seed: 11, backend });
      expect(b.stateHash).toBe(a.stateHash);
      expect(withoutWallTime(b)).toEqual(withoutWallTime(a));
    }
  });

  it('a different seed gives a different world', async () => {
    const a = await runFile(LIB[1]!, { seed: 1 });
    const b = await runFile(LIB[1]!, { seed: 2 });
    expect(b.stateHash).not.toBe(a.stateHash);
  });

  it('1 worker and 2 workers give identical reports apart from wall times', async () => {
    const files = LIB.map((f) => ({ file: f, defaultSeed: loadScenarioFile(f).scenario.seed }));
    const jobs = expandJobs(files, [1, 2], ['rapier']);
    const results = async (workers: number) => (await runJobs(jobs, { workers })).map((o) => withoutWallTime((o as { result: RunResult }).result));
    const one = await results(1);
    const two = await results(2);
    expect(two).toEqual(one);
    expect(one).toHaveLength(6);
  }, 120_000);

  it('rapier and cannon-es give the same verdicts on the library', async () => {
    for (const f of LIB) {
      const r = await runFile(f, { backend: 'rapier' });
      const c = await runFile(f, { backend: 'cannon' });
      expect({ file: f, verdict: c.verdict, criteria: c.criteria.map((x) => [x.name, x.passed]) }).toEqual({ file: f, verdict: r.verdict, criteria: r.criteria.map((x) => [x.name, x.passed]) });
      expect(r.verdict).toBe('pass');
    }
  });
});
