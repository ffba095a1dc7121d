/**
 * An actor is a thing in the world with a body: a rover, a car, a drone, an
 * obstacle, the ground. It turns its agent's command into forces (actuator
 * limits and lags live here) and reports its ground truth.
 */
import type { Pose } from './math.ts';
import type { BodyHandle, PhysicsBackend, ShapeDesc } from './physics/backend.ts';
import type { ActorState } from './snapshot.ts';

/** One visual/collision piece, for renderers and clearance: a shape at an offset in the actor frame. */
export interface ActorPart {
  shape: ShapeDesc;
  offset: Pose;
}

/** Plain data describing an actor's look and role; built once, sent to renderers and workers. */
export interface ActorDescriptor {
  id: string;
  kind: string;
  parts: ActorPart[];
  /** Never moves: renderers and the snapshot may cache its pose. */
  isStatic: boolean;
  /** The ground and other terrain: contacts with it are not collisions. */
  isTerrain: boolean;
  color?: string;
}

export interface Actor<Cmd = unknown> {
  readonly id: string;
  readonly kind: string;
  /** The body whose pose is the actor's pose. */
  readonly body: BodyHandle;
  /** All bodies belonging to the actor (the main one first). */
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  /**
   * Called every physics step with the agent's latest command (held between
   * agent ticks), or `undefined` if the actor has no agent or it has not
   * acted yet. `state` is the actor's ground truth as of the end of the last
   * step (the world keeps it current), so actuators need not query the engine.
   */
  applyCommand(physics: PhysicsBackend, cmd: Cmd | undefined, dt: number, state: Readonly<ActorState>): void;
  /** Write the ground-truth state into `out`. */
  groundTruth(physics: PhysicsBackend, out: ActorState): void;
  /** Remove the actor's bodies from the physics world. */
  destroy(physics: PhysicsBackend): void;
}

const _pose: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };

/** Read one body's pose and velocities into an ActorState (the usual `groundTruth`). */
export function readBodyState(physics: PhysicsBackend, body: BodyHandle, out: ActorState): void {
  physics.getPose(body, _pose);
  const p = _pose.position, q = _pose.rotation;
  out.position[0] = p[0]; out.position[1] = p[1]; out.position[2] = p[2];
  out.rotation[0] = q[0]; out.rotation[1] = q[1]; out.rotation[2] = q[2]; out.rotation[3] = q[3];
  physics.getLinearVelocity(body, out.linearVelocity);
  physics.getAngularVelocity(body, out.angularVelocity);
}
