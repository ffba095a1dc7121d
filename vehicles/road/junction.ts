/**
 * A junction, as an OpenDRIVE `<junction>`: a set of connections, each
 * leading from an incoming road through a connecting road (a road whose
 * `junction` names this one), lane by lane (`<laneLink from to>`).
 *
 * A `direct` junction (OpenDRIVE 1.7+) joins roads without connecting roads:
 * `connectingRoad` is then the linked road itself. Highway on-ramps use it.
 */
import type { ContactPoint } from './road.ts';

export interface LaneLink {
  /** Lane id on the incoming road. */
  from: number;
  /** Lane id on the connecting (or, in a direct junction, linked) road. */
  to: number;
}

export interface JunctionConnection {
  id: string;
  incomingRoad: string;
  /** The connecting road (default junction) or the linked road (direct junction). */
  connectingRoad: string;
  /** The end of the connecting road that touches the incoming road. */
  contactPoint: ContactPoint;
  laneLinks: LaneLink[];
  /** Signal group of the controller that governs this movement, if signalised. */
  signalGroup?: string;
}

export interface JunctionDescriptor {
  id: string;
  name?: string;
  type?: 'default' | 'direct';
  connections: JunctionConnection[];
  /** Ids of the signal controllers of this junction. */
  controllers?: string[];
}
