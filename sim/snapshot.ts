/**
 * What the world publishes: ground truth each tick (`TickSnapshot` on
 * `tick$`) and discrete happenings (`SimEvent` on `events$`).
 *
 * Snapshots are immutable by convention and reused by the world between
 * ticks (a 100 Hz loop allocates nothing): a subscriber that keeps one past
 * its callback copies it with `cloneSnapshot`.
 */
import type { Quat, Vec3 } from './math.ts';

export interface ActorState {
  id: string;
  kind: string;
  position: Vec3;
  rotation: Quat;
  linearVelocity: Vec3;
  angularVelocity: Vec3;
  /** False once the actor has been removed by the timeline. */
  present: boolean;
}

export interface TickSnapshot {
  step: number;
  /** Simulation time at the end of this step, seconds. */
  time: number;
  actors: ActorState[];
}

export type SimEvent =
  | { type: 'collision'; time: number; a: string; b: string; started: boolean }
  | { type: 'timeline'; time: number; event: string; detail: string }
  | { type: 'fault'; time: number; actor: string; target: string; detail: string }
  | { type: 'criterion'; time: number; name: string; passed: boolean; reason: string }
  | { type: 'agent-error'; time: number; actor: string; detail: string }
  | { type: 'stop'; time: number; reason: string }
  /** Airspace compliance (uav/airspace/service.ts): a UAV entered or left an active zone, or a breach is predicted within its stopping distance. */
  | { type: 'airspace'; time: number; actor: string; zone: string; kind: 'entry' | 'exit' | 'warning'; detail: string };

export function cloneActorState(s: ActorState): ActorState {
  return {
    id: s.id,
    kind: s.kind,
    position: [...s.position],
    rotation: [...s.rotation],
    linearVelocity: [...s.linearVelocity],
    angularVelocity: [...s.angularVelocity],
    present: s.present,
  };
}

export function cloneSnapshot(s: TickSnapshot): TickSnapshot {
  return { step: s.step, time: s.time, actors: s.actors.map(cloneActorState) };
}
