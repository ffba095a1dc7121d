/** The JSON report: `{ skylane, runs: [...], summary }`, runs in run-list order. */
import { summarise, type Report, type RunResult } from '../result.ts';

export const REPORT_VERSION = '1';

export function toReport(runs: RunResult[]): Report {
  return { skylane: REPORT_VERSION, runs, summary: summarise(runs) };
}

export function toJson(runs: RunResult[]): string {
  return JSON.stringify(toReport(runs), null, 2) + '\n';
}

/** Check a parsed report file's shape (for `skylane merge`). Returns an error message or null. */
export function checkReport(x: unknown): string | null {
  if (!x || typeof x !== 'object' || !Array.isArray((x as Report).runs)) return 'expected a Skylane JSON report with a "runs" list';
  for (const [i, r] of (x as Report).runs.entries()) {
    if (!r || typeof r !== 'object' || typeof r.scenario !== 'string' || typeof r.seed !== 'number' || typeof r.backend !== 'string' || !['pass', 'fail', 'error'].includes(r.verdict) || !Array.isArray(r.criteria)) {
      return `runs[${i}]: expected { scenario, seed, backend, verdict, criteria, ... }`;
    }
  }
  return null;
}
