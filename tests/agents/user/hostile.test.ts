/**
 * Hostile user agents (issue #7 section 4, "Bad agents"): each ends its run
 * with verdict `error` and a reason that names the actor, the time, the file
 * and what went wrong; none hangs or corrupts the run. Bad input (a syntax
 * error, a refused import, a missing sensor, a wrong actor) is refused before
 * the run as a ScenarioError naming the file. Node sandbox (the CLI's).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeSandbox } from '../../../agents/user/sandbox-node.ts';
import { ScenarioError } from '../../../scenarios/loader.ts';
import { loadScenarioFile } from '../../../scenarios/node-io.ts';
import { runScenario } from '../../../scenarios/runner.ts';

const DIR = 'tests/fixtures/agents';
const ROAD = `${DIR}/short-road.yaml`;
const agent = (name: string) => ({ file: `${DIR}/${name}`, source: readFileSync(`${DIR}/${name}`, 'utf8') });
const run = (name: string, budgetMs?: number) =>
  runScenario(loadScenarioFile(ROAD), { agents: { ego: agent(name) }, sandbox: nodeSandbox, ...(budgetMs ? { agentBudgetMs: budgetMs } : {}) });

// [fixture, the reason the run must end with]
const CASES: [string, RegExp][] = [
  ['throws.ts', /^agent of 'ego' failed at t=0\.50 s: user agent tests\/fixtures\/agents\/throws\.ts: boom from the agent \(tests\/fixtures\/agents\/throws\.ts:6:\d+\)$/],
  ['nan.ts', /^agent of 'ego' failed at t=0\.00 s: user agent .*nan\.ts returned throttle = NaN: expected 0\.\.1$/],
  ['out-of-range.ts', /^agent of 'ego' failed at t=0\.30 s: user agent .*out-of-range\.ts returned throttle = 3: expected 0\.\.1$/],
  ['steer-too-far.ts', /returned steeringRad = 2: expected -1\.066\.\.1\.066 rad \(the car's steering limit\)$/],
  ['wrong-shape.ts', /returned 0\.5: expected a car command/],
  ['infinite-loop.ts', /^agent of 'ego' failed at t=0\.00 s: user agent .*infinite-loop\.ts: step of .*infinite-loop\.ts did not return within its time budget of 500 ms/],
  ['dom.ts', /document is unavailable in an agent \(no DOM\) \(.*dom\.ts:7:\d+\)$/],
  ['window.ts', /window is unavailable in an agent \(no DOM\)/],
  ['fetch.ts', /fetch is unavailable in an agent \(no network\)/],
  ['xhr.ts', /XMLHttpRequest is unavailable in an agent \(no network\)/],
  ['require-net.ts', /require\('node:net'\) is unavailable in an agent/],
  ['world-global.ts', /world is unavailable in an agent \(no ground truth: use input\.sensors\)/],
  ['process.ts', /process is unavailable in an agent \(no host process\)/],
  ['constructor-escape.ts', /EvalError: Code generation from strings disallowed/],
  ['init-throws.ts', /^agent of 'ego' failed at t=0\.00 s: user agent .*init-throws\.ts: no map for ego \(.*init-throws\.ts:6:\d+\)$/],
  ['math-random.ts', /Math\.random is unavailable in an agent \(determinism\): use input\.random\(\), seeded from the scenario/],
  ['date-now.ts', /Date is unavailable in an agent \(no clock: use input\.time\)/],
  ['stack-frames.ts', /user agent .*stack-frames\.ts: no host object reachable through stack frames/],
  ['async-step.ts', /step returned a Promise \(an async step\?\): step must return its command synchronously/],
];

describe('hostile user agents end in error with their reason (Node sandbox)', () => {
  for (const [name, reason] of CASES) {
    it(name, async () => {
      const r = await run(name);
      expect(r.verdict).toBe('error');
      expect(r.error).toMatch(reason);
      expect(r.userAgents).toEqual([{ actor: 'ego', file: `${DIR}/${name}`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    });
  }

  it('a slow agent (returns, but past the budget) is stopped at the budget', async () => {
    const r = await run('slow.ts', 50);
    expect(r.verdict).toBe('error');
    expect(r.error).toMatch(/slow\.ts did not return within its time budget of 50 ms/);
  });

  it('an agent that scribbles over its input changes nothing: same result as the clean agent', async () => {
    const clean = await run('steady.ts');
    const dirty = await run('mutate-input.ts');
    expect(clean.verdict).toBe('pass');
    expect(dirty.verdict).toBe('pass');
    expect(dirty.stateHash).toBe(clean.stateHash);
  });
});

describe("a user agent's random() is the scenario's", () => {
  it('same seed, same run; another seed, another run', async () => {
    const go = (seed: number) => runScenario(loadScenarioFile(ROAD), { seed, agents: { ego: agent('random-throttle.ts') }, sandbox: nodeSandbox });
    const [a, b, c] = [await go(5), await go(5), await go(6)];
    expect(a.verdict).toBe('pass');
    expect(b.stateHash).toBe(a.stateHash);
    expect(c.stateHash).not.toBe(a.stateHash);
  });
});

describe('bad user-agent input is refused before the run, naming the file', () => {
  const refused = async (agents: Record<string, { file: string; source: string }>, file = ROAD) => {
    try {
      await runScenario(loadScenarioFile(file), { agents, sandbox: nodeSandbox });
    } catch (err) {
      expect(err).toBeInstanceOf(ScenarioError);
      return (err as Error).message;
    }
    throw new Error('expected a ScenarioError');
  };

  it('syntax error: file, line and column', async () => {
    expect(await refused({ ego: agent('syntax-error.ts.txt') })).toMatch(/^tests\/fixtures\/agents\/syntax-error\.ts\.txt:5:\d+: --agent ego: syntax error: Unexpected token/);
  });

  it('an import other than the contract', async () => {
    expect(await refused({ ego: agent('bad-import.ts') })).toMatch(/^tests\/fixtures\/agents\/bad-import\.ts:2:1: --agent ego: imports 'node:fs': an agent may import only the agent contract/);
  });

  it('a required sensor the actor lacks', async () => {
    expect(await refused({ ego: agent('needs-radar.ts') })).toMatch(/needs-radar\.ts: --agent ego: actor 'ego' has no radar sensor, which the agent requires \(it has: gnss, object-list\)/);
  });

  it('an unknown actor id', async () => {
    expect(await refused({ nobody: agent('steady.ts') })).toMatch(/steady\.ts: --agent nobody: scenario .*short-road\.yaml has no actor 'nobody' \(its actors: ego \(car\), npc \(car\)\)/);
  });

  it('a drone module on a car', async () => {
    expect(await refused({ ego: { file: 'examples/agents/drone-waypoints.ts', source: readFileSync('examples/agents/drone-waypoints.ts', 'utf8') } })).toMatch(/drone-waypoints\.ts: --agent ego: the module is a uav agent \(kind 'uav'\) but actor 'ego' is a car/);
  });

  it('no sandbox given to the runner', async () => {
    await expect(runScenario(loadScenarioFile(ROAD), { agents: { ego: agent('steady.ts') } })).rejects.toThrow(/user agents need a sandbox/);
  });
});
