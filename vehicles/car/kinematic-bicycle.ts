/**
 * A cheap car for NPC traffic: the kinematic bicycle model, integrated by the
 * actor, driving a kinematic body so that it still collides with everything
 * in the same physics world.
 *
 * Model (R. Rajamani, Vehicle Dynamics and Control, 2nd ed., Springer 2012,
 * §2.2; J. Kong et al., "Kinematic and dynamic vehicle models for autonomous
 * driving control design", IEEE IV 2015, eq. 1 with the reference point on
 * the rear axle, beta = 0), referenced to the REAR AXLE centre:
 *   x' = v cos(psi),  y' = v sin(psi),  psi' = v tan(delta) / L,  v' = a.
 * No tyre slip: valid at the low lateral accelerations of ordinary traffic
 * (Kong et al. find it accurate below ~0.5 mu g).
 *
 * Integration: within a step the steering angle is held and the speed changes
 * linearly, so the rear axle moves along a circular arc of curvature
 * tan(delta) / L; the arc is integrated exactly (chord = s sinc(dpsi/2)), and a
 * constant steering angle gives a circle of radius L / tan(delta) to rounding,
 * whatever the step. The model state is the truth; each step the body's
 * velocities are set so that the engine lands it on the model's next pose
 * (closing the loop on the body's actual pose, so an engine's own integration
 * error never accumulates).
 *
 * Pose: like `Car`, the body origin is the centre of gravity, b = cogToRearAxle
 * ahead of the rear axle, at h_cg. Limits from the same `CarParams`: steering
 * angle and rate, drive force and power (a <= min(F_max, P/v) / m), braking
 * deceleration, top speed. No reverse: the speed stays in [0, v_max].
 */
import { readBodyState, type Actor, type ActorDescriptor } from '../../sim/actor.ts';
import { quatFromYaw, yawOf, type Vec3 } from '../../sim/math.ts';
import type { BodyHandle, PhysicsBackend } from '../../sim/physics/backend.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import { BMW_320I, CABIN_DENSITY_KG_PER_M3, cabinBox, wheelbaseM, type CarParams } from './params.ts';

export interface BicycleCommand {
  /** Longitudinal acceleration, + forward (m/s^2); negative brakes, down to standstill. */
  accelMps2: number;
  /** Road-wheel angle, + left (rad). */
  steeringRad: number;
}

export interface BicycleStart {
  x: number;
  y: number;
  yawRad: number;
  speedMps?: number;
}

/** The model state, referenced to the rear axle centre (double precision, independent of the engine). */
export interface BicycleState {
  rearX: number;
  rearY: number;
  headingRad: number;
  speedMps: number;
  steeringRad: number;
}

const _v: Vec3 = [0, 0, 0];
const _w: Vec3 = [0, 0, 0];

const clamp = (x: number, lo: number, hi: number) => (x > hi ? hi : x < lo ? lo : x);

/** sin(x) / x, accurate near 0. */
function sinc(x: number): number {
  return Math.abs(x) < 1e-4 ? 1 - (x * x) / 6 : Math.sin(x) / x;
}

export class KinematicBicycle implements Actor<BicycleCommand> {
  readonly kind = 'car-kinematic';
  readonly id: string;
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  readonly params: CarParams;
  readonly wheelbaseM: number;
  /** Live model state; read it, do not write it. */
  readonly state: BicycleState;

  constructor(physics: PhysicsBackend, id: string, start: BicycleStart, params: CarParams = BMW_320I, color = '#9aa3ad') {
    this.id = id;
    this.params = params;
    this.wheelbaseM = wheelbaseM(params);
    const v0 = start.speedMps ?? 0;
    if (![start.x, start.y, start.yawRad, v0].every(Number.isFinite)) throw new Error(`car '${id}': start pose and speed must be finite`);
    const b = params.cogToRearAxleM;
    const c = Math.cos(start.yawRad), s = Math.sin(start.yawRad);
    // The start pose is the CoG's, as for `Car`.
    this.state = { rearX: start.x - b * c, rearY: start.y - b * s, headingRad: start.yawRad, speedMps: clamp(v0, 0, params.maxSpeedMps), steeringRad: 0 };
    const half: Vec3 = [params.bodyLengthM / 2, params.bodyWidthM / 2, params.cogHeightM - params.bodyBottomM];
    const cabin = cabinBox(params);
    this.body = physics.addBody({
      type: 'kinematic',
      position: [start.x, start.y, params.cogHeightM],
      rotation: quatFromYaw(start.yawRad),
      colliders: [{ shape: { type: 'box', halfExtents: half } }, { shape: { type: 'box', halfExtents: cabin.halfExtents }, offset: cabin.offset, density: CABIN_DENSITY_KG_PER_M3 }],
    });
    this.bodies = [this.body];
    this.descriptor = {
      id,
      kind: 'car-kinematic',
      parts: [
        { shape: { type: 'box', halfExtents: half }, offset: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } },
        { shape: { type: 'box', halfExtents: cabin.halfExtents }, offset: { position: cabin.offset, rotation: [0, 0, 0, 1] } },
      ],
      isStatic: false,
      isTerrain: false,
      color,
    };
  }

  applyCommand(physics: PhysicsBackend, cmd: BicycleCommand | undefined, dt: number, body: Readonly<ActorState>): void {
    const p = this.params;
    const st = this.state;
    let aCmd = 0, dCmd = st.steeringRad;
    if (cmd) {
      if (!Number.isFinite(cmd.accelMps2) || !Number.isFinite(cmd.steeringRad)) {
        throw new Error(`car '${this.id}': command must be finite numbers, got accelMps2=${cmd.accelMps2}, steeringRad=${cmd.steeringRad}`);
      }
      aCmd = cmd.accelMps2;
      dCmd = clamp(cmd.steeringRad, -p.maxSteerRad, p.maxSteerRad);
    }
    const maxStep = p.maxSteerRateRadPerS * dt;
    st.steeringRad += clamp(dCmd - st.steeringRad, -maxStep, maxStep);

    const v0 = st.speedMps;
    const aMax = (v0 > 0 ? Math.min(p.maxDriveForceN, p.maxPowerW / v0) : p.maxDriveForceN) / p.massKg;
    const a = clamp(aCmd, -p.maxBrakeDecelMps2, aMax);
    let v1 = v0 + a * dt;
    let ds: number;
    if (v1 <= 0) {
      // Stops within the step: the distance to standstill, v0^2 / (2 |a|).
      v1 = 0;
      ds = a < 0 ? (v0 * v0) / (-2 * a) : 0;
    } else {
      if (v1 > p.maxSpeedMps) v1 = p.maxSpeedMps;
      ds = 0.5 * (v0 + v1) * dt;
    }
    const dpsi = (ds * Math.tan(st.steeringRad)) / this.wheelbaseM;
    const chord = ds * sinc(dpsi / 2);
    const mid = st.headingRad + dpsi / 2;
    st.rearX += chord * Math.cos(mid);
    st.rearY += chord * Math.sin(mid);
    st.headingRad += dpsi;
    st.speedMps = v1;

    // Land the body's CoG on the model's next pose after this step.
    const b = p.cogToRearAxleM;
    const tx = st.rearX + b * Math.cos(st.headingRad), ty = st.rearY + b * Math.sin(st.headingRad);
    _v[0] = (tx - body.position[0]) / dt;
    _v[1] = (ty - body.position[1]) / dt;
    _v[2] = (p.cogHeightM - body.position[2]) / dt;
    let dyaw = st.headingRad - yawOf(body.rotation);
    dyaw -= 2 * Math.PI * Math.round(dyaw / (2 * Math.PI));
    _w[0] = 0;
    _w[1] = 0;
    _w[2] = dyaw / dt;
    physics.setLinearVelocity(this.body, _v);
    physics.setAngularVelocity(this.body, _w);
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    readBodyState(physics, this.body, out);
  }

  destroy(physics: PhysicsBackend): void {
    if (physics.hasBody(this.body)) physics.removeBody(this.body);
  }
}
