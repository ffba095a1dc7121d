/**
 * The simulation worker: owns one `Run` at a time, advances it in real time
 * x speed with a fixed-step accumulator, and posts what the views draw
 * (web/sim-protocol.ts) to the main thread, which never touches the World.
 *
 * Wall time only decides HOW MANY steps to take, never their content: the
 * run is the CLI's (`startRun`), stepped one physics step at a time, so the
 * state hash is the CLI's whatever the frame rate or the speed. Frames are
 * posted at most every FRAME_PERIOD_S of wall time; the panel parts
 * (criteria, readouts) every PANEL_PERIOD_S; while playing, a frame at least
 * every HEARTBEAT_S so the main thread's watchdog can tell a slow run from a
 * hung one.
 *
 * Backpressure: after posting a frame the worker waits for the main
 * thread's `drawn` (sent at its next animation frame) before posting the
 * next one (but at least every HEARTBEAT_S), so a page that draws at 5 fps
 * (software GL) is not sent 60 frames a second to decode and drop: on a
 * 2-core machine that CPU is the simulation's. What happens between frames
 * (events, samples, metrics) accumulates in the capture and is not lost.
 *
 * Started as `new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module' })`.
 */
import { startRun, type Run } from '../scenarios/runner.ts';
import { Capture } from './capture.ts';
import { loadLibrary, type LibraryEntry } from './library.ts';
import { frameTransferables, type FromWorker, type RunRequest, type ToWorker, type ViewFrame } from './sim-protocol.ts';

/** Most frames posted per wall second (the display's rate; more would only queue up). */
const FRAME_PERIOD_S = 1 / 60;
/** Panel parts (criteria, driving and airspace readouts) at this period, wall s. */
const PANEL_PERIOD_S = 0.1;
/** While playing, post at least this often even when no step was due (slow speeds), wall s. */
const HEARTBEAT_S = 0.25;
/** Wall time one slice of stepping may take before the worker yields to its messages, s. */
const SLICE_BUDGET_S = 0.03;
/** A pause longer than this (a debugger, a throttled tab) counts as this long: play slower rather than catch up, s. */
const MAX_GAP_S = 0.25;

const scope = self as unknown as {
  postMessage(m: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};

const nowS = (): number => performance.now() / 1000;

let library: LibraryEntry[] | null = null;
let run: Run | null = null;
let capture: Capture | null = null;
let playing = false;
let speed = 1;
let accumulator = 0;
let lastWall = 0;
let lastFrame = -Infinity;
let lastPanel = -Infinity;
/** The main thread drew since the last frame posted (see the header: backpressure). */
let drawn = true;
let timer: ReturnType<typeof setTimeout> | null = null;
/** Bumped by every start/dispose: a stale async start discards its run. */
let generation = 0;

function post(m: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(m, transfer);
}

/** Wall time spent stepping, ms, and steps taken, since the last frame. */
let stepMs = 0;
let steps = 0;
/** Sim time dropped since the last frame (not kept up), s. */
let droppedS = 0;

function postFrame(panels: boolean): void {
  if (!capture) return;
  const f: ViewFrame = capture.frame(panels);
  f.stats = { stepMs, steps, droppedS };
  stepMs = 0;
  steps = 0;
  droppedS = 0;
  post({ type: 'frame', frame: f }, frameTransferables(f));
  drawn = false;
  lastFrame = nowS();
  if (panels) lastPanel = lastFrame;
}

function finishIfDone(): boolean {
  if (!run || !run.done) return false;
  playing = false;
  postFrame(true);
  post({ type: 'result', result: run.result() });
  return true;
}

function schedule(): void {
  if (timer === null && playing) timer = setTimeout(slice, 0);
}

/** One slice, guarded: a failure in the loop or the capture ends the run with its message, not a silent worker. */
function slice(): void {
  timer = null;
  try {
    advance();
  } catch (err) {
    stopLoop();
    post({ type: 'error', message: `the simulation loop failed at t=${run?.time.toFixed(2) ?? '?'} s: ${err instanceof Error ? err.message : String(err)}` });
  }
}

/** The steps wall time asks for (within a budget), then a frame if one is due. */
function advance(): void {
  if (!playing || !run) return;
  const t0 = nowS();
  if (t0 - lastWall > MAX_GAP_S) droppedS += (t0 - lastWall - MAX_GAP_S) * speed;
  accumulator += Math.min(t0 - lastWall, MAX_GAP_S) * speed;
  lastWall = t0;
  const dt = run.world.dt;
  while (accumulator >= dt - 1e-12 && !run.done) {
    run.step(1);
    steps++;
    accumulator -= dt;
    if (nowS() - t0 > SLICE_BUDGET_S) {
      // Behind real time: drop the backlog and play slower rather than stall.
      if (accumulator > dt) droppedS += accumulator - dt;
      accumulator = Math.min(accumulator, dt);
      break;
    }
  }
  stepMs += 1000 * (nowS() - t0);
  if (finishIfDone()) return;
  const t = nowS();
  // A frame when there is something new to draw, at most at the display's rate; a heartbeat otherwise.
  if (t - lastFrame >= (steps > 0 && drawn ? FRAME_PERIOD_S : HEARTBEAT_S)) postFrame(t - lastPanel >= PANEL_PERIOD_S);
  schedule();
}

function stopLoop(): void {
  playing = false;
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function disposeRun(): void {
  stopLoop();
  capture?.dispose();
  capture = null;
  run?.dispose();
  run = null;
}

async function start(request: RunRequest, layers: { scans: boolean }, initialSpeed: number, autoplay: boolean): Promise<void> {
  const gen = ++generation;
  disposeRun();
  drawn = true;
  speed = initialSpeed;
  post({ type: 'progress', stage: 'Loading the scenario library…', fraction: 0.1 });
  library ??= loadLibrary();
  const entry = library.find((e) => e.id === request.scenarioId);
  if (!entry) {
    post({ type: 'error', message: `No scenario named "${request.scenarioId}" in the library.` });
    return;
  }
  if (!entry.loaded) {
    post({ type: 'error', message: `${entry.file} does not load: ${entry.error ?? 'unknown error'}` });
    return;
  }
  post({ type: 'progress', stage: request.backend.startsWith('rapier') ? 'Initialising Rapier physics (WebAssembly)…' : 'Building the world…', fraction: 0.35 });
  let r: Run;
  try {
    r = await startRun(entry.loaded, { ...(request.extras ?? {}), seed: request.seed, backend: request.backend, clock: nowS });
  } catch (err) {
    if (gen === generation) post({ type: 'error', message: `${entry.id} could not start: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  if (gen !== generation) {
    r.dispose();
    return;
  }
  post({ type: 'progress', stage: 'Preparing the view…', fraction: 0.9 });
  run = r;
  try {
    capture = new Capture(r, entry.id);
  } catch (err) {
    post({ type: 'error', message: `${entry.id}: the view could not read the run: ${err instanceof Error ? err.message : String(err)}` });
    disposeRun();
    return;
  }
  capture.layers = layers;
  post({ type: 'progress', stage: 'Ready', fraction: 1 });
  post({ type: 'init', init: capture.init });
  postFrame(true);
  if (autoplay) play();
}

function play(): void {
  if (!run || run.done) return;
  playing = true;
  accumulator = 0;
  lastWall = nowS();
  schedule();
}

function step(): void {
  if (!run || run.done || playing) return;
  run.step(1);
  if (!finishIfDone()) postFrame(true);
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  try {
    switch (m.type) {
      case 'start':
        void start(m.request, m.layers, m.speed, m.autoplay).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
        break;
      case 'play':
        play();
        break;
      case 'pause':
        stopLoop();
        postFrame(true);
        break;
      case 'step':
        step();
        break;
      case 'speed':
        speed = m.speed;
        accumulator = 0;
        break;
      case 'layers':
        if (capture) capture.layers = m.layers;
        break;
      case 'drawn':
        drawn = true;
        break;
      case 'dispose':
        generation++;
        disposeRun();
        break;
    }
  } catch (err) {
    stopLoop();
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
