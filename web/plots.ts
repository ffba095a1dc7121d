/**
 * Live plots (issue #7 section 2): small multiples, one uPlot per metric
 * channel the run has (ego speed, TTC with the min-ttc threshold, clearance
 * with its threshold, gimbal error, gimbal jitter with the 0.005 deg band,
 * zone margin with its zero line), in the bottom dock. Fed by the frames'
 * `metrics` (web/app.ts 'frame'); a recording's replay (web/replay.ts) hands
 * over its whole series instead and moves a cursor (`plots.showRecording`,
 * `plots.setCursor`). Data handling is pure, in ./plots-data.ts.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './plots.css';
import { METRIC_INFO, type MetricChannel } from '../scenarios/metrics/channels.ts';
import { appEvents } from './app.ts';
import { MetricSeries, metricSamples, referenceLines, type FrameMetrics, type RefLine } from './plots-data.ts';
import type { ViewInit } from './sim-protocol.ts';

/** Redraw period while frames arrive, wall s (the plots need no more than 10 Hz). */
const REDRAW_PERIOD_S = 0.1;
const PLOT_HEIGHT_PX = 120;
const COLORS: Record<MetricChannel, string> = {
  speedMps: '#4fc3f7',
  ttcS: '#ffb74d',
  clearanceM: '#81c784',
  gimbalErrorDeg: '#ba68c8',
  gimbalJitterDeg: '#f06292',
  zoneMarginM: '#e57373',
};

class PlotsView {
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly series = new MetricSeries();
  private readonly plots = new Map<MetricChannel, uPlot>();
  private refs: Partial<Record<MetricChannel, RefLine[]>> = {};
  /** A recording is shown: live frames are ignored until the next live run. */
  private replaying = false;
  private cursorT: number | null = null;
  private dirty = false;
  private lastDraw = 0;

  constructor(host: HTMLElement) {
    this.root = document.createElement('section');
    this.root.className = 'plots';
    this.root.dataset.testid = 'plots';
    this.root.hidden = true;
    const head = document.createElement('div');
    head.className = 'plots-head';
    head.textContent = 'Live metrics (ground truth)';
    this.grid = document.createElement('div');
    this.grid.className = 'plots-grid';
    this.root.append(head, this.grid);
    host.append(this.root);
    new ResizeObserver(() => this.resize()).observe(this.grid);
  }

  reset(init: ViewInit | null, replaying: boolean): void {
    this.replaying = replaying;
    this.series.clear();
    this.cursorT = null;
    this.refs = referenceLines(init?.criteria ?? []);
    for (const p of this.plots.values()) p.destroy();
    this.plots.clear();
    this.grid.replaceChildren();
    this.root.hidden = true;
    this.root.dataset.channels = '';
  }

  takeFrame(time: number, metrics: FrameMetrics): void {
    if (this.replaying) return;
    if (this.series.push(metricSamples(metrics, time))) this.dirty = true;
    const now = performance.now() / 1000;
    if (this.dirty && now - this.lastDraw >= REDRAW_PERIOD_S) this.draw();
  }

  /** Show a recording's whole series (times s, a value list per channel). */
  showRecording(init: ViewInit | null, times: ArrayLike<number>, values: Partial<Record<MetricChannel, readonly (number | null)[]>>): void {
    this.reset(init, true);
    this.series.setAll(times, values);
    this.draw();
  }

  /** A vertical line at sim time `t` (replay). */
  setCursor(t: number): void {
    this.cursorT = t;
    for (const p of this.plots.values()) p.redraw(false, false);
  }

  /** Draw now (also the last frame of a run). */
  draw(): void {
    this.dirty = false;
    this.lastDraw = performance.now() / 1000;
    const chans = this.series.channels;
    if (chans.length === 0) return;
    this.root.hidden = false;
    this.root.dataset.channels = chans.join(',');
    for (const ch of chans) {
      const p = this.plots.get(ch) ?? this.build(ch);
      p.setData([this.series.t, this.series.values.get(ch)!] as unknown as uPlot.AlignedData);
    }
    this.root.dataset.points = String(this.series.t.length);
  }

  private build(ch: MetricChannel): uPlot {
    const cell = document.createElement('div');
    cell.className = 'plot-cell';
    cell.dataset.channel = ch;
    this.grid.append(cell);
    const info = METRIC_INFO[ch];
    const refs = this.refs[ch] ?? [];
    const opts: uPlot.Options = {
      width: Math.max(180, cell.clientWidth || 260),
      height: PLOT_HEIGHT_PX,
      pxAlign: 0,
      title: `${info.label} (${info.unit})`,
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      legend: { show: false },
      scales: {
        x: { time: false },
        y: {
          range: (_u, min, max) => {
            let lo = Number.isFinite(min) ? min : 0, hi = Number.isFinite(max) ? max : 1;
            for (const r of refs) {
              lo = Math.min(lo, r.style === 'band' ? -r.value : r.value);
              hi = Math.max(hi, r.value);
            }
            if (ch === 'speedMps' || ch === 'clearanceM' || ch === 'ttcS' || ch === 'gimbalErrorDeg' || ch === 'gimbalJitterDeg') lo = Math.min(lo, 0);
            const pad = (hi - lo) * 0.08 || 1;
            return [lo - (lo < 0 ? pad : 0), hi + pad];
          },
        },
      },
      axes: [
        { stroke: '#8b96a5', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 }, ticks: { show: false }, size: 22, values: (_u, v) => v.map((t) => `${+t.toFixed(1)} s`) },
        { stroke: '#8b96a5', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 }, ticks: { show: false }, size: 44, values: (_u, v) => v.map((x) => fmt(x)) },
      ],
      series: [{ label: 't' }, { label: info.label, stroke: COLORS[ch], width: 1.5, points: { show: false }, spanGaps: false }],
      hooks: {
        drawClear: [(u: uPlot) => drawRefs(u, refs, 'fill')],
        draw: [(u: uPlot) => {
          drawRefs(u, refs, 'edges');
          if (this.cursorT !== null) drawCursor(u, this.cursorT);
        }],
      },
    };
    const p = new uPlot(opts, [[], []], cell);
    this.plots.set(ch, p);
    return p;
  }

  private resize(): void {
    for (const [ch, p] of this.plots) {
      const cell = this.grid.querySelector<HTMLElement>(`[data-channel="${ch}"]`);
      const w = Math.max(180, cell?.clientWidth ?? 0);
      if (w !== p.width) p.setSize({ width: w, height: PLOT_HEIGHT_PX });
    }
  }
}

/** Reference lines: a dashed line (threshold), or a shaded band |y| <= value with dashed edges. */
function drawRefs(u: uPlot, refs: readonly RefLine[], part: 'fill' | 'edges'): void {
  if (refs.length === 0) return;
  const ctx = u.ctx, b = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(b.left, b.top, b.width, b.height);
  ctx.clip();
  for (const r of refs) {
    const ys = r.style === 'band' ? [u.valToPos(r.value, 'y', true), u.valToPos(-r.value, 'y', true)] : [u.valToPos(r.value, 'y', true)];
    if (part === 'fill') {
      if (r.style === 'band') {
        ctx.fillStyle = 'rgba(245, 185, 66, 0.16)';
        ctx.fillRect(b.left, ys[0]!, b.width, ys[1]! - ys[0]!);
      }
      continue;
    }
    ctx.strokeStyle = 'rgba(245, 185, 66, 0.95)';
    ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.lineWidth = 1.2 * devicePixelRatio;
    for (const y of ys) {
      ctx.beginPath();
      ctx.moveTo(b.left, y);
      ctx.lineTo(b.left + b.width, y);
      ctx.stroke();
    }
  }
  ctx.restore();
}

function drawCursor(u: uPlot, t: number): void {
  const ctx = u.ctx, b = u.bbox;
  const x = u.valToPos(t, 'x', true);
  if (!(x >= b.left && x <= b.left + b.width)) return;
  ctx.save();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
  ctx.lineWidth = 1 * devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(x, b.top);
  ctx.lineTo(x, b.top + b.height);
  ctx.stroke();
  ctx.restore();
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a === 0 ? '0' : a < 0.01 ? v.toExponential(0) : a < 10 ? String(+v.toPrecision(2)) : v.toFixed(0);
}

const host = document.getElementById('lab-dock');
/** The dock's plots (null without the dock). web/replay.ts drives them for a recording. */
export const plots: PlotsView | null = host ? new PlotsView(host) : null;

if (plots) {
  appEvents.on('prepare', () => plots.reset(null, false));
  // A recording's player calls showRecording right after its init (its plots come from the file, not the frames).
  appEvents.on('init', (init) => plots.reset(init, false));
  appEvents.on('frame', (f) => plots.takeFrame(f.time, f.metrics as FrameMetrics));
  appEvents.on('result', () => plots.draw());
}
