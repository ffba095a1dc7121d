/**
 * What travels through the simulated radio: a message stamped with its sender
 * and its simulation send time, fanned out to one receiver.
 *
 * The radio effects (channel/*.ts) are rxjs operators over streams of these,
 * one stream per receiver, so each effect sees exactly one sender-receiver
 * pair at a time and can be tested alone.
 */
import type { Vec3 } from '../../sim/math.ts';

export interface Delivery<M> {
  /** Actor id of the transmitter (J2735 id for a BSM, the RSU for a SPaT). */
  senderId: string;
  /** Actor id of the receiver this copy is for. */
  receiverId: string;
  /** Simulation time of transmission, s (never wall time). */
  sentAtS: number;
  message: M;
}

/**
 * Ground-truth position of an actor at the current simulation time, or
 * undefined when it has none (removed, unknown): such an actor can neither
 * transmit nor receive.
 */
export type PositionOf = (actorId: string) => Readonly<Vec3> | undefined;

/** Euclidean distance between sender and receiver, m; Infinity when either position is unknown. */
export function linkDistanceM(d: { senderId: string; receiverId: string }, positionOf: PositionOf): number {
  const a = positionOf(d.senderId), b = positionOf(d.receiverId);
  if (a === undefined || b === undefined) return Infinity;
  const dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}
