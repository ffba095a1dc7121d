/**
 * A sensor samples ground truth and adds its noise model. Noise parameters
 * cite their source next to them. A sensor sees the world only through the
 * read-only `SenseContext`; the agent sees only what the sensor returns.
 */
import type { Pose } from './math.ts';
import type { PhysicsBackend } from './physics/backend.ts';
import type { Rng } from './rng.ts';
import type { ActorState } from './snapshot.ts';

export interface SenseContext {
  /** For ray and shape queries only; sensors never mutate physics. */
  readonly physics: Pick<PhysicsBackend, 'castRay'>;
  /** Ground truth of the actor the sensor is mounted on. */
  readonly self: ActorState;
  /** The actor's main body (rays skip it). */
  readonly selfBody: number;
  readonly time: number;
}

export interface Sensor<Obs = unknown> {
  readonly name: string;
  readonly type: string;
  readonly rateHz: number;
  /** Mount pose in the actor's body frame. */
  readonly mount: Pose;
  sample(ctx: SenseContext, rng: Rng): Obs;
}

/** What an agent receives from one sensor: its latest sample and when it was taken. */
export interface Reading<Obs = unknown> {
  time: number;
  value: Obs;
  /** False while a timeline fault has the sensor failed: `value` is then the last good sample or null. */
  healthy: boolean;
}
