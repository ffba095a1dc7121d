/**
 * The TTC and clearance markers' data, pure (no DOM, no three): which
 * thresholds colour them and how a value reads against its threshold.
 *
 * Thresholds are the run's own criteria's (`min-ttc`, `min-clearance`: the
 * scenario's value, else the seeds/ default the criterion itself uses), and
 * the seeds/ defaults when the run has no such criterion, so a marker is
 * always coloured against the requirement the scorers would apply.
 */
import { REQUIREMENTS } from '../seeds/requirements.ts';
import type { ViewInit } from './sim-protocol.ts';

export type MarkerLevel = 'fail' | 'warn' | 'ok';

/** A value within this factor of its threshold is a warning (display convention: the amber band before a criterion fails). */
export const WARN_FACTOR = 1.5;

export interface MarkerThreshold {
  value: number;
  /** `criterion:<name>` or `seeds:<id>`. */
  source: string;
}

export interface MarkerThresholds {
  ttcS: MarkerThreshold;
  clearanceM: MarkerThreshold;
}

/** The run's thresholds: its min-ttc / min-clearance criteria (the largest, if several), else the seeds/ defaults. */
export function markerThresholds(init: Pick<ViewInit, 'criteria'>): MarkerThresholds {
  const pick = (type: string, fallback: 'miit-2a-min-ttc' | 'miit-2c-avoidance-clearance'): MarkerThreshold => {
    let best: MarkerThreshold | null = null;
    for (const row of init.criteria) {
      const r = row.result;
      if (r.type !== type || r.threshold === null || !Number.isFinite(r.threshold)) continue;
      if (!best || r.threshold > best.value) best = { value: r.threshold, source: `criterion:${r.name}` };
    }
    return best ?? { value: REQUIREMENTS[fallback].threshold, source: `seeds:${fallback}` };
  };
  return { ttcS: pick('min-ttc', 'miit-2a-min-ttc'), clearanceM: pick('min-clearance', 'miit-2c-avoidance-clearance') };
}

/** Below the threshold: fail; below WARN_FACTOR x it: warn; else ok (both TTC and clearance are "larger is safer"). */
export function markerLevel(value: number, threshold: number): MarkerLevel {
  if (value < threshold) return 'fail';
  if (value < WARN_FACTOR * threshold) return 'warn';
  return 'ok';
}

/** The labels: "TTC 2.1 s" and "1.8 m". */
export function ttcLabel(valueS: number): string {
  return `TTC ${valueS.toFixed(1)} s`;
}
export function clearanceLabel(valueM: number): string {
  return `${valueM.toFixed(1)} m`;
}

/** Marker colours by level (the criteria panel's red, amber and green). */
export const MARKER_COLORS: Record<MarkerLevel, string> = { fail: '#ff5f5f', warn: '#f5b942', ok: '#3ecf8e' };
