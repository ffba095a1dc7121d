/**
 * The performance probe behind `npm run bench:web` (scripts/web-perf.ts):
 * with `?stats=1` in the link, it records per animation frame the interval
 * since the previous one and the main thread's render time, and per worker
 * frame the wall time the worker spent stepping and the sim time reached;
 * `window.skylanePerf.read()` summarises a window of them (medians, p95,
 * real-time factor). Without `stats=1` it installs nothing.
 *
 * It only listens (web/app.ts events and its own requestAnimationFrame):
 * the run and its result are unchanged.
 */
import { app, appEvents } from './app.ts';
import { parseDeepLink } from './params.ts';

/** A window's figures (wall times in ms unless named otherwise). */
export interface PerfSummary {
  /** Wall seconds the window covers (first to last worker frame). */
  wallS: number;
  /** Sim seconds advanced over it. */
  simS: number;
  /** simS / wallS: >= 1 keeps real time at 1x. */
  realTimeFactor: number;
  /** Animation frames per wall second. */
  fps: number;
  /** Worker frames received per wall second. */
  workerFramesPerS: number;
  /** Interval between animation frames, ms (the frame time a viewer sees). */
  frameMs: { median: number; p95: number };
  /** Main-thread time in SceneView.render per animation frame, ms. */
  renderMs: { median: number; p95: number };
  /** Worker wall time stepping per worker frame (frames that stepped), ms. */
  simMsPerFrame: { median: number; p95: number };
  /** Worker wall time per physics step, ms (total stepping time / steps). */
  simMsPerStep: number;
  /** Physics steps per worker frame, median. */
  stepsPerFrame: number;
  /** Sim seconds the worker dropped over the window to stay responsive (0: it kept up with the wall clock x speed). */
  droppedSimS: number;
  /** Whether the run ended inside the window (the figures stop at its end). */
  ended: boolean;
  /** The 3D view drew lite (no MSAA, no shadows), and the software rasteriser if any. */
  lite: boolean | null;
  softwareGl: string | null;
}

export interface PerfProbe {
  /** Start a new window (drops what was recorded). */
  reset(): void;
  read(): PerfSummary;
}

/** The q-quantile (0..1) of `xs` by the nearest rank (NaN when empty). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

function install(): PerfProbe {
  let intervals: number[] = [];
  let render: number[] = [];
  let simMs: number[] = [];
  let steps = 0;
  let stepMsTotal = 0;
  let stepsPerFrame: number[] = [];
  let workerFrames = 0;
  let dropped = 0;
  let first: { wall: number; sim: number } | null = null;
  let last: { wall: number; sim: number } | null = null;
  let lastRaf = NaN;
  let ended = false;

  const raf = (t: number): void => {
    if (Number.isFinite(lastRaf) && !ended) intervals.push(t - lastRaf);
    lastRaf = t;
    requestAnimationFrame(raf);
  };
  requestAnimationFrame(raf);
  appEvents.on('render', (r) => {
    if (!ended) render.push(r.renderMs);
  });
  appEvents.on('frame', (f) => {
    if (ended) return;
    const now = performance.now();
    first ??= { wall: now, sim: f.time };
    last = { wall: now, sim: f.time };
    workerFrames++;
    if (workerFrames > 1) dropped += f.stats?.droppedS ?? 0;
    if (f.stats && f.stats.steps > 0) {
      simMs.push(f.stats.stepMs);
      stepsPerFrame.push(f.stats.steps);
      steps += f.stats.steps;
      stepMsTotal += f.stats.stepMs;
    }
  });
  appEvents.on('result', () => {
    ended = true;
  });

  return {
    reset() {
      intervals = [];
      render = [];
      simMs = [];
      stepsPerFrame = [];
      steps = 0;
      stepMsTotal = 0;
      workerFrames = 0;
      dropped = 0;
      first = null;
      last = null;
      lastRaf = NaN;
      ended = false;
    },
    read(): PerfSummary {
      const wallS = first && last ? (last.wall - first.wall) / 1000 : 0;
      const simS = first && last ? last.sim - first.sim : 0;
      const frameWallS = intervals.reduce((a, b) => a + b, 0) / 1000;
      return {
        wallS,
        simS,
        realTimeFactor: wallS > 0 ? simS / wallS : NaN,
        fps: frameWallS > 0 ? intervals.length / frameWallS : NaN,
        workerFramesPerS: wallS > 0 ? (workerFrames - 1) / wallS : NaN,
        frameMs: { median: quantile(intervals, 0.5), p95: quantile(intervals, 0.95) },
        renderMs: { median: quantile(render, 0.5), p95: quantile(render, 0.95) },
        simMsPerFrame: { median: quantile(simMs, 0.5), p95: quantile(simMs, 0.95) },
        simMsPerStep: steps > 0 ? stepMsTotal / steps : NaN,
        stepsPerFrame: quantile(stepsPerFrame, 0.5),
        droppedSimS: dropped,
        ended,
        lite: app().scene?.()?.lite ?? null,
        softwareGl: app().scene?.()?.softwareGl ?? null,
      };
    },
  };
}

if (typeof window !== 'undefined' && parseDeepLink(window.location.search).stats) {
  (window as unknown as { skylanePerf: PerfProbe }).skylanePerf = install();
}
