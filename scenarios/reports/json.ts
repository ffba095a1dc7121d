/** The JSON report: `{ skylane, runs: [...], summary }`, runs in run-list order. */
import { summarise, type Report, type RunResult, type SweepInfo } from '../result.ts';

export const REPORT_VERSION = '1';

export function toReport(runs: RunResult[], sweep?: SweepInfo): Report {
  return { skylane: REPORT_VERSION, ...(sweep ? { sweep } : {}), runs, summary: summarise(runs) };
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
