/**
 * The ego car: a raycast vehicle on the physics backend (one dynamic chassis
 * body and four suspension rays), with the actuators between the agent's
 * pedals and the wheels.
 *
 * Frame and pose: the body origin is the centre of gravity (body x forward,
 * y left, z up), so the actor's pose is the CoG. Wheels: 0 front left,
 * 1 front right, 2 rear left, 3 rear right.
 *
 * What is modelled, per step:
 * - throttle, brake and steering commands pass through first-order lags
 *   (exact discretisation, 1 - exp(-dt/tau)); steering then through a rate limit;
 * - drive force = throttle x min(F_max, P / v), zero at or above v_max, split
 *   by the drive share (rear-wheel drive for the BMW) between the wheels;
 * - brake force = brake x m a_brake, split front/rear in proportion to the
 *   axle loads at that deceleration, (b + h a / g) / L at the front: the ideal
 *   distribution (J. Y. Wong, Theory of Ground Vehicles, 4th ed., §3.3), which
 *   electronic brake-force distribution approximates in ABS-equipped cars, so
 *   neither axle locks before the other at the cited maximum deceleration;
 * - any brake demand cuts the drive. Both engines' controllers let a wheel's
 *   engine force override its brake, so one of the two has to win, and it is
 *   the brake, as in production cars' brake-override logic;
 * - steering: the commanded angle is the equivalent bicycle's; each front
 *   wheel gets its Ackermann angle for the same turn centre;
 * - suspension and tyre friction come from the controller: spring and damper
 *   per corner (the wrappers take N/m per kg of chassis, so the cited corner
 *   rates are divided by the mass), friction slip = the lateral peak mu.
 *
 * Not modelled (yet): aerodynamic drag and rolling resistance (the car coasts
 * without losses and its top speed is the governor), reverse gear, and a
 * tyre slip curve (the controller's friction is Coulomb-like; its longitudinal
 * cap is 2 mu Fz because of Bullet's 0.5 forward factor, the lateral one mu Fz).
 */
import { readBodyState, type Actor, type ActorDescriptor, type ActorPart } from '../../sim/actor.ts';
import { quatFromYaw, rotateVec, type Vec3 } from '../../sim/math.ts';
import type { BodyHandle, PhysicsBackend, VehicleHandle, WheelDesc, WheelState } from '../../sim/physics/backend.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import { BMW_320I, CABIN_DENSITY_KG_PER_M3, cabinBox, wheelbaseM, type CarParams } from './params.ts';

/** Pedals and steering, as a drive-by-wire interface takes them. */
export interface CarCommand {
  /** 0..1 of the drive force available at the current speed. */
  throttle: number;
  /** 0..1 of the brake force limit. */
  brake: number;
  /** Road-wheel angle of the equivalent bicycle, + left (rad). */
  steeringRad: number;
  /** Latched: the lights keep their last commanded state. */
  hazardLights?: boolean;
}

export interface CarStart {
  x: number;
  y: number;
  yawRad: number;
  /** Initial forward speed (m/s); default 0. */
  speedMps?: number;
}

const G = 9.81;
const _fwd: Vec3 = [1, 0, 0];
const _fwdW: Vec3 = [0, 0, 0];

const clamp = (x: number, lo: number, hi: number) => (x > hi ? hi : x < lo ? lo : x);

/** Static geometry of one corner, derived once from the parameters. */
interface Corner {
  x: number;
  y: number;
  front: boolean;
  /** Suspension length at rest under the static corner load. */
  staticLengthM: number;
}

export class Car implements Actor<CarCommand> {
  readonly kind = 'car';
  readonly id: string;
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  readonly params: CarParams;
  readonly vehicle: VehicleHandle;
  readonly wheelbaseM: number;

  private throttleAct = 0;
  private brakeAct = 0;
  private steerAct = 0;
  private hazards = false;

  constructor(physics: PhysicsBackend, id: string, start: CarStart, params: CarParams = BMW_320I, color = '#3d7be8') {
    this.id = id;
    this.params = params;
    const p = params;
    const L = wheelbaseM(p);
    this.wheelbaseM = L;
    const m = p.massKg;
    // Static axle loads from the CoG position; each corner carries half.
    const cornerLoadF = (m * G * p.cogToRearAxleM) / L / 2;
    const cornerLoadR = (m * G * p.cogToFrontAxleM) / L / 2;
    const corners: Corner[] = [
      { x: p.cogToFrontAxleM, y: p.trackFrontM / 2, front: true, staticLengthM: p.suspensionRestLengthM - cornerLoadF / p.springRateFrontNPerM },
      { x: p.cogToFrontAxleM, y: -p.trackFrontM / 2, front: true, staticLengthM: p.suspensionRestLengthM - cornerLoadF / p.springRateFrontNPerM },
      { x: -p.cogToRearAxleM, y: p.trackRearM / 2, front: false, staticLengthM: p.suspensionRestLengthM - cornerLoadR / p.springRateRearNPerM },
      { x: -p.cogToRearAxleM, y: -p.trackRearM / 2, front: false, staticLengthM: p.suspensionRestLengthM - cornerLoadR / p.springRateRearNPerM },
    ];
    // Hard points so that, at the static sag, the tyres touch z = 0 with the CoG at h_cg.
    const hardPointZ = (c: Corner) => c.staticLengthM + p.wheelRadiusM - p.cogHeightM;

    const halfBox: Vec3 = [p.bodyLengthM / 2, p.bodyWidthM / 2, p.cogHeightM - p.bodyBottomM];
    const cabin = cabinBox(p);
    const yaw = start.yawRad;
    const v0 = start.speedMps ?? 0;
    if (![start.x, start.y, yaw, v0].every(Number.isFinite)) throw new Error(`car '${id}': start pose and speed must be finite`);
    this.body = physics.addBody({
      type: 'dynamic',
      position: [start.x, start.y, p.cogHeightM],
      rotation: quatFromYaw(yaw),
      linearVelocity: [v0 * Math.cos(yaw), v0 * Math.sin(yaw), 0],
      colliders: [
        { shape: { type: 'box', halfExtents: halfBox }, restitution: 0 },
        { shape: { type: 'box', halfExtents: cabin.halfExtents }, offset: cabin.offset, density: CABIN_DENSITY_KG_PER_M3, restitution: 0 },
      ],
      mass: m,
      ccd: true,
    });
    this.bodies = [this.body];

    const wheels: WheelDesc[] = corners.map((c) => ({
      connectionPoint: [c.x, c.y, hardPointZ(c)],
      direction: [0, 0, -1],
      axle: [0, 1, 0],
      radius: p.wheelRadiusM,
      suspensionRestLength: p.suspensionRestLengthM,
      // The controllers multiply stiffness and damping by the chassis mass.
      suspensionStiffness: (c.front ? p.springRateFrontNPerM : p.springRateRearNPerM) / m,
      suspensionCompression: (c.front ? p.damperRateFrontNsPerM : p.damperRateRearNsPerM) / m,
      suspensionRelaxation: (c.front ? p.damperRateFrontNsPerM : p.damperRateRearNsPerM) / m,
      maxSuspensionTravel: p.suspensionTravelM,
      frictionSlip: p.tyreFrictionMu,
    }));
    this.vehicle = physics.addVehicle(this.body, wheels);

    // Wheels drawn at their static position, axis along body y (cylinder z rotated +90 deg about x).
    const s = Math.SQRT1_2;
    const wheelParts: ActorPart[] = corners.map((c) => ({
      shape: { type: 'cylinder', radius: p.wheelRadiusM, halfHeight: p.tyreWidthM / 2 },
      offset: { position: [c.x, c.y, hardPointZ(c) - c.staticLengthM], rotation: [s, 0, 0, s] },
    }));
    this.descriptor = {
      id,
      kind: 'car',
      parts: [
        { shape: { type: 'box', halfExtents: halfBox }, offset: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } },
        { shape: { type: 'box', halfExtents: cabin.halfExtents }, offset: { position: cabin.offset, rotation: [0, 0, 0, 1] } },
        ...wheelParts,
      ],
      isStatic: false,
      isTerrain: false,
      color,
    };
  }

  /** Actual road-wheel angle of the equivalent bicycle (after lag and rate limit), rad. */
  get steeringRad(): number {
    return this.steerAct;
  }
  /** Actual throttle, 0..1, after its lag (0 while braking). */
  get throttle(): number {
    return this.throttleAct;
  }
  /** Actual brake, 0..1, after its lag: the BSM brake status reads this. */
  get brake(): number {
    return this.brakeAct;
  }
  get hazardLights(): boolean {
    return this.hazards;
  }

  applyCommand(physics: PhysicsBackend, cmd: CarCommand | undefined, dt: number, state: Readonly<ActorState>): void {
    const p = this.params;
    let thrCmd = 0, brkCmd = 0, steerCmd = 0;
    if (cmd) {
      if (!Number.isFinite(cmd.throttle) || !Number.isFinite(cmd.brake) || !Number.isFinite(cmd.steeringRad)) {
        throw new Error(`car '${this.id}': command must be finite numbers, got throttle=${cmd.throttle}, brake=${cmd.brake}, steeringRad=${cmd.steeringRad}`);
      }
      if (cmd.hazardLights !== undefined) {
        if (typeof cmd.hazardLights !== 'boolean') throw new Error(`car '${this.id}': hazardLights must be a boolean, got ${String(cmd.hazardLights)}`);
        this.hazards = cmd.hazardLights;
      }
      thrCmd = clamp(cmd.throttle, 0, 1);
      brkCmd = clamp(cmd.brake, 0, 1);
      steerCmd = clamp(cmd.steeringRad, -p.maxSteerRad, p.maxSteerRad);
    }
    // Brake override: a brake demand releases the throttle (the actuator then lags to 0).
    if (brkCmd > 0) thrCmd = 0;

    this.throttleAct += (thrCmd - this.throttleAct) * (1 - Math.exp(-dt / p.throttleTimeConstantS));
    this.brakeAct += (brkCmd - this.brakeAct) * (1 - Math.exp(-dt / p.brakeTimeConstantS));
    const maxStep = p.maxSteerRateRadPerS * dt;
    const dSteer = (steerCmd - this.steerAct) * (1 - Math.exp(-dt / p.steeringTimeConstantS));
    this.steerAct += clamp(dSteer, -maxStep, maxStep);

    const v = state.linearVelocity;
    rotateVec(state.rotation, _fwd, _fwdW);
    const vFwd = v[0] * _fwdW[0] + v[1] * _fwdW[1] + v[2] * _fwdW[2];
    const speed = Math.abs(vFwd);
    let drive = 0;
    if (brkCmd === 0 && speed < p.maxSpeedMps) {
      // F <= P / v: the power limit; below F_max's speed the force limit binds.
      const avail = speed > 0 ? Math.min(p.maxDriveForceN, p.maxPowerW / speed) : p.maxDriveForceN;
      drive = this.throttleAct * avail;
    }
    const decel = this.brakeAct * p.maxBrakeDecelMps2;
    const brake = p.massKg * decel;
    const frontShare = clamp((p.cogToRearAxleM + (p.cogHeightM * decel) / G) / this.wheelbaseM, 0, 1);
    const driveF = (drive * p.driveFrontShare) / 2, driveR = (drive * (1 - p.driveFrontShare)) / 2;
    const brakeF = (brake * frontShare) / 2, brakeR = (brake * (1 - frontShare)) / 2;

    // Ackermann: both front wheels aim at the turn centre of the bicycle's rear axle.
    const t = Math.tan(this.steerAct);
    const L = this.wheelbaseM, half = p.trackFrontM / 2;
    const dl = Math.atan2(L * t, L - half * t);
    const dr = Math.atan2(L * t, L + half * t);
    physics.setWheelInput(this.vehicle, 0, driveF, brakeF, dl);
    physics.setWheelInput(this.vehicle, 1, driveF, brakeF, dr);
    physics.setWheelInput(this.vehicle, 2, driveR, brakeR, 0);
    physics.setWheelInput(this.vehicle, 3, driveR, brakeR, 0);
  }

  /** One wheel's suspension and contact state (for tests, odometry and rendering). */
  wheelState(physics: PhysicsBackend, wheel: number, out: WheelState): WheelState {
    return physics.getWheelState(this.vehicle, wheel, out);
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    readBodyState(physics, this.body, out);
  }

  destroy(physics: PhysicsBackend): void {
    physics.removeVehicle(this.vehicle);
    if (physics.hasBody(this.body)) physics.removeBody(this.body);
  }
}
