/**
 * The browser's watchdog (web/frame-source.ts) when the run has user agents:
 * a worker silent for the hang bound ends the run with the user agent's
 * reason (agents/user/reasons.ts), naming the actor and the file, and the
 * next run gets a fresh worker. Against a fake worker (no browser).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWorker } from '../../web/fake-worker.ts';
import { WorkerFrameSource, type FrameSourceHandlers } from '../../../web/frame-source.ts';
import type { RunRequest, ViewInit } from '../../../web/sim-protocol.ts';
import { AGENT_WATCHDOG_REASON } from '../../../agents/user/reasons.ts';


const INIT = { scenarioId: 'x' } as ViewInit;
const OPTS = { speed: 1, autoplay: true, layers: { scans: false } };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const agent = (file: string) => ({ file, source: 'export default {}' });

async function hang(request: RunRequest): Promise<{ errors: string[]; created: number; source: WorkerFrameSource }> {
  const workers: FakeWorker[] = [];
  const errors: string[] = [];
  const handlers: FrameSourceHandlers = { onProgress() {}, onInit() {}, onFrame() {}, onResult() {}, onError: (m) => errors.push(m) };
  const source = new WorkerFrameSource(handlers, () => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  }, 0.4);
  source.start(request, OPTS);
  workers[0]!.emit({ type: 'init', init: INIT });
  // Playing, and then silent: an agent's step that never returns.
  await expect.poll(() => errors.length, { timeout: 5000, interval: 100 }).toBe(1);
  expect(workers[0]!.terminated).toBe(true);
  source.start(request, OPTS);
  return { errors, created: workers.length, source };
}

describe('watchdog with user agents', () => {
  let source: WorkerFrameSource | null = null;
  afterEach(() => source?.dispose());

  it('one user agent: its actor and file in the reason; a fresh worker for the next run', async () => {
    const r = await hang({ scenarioId: 'x', seed: 1, backend: 'rapier', extras: { agents: { ego: agent('my-agent.ts') } } });
    source = r.source;
    expect(r.errors[0]).toMatch(/^agent of 'ego' \(my-agent\.ts\) did not return within \d+ ms: the simulation worker was stopped by the watchdog \(an infinite loop in the agent\?\)$/);
    expect(r.created).toBe(2);
  }, 10_000);

  it('two user agents: the generic reason, naming both', async () => {
    const r = await hang({ scenarioId: 'x', seed: 1, backend: 'rapier', extras: { agents: { a: agent('a.ts'), b: agent('b.ts') } } });
    source = r.source;
    expect(r.errors[0]).toBe(`${AGENT_WATCHDOG_REASON} (user agents: a a.ts, b b.ts)`);
  }, 10_000);

  it('no user agent: the engine wording, not an agent blamed by name', async () => {
    const r = await hang({ scenarioId: 'x', seed: 1, backend: 'rapier' });
    source = r.source;
    expect(r.errors[0]).toMatch(/stopped answering for 0\.4 s while running/);
  }, 10_000);
});
