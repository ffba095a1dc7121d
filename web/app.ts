/**
 * The app's extension surface: what the lab's features (gallery, agent
 * editor, recordings and replay, live plots, teaching mode) need from the run
 * view without reaching into web/main.ts's state.
 *
 * main.ts owns the run lifecycle and fills `app` in at start-up; a feature
 * module imports `app`, subscribes to what the frame source reports (`on`)
 * and asks for runs (`restart`, `open`). Everything it receives is the same
 * plain data the views get (web/sim-protocol.ts), so a feature works alike
 * for a live run (the worker) and a recording (a second FrameSource).
 */
import type { RunResult } from '../scenarios/result.ts';
import type { BackendId } from '../sim/physics/backend.ts';
import type { FrameSource, FrameSourceHandlers } from './frame-source.ts';
import type { LibraryEntry } from './library.ts';
import type { SceneView } from './scene.ts';
import type { RunExtras, ViewFrame, ViewInit } from './sim-protocol.ts';

/** What the run view reports, in this order per run: prepare, init, frame..., result | error. */
export interface AppEvents {
  /** A run is being (re)built: its scenario, seed, backend and extras. */
  prepare: RunSpec;
  init: ViewInit;
  frame: ViewFrame;
  result: RunResult;
  error: string;
  /** The selected library scenario changed (null: none). */
  select: LibraryEntry | null;
  /** A recording was opened in the run view (web/replay.ts): the view shows it now. */
  replay: { name: string };
  /** A live run's recording, after its result (web/sim-worker.ts records every run): file name and `.skyrec.json.gz` bytes. */
  recording: { name: string; bytes: ArrayBuffer };
  /** One animation frame drawn: the main thread's time in `SceneView.render`, ms (for the stats and the perf bench). */
  render: { renderMs: number };
}

export interface RunSpec {
  scenarioId: string;
  seed: number;
  backend: BackendId;
  /** Run options beyond seed and backend: user agents, break-it switches (scenarios/runner.ts RunOptions). */
  extras: RunExtras;
}

type Listener<K extends keyof AppEvents> = (payload: AppEvents[K]) => void;

/** Filled in by main.ts before any feature module's code runs a callback. */
export interface AppApi {
  /** The library scenarios, as listed. */
  entries(): readonly LibraryEntry[];
  /** The run now shown (null before the first). */
  current(): RunSpec | null;
  /** Its static view data and final result, once known. */
  init(): ViewInit | null;
  result(): RunResult | null;
  /**
   * Build the run again with other extras (undefined: keep the current ones),
   * playing once built if `autoplay`. The extras stay until changed.
   */
  restart(extras?: RunExtras, autoplay?: boolean): void;
  /** Select a library scenario (and seed), then build it. */
  open(scenarioId: string, opts?: { seed?: number; extras?: RunExtras; autoplay?: boolean }): void;
  /** Switch where frames come from (a recording player); `handlers` is what it reports to. */
  useFrameSource(next: FrameSource): void;
  /** Back to the live simulation worker. */
  useLiveSource(): void;
  readonly handlers: FrameSourceHandlers;
  /** A message in the notices area. */
  notify(level: 'info' | 'warn' | 'error', title: string, detail?: string): void;
  /** The 3D view (null: WebGL unavailable), for features that toggle its overlays. */
  scene?(): SceneView | null;
}

const listeners: { [K in keyof AppEvents]?: Listener<K>[] } = {};

export const appEvents = {
  on<K extends keyof AppEvents>(type: K, fn: Listener<K>): () => void {
    const list = (listeners[type] ??= []) as Listener<K>[];
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  },
  /** main.ts only. A listener's throw is reported, never allowed to stop the run view. */
  emit<K extends keyof AppEvents>(type: K, payload: AppEvents[K]): void {
    for (const fn of [...((listeners[type] ?? []) as Listener<K>[])]) {
      try {
        fn(payload);
      } catch (err) {
        console.error(`a '${type}' listener failed:`, err);
      }
    }
  },
};

let impl: AppApi | null = null;

/** main.ts: install the implementation. */
export function provideApp(api: AppApi): void {
  impl = api;
}

/** The run view's API (throws if used before main.ts started). */
export function app(): AppApi {
  if (!impl) throw new Error('web/app.ts: the app is not started yet (main.ts provides it)');
  return impl;
}

/**
 * Hooks a lab feature may install for main.ts (additive, all optional).
 * `landing`: called at start-up when the URL names no scenario; returning
 * true means the feature shows its own landing view (the gallery,
 * web/gallery-view.ts) and main.ts builds no run until one is opened.
 */
export const labHooks: { landing?: () => boolean } = {};
