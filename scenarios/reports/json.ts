/**
 * The JSON report: `{ skylane, runs: [...], summary }`, runs in run-list
 * order. The summary carries `drivingScore` (the sweep's mean driving score)
 * when any run is judged by a `driving-score` criterion.
 */
import { meanDrivingScore } from '../criteria/driving/driving-score.ts';
import { summarise, type Report, type RunResult, type SweepInfo } from '../result.ts';

export const REPORT_VERSION = '1';

/** A mean driving score: over `runs` runs, 0-100. */
export interface MeanScore {
  mean: number;
  runs: number;
}

/** The sweep's driving score: the mean over every run, and per backend (backends in first-seen order). */
export interface SweepDrivingScore extends MeanScore {
  byBackend: Record<string, MeanScore>;
}

export type ReportSummary = Report['summary'] & { drivingScore?: SweepDrivingScore };

/**
 * The mean driving score of a sweep (issue #3: "report it per run and as a
 * mean across a sweep"), or undefined when no run has a `driving-score`
 * criterion. It averages the runs of the scenario files that have one: a
 * rover scenario in the same sweep is not a drive, and does not pull the mean
 * down. An errored run of such a file scores 0 (`meanDrivingScore`: an error
 * is not a drive), so a crash never improves the mean. As in the CARLA
 * Leaderboard, each run weighs the same.
 */
export function sweepDrivingScore(runs: readonly RunResult[]): SweepDrivingScore | undefined {
  const files = new Set(runs.filter((r) => r.criteria.some((c) => c.type === 'driving-score')).map((r) => r.file));
  if (files.size === 0) return undefined;
  const judged = runs.filter((r) => files.has(r.file));
  const byBackend: Record<string, MeanScore> = {};
  for (const b of new Set(judged.map((r) => r.backend))) byBackend[b] = meanDrivingScore(judged.filter((r) => r.backend === b));
  return { ...meanDrivingScore(judged), byBackend };
}

export function toReport(runs: RunResult[], sweep?: SweepInfo): Report & { summary: ReportSummary } {
  const drivingScore = sweepDrivingScore(runs);
  return { skylane: REPORT_VERSION, ...(sweep ? { sweep } : {}), runs, summary: { ...summarise(runs), ...(drivingScore ? { drivingScore } : {}) } };
}

export function toJson(runs: RunResult[], sweep?: SweepInfo): string {
  return JSON.stringify(toReport(runs, sweep), null, 2) + '\n';
}

/** Check a parsed report file's shape (for `skylane merge`). Returns an error message or null. */
export function checkReport(x: unknown): string | null {
  if (!x || typeof x !== 'object' || !Array.isArray((x as Report).runs)) return 'expected a Skylane JSON report with a "runs" list';
  const rep = x as Report;
  if (rep.sweep !== undefined && (typeof rep.sweep !== 'object' || !Number.isInteger(rep.sweep.totalRuns))) return 'sweep: expected { totalRuns, shard }';
  const fields: [string, string][] = [['scenario', 'string'], ['file', 'string'], ['seed', 'number'], ['backend', 'string'], ['simTime', 'number'], ['wallTime', 'number'], ['stateHash', 'string'], ['endReason', 'string']];
  for (const [i, r] of rep.runs.entries()) {
    if (!r || typeof r !== 'object') return `runs[${i}]: expected a run object`;
    for (const [f, t] of fields) if (typeof (r as unknown as Record<string, unknown>)[f] !== t) return `runs[${i}].${f}: expected a ${t}`;
    if (!['pass', 'fail', 'error'].includes(r.verdict)) return `runs[${i}].verdict: expected "pass", "fail" or "error"`;
    if (!Array.isArray(r.criteria)) return `runs[${i}].criteria: expected a list`;
    for (const [j, c] of r.criteria.entries()) {
      if (!c || typeof c.name !== 'string' || typeof c.passed !== 'boolean' || typeof c.reason !== 'string' || typeof c.unit !== 'string') {
        return `runs[${i}].criteria[${j}]: expected { name, value, threshold, unit, passed, reason }`;
      }
    }
  }
  return null;
}
