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
import { startRun, type Run, type RunOptions } from '../scenarios/runner.ts';
import { formatBreakWords, type BreakIt } from '../scenarios/break-it.ts';
import { Recorder } from '../scenarios/record/recorder.ts';
import { recordingFileName, type Recording } from '../scenarios/record/format.ts';
import { packRecording } from '../scenarios/record/player.ts';
import { loadRecordedScenario } from '../scenarios/record/replay.ts';
import { lockWorkerGlobals, workerSandbox } from '../agents/user/sandbox-worker.ts';
import { Capture } from './capture.ts';
import { loadLibrary, type LibraryEntry } from './library.ts';
import { frameTransferables, type FromWorker, type RecordedRunSpec, type RunRequest, type ToWorker, type ViewFrame } from './sim-protocol.ts';

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
/** Records every live run (scenarios/record/recorder.ts); its file is posted after the result. */
let recorder: Recorder | null = null;
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
  const result = run.result();
  post({ type: 'result', result });
  postRecording(result);
  return true;
}

/** Pack the run's recording (gzip through CompressionStream) and post it, transferred; a failure is reported, the run is unaffected. */
function postRecording(result: ReturnType<Run['result']>): void {
  const rec = recorder;
  recorder = null;
  if (!rec || !run) return;
  const gen = generation;
  let doc;
  try {
    doc = rec.finish(result);
  } catch (err) {
    post({ type: 'recording-error', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  const name = recordingFileName(result.scenario, result.seed, result.backend, formatBreakWords(doc.header.extras.breakIt as BreakIt | undefined));
  packRecording(doc).then(
    (bytes) => {
      if (gen !== generation) return;
      const buf = bytes.buffer.byteLength === bytes.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
      post({ type: 'recording', name, bytes: buf }, [buf]);
    },
    (err: unknown) => post({ type: 'recording-error', message: err instanceof Error ? err.message : String(err) }),
  );
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
  recorder = null;
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
  // User agents run in this worker's realm: lock its network and thread APIs and freeze the shared
  // intrinsics before any agent code loads (the worker's own modules are all loaded by now; the lock
  // lasts as long as this worker, and a worker the watchdog stops is replaced by a fresh one).
  const userAgents = Object.keys(request.extras?.agents ?? {}).length > 0;
  if (userAgents) lockWorkerGlobals();
  let r: Run;
  try {
    // A deep link's built-in agent swaps (agent=ego:idm-only) travel in the extras: the runner applies them.
    r = await startRun(entry.loaded, { ...withSandbox(request.extras ?? {}), seed: request.seed, backend: request.backend, clock: nowS });
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
  try {
    // Attached before the first step: the initial state is the recording's first sample.
    recorder = new Recorder(r, { ...(entry.source !== undefined ? { source: entry.source } : {}), extras: plainExtras(request.extras ?? {}) });
  } catch (err) {
    recorder = null;
    post({ type: 'recording-error', message: err instanceof Error ? err.message : String(err) });
  }
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

/** The run options of a request as plain JSON (what a recording keeps): functions such as a sandbox factory are dropped. */
function plainExtras(extras: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(extras)) as Record<string, unknown>;
}

/** User agents run in this worker's sandbox (agents/user/sandbox-worker.ts). */
function withSandbox<T extends { agents?: unknown }>(extras: T): T & Pick<RunOptions, 'sandbox'> {
  if (extras.agents === undefined || Object.keys(extras.agents as object).length === 0) return extras;
  // User agents run in this worker's realm: lock it first (idempotent; see the start of a run).
  lockWorkerGlobals();
  return { ...extras, sandbox: workerSandbox };
}

// ---------- replay: a recorded run's view, and its re-simulation ----------

/** The recorded scenario, from the recording's own copy of its text and data files. */
function recordedLoaded(spec: RecordedRunSpec) {
  return loadRecordedScenario({ header: { source: spec.source, file: spec.file, dataFiles: spec.dataFiles } } as unknown as Recording);
}

function recordedOptions(spec: RecordedRunSpec): RunOptions {
  return { ...withSandbox(spec.extras as RunOptions), seed: spec.seed, backend: spec.backend, clock: nowS };
}

/** Build the recorded run and post its view data only (no step is taken). */
async function view(spec: RecordedRunSpec): Promise<void> {
  const gen = ++generation;
  disposeRun();
  post({ type: 'progress', stage: 'Building the recorded world…', fraction: 0.3 });
  const r = await startRun(recordedLoaded(spec), recordedOptions(spec));
  try {
    if (gen !== generation) return;
    const c = new Capture(r, r.scenario.name);
    post({ type: 'init', init: c.init });
    c.dispose();
  } finally {
    r.dispose();
  }
}

/** Steps per slice of a verification between progress reports (the loop yields to messages between slices). */
const VERIFY_SLICE_S = 0.1;

/** Re-simulate the recorded run to its end at full speed, without frames; posts progress, then `verified`. */
async function verify(spec: RecordedRunSpec): Promise<void> {
  const gen = ++generation;
  disposeRun();
  const r = await startRun(recordedLoaded(spec), recordedOptions(spec));
  try {
    const duration = r.scenario.duration;
    let lastPost = -Infinity;
    while (!r.done) {
      if (gen !== generation) return;
      const t0 = nowS();
      while (!r.done && nowS() - t0 < VERIFY_SLICE_S) r.step(10);
      if (nowS() - lastPost > 0.1) {
        lastPost = nowS();
        post({ type: 'progress', stage: `Re-simulating: ${r.time.toFixed(1)} of ${duration} s`, fraction: duration > 0 ? Math.min(1, r.time / duration) : 1 });
      }
      await new Promise((ok) => setTimeout(ok, 0));
    }
    if (gen === generation) post({ type: 'verified', result: r.result() });
  } finally {
    r.dispose();
  }
}

function fail(err: unknown): void {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
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
      case 'view':
        void view(m.run).catch(fail);
        break;
      case 'verify':
        void verify(m.run).catch(fail);
        break;
    }
  } catch (err) {
    stopLoop();
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
