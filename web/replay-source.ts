/**
 * A recording as a `FrameSource` (web/frame-source.ts): the run view shows a
 * recorded run with the same views as a live one.
 *
 * The static view data (`ViewInit`) is built by a simulation worker from the
 * recording's own scenario text (the `view` request: the world is built, no
 * step is taken); frames then come from the file: poses interpolated
 * between samples (scenarios/record/player.ts `poseAt`), velocities by a
 * central difference of them, and the recorded events at their times. The
 * recorded verdict is reported as the run's result as soon as the view is
 * built. The same worker then re-simulates the recorded run headless
 * (`verify`), to check that it reaches the recorded verdict and state hash.
 *
 * Playback runs on this thread's animation frames: sim time advances by
 * wall time x speed; `seek` jumps anywhere.
 */
import { durationOf, poseAt, type PoseSample as RecordedPose } from '../scenarios/record/player.ts';
import type { Recording } from '../scenarios/record/format.ts';
import type { RunResult } from '../scenarios/result.ts';
import type { SimEvent } from '../sim/snapshot.ts';
import { BACKEND_IDS, type BackendId } from '../sim/physics/backend.ts';
import type { FrameSource, FrameSourceHandlers } from './frame-source.ts';
import { POSE_STRIDE, type FromWorker, type RecordedRunSpec, type ToWorker, type ViewFrame, type ViewInit } from './sim-protocol.ts';

/** Half the time span of the central difference giving a replayed actor's velocity, s (the samples are 50 ms apart). */
const VELOCITY_HALF_SPAN_S = 0.025;

/** The outcome of re-simulating a recording. */
export type VerifyState =
  | { state: 'running'; fraction: number; stage: string }
  | { state: 'done'; result: RunResult; verdictMatches: boolean; hashMatches: boolean }
  | { state: 'error'; message: string };

export interface ReplayListener {
  /** The view is built (again): the player's time is 0. */
  onReady?(init: ViewInit): void;
  /** The shown time changed, s, and whether it plays. */
  onTime?(t: number, playing: boolean): void;
  onVerify?(v: VerifyState): void;
}

/** The recording's header as the worker's request (throws on a backend this Skylane does not have). */
export function recordedRunSpec(rec: Recording, file: string): RecordedRunSpec {
  const h = rec.header;
  if (!(BACKEND_IDS as readonly string[]).includes(h.backend)) throw new Error(`${file}: header.backend: expected one of ${BACKEND_IDS.join(', ')}, got "${h.backend}"`);
  return { source: h.source, file: h.file, dataFiles: { ...h.dataFiles }, seed: h.seed, backend: h.backend as BackendId, extras: structuredClone(h.extras) };
}

/**
 * A frame of the recording at time `t` for a view built from `init`: every
 * actor of `init` at its recorded pose (matched by id; an actor the
 * recording lacks is absent), `events` as given.
 */
export function recordedFrame(rec: Recording, init: ViewInit, recIndex: readonly number[], t: number, events: SimEvent[] | undefined): ViewFrame {
  const n = init.actors.reduce((m, a) => Math.max(m, a.index + 1), 0);
  const pose = new Float64Array(POSE_STRIDE * n);
  const present = new Uint8Array(n);
  const p: RecordedPose = { position: [0, 0, 0], rotation: [0, 0, 0, 1], present: true };
  const a: RecordedPose = { position: [0, 0, 0], rotation: [0, 0, 0, 1], present: true };
  const b: RecordedPose = { position: [0, 0, 0], rotation: [0, 0, 0, 1], present: true };
  const end = durationOf(rec);
  for (let k = 0; k < init.actors.length; k++) {
    const ri = recIndex[k]!;
    const o = POSE_STRIDE * init.actors[k]!.index;
    if (ri < 0) continue;
    poseAt(rec, ri, t, p);
    present[init.actors[k]!.index] = p.present ? 1 : 0;
    pose[o] = p.position[0]; pose[o + 1] = p.position[1]; pose[o + 2] = p.position[2];
    pose[o + 3] = p.rotation[0]; pose[o + 4] = p.rotation[1]; pose[o + 5] = p.rotation[2]; pose[o + 6] = p.rotation[3];
    if (!rec.actors[ri]!.isStatic) {
      const t0 = Math.max(0, t - VELOCITY_HALF_SPAN_S), t1 = Math.min(end, t + VELOCITY_HALF_SPAN_S);
      if (t1 > t0) {
        poseAt(rec, ri, t0, a);
        poseAt(rec, ri, t1, b);
        for (let i = 0; i < 3; i++) pose[o + 7 + i] = (b.position[i]! - a.position[i]!) / (t1 - t0);
      }
    }
  }
  return { time: t, step: Math.round(t / init.dt), actors: { pose, present }, ...(events && events.length ? { events } : {}) };
}

/** Recording actor index of each ViewInit actor (-1: not recorded). */
export function recordedIndexes(rec: Recording, init: ViewInit): number[] {
  const byId = new Map(rec.actors.map((a, i) => [a.id, i]));
  return init.actors.map((a) => byId.get(a.descriptor.id) ?? -1);
}

/** Events with a time in (from, to]. */
export function eventsBetween(rec: Recording, from: number, to: number): SimEvent[] {
  return rec.events.filter((e) => e.time > from && e.time <= to);
}

export class RecordingFrameSource implements FrameSource {
  readonly duration: number;
  private worker: Worker | null = null;
  private init: ViewInit | null = null;
  private recIndex: number[] = [];
  private t = 0;
  private speed = 1;
  private playing = false;
  private raf = 0;
  private lastWall = 0;
  private verified: VerifyState | null = null;
  private autoplay = false;
  private disposed = false;

  constructor(
    readonly rec: Recording,
    readonly name: string,
    private readonly handlers: FrameSourceHandlers,
    private readonly listener: ReplayListener = {},
    private readonly createWorker: () => Worker = () => new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module' }),
  ) {
    this.duration = durationOf(rec);
  }

  get time(): number {
    return this.t;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  get verifyState(): VerifyState | null {
    return this.verified;
  }

  /** Build the view (in the worker), then show the recording at t = 0 with its verdict, then verify it. */
  open(speed: number): void {
    this.speed = speed;
    let spec: RecordedRunSpec;
    try {
      spec = recordedRunSpec(this.rec, this.name);
    } catch (err) {
      this.handlers.onError(err instanceof Error ? err.message : String(err));
      return;
    }
    this.handlers.onProgress(`Building the world of ${this.name}…`, 0.2);
    this.send({ type: 'view', run: spec });
  }

  start(_request: unknown, opts: { speed: number; autoplay: boolean }): void {
    // The run view's Reset / Play after the end: the recording again from its start.
    this.speed = opts.speed;
    this.pause();
    if (this.init) this.show(opts.autoplay);
    else this.autoplay = opts.autoplay;
  }

  play(): void {
    if (!this.init || this.playing) return;
    if (this.t >= this.duration) this.seek(0);
    this.playing = true;
    this.lastWall = performance.now() / 1000;
    const tick = (now: number) => {
      if (!this.playing) return;
      const wall = now / 1000;
      const dtWall = Math.min(0.25, Math.max(0, wall - this.lastWall));
      this.lastWall = wall;
      const from = this.t;
      const to = Math.min(this.duration, from + dtWall * this.speed);
      this.emit(to, eventsBetween(this.rec, from, to));
      if (to >= this.duration) {
        this.pause();
        return;
      }
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
    this.listener.onTime?.(this.t, true);
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.listener.onTime?.(this.t, false);
  }

  /** One sample period forward. */
  step(): void {
    if (!this.init) return;
    this.pause();
    const to = Math.min(this.duration, this.t + 1 / this.rec.header.rateHz);
    this.emit(to, eventsBetween(this.rec, this.t, to));
  }

  setSpeed(speed: number): void {
    this.speed = speed;
  }

  setLayers(): void {}

  /** Show time `t` (clamped), with no events replayed in between (a jump). */
  seek(t: number): void {
    if (!this.init) return;
    this.emit(Math.min(this.duration, Math.max(0, t)), undefined);
  }

  stop(): void {
    this.pause();
  }

  dispose(): void {
    this.disposed = true;
    this.pause();
    this.worker?.terminate();
    this.worker = null;
  }

  private emit(t: number, events: SimEvent[] | undefined): void {
    if (!this.init) return;
    this.t = t;
    this.handlers.onFrame(recordedFrame(this.rec, this.init, this.recIndex, t, events));
    this.listener.onTime?.(t, this.playing);
  }

  /** The view from the start: init, the first frame, the recorded verdict. */
  private show(autoplay: boolean): void {
    const init = this.init!;
    this.t = 0;
    this.handlers.onInit(init);
    this.listener.onReady?.(init);
    this.emit(0, eventsBetween(this.rec, -Infinity, 0));
    this.handlers.onResult(this.rec.result);
    if (autoplay) this.play();
  }

  private send(m: ToWorker): void {
    if (this.disposed) return;
    if (!this.worker) {
      const w = this.createWorker();
      w.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        this.receive({ type: 'error', message: `the replay worker failed: ${e.message || 'it could not be loaded'}` });
      };
      this.worker = w;
    }
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    if (this.disposed) return;
    switch (m.type) {
      case 'progress':
        if (!this.init) this.handlers.onProgress(m.stage, m.fraction);
        else this.setVerify({ state: 'running', fraction: m.fraction, stage: m.stage });
        break;
      case 'init': {
        if (this.init) break;
        this.init = m.init;
        this.recIndex = recordedIndexes(this.rec, m.init);
        this.show(this.autoplay);
        this.setVerify({ state: 'running', fraction: 0, stage: 'Re-simulating the recorded run…' });
        this.send({ type: 'verify', run: recordedRunSpec(this.rec, this.name) });
        break;
      }
      case 'verified': {
        const r = this.rec.result;
        this.setVerify({ state: 'done', result: m.result, verdictMatches: m.result.verdict === r.verdict, hashMatches: m.result.stateHash === r.stateHash });
        this.worker?.terminate();
        this.worker = null;
        break;
      }
      case 'error':
        if (!this.init) this.handlers.onError(`${this.name}: ${m.message}`);
        else this.setVerify({ state: 'error', message: m.message });
        break;
      default:
        break;
    }
  }

  private setVerify(v: VerifyState): void {
    this.verified = v;
    this.listener.onVerify?.(v);
  }
}
