/** Run one job in this thread: load the file, run, free. Shared by the CLI (1 worker) and the worker threads. */
import type { Job } from '../jobs.ts';
import { ScenarioError } from '../loader.ts';
import { loadScenarioFile } from '../node-io.ts';
import type { RunResult } from '../result.ts';
import { runScenario } from '../runner.ts';
import { nodeSandbox } from '../../agents/user/sandbox-node.ts';

export type JobOutcome = { index: number; result: RunResult } | { index: number; inputError: string };

const wallClock = () => performance.now() / 1000;

export async function executeJob(job: Job): Promise<JobOutcome> {
  try {
    const loaded = loadScenarioFile(job.file);
    const result = await runScenario(loaded, {
      seed: job.seed,
      backend: job.backend,
      clock: wallClock,
      ...(job.agents ? { agents: job.agents, sandbox: nodeSandbox } : {}),
      ...(job.agentBudgetMs !== undefined ? { agentBudgetMs: job.agentBudgetMs } : {}),
    });
    return { index: job.index, result };
  } catch (err) {
    if (err instanceof ScenarioError) return { index: job.index, inputError: err.message };
    throw err;
  }
}
