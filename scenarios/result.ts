/** The outcome of one run, and the report shape other tools parse. */
import type { BreakIt } from './break-it.ts';
import type { CriterionResult } from './criteria/criterion.ts';

export type Verdict = 'pass' | 'fail' | 'error';

export interface RunResult {
  scenario: string;
  file: string;
  seed: number;
  backend: string;
  verdict: Verdict;
  criteria: CriterionResult[];
  /** Simulated seconds at the end of the run. */
  simTime: number;
  /** Wall-clock seconds the run took (not deterministic; excluded from comparisons). */
  wallTime: number;
  /** Hash of the final ground truth; equal for equal (scenario, seed, backend) on one machine. */
  stateHash: string;
  steps: number;
  /** Why the run ended: "duration", "goal reached", "<criterion> failed: ...", or the error. */
  endReason: string;
  /**
   * Sensors through which an agent read ground truth because the scenario
   * granted it (an object list with groundTruth: true, or noiseScale 0), as
   * "actor.sensor: what"; absent when none did.
   */
  groundTruth?: string[];
  /**
   * A negative control (the scenario's `expect`): the criteria it must fail,
   * why, and whether the run failed exactly those (then it is an expected
   * failure, XFAIL, which counts as a success).
   */
  expectedFailure?: { failing: string[]; why: string; met: boolean };
  /**
   * Teaching mode's "break it" switches the run was built with (scenarios/break-it.ts);
   * absent for a normal run. A run with it is not the scenario's run: compare it, never file it.
   */
  breakIt?: BreakIt;
  /** User agents (skylane run --agent, the agent editor) that drove actors in this run, instead of the scenario's agents. */
  userAgents?: { actor: string; file: string; sha256: string }[];
  /** Built-in agents that drove actors instead of the scenario's (`--swap`, a deep link's `agent=ego:idm-only`): actor id -> registry name. */
  agentSwaps?: Record<string, string>;
  /** For verdict "error": what went wrong. */
  error?: string;
  /** Position in the whole (unsharded) run list; set by the CLI. */
  index?: number;
}

/** Which slice of which run list a report holds, so `skylane merge` can tell when a shard is missing. */
export interface SweepInfo {
  /** Runs in the whole (unsharded) list. */
  totalRuns: number;
  /** "K/N", or null for the whole list. */
  shard: string | null;
}

export interface Report {
  skylane: string;
  sweep?: SweepInfo;
  runs: RunResult[];
  summary: { runs: number; passed: number; failed: number; errors: number; passRate: number };
}

export function summarise(runs: RunResult[]): Report['summary'] {
  const passed = runs.filter((r) => r.verdict === 'pass').length;
  const failed = runs.filter((r) => r.verdict === 'fail').length;
  const errors = runs.filter((r) => r.verdict === 'error').length;
  return { runs: runs.length, passed, failed, errors, passRate: runs.length ? passed / runs.length : 0 };
}

/**
 * Whether a run is a success for its suite: a pass, or a negative control
 * that failed exactly as expected. A negative control that passes (XPASS)
 * is not: the scenario no longer shows what it was built to show.
 */
export function runSucceeded(r: RunResult): boolean {
  if (r.expectedFailure) return r.verdict === 'fail' && r.expectedFailure.met;
  return r.verdict === 'pass';
}

/** The verdict as a suite shows it: PASS, FAIL, ERROR, XFAIL (failed as expected) or XPASS (passed, expected to fail). */
export function verdictLabel(r: RunResult): string {
  if (r.expectedFailure && r.verdict !== 'error') return r.expectedFailure.met ? 'XFAIL' : r.verdict === 'pass' ? 'XPASS' : 'FAIL';
  return r.verdict.toUpperCase();
}
