/**
 * Child process of worker-sandbox.test.ts: stands in for web/sim-worker.ts
 * (the same realm as the simulation, no node:vm). It locks the globals
 * (network stubs, Function constructors, frozen intrinsics) as the worker
 * does, then runs each (scenario, agent) given on the command line with the
 * Worker sandbox and prints one JSON line per run: verdict, error, hash.
 * Freezing intrinsics is process-wide, hence a child process.
 */
import { readFileSync } from 'node:fs';
import { lockWorkerGlobals, workerSandbox } from '../../../agents/user/sandbox-worker.ts';
import { loadScenarioFile } from '../../../scenarios/node-io.ts';
import { runScenario } from '../../../scenarios/runner.ts';
import { ScenarioError } from '../../../scenarios/loader.ts';

// The simulation's modules are all imported (above) before the lock, as in the worker.
lockWorkerGlobals();
const args = process.argv.slice(2);
for (let i = 0; i + 2 < args.length; i += 3) {
  const [scenario, actor, file] = [args[i]!, args[i + 1]!, args[i + 2]!];
  try {
    const r = await runScenario(loadScenarioFile(scenario), { agents: { [actor]: { file, source: readFileSync(file, 'utf8') } }, sandbox: workerSandbox, agentBudgetMs: Number(process.env.SKYLANE_AGENT_BUDGET_MS ?? 5000) });
    process.stdout.write(JSON.stringify({ scenario, file, verdict: r.verdict, error: r.error ?? null, stateHash: r.stateHash, simTime: r.simTime }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ scenario, file, inputError: err instanceof ScenarioError ? err.message : String(err) }) + '\n');
  }
}
