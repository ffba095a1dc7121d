/**
 * The airframe of a multirotor: rigid-body mass properties, rotor layout and
 * coefficients, motor dynamics and drag. Plain data, one cited set per real
 * vehicle in `airframes.ts`; this file holds the shape and the quantities
 * derived from it.
 *
 * Units are SI with rotor speeds in rad/s: thrust T = kf w^2 (N), reaction
 * torque Q = km w^2 (N m). Sources that quote coefficients per RPM^2 or as a
 * torque-to-thrust ratio are converted where the airframe is defined, and say so.
 *
 * Frames: body x forward, y left, z up (REP 103). A rotor with `spin: 1`
 * turns counter-clockwise seen from above (its angular velocity is +z body),
 * so the air drags it clockwise and the motor's reaction on the airframe is
 * -Q about body z; `spin: -1` (clockwise) gives +Q. This is the convention of
 * Gazebo's motor model (`turningDirection` ccw = 1, body torque
 * -turningDirection * Q).
 */
import type { Vec3 } from '../../sim/math.ts';

export interface RotorSpec {
  /** Rotor hub in the body frame, relative to the centre of mass. */
  readonly positionM: Vec3;
  /** +1 counter-clockwise seen from above, -1 clockwise. */
  readonly spin: 1 | -1;
}

export interface Airframe {
  /** Registry name (`airframeByName`), lower-case. */
  readonly name: string;
  /** Human-readable name of the vehicle the numbers come from. */
  readonly label: string;
  readonly massKg: number;
  /** Principal moments of inertia about body x, y, z through the centre of mass (products of inertia are zero in both sources). */
  readonly inertiaKgM2: Vec3;
  /** Rotors in the source's motor order: a rotor-speed command is indexed the same way. */
  readonly rotors: readonly RotorSpec[];
  /** Rotor (propeller) radius, for ground effect and drawing. */
  readonly rotorRadiusM: number;
  /** Thrust coefficient kf: T = kf w^2, N/(rad/s)^2. */
  readonly thrustCoeffNPerRadPerS2: number;
  /** Reaction-torque coefficient km: Q = km w^2, N m/(rad/s)^2. */
  readonly torqueCoeffNmPerRadPerS2: number;
  /** First-order motor time constant when speeding up, s. */
  readonly motorTauUpS: number;
  /** First-order motor time constant when slowing down, s. */
  readonly motorTauDownS: number;
  readonly maxRotorRadPerS: number;
  /**
   * Rotor (induced) drag per rotor: F = -c |w| v_perp, with v_perp the hub's
   * body-frame velocity in the rotor plane; N per (rad/s * m/s).
   */
  readonly rotorDragCoeffNsPerRadM: number;
  /**
   * Parasitic body drag per body axis: F_k = -c_k v_k |v| (body frame), with
   * c_k = rho Cd A_k / 2, N s^2/m^2.
   */
  readonly bodyDragCoeffNs2PerM2: Vec3;
  readonly color: string;
}

/**
 * Rotor speed at which the rotors together carry the weight, all equal:
 * 4 kf w^2 = m g (n rotors in general), w = sqrt(m g / (n kf)), rad/s.
 * Out of ground effect; a level airframe with the Iris's or the Crazyflie's
 * layout then has zero net torque (the CW and CCW pairs cancel).
 */
export function hoverRotorSpeed(airframe: Airframe, g = 9.81): number {
  return Math.sqrt((airframe.massKg * g) / (airframe.rotors.length * airframe.thrustCoeffNPerRadPerS2));
}

/**
 * Half extents of the uniform box with the airframe's mass and principal
 * moments: I_x = m (b^2 + c^2) / 3 and its permutations, solved for a, b, c.
 *
 * The backend derives inertia from collider shapes, so this box is both the
 * collider and the mass distribution: its inertia is the airframe's exactly,
 * on both engines, without a new backend call. For the Iris it is the 0.47 x
 * 0.47 x 0.11 m box of the Gazebo model's collision (the model's inertia is
 * that box's). Throws if the moments break the triangle inequality (no
 * physical body has them).
 */
export function inertiaBoxHalfExtents(airframe: Airframe): Vec3 {
  const [ix, iy, iz] = airframe.inertiaKgM2;
  const k = 3 / (2 * airframe.massKg);
  const a2 = k * (iy + iz - ix);
  const b2 = k * (ix + iz - iy);
  const c2 = k * (ix + iy - iz);
  if (!(a2 > 0 && b2 > 0 && c2 > 0)) {
    throw new RangeError(`airframe '${airframe.name}': inertia ${airframe.inertiaKgM2.join(', ')} kg m^2 is not that of a physical body`);
  }
  return [Math.sqrt(a2), Math.sqrt(b2), Math.sqrt(c2)];
}

/** Radius of the disc around the centre of mass that covers every rotor disc, m (placement clearance). */
export function footprintRadiusM(airframe: Airframe): number {
  let r = 0;
  for (const rot of airframe.rotors) r = Math.max(r, Math.hypot(rot.positionM[0], rot.positionM[1]));
  return r + airframe.rotorRadiusM;
}

/** Checks an airframe's invariants once, where it is built (not per step). */
export function assertAirframe(a: Airframe): void {
  const positive: [string, number][] = [
    ['massKg', a.massKg],
    ['rotorRadiusM', a.rotorRadiusM],
    ['thrustCoeffNPerRadPerS2', a.thrustCoeffNPerRadPerS2],
    ['torqueCoeffNmPerRadPerS2', a.torqueCoeffNmPerRadPerS2],
    ['motorTauUpS', a.motorTauUpS],
    ['motorTauDownS', a.motorTauDownS],
    ['maxRotorRadPerS', a.maxRotorRadPerS],
  ];
  for (const [field, v] of positive) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`airframe '${a.name}': ${field} must be a positive number, got ${v}`);
  }
  if (!(a.rotorDragCoeffNsPerRadM >= 0)) throw new RangeError(`airframe '${a.name}': rotorDragCoeffNsPerRadM must be >= 0`);
  if (!a.bodyDragCoeffNs2PerM2.every((c) => c >= 0)) throw new RangeError(`airframe '${a.name}': bodyDragCoeffNs2PerM2 must be >= 0`);
  if (a.rotors.length < 3) throw new RangeError(`airframe '${a.name}': needs at least 3 rotors`);
  inertiaBoxHalfExtents(a);
}
