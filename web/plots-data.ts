/**
 * The live plots' data, pure (no DOM, no uPlot; tested in Node): what a
 * frame's `metrics` holds turned into samples, the samples kept per channel
 * at a bounded rate, and the reference lines each channel is drawn with
 * (the run's own thresholds).
 */
import { METRIC_CHANNELS, type MetricChannel, type MetricSample } from '../scenarios/metrics/channels.ts';
import type { CriterionRowData } from './sim-protocol.ts';

/** A frame's metrics: a named value per channel at the frame's time, or every sample since the last frame. */
export type FrameMetrics = Readonly<Record<string, number>> | readonly MetricSample[] | undefined;

const CHANNELS: ReadonlySet<string> = new Set(METRIC_CHANNELS);

/**
 * A frame's metrics as samples: an array is taken as is; a record becomes one
 * sample at the frame's time `t` (non-finite values: nothing measured).
 * Names that are not metric channels are ignored.
 */
export function metricSamples(m: FrameMetrics, t: number): MetricSample[] {
  if (!m) return [];
  if (Array.isArray(m)) return m as MetricSample[];
  const values: MetricSample['values'] = {};
  for (const [k, v] of Object.entries(m as Record<string, number>)) {
    if (CHANNELS.has(k)) values[k as MetricChannel] = Number.isFinite(v) ? v : null;
  }
  return [{ t, values }];
}

/** The plan's gimbal jitter band, deg (seeds: miit-2c-gimbal-precision, 0.005 deg per axis). */
export const JITTER_BAND_DEG = 0.005;

/** A horizontal reference line of a channel's plot. */
export interface RefLine {
  value: number;
  label: string;
  /** `band`: shade |y| <= value (the jitter band); `line`: a dashed line. */
  style: 'line' | 'band';
}

/**
 * Reference lines from the run's criteria: the `min-ttc` threshold on TTC,
 * the `min-clearance` threshold on clearance, the jitter band (the
 * criterion's threshold, else the plan's 0.005 deg), zero on the zone margin.
 */
export function referenceLines(criteria: readonly CriterionRowData[]): Partial<Record<MetricChannel, RefLine[]>> {
  const threshold = (type: string): number | null => {
    for (const c of criteria) if (c.result.type === type && c.result.threshold !== null && Number.isFinite(c.result.threshold)) return c.result.threshold;
    return null;
  };
  const out: Partial<Record<MetricChannel, RefLine[]>> = { zoneMarginM: [{ value: 0, label: 'zone edge', style: 'line' }] };
  const ttc = threshold('min-ttc');
  if (ttc !== null) out.ttcS = [{ value: ttc, label: `min-ttc ${ttc} s`, style: 'line' }];
  const clear = threshold('min-clearance');
  if (clear !== null) out.clearanceM = [{ value: clear, label: `min-clearance ${clear} m`, style: 'line' }];
  const jitter = threshold('gimbal-jitter') ?? JITTER_BAND_DEG;
  out.gimbalJitterDeg = [{ value: jitter, label: `jitter band ${jitter}°`, style: 'band' }];
  return out;
}

/**
 * Samples per channel, kept at most every `minGapS` of sim time (a live run
 * posts ~60 frames a second; the plots need ~20) and at most `capacity`
 * points (the oldest are dropped). A channel appears once it has a sample.
 */
export class MetricSeries {
  readonly t: number[] = [];
  readonly values = new Map<MetricChannel, (number | null)[]>();
  private last = -Infinity;

  constructor(readonly minGapS = 0.05, readonly capacity = 6000) {}

  /** The channels seen so far, in METRIC_CHANNELS order. */
  get channels(): MetricChannel[] {
    return METRIC_CHANNELS.filter((c) => this.values.has(c));
  }

  clear(): void {
    this.t.length = 0;
    this.values.clear();
    this.last = -Infinity;
  }

  /** Add samples (in time order); returns whether any was kept. A sample earlier than the last kept one restarts the series. */
  push(samples: readonly MetricSample[]): boolean {
    let kept = false;
    for (const s of samples) {
      if (s.t < this.last) this.clear();
      if (s.t - this.last < this.minGapS - 1e-9 && this.t.length > 0) continue;
      for (const [k, v] of Object.entries(s.values)) {
        if (!CHANNELS.has(k) || this.values.has(k as MetricChannel)) continue;
        // A channel first seen late gets nulls for the samples before it.
        this.values.set(k as MetricChannel, new Array<number | null>(this.t.length).fill(null));
      }
      this.t.push(s.t);
      for (const [ch, list] of this.values) {
        const v = s.values[ch];
        list.push(v === undefined || v === null || !Number.isFinite(v) ? null : v);
      }
      this.last = s.t;
      kept = true;
    }
    if (this.t.length > this.capacity) {
      const drop = this.t.length - this.capacity;
      this.t.splice(0, drop);
      for (const list of this.values.values()) list.splice(0, drop);
    }
    return kept;
  }

  /** Replace everything with a whole recording's series (`times` s; one value list per channel). */
  setAll(times: ArrayLike<number>, values: Partial<Record<MetricChannel, readonly (number | null)[]>>): void {
    this.clear();
    for (let i = 0; i < times.length; i++) this.t.push(times[i]!);
    for (const ch of METRIC_CHANNELS) {
      const v = values[ch];
      if (v) this.values.set(ch, v.map((x) => (x === null || !Number.isFinite(x) ? null : x)));
    }
    this.last = this.t.length ? this.t[this.t.length - 1]! : -Infinity;
  }
}
