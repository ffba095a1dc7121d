/**
 * A traffic light (signal head) on a road, as an OpenDRIVE `<signal>` of a
 * dynamic type: where it stands (road s), which lanes and which junction
 * connections it governs, and which controller's signal group it shows.
 */
export interface TrafficLightDescriptor {
  id: string;
  controllerId: string;
  signalGroup: string;
  roadId: string;
  /** Road coordinate of the stop line it guards, m. */
  s: number;
  /** Lanes that stop for it. */
  laneIds: number[];
  /** Junction connections (movements) it governs. */
  connectionIds: string[];
}
