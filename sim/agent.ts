/**
 * The pluggable brain. An agent turns what its actor perceives (sensor
 * readings, V2X inbox) and its mission into a command. It never sees ground
 * truth, unless a scenario grants it (the report then says so).
 */
import type { Reading } from './sensor.ts';
import type { Rng } from './rng.ts';

export interface Observation {
  time: number;
  /** Latest reading of each sensor on the actor, by sensor name. */
  sensors: Record<string, Reading | undefined>;
  /** Unused (always empty): V2X messages reach an agent through a `v2x` sensor (sim/sensors/v2x.ts). */
  v2x: readonly unknown[];
}

export interface AgentContext {
  actorId: string;
  actorKind: string;
  /** The actor's mission from the scenario (goal, route, ...), as validated plain data. */
  mission: Readonly<Record<string, unknown>>;
  /** Agent parameters from the scenario. */
  params: Readonly<Record<string, unknown>>;
  /** Seeded stream for agents that randomise (exploration, dithering). */
  rng: Rng;
}

export interface Agent<Cmd = unknown> {
  /** Decision rate, Hz; the command is held between ticks. */
  readonly rateHz: number;
  reset(ctx: AgentContext): void;
  act(obs: Observation, t: number): Cmd;
  /**
   * Optional, for teaching mode: what the agent perceives and why it acts, in
   * plain words from its own beliefs (never ground truth), e.g. "braking:
   * pedestrian #2 detected 23.4 m ahead, TTC 2.1 s"; null when it has nothing
   * to say yet. Read-only (asking must not change the run) and cheap: the
   * app asks about ten times a second.
   */
  explain?(): string | null;
}
