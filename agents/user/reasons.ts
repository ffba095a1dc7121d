/**
 * The messages a user agent's failures end a run with, defined once so the
 * CLI, the web worker and the main thread's watchdog show the same words.
 * Browser-safe (no Node imports).
 */

/**
 * Default per-call wall-time budget of an agent, ms (Skylane choice). A guard
 * against hangs and grossly slow agents, not a performance test: wall time
 * is not deterministic, and a call also pays for the garbage collector of the
 * whole process and for a loaded machine. Measured on the shared 2-core CI
 * machine at load 5: the drone example's calls took 0.3 ms median, 27 ms at
 * the 99th percentile and 131 ms at worst (GC pauses), so the default is
 * 500 ms; --agent-budget-ms (RunOptions.agentBudgetMs) sets it.
 */
export const DEFAULT_AGENT_BUDGET_MS = 500;

/** Budget for loading the module and its `init`, ms: the first call also compiles the code (Skylane choice, 4x the tick budget, at least 1 s). */
export function loadBudgetMs(budgetMs: number): number {
  return Math.max(1000, 4 * budgetMs);
}

/** The reason of a call that ran past its budget (an infinite loop, or too slow). */
export function budgetExceededReason(what: string, budgetMs: number): string {
  return `${what} did not return within its time budget of ${budgetMs} ms (an infinite loop, or too slow; raise it with --agent-budget-ms)`;
}

/**
 * What the web app shows when its watchdog terminates the simulation worker
 * because an agent call never returned (a true infinite loop in the browser
 * cannot be interrupted inside the worker). The run's verdict is `error`.
 */
export const AGENT_WATCHDOG_REASON = 'user agent did not return: the simulation worker was stopped by the watchdog (an infinite loop in the agent?)';

/** The watchdog reason with the actor and the file, when the main thread knows which agent was running. */
export function agentWatchdogReason(actorId: string, file: string, waitedMs: number): string {
  return `agent of '${actorId}' (${file}) did not return within ${Math.round(waitedMs)} ms: the simulation worker was stopped by the watchdog (an infinite loop in the agent?)`;
}
