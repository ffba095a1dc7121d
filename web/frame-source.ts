/**
 * Where the views' frames come from. The app talks to a `FrameSource` only:
 * the simulation worker (`WorkerFrameSource`, below) is the first; a
 * recording player is another (it implements the same interface and calls the
 * same handlers with frames read from a file: poses, events and metrics; the
 * views draw whatever parts a frame carries).
 *
 * Handlers are given once, at construction; `start` begins a run (or a
 * recording), `play`/`pause`/`step`/`setSpeed` control it, `stop` ends it.
 */
import type { RunResult } from '../scenarios/result.ts';
import type { FrameLayers, FromWorker, RunRequest, ToWorker, ViewFrame, ViewInit } from './sim-protocol.ts';
import { AGENT_WATCHDOG_REASON, agentWatchdogReason } from '../agents/user/reasons.ts';

export interface FrameSourceHandlers {
  /** Loading: a stage to show and how far along, 0..1. */
  onProgress(stage: string, fraction: number): void;
  /** The run is built: what the views draw statically. Called before any of its frames. */
  onInit(init: ViewInit): void;
  onFrame(frame: ViewFrame): void;
  /** The run ended: its result (verdict, criteria, state hash). */
  onResult(result: RunResult): void;
  /** The run cannot go on (bad scenario, engine failure, a hung simulation): a clear sentence. */
  onError(message: string): void;
  /** A live run's recording is ready (after its result): the `.skyrec.json.gz` file's name and bytes. */
  onRecording?(name: string, bytes: ArrayBuffer): void;
}

export interface FrameSource {
  start(request: RunRequest, opts: { speed: number; autoplay: boolean; layers: FrameLayers }): void;
  play(): void;
  pause(): void;
  /** One physics step (paused only). */
  step(): void;
  setSpeed(speed: number): void;
  /** What costlier frame parts to send (a recording may ignore it). */
  setLayers(layers: FrameLayers): void;
  /** End the current run (the source may serve another). */
  stop(): void;
  dispose(): void;
}

/** Wall seconds without a message from a running worker before it counts as hung. */
export const HANG_S = 3;
/** Building a run (Rapier's WebAssembly compile, a big scenario) may take this many times longer. */
const START_HANG_FACTOR = 10;

/** Watchdog check period, s; a gap between checks longer than MAIN_STALL_S means this thread was held. */
const WATCHDOG_PERIOD_S = 0.25;
const MAIN_STALL_S = 1;

type Expecting = 'none' | 'running' | 'step' | 'start';

/**
 * The simulation in a module worker. A watchdog runs while the worker is
 * expected to answer (playing, stepping, starting): if it posts nothing for
 * HANG_S of wall time (an agent that never returns blocks its thread), the
 * worker is terminated and `onError` says why; the page itself never blocks.
 * One worker serves run after run; a hung one is replaced by the next start.
 */
export class WorkerFrameSource implements FrameSource {
  private worker: Worker | null = null;
  private lastHeard = 0;
  private lastCheck = 0;
  private expecting: Expecting = 'none';
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private gen = 0;
  private autoplay = false;
  /** Until the new run's init, what the worker still sends of the previous run is dropped. */
  private awaitingInit = false;
  /** The current run's user agents (actor id, file): a hang is then most likely theirs, and the watchdog says so. */
  private userAgents: [string, string][] = [];

  constructor(private readonly handlers: FrameSourceHandlers, private readonly create: () => Worker = defaultWorker, private readonly hangS = HANG_S) {}

  start(request: RunRequest, opts: { speed: number; autoplay: boolean; layers: FrameLayers }): void {
    if (!this.worker) {
      const w = this.create();
      const gen = ++this.gen;
      this.worker = w;
      w.onmessage = (e: MessageEvent<FromWorker>) => {
        if (gen === this.gen) this.receive(e.data);
      };
      w.onerror = (e: ErrorEvent) => {
        if (gen !== this.gen) return;
        e.preventDefault();
        this.fail(`the simulation worker failed: ${e.message || 'it could not be loaded'}`);
      };
    }
    this.awaitingInit = true;
    this.userAgents = Object.entries(request.extras?.agents ?? {}).map(([actor, a]) => [actor, a.file]);
    this.autoplay = opts.autoplay;
    this.expect('start');
    this.send({ type: 'start', request, layers: opts.layers, speed: opts.speed, autoplay: opts.autoplay });
  }

  play(): void {
    this.send({ type: 'play' });
    this.expect('running');
  }

  pause(): void {
    this.send({ type: 'pause' });
    this.expect('none');
  }

  step(): void {
    this.send({ type: 'step' });
    this.expect('step');
  }

  setSpeed(speed: number): void {
    this.send({ type: 'speed', speed });
  }

  setLayers(layers: FrameLayers): void {
    this.send({ type: 'layers', layers });
  }

  stop(): void {
    this.send({ type: 'dispose' });
    this.expecting = 'none';
  }

  dispose(): void {
    this.terminate();
  }

  private ackPending = false;

  /**
   * Backpressure: tell the worker at the next animation frame that this
   * thread has drawn, so it posts frames at the rate they are drawn (a slow,
   * software-GL page) rather than at 60 Hz for nothing (web/sim-worker.ts).
   */
  private ackAtNextDraw(): void {
    if (this.ackPending) return;
    this.ackPending = true;
    const ack = (): void => {
      this.ackPending = false;
      this.send({ type: 'drawn' });
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(ack);
    else setTimeout(ack, 0);
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private expect(what: Expecting): void {
    this.expecting = what;
    this.lastHeard = performance.now() / 1000;
    if (what !== 'none' && this.watchdog === null) {
      this.lastCheck = this.lastHeard;
      this.watchdog = setInterval(() => this.check(), 1000 * WATCHDOG_PERIOD_S);
    }
  }

  private check(): void {
    const now = performance.now() / 1000;
    const sinceCheck = now - this.lastCheck;
    this.lastCheck = now;
    if (this.expecting === 'none' || !this.worker) return;
    // This thread itself was held (a long render, a shader compile): the worker's messages may be queued
    // behind this check. Silence is counted again from now, while this thread runs.
    if (sinceCheck > MAIN_STALL_S) this.lastHeard = Math.max(this.lastHeard, now);
    const silent = now - this.lastHeard;
    const bound = this.expecting === 'start' ? START_HANG_FACTOR * this.hangS : this.hangS;
    if (silent < bound) return;
    const what = this.expecting === 'start' ? 'while building the run' : this.expecting === 'step' ? 'during one step' : 'while running';
    if (this.userAgents.length > 0) {
      // With user agents in the run, the one code that can block the worker is theirs (agents/user/reasons.ts).
      const [only] = this.userAgents;
      this.fail(this.userAgents.length === 1 && only ? agentWatchdogReason(only[0], only[1], 1000 * silent) : `${AGENT_WATCHDOG_REASON} (user agents: ${this.userAgents.map(([a, f]) => `${a} ${f}`).join(', ')})`);
      return;
    }
    this.fail(`the simulation worker stopped answering for ${+bound.toFixed(1)} s ${what}: an agent that never returns? The worker was stopped; Reset to try again.`);
  }

  private receive(m: FromWorker): void {
    this.lastHeard = performance.now() / 1000;
    if (this.awaitingInit && (m.type === 'frame' || m.type === 'result')) return;
    switch (m.type) {
      case 'progress':
        this.handlers.onProgress(m.stage, m.fraction);
        break;
      case 'init':
        this.awaitingInit = false;
        this.expecting = this.autoplay ? 'running' : 'none';
        this.handlers.onInit(m.init);
        break;
      case 'frame':
        if (this.expecting === 'step') this.expecting = 'none';
        this.handlers.onFrame(m.frame);
        this.ackAtNextDraw();
        break;
      case 'result':
        this.expecting = 'none';
        this.handlers.onResult(m.result);
        break;
      case 'recording':
        this.handlers.onRecording?.(m.name, m.bytes);
        break;
      case 'recording-error':
        console.warn(`the run's recording could not be made: ${m.message}`);
        break;
      case 'error':
        this.awaitingInit = false;
        this.expecting = 'none';
        this.handlers.onError(m.message);
        break;
    }
  }

  private fail(message: string): void {
    this.terminate();
    this.handlers.onError(message);
  }

  private terminate(): void {
    this.gen++;
    this.expecting = 'none';
    this.awaitingInit = false;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    this.worker?.terminate();
    this.worker = null;
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module' });
}
