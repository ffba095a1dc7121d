/**
 * The live metric channels' names, meanings and units (no imports: the
 * recording format and the browser's plots use them without pulling in the
 * sampler, scenarios/metrics/live.ts).
 */
/** The channel names, in the order samples list them. */
export const METRIC_CHANNELS = ['speedMps', 'ttcS', 'clearanceM', 'gimbalErrorDeg', 'gimbalJitterDeg', 'zoneMarginM'] as const;
export type MetricChannel = (typeof METRIC_CHANNELS)[number];

/** What each channel means, with its unit, for legends and the MCAP schema. */
export const METRIC_INFO: Record<MetricChannel, { label: string; unit: string }> = {
  speedMps: { label: 'ego speed', unit: 'm/s' },
  ttcS: { label: 'time to collision', unit: 's' },
  clearanceM: { label: 'clearance', unit: 'm' },
  gimbalErrorDeg: { label: 'gimbal error', unit: 'deg' },
  gimbalJitterDeg: { label: 'gimbal jitter (1 Hz high-pass)', unit: 'deg' },
  zoneMarginM: { label: 'zone margin', unit: 'm' },
};

/** One sample: the time and a value per present channel (null: nothing to measure now, e.g. no car in the path). */
export interface MetricSample {
  /** Simulation time, s. */
  t: number;
  values: Partial<Record<MetricChannel, number | null>>;
}

