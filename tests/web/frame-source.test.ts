/**
 * The main thread's side of the worker (web/frame-source.ts), against a fake
 * worker: messages reach the handlers in order, what a previous run still
 * sends after a new start is dropped, and the watchdog stops a worker that
 * goes silent while running (an agent that never returns) with a clear error,
 * but not one that is merely paused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeWorker } from './fake-worker.ts';
import { WorkerFrameSource, type FrameSourceHandlers } from '../../web/frame-source.ts';
import type { FromWorker, ViewInit } from '../../web/sim-protocol.ts';


function recorder() {
  const log: string[] = [];
  const handlers: FrameSourceHandlers = {
    onProgress: (stage) => log.push(`progress ${stage}`),
    onInit: (i) => log.push(`init ${i.scenarioId}`),
    onFrame: (f) => log.push(`frame ${f.step}`),
    onResult: (r) => log.push(`result ${r.verdict}`),
    onError: (m) => log.push(`error ${m}`),
  };
  return { log, handlers };
}

const INIT = { scenarioId: 'x' } as ViewInit;
const frame = (step: number): FromWorker => ({ type: 'frame', frame: { time: step / 100, step, actors: { pose: new Float64Array(0), present: new Uint8Array(0) } } });
const REQUEST = { scenarioId: 'x', seed: 1, backend: 'rapier' as const };
const OPTS = { speed: 1, autoplay: false, layers: { scans: false } };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkerFrameSource', () => {
  let source: WorkerFrameSource | null = null;
  afterEach(() => source?.dispose());

  it('passes progress, init, frames and the result on, and drops a previous run\'s leftovers', () => {
    const w = new FakeWorker();
    const { log, handlers } = recorder();
    source = new WorkerFrameSource(handlers, () => w as unknown as Worker);
    source.start(REQUEST, OPTS);
    expect(w.sent[0]).toMatchObject({ type: 'start', request: REQUEST });
    w.emit({ type: 'progress', stage: 'loading', fraction: 0.5 });
    w.emit(frame(99)); // the previous run's, in flight
    w.emit({ type: 'init', init: INIT });
    w.emit(frame(1));
    source.play();
    expect(w.sent.at(-1)).toEqual({ type: 'play' });
    w.emit(frame(2));
    w.emit({ type: 'result', result: { verdict: 'pass' } as never });
    expect(log).toEqual(['progress loading', 'init x', 'frame 1', 'frame 2', 'result pass']);
  });

  it('acknowledges frames once per draw (backpressure): one drawn for a burst of frames, after the handler saw them', async () => {
    const w = new FakeWorker();
    const { log, handlers } = recorder();
    source = new WorkerFrameSource(handlers, () => w as unknown as Worker);
    source.start(REQUEST, OPTS);
    w.emit({ type: 'init', init: INIT });
    w.emit(frame(1));
    w.emit(frame(2));
    expect(w.sent.filter((m) => m.type === 'drawn')).toHaveLength(0);
    await wait(5);
    expect(log).toEqual(['init x', 'frame 1', 'frame 2']);
    expect(w.sent.filter((m) => m.type === 'drawn')).toHaveLength(1);
    w.emit(frame(3));
    await wait(5);
    expect(w.sent.filter((m) => m.type === 'drawn')).toHaveLength(2);
  });

  it('stops a worker that says nothing for HANG_S while running, with a clear error; a paused one is left alone', async () => {
    const w = new FakeWorker();
    const { log, handlers } = recorder();
    let created = 0;
    source = new WorkerFrameSource(handlers, () => (created++, w as unknown as Worker), 0.4);
    source.start(REQUEST, OPTS);
    w.emit({ type: 'init', init: INIT });
    // Paused: silence is fine.
    await wait(900);
    expect(w.terminated).toBe(false);
    source.play();
    w.emit(frame(1));
    await wait(2000);
    expect(w.terminated).toBe(true);
    const err = log.find((l) => l.startsWith('error '));
    expect(err).toMatch(/stopped answering for 0.4 s while running: an agent that never returns\?/);
    // The next start makes a fresh worker.
    source.start(REQUEST, OPTS);
    expect(created).toBe(2);
  }, 10_000);

  it('does not count the time this thread itself was held as the worker\'s silence', async () => {
    const w = new FakeWorker();
    const { log, handlers } = recorder();
    source = new WorkerFrameSource(handlers, () => w as unknown as Worker, 1.2);
    source.start(REQUEST, OPTS);
    w.emit({ type: 'init', init: INIT });
    source.play();
    // A 2 s block of this thread (a long first render): the worker's frames would be queued behind it.
    const until = performance.now() + 2000;
    while (performance.now() < until);
    await wait(300);
    expect(w.terminated).toBe(false);
    w.emit(frame(1));
    expect(log).toEqual(['init x', 'frame 1']);
  }, 10_000);
});
