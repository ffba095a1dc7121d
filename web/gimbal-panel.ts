/**
 * The gimbal card: a live uPlot of the selected drone's camera attitude
 * error about its commanded attitude, per axis (roll x, pitch y, yaw z), in
 * millidegrees over the last `WINDOW_S` seconds, with the requirement's band
 * (miit-2c-gimbal-precision, +-threshold) shaded. Two series: the 1 Hz
 * high-passed error (what the jitter criterion judges; the default) and the
 * raw error (it carries the pointing offset and the slow drift too).
 *
 * Every drone with a gimbal (`gimbalOf`: the judged gimbal, not the
 * baseline copies) gets a trace from the start of the run: the sim worker
 * copies its `errorLog` after each physics tick (web/capture.ts) and the
 * frames carry those per-tick samples here, to ./gimbal-trace.ts, so no
 * substep is missed however many ticks a frame spans. The card shows only
 * while the selected drone has a gimbal.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { REQUIREMENTS } from '../seeds/requirements.ts';
import type { ViewFrame, ViewInit } from './sim-protocol.ts';
import { GimbalTrace, symmetricRange, type TraceSeries, type TraceWindow } from './gimbal-trace.ts';
import { $, setText } from './ui.ts';

/** Sliding window plotted, s. */
export const WINDOW_S = 10;
/** Plotted points per second (peak-preserving decimation of the substeps). */
const POINTS_PER_S = 500;
/** The band: the requirement's threshold, deg, in mdeg. */
export const BAND_MDEG = REQUIREMENTS['miit-2c-gimbal-precision'].threshold * 1000;
const AXIS_COLORS = ['#ef6b6b', '#3ecf8e', '#4f9dff'] as const;
const AXIS_NAMES = ['roll x', 'pitch y', 'yaw z'] as const;

/** What the card needs of the view: which drone is selected. */
export interface GimbalViewSource {
  readonly windDroneId: string;
}

interface Entry {
  trace: GimbalTrace;
}

export class GimbalPanel {
  private readonly card = $('gimbal-card');
  private readonly host = $('gimbal-plot');
  private readonly id = $('gimbal-id');
  private readonly peak = $('gimbal-peak');
  private readonly band = $('gimbal-band');
  private readonly buttons = Array.from(document.querySelectorAll<HTMLButtonElement>('[data-gimbal-series]'));
  private entries = new Map<string, Entry>();
  private plot: uPlot | null = null;
  private series: TraceSeries = 'hp';
  private yRange: [number, number] = [-2 * BAND_MDEG, 2 * BAND_MDEG];
  private shownId = '';
  private readonly data: [Float64Array, Float64Array, Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0), new Float64Array(0), new Float64Array(0)];

  constructor(private readonly view: GimbalViewSource | null) {
    for (const b of this.buttons) b.addEventListener('click', () => this.setSeries(b.dataset.gimbalSeries === 'raw' ? 'raw' : 'hp'));
    const req = REQUIREMENTS['miit-2c-gimbal-precision'];
    setText(this.band, `±${fmt(BAND_MDEG)} mdeg (${req.threshold}°)`);
    this.band.title = `${req.id}: ${req.quantity} ${req.comparison} ${req.threshold} ${req.unit}`;
    new ResizeObserver(() => this.resize()).observe(this.host);
  }

  /** Start tracing every drone's gimbal of a run (before its first step). */
  attach(init: ViewInit): void {
    this.clear();
    for (const g of init.gimbals) {
      const bucket = Math.max(1, Math.round(g.logHz / POINTS_PER_S));
      this.entries.set(g.actorId, { trace: new GimbalTrace({ logHz: g.logHz, bucket, windowS: WINDOW_S }) });
    }
    this.update();
  }

  /** Feed a frame's per-tick error samples to the traces. */
  take(f: ViewFrame): void {
    if (!f.gimbalSamples) return;
    for (const [id, s] of Object.entries(f.gimbalSamples)) {
      const e = this.entries.get(id);
      if (!e) continue;
      const n = 3 * s.samplesPerTick;
      for (let k = 0; k < s.lastTimes.length; k++) {
        // A tick already traced (a frame repeated by a recording) is not pushed twice.
        if (s.lastTimes[k]! <= e.trace.lastTime) continue;
        e.trace.push(s.log.subarray(k * n, (k + 1) * n), s.samplesPerTick, s.lastTimes[k]!);
      }
    }
  }

  clear(): void {
    this.entries = new Map();
    this.shownId = '';
    this.card.hidden = true;
  }

  /** The series shown: 'hp' (1 Hz high-passed, what the criterion judges) or 'raw'. */
  setSeries(s: TraceSeries): void {
    this.series = s;
    for (const b of this.buttons) b.setAttribute('aria-checked', String(b.dataset.gimbalSeries === s));
    this.card.dataset.series = s;
    this.update();
  }

  /** Redraw from the traces (called at the panel rate). */
  update(): void {
    // The selected drone; without a 3D view (no WebGL), the first one with a gimbal.
    const id = this.view ? this.view.windDroneId : (this.entries.keys().next().value ?? '');
    const e = this.entries.get(id);
    this.card.hidden = !e;
    if (!e) return;
    if (id !== this.shownId) {
      this.shownId = id;
      setText(this.id, id);
    }
    const plot = this.plot ?? this.build();
    const w = e.trace.window(this.series);
    this.yRange = symmetricRange(w, 2 * BAND_MDEG);
    this.data[0] = w.t;
    this.data[1] = w.x;
    this.data[2] = w.y;
    this.data[3] = w.z;
    plot.setData(this.data as unknown as uPlot.AlignedData);
    this.card.dataset.points = String(w.t.length);
    this.renderPeak(w);
  }

  /** Largest |error| per axis in the window, mdeg; each over the band is marked. */
  private renderPeak(w: TraceWindow): void {
    const peaks = [maxAbs(w.x), maxAbs(w.y), maxAbs(w.z)];
    const over = peaks.map((p) => p > BAND_MDEG);
    const text = peaks.map((p) => fmt(p)).join(' / ');
    setText(this.peak, `${text} mdeg`);
    this.peak.classList.toggle('over', over.some(Boolean));
    this.peak.dataset.peaks = peaks.map((p) => p.toFixed(4)).join(',');
  }

  private build(): uPlot {
    const width = Math.max(200, this.host.clientWidth);
    const opts: uPlot.Options = {
      width,
      height: 170,
      pxAlign: 0,
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      legend: { show: true, live: false },
      scales: {
        x: { time: false, range: (_u, _min, max) => (max > WINDOW_S ? [max - WINDOW_S, max] : [0, WINDOW_S]) },
        y: { range: () => this.yRange },
      },
      axes: [
        { stroke: '#8b96a5', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 }, ticks: { show: false }, size: 26, values: (_u, v) => v.map((t) => `${t.toFixed(0)} s`) },
        { stroke: '#8b96a5', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 }, ticks: { show: false }, size: 40, label: '', values: (_u, v) => v.map((t) => fmt(t)) },
      ],
      series: [
        { label: 't' },
        ...AXIS_NAMES.map((name, i) => ({ label: name, stroke: AXIS_COLORS[i], width: 1, points: { show: false } })),
      ],
      hooks: {
        // The band: shaded under the curves, its edges (+-threshold) dashed over them.
        drawClear: [(u: uPlot) => drawBand(u, 'fill')],
        draw: [(u: uPlot) => drawBand(u, 'edges')],
      },
    };
    this.plot = new uPlot(opts, [[], [], [], []], this.host);
    return this.plot;
  }

  private resize(): void {
    if (!this.plot) return;
    const w = Math.max(200, this.host.clientWidth);
    if (w !== this.plot.width) this.plot.setSize({ width: w, height: 170 });
  }
}

/** The requirement's band on the plot: the shaded area, or its two dashed edges. */
function drawBand(u: uPlot, part: 'fill' | 'edges'): void {
  const ctx = u.ctx, b = u.bbox;
  const top = u.valToPos(BAND_MDEG, 'y', true), bottom = u.valToPos(-BAND_MDEG, 'y', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(b.left, b.top, b.width, b.height);
  ctx.clip();
  if (part === 'fill') {
    ctx.fillStyle = 'rgba(245, 185, 66, 0.16)';
    ctx.fillRect(b.left, top, b.width, bottom - top);
  } else {
    ctx.strokeStyle = 'rgba(245, 185, 66, 0.95)';
    ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.lineWidth = 1.5 * devicePixelRatio;
    for (const y of [top, bottom]) {
      ctx.beginPath();
      ctx.moveTo(b.left, y);
      ctx.lineTo(b.left + b.width, y);
      ctx.stroke();
    }
  }
  ctx.restore();
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

/** mdeg for the card: two significant figures below 10, whole numbers above. */
function fmt(v: number): string {
  const a = Math.abs(v);
  return a === 0 ? '0' : a < 10 ? v.toPrecision(2) : v.toFixed(0);
}
