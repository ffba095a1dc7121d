/**
 * A stop line across some lanes of a road at road coordinate s, and what
 * governs it: traffic lights, one per movement (stop on red and, if able,
 * on yellow) or a stop sign (stop, then go when clear). OpenDRIVE draws it
 * as a road-mark object with a `<validity fromLane toLane>`.
 */
export interface StopLineDescriptor {
  id: string;
  roadId: string;
  /** Road coordinate of the line, m. */
  s: number;
  laneIds: number[];
  control: { kind: 'traffic-light'; trafficLightIds: string[] } | { kind: 'stop-sign' } | { kind: 'none' };
}
