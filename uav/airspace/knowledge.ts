/**
 * What a UAV agent may know of the airspace (issue #6): the published zones
 * (as a geo-awareness service or a drone's zone database provides them) and,
 * at a given simulation time, which are active, including zones a timeline
 * event switched on or off mid-flight (a temporary restriction announced to
 * the drone). This is prior knowledge and broadcast status, like a car's HD
 * map: not ground truth of the vehicle's own state. The scenario builds it
 * (scenarios/), the agents read it (agents/ via `AgentEnv.airspace`), and the
 * compliance criteria judge against the same zones on ground truth.
 */
import type { Zone } from './zone.ts';

export interface AirspaceKnowledge {
  /** Every zone of the scenario, in a fixed order (the index is the zone's handle). */
  readonly zones: readonly Zone[];
  /** UTC epoch ms at simulation time `simTimeS` (the scenario's start instant plus the elapsed time). */
  utcMsAt(simTimeS: number): number;
  /** Whether zone `index` applies at simulation time `simTimeS`: its schedule, unless a timeline event overrides it. */
  isActive(index: number, simTimeS: number): boolean;
  /** Ground height AMSL at a local point, m (flat ground at the origin's altitude unless the scenario says otherwise). */
  groundAmslM(e: number, n: number): number;
}
