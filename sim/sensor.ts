/**
 * A sensor samples ground truth and adds its noise model. Noise parameters
 * cite their source next to them. A sensor sees the world only through the
 * read-only `SenseContext`; the agent sees only what the sensor returns.
 */
import type { Pose, Vec3 } from './math.ts';
import type { BodyHandle, PhysicsBackend } from './physics/backend.ts';
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
  /**
   * Every other non-terrain actor still in the world, in insertion order.
   * Ground truth: a sensor may read it to *generate* measurements (what
   * exists, where, how fast); an agent only ever sees the sensor's output.
   * Line of sight is the sensor's business, through `physics.castRay`.
   */
  readonly others: readonly OtherActor[];
}

/** The world's read-only view of one actor, built once when the actor is added. */
export interface OtherActor {
  readonly id: string;
  readonly kind: string;
  /** Live ground truth, kept current by the world: read it, never keep or mutate it. */
  readonly state: Readonly<ActorState>;
  /** Its physics bodies, so that a ray hit can be attributed to it. */
  readonly bodies: readonly BodyHandle[];
  /** Axis-aligned bounding box of its parts in its own body frame: centre and half extents, metres. */
  readonly boxCenter: Readonly<Vec3>;
  readonly halfExtents: Readonly<Vec3>;
}

export interface Sensor<Obs = unknown> {
  readonly name: string;
  readonly type: string;
  readonly rateHz: number;
  /** Mount pose in the actor's body frame. */
  readonly mount: Pose;
  sample(ctx: SenseContext, rng: Rng): Obs;
  /**
   * Optional: whether the sample just taken is usable (e.g. false for a V2X
   * receiver in a world whose radio is switched off). The world sets the
   * reading's `healthy` from it; without it, a fresh sample is healthy.
   */
  healthy?(): boolean;
}

/** What an agent receives from one sensor: its latest sample and when it was taken. */
export interface Reading<Obs = unknown> {
  time: number;
  value: Obs;
  /** False while a timeline fault has the sensor failed: `value` is then the last good sample or null. */
  healthy: boolean;
}
