/**
 * The Worker sandbox (agents/user/sandbox-worker.ts), in a child process that
 * stands in for the simulation worker (same realm as the simulation, globals
 * locked, intrinsics frozen: worker-realm-child.ts). The same agent files give
 * the same verdict as the Node sandbox (the CLI's), with the same reasons
 * where both sandboxes can say the same thing, and the same final state for
 * the runs that pass (cars and a drone): the acceptance of issue #7 section 4.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeSandbox } from '../../../agents/user/sandbox-node.ts';
import { loadScenarioFile } from '../../../scenarios/node-io.ts';
import { runScenario } from '../../../scenarios/runner.ts';
import { ROOT } from '../../helpers.ts';

const exec = promisify(execFile);
const DIR = 'tests/fixtures/agents';
const ROAD = `${DIR}/short-road.yaml`;
const HOP = `${DIR}/short-hop.yaml`;

interface ChildRun { scenario: string; file: string; verdict?: string; error?: string | null; stateHash?: string; inputError?: string }

async function inWorkerRealm(runs: [string, string, string][], budgetMs?: number): Promise<ChildRun[]> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', `${ROOT}tests/agents/user/worker-realm-child.ts`, ...runs.flat()], {
    cwd: ROOT,
    env: { ...process.env, ...(budgetMs ? { SKYLANE_AGENT_BUDGET_MS: String(budgetMs) } : {}) },
    maxBuffer: 1 << 24,
  });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as ChildRun);
}

async function inNode(scenario: string, actor: string, file: string) {
  return runScenario(loadScenarioFile(scenario), { agents: { [actor]: { file, source: readFileSync(file, 'utf8') } }, sandbox: nodeSandbox, agentBudgetMs: 5000 });
}

// Fixtures whose reason is word for word the same in both sandboxes (line numbers included).
const SAME = ['throws', 'nan', 'out-of-range', 'wrong-shape', 'dom', 'window', 'fetch', 'xhr', 'require-net', 'process', 'async-step', 'steady', 'mutate-input'];

describe('Worker sandbox: same verdicts as the Node sandbox', () => {
  it('hostile and good fixtures on the short road, and the car example on cars/lead-brake', async () => {
    const runs: [string, string, string][] = [
      ...SAME.map((f): [string, string, string] => [ROAD, 'ego', `${DIR}/${f}.ts`]),
      [ROAD, 'ego', `${DIR}/world-global.ts`],
      [ROAD, 'ego', `${DIR}/constructor-escape.ts`],
      ['scenarios/library/cars/lead-brake.yaml', 'ego', 'examples/agents/car-acc.ts'],
      [HOP, 'drone', `${DIR}/drone-hop.ts`],
      [HOP, 'drone', `${DIR}/drone-too-fast.ts`],
      [ROAD, 'ego', `${DIR}/stack-frames.ts`],
    ];
    const worker = await inWorkerRealm(runs);
    expect(worker).toHaveLength(runs.length);
    for (const [i, [scenario, actor, file]] of runs.entries()) {
      const w = worker[i]!;
      const n = await inNode(scenario, actor, file);
      expect(w.verdict, file).toBe(n.verdict);
      if (SAME.some((f) => file.endsWith(`/${f}.ts`)) || file.includes('/drone-')) expect(w.error ?? undefined, file).toBe(n.error);
      if (n.verdict === 'pass') expect(w.stateHash, file).toBe(n.stateHash);
    }
    // Where the realms differ, the words differ but the verdict and the culprit do not.
    expect(worker[SAME.length]!.error).toMatch(/world-global\.ts: globalThis is unavailable in an agent \(no host globals\)/);
    expect(worker[SAME.length + 1]!.error).toMatch(/constructor-escape\.ts: the Function constructor is unavailable in the simulation worker/);
    expect(worker[SAME.length + 2]!.verdict).toBe('pass');
    // The drone path: the autopilot flies the agent's setpoints in the frozen realm too.
    expect(worker[SAME.length + 3]!.verdict).toBe('pass');
    // Error is frozen in the worker realm: the agent cannot even install prepareStackTrace.
    expect(worker[SAME.length + 5]!.error).toMatch(/stack-frames\.ts: (TypeError: Cannot (add|assign to read only) property|no host object reachable)/);
    expect(worker[SAME.length + 4]!.error).toMatch(/^agent of 'drone' failed at t=\d+\.\d\d s: user agent .*drone-too-fast\.ts returned velocityEnuMps = \[30,0,0\], a horizontal speed of 30\.00 m\/s: expected at most 12 m\/s$/);
  });

  it('a bad agent is refused with its own message in the frozen realm (the override mistake is enabled away: ScenarioError sets this.name)', async () => {
    const [kind, syntax] = await inWorkerRealm([
      [ROAD, 'ego', 'examples/agents/drone-waypoints.ts'],
      [ROAD, 'ego', `${DIR}/syntax-error.ts.txt`],
    ]);
    expect(kind!.inputError).toMatch(/^examples\/agents\/drone-waypoints\.ts: --agent ego: the module is a uav agent \(kind 'uav'\) but actor 'ego' is a car/);
    expect(syntax!.inputError).toMatch(/^tests\/fixtures\/agents\/syntax-error\.ts\.txt:5:\d+: --agent ego: syntax error/);
  });

  it('a call past the budget is an error (measured: the worker cannot interrupt it)', async () => {
    const [w] = await inWorkerRealm([[ROAD, 'ego', `${DIR}/busy.ts`]], 1);
    expect(w!.verdict).toBe('error');
    expect(w!.error).toMatch(/step of tests\/fixtures\/agents\/busy\.ts did not return within its time budget of 1 ms/);
  });
});
