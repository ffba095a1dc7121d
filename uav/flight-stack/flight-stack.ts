/**
 * The flight stack: PX4-style cascaded control from a StateEstimate to rotor
 * speed commands, and the flight modes agents drive it with.
 *
 *   mode -> position / velocity / yaw setpoints
 *        -> PositionController (position P, velocity PID, thrust vector)
 *        -> attitude setpoint (thrust axis + yaw, ControlMath::bodyzToAttitude)
 *        -> AttitudeController (quaternion P, roll/pitch before yaw)
 *        -> RateController (body-rate PID, torque = I alpha)
 *        -> Mixer (allocation inverse, PX4 desaturation) -> rotor speeds
 *
 * The structure is PX4's multicopter controller cascade (docs.px4.io,
 * "Controller Diagrams", Multicopter Control Architecture). Every loop runs
 * once per `update`, which the caller calls at the physics rate; `update`
 * refuses a dt above 1/250 s, so the rate loop runs at 250 Hz or faster
 * (the tests run everything at 400 Hz). PX4 runs its position loop at the
 * estimator's rate (about 50-100 Hz); running it faster changes nothing
 * essential here.
 *
 * Per tick nothing is allocated: setpoints, scratch and the output array are
 * owned by the instance. `setMode` copies its argument.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import { yawOf } from '../../sim/math.ts';
import type { StateEstimate } from '../estimation/state-estimate.ts';
import type { Airframe } from '../multirotor/airframe.ts';
import { AttitudeController } from './attitude-controller.ts';
import { gainsFor, type FlightGains } from './gains.ts';
import { Mixer } from './mixer.ts';
import { PositionController } from './position-controller.ts';
import { qFromAxes } from './quat.ts';
import { RateController } from './rate-controller.ts';
import { LineReference } from './reference.ts';

/** The slowest control tick the rate loop accepts, s (250 Hz). */
export const MAX_CONTROL_DT_S = 1 / 250;

/**
 * Mode defaults: PX4's parameters where PX4 has one (mc_pos_control's
 * multicopter_takeoff_land_params.yaml and multicopter_autonomous_params.yaml,
 * commit 6ffdc936), otherwise Skylane choices, marked.
 */
export const MODE_DEFAULTS = {
  takeoffClimbMps: 1.5, // MPC_TKO_SPEED
  landDescentMps: 0.7, // MPC_LAND_SPEED
  cruiseSpeedMps: 5, // MPC_XY_CRUISE
  /** Acceleration of the position reference (reference.ts), m/s^2: MPC_ACC_HOR. */
  referenceAccelMps2: 3,
  /** Skylane choice: PX4's NAV_ACC_RAD (10 m, from memory) suits long missions, not a 10 m test square. */
  acceptanceRadiusM: 2,
  rtlAltitudeM: 60, // RTL_RETURN_ALT (from memory: not re-read)
  /** Skylane choice: take-off is complete within this height of its target, m (also RTL's climb and over-home tolerance). */
  takeoffToleranceM: 0.2,
  /** Land detector (Skylane thresholds, after PX4's MulticopterLandDetector idea): |v_z| below this (m/s) ... */
  landedMaxClimbMps: 0.1,
  /** ... with collective below this share of the hover thrust ... */
  landedMaxThrustRatio: 0.9,
  /** ... for this long, s (LNDMC_TRIG_TIME, 1 s; from memory: not re-read). */
  landedTriggerS: 1,
} as const;

/** What an agent asks the flight stack to do. Positions are world ENU, m; yaw about world z, rad. */
export type FlightMode =
  /** Motors off (disarmed). */
  | { kind: 'idle' }
  /** Hold a position (default: where the vehicle is when the mode starts) and a heading (default: the current one). */
  | { kind: 'hold'; positionM?: Vec3; yawRad?: number }
  /** Fly a velocity (world ENU) and turn at a yaw rate. */
  | { kind: 'velocity'; velocityMps: Vec3; yawRateRadPerS?: number }
  /** Go to a position at a cruise speed; `reached` once within the acceptance radius; then hold there. */
  | { kind: 'waypoint'; positionM: Vec3; cruiseSpeedMps?: number; acceptanceRadiusM?: number; yawRad?: number }
  /** Climb to an altitude (world z, m) above the current ground position and hold. */
  | { kind: 'takeoff'; altitudeM: number; climbRateMps?: number }
  /** Descend at a rate, detect touchdown, cut the motors (the mode becomes idle). */
  | { kind: 'land'; descentRateMps?: number }
  /** Climb to a safe altitude, fly home at cruise speed, land. Home defaults to where the stack was armed. */
  | { kind: 'return'; safeAltitudeM?: number; homeM?: Vec3; cruiseSpeedMps?: number; acceptanceRadiusM?: number };

export type FlightModeKind = FlightMode['kind'];
export type ReturnPhase = 'climb' | 'cruise' | 'land';

export interface FlightStackOptions {
  gains?: FlightGains;
  g?: number;
}

const _bodyZ: Vec3 = [0, 0, 0];
const _bodyX: Vec3 = [0, 0, 0];
const _bodyY: Vec3 = [0, 0, 0];

export class FlightStack {
  readonly airframe: Airframe;
  readonly gains: FlightGains;
  readonly mixer: Mixer;
  readonly position: PositionController;
  readonly attitude: AttitudeController;
  readonly rate: RateController;
  /** The rotor speed command of the last update, rad/s, in the airframe's motor order. */
  readonly rotorRadPerS: Float64Array;
  /** The attitude setpoint of the last update (body to world). */
  readonly attitudeSp: Quat = [0, 0, 0, 1];
  /** The position setpoint of the last update (NaN on uncontrolled axes), m. */
  readonly positionSp: Vec3 = [NaN, NaN, NaN];
  /** Home, world ENU, m: set at the first valid estimate after arming, or by a `return` mode. */
  readonly homeM: Vec3 = [0, 0, 0];
  private homeSet = false;

  private modeKind: FlightModeKind = 'idle';
  private readonly target: Vec3 = [0, 0, 0];
  private readonly velFf: Vec3 = [0, 0, 0];
  private readonly velCmd: Vec3 = [0, 0, 0];
  private readonly accFf: Vec3 = [0, 0, 0];
  private yawSp = NaN;
  private yawRate = 0;
  private speedXy = 0;
  private climb = 0;
  private descent = 0;
  private acceptanceM = 0;
  private safeAltM = 0;
  private entered = false;
  private reachedFlag = false;
  private landedS = 0;
  private phase: ReturnPhase = 'climb';
  private readonly ref = new LineReference();
  private readonly hoverThrustN: number;
  private readonly fullThrustN: number;

  constructor(airframe: Airframe, options: FlightStackOptions = {}) {
    this.airframe = airframe;
    this.gains = options.gains ?? gainsFor(airframe);
    const g = options.g ?? 9.81;
    this.mixer = new Mixer(airframe);
    this.fullThrustN = this.mixer.maxRotorThrustN * airframe.rotors.length;
    this.hoverThrustN = airframe.massKg * g;
    this.position = new PositionController(this.gains, airframe.massKg, this.fullThrustN);
    this.attitude = new AttitudeController(this.gains.attitudeP, this.gains.yawWeight, this.gains.maxRateRadPerS);
    this.rate = new RateController(this.gains.rate, airframe.inertiaKgM2, this.gains.rateDerivativeCutoffHz);
    this.rotorRadPerS = new Float64Array(airframe.rotors.length);
  }

  get mode(): FlightModeKind { return this.modeKind; }
  /** Waypoint or take-off target reached (within the acceptance radius / take-off tolerance); for `return`, landed. */
  get reached(): boolean { return this.reachedFlag; }
  /** The phase of a `return` mode. */
  get returnPhase(): ReturnPhase { return this.phase; }
  /** Motors are commanded (not idle). */
  get armed(): boolean { return this.modeKind !== 'idle'; }

  /** Switch mode. Takes effect at the next update (which reads the estimate the mode starts from). */
  /** Changes the yaw setpoint (ENU, rad) of the current mode without re-entering it (a scripted pan in a hold). */
  setYawSetpoint(yawRad: number): void {
    if (!Number.isFinite(yawRad)) throw new RangeError(`flight stack: yaw setpoint must be finite, got ${yawRad}`);
    this.yawSp = yawRad;
  }

  setMode(mode: FlightMode): void {
    const d = MODE_DEFAULTS, gn = this.gains;
    const wasIdle = this.modeKind === 'idle';
    this.modeKind = mode.kind;
    this.entered = false;
    this.reachedFlag = false;
    this.landedS = 0;
    this.yawSp = NaN;
    this.yawRate = 0;
    this.speedXy = gn.maxSpeedXyMps;
    this.climb = gn.maxClimbMps;
    this.descent = gn.maxDescentMps;
    this.target[0] = this.target[1] = this.target[2] = NaN;
    this.velFf[0] = this.velFf[1] = this.velFf[2] = 0;
    this.accFf[0] = this.accFf[1] = this.accFf[2] = 0;
    switch (mode.kind) {
      case 'idle':
        break;
      case 'hold':
        if (mode.positionM) copy(mode.positionM, this.target);
        this.yawSp = mode.yawRad ?? NaN;
        break;
      case 'velocity':
        assertFinite(mode.velocityMps, 'velocity.velocityMps');
        copy(mode.velocityMps, this.velCmd);
        this.yawRate = mode.yawRateRadPerS ?? 0;
        break;
      case 'waypoint':
        assertFinite(mode.positionM, 'waypoint.positionM');
        copy(mode.positionM, this.target);
        this.speedXy = Math.min(gn.maxSpeedXyMps, positive(mode.cruiseSpeedMps ?? d.cruiseSpeedMps, 'waypoint.cruiseSpeedMps'));
        this.acceptanceM = positive(mode.acceptanceRadiusM ?? d.acceptanceRadiusM, 'waypoint.acceptanceRadiusM');
        this.yawSp = mode.yawRad ?? NaN;
        break;
      case 'takeoff':
        if (!Number.isFinite(mode.altitudeM)) throw new RangeError(`flight stack: takeoff.altitudeM must be finite, got ${mode.altitudeM}`);
        this.target[2] = mode.altitudeM;
        this.climb = Math.min(gn.maxClimbMps, positive(mode.climbRateMps ?? d.takeoffClimbMps, 'takeoff.climbRateMps'));
        break;
      case 'land':
        this.descent = positive(mode.descentRateMps ?? d.landDescentMps, 'land.descentRateMps');
        break;
      case 'return':
        if (mode.homeM) { copy(mode.homeM, this.homeM); this.homeSet = true; }
        this.safeAltM = mode.safeAltitudeM ?? d.rtlAltitudeM;
        // Over home within this (horizontal, m): descend (the land phase keeps converging on home). Default the take-off tolerance.
        this.acceptanceM = positive(mode.acceptanceRadiusM ?? d.takeoffToleranceM, 'return.acceptanceRadiusM');
        this.speedXy = Math.min(gn.maxSpeedXyMps, positive(mode.cruiseSpeedMps ?? d.cruiseSpeedMps, 'return.cruiseSpeedMps'));
        this.phase = 'climb';
        break;
    }
    if (wasIdle && mode.kind !== 'idle') { this.position.reset(); this.rate.reset(); }
  }

  /**
   * One control tick: rotor speeds (rad/s, motor order) from the estimate at
   * time `t` (s), `dt` (s) after the last tick. The returned array is owned
   * by the stack and overwritten at the next call. The controllers integrate
   * with `dt` only; `t` is part of the contract for logging and future
   * time-based modes.
   */
  update(est: Readonly<StateEstimate>, t: number, dt: number): Float64Array {
    if (!(dt > 0 && dt <= MAX_CONTROL_DT_S + 1e-12)) throw new RangeError(`flight stack: dt ${dt} s is outside (0, ${MAX_CONTROL_DT_S}] (the rate loop runs at 250 Hz or faster)`);
    void t;
    const out = this.rotorRadPerS;
    if (this.modeKind === 'idle' || !est.valid) {
      // Disarmed, or no fix: PX4 will not arm without an estimate; we keep the motors off.
      out.fill(0);
      this.rate.reset();
      this.position.reset();
      return out;
    }
    const p = est.positionM;
    if (!this.homeSet) { copy(p, this.homeM); this.homeSet = true; }
    const yawNow = yawOf(est.attitude);
    if (!this.entered) this.enter(p, est.velocityMps, yawNow);

    let maxSpeed = this.speedXy, descent = this.descent;
    const climb = this.climb;
    const sp = this.positionSp;
    switch (this.modeKind) {
      case 'hold':
      case 'takeoff':
        this.followReference(dt, sp);
        if (this.modeKind === 'takeoff' && Math.abs(p[2] - this.target[2]) < MODE_DEFAULTS.takeoffToleranceM) this.reachedFlag = true;
        break;
      case 'waypoint': {
        this.followReference(dt, sp);
        const tg = this.target;
        if (Math.hypot(p[0] - tg[0], p[1] - tg[1], p[2] - tg[2]) < this.acceptanceM) this.reachedFlag = true;
        break;
      }
      case 'velocity':
        sp[0] = sp[1] = sp[2] = NaN;
        copy(this.velCmd, this.velFf);
        maxSpeed = this.gains.maxSpeedXyMps;
        if (this.yawRate !== 0) this.yawSp = wrap(this.yawSp + this.yawRate * dt);
        break;
      case 'land':
        sp[0] = this.target[0]; sp[1] = this.target[1]; sp[2] = NaN;
        this.velFf[2] = -this.descent;
        descent = this.descent;
        break;
      case 'return':
        this.returnSetpoint(p, est.velocityMps, dt, sp);
        // The final descent at the land speed (MPC_LAND_SPEED), as the land mode's; not at the cruise's largest descent rate.
        if (this.phase === 'land') { this.velFf[2] = -MODE_DEFAULTS.landDescentMps; descent = MODE_DEFAULTS.landDescentMps; }
        break;
    }

    const thrust = this.position.update(sp, this.velFf, this.accFf, p, est.velocityMps, dt, maxSpeed, climb, descent);
    const collective = Math.hypot(thrust[0], thrust[1], thrust[2]);
    thrustToAttitude(thrust, collective, Number.isNaN(this.yawSp) ? yawNow : this.yawSp, this.attitudeSp);
    const rateSp = this.attitude.update(est.attitude, this.attitudeSp, this.modeKind === 'velocity' ? this.yawRate : 0);
    const tau = this.rate.update(rateSp, est.angularRateRadPerS, dt, this.mixer.saturation.torque);
    this.mixer.mix(collective, tau[0], tau[1], tau[2]);
    out.set(this.mixer.rotorRadPerS);

    if (this.modeKind === 'land' || (this.modeKind === 'return' && this.phase === 'land')) this.detectLanding(est, collective, dt);
    return out;
  }

  /** Position setpoint and velocity feed-forward from the line reference towards `target`. */
  private followReference(dt: number, sp: Vec3): void {
    this.ref.step(dt, MODE_DEFAULTS.referenceAccelMps2, this.speedXy, this.climb, this.descent);
    copy(this.ref.positionM, sp);
    copy(this.ref.velocityMps, this.velFf);
    copy(this.ref.accelerationMps2, this.accFf);
  }

  /** Mode entry: setpoints that default to the state the mode starts from. */
  private enter(p: Readonly<Vec3>, v: Readonly<Vec3>, yawNow: number): void {
    this.entered = true;
    if (Number.isNaN(this.yawSp)) this.yawSp = yawNow;
    switch (this.modeKind) {
      case 'hold':
        if (Number.isNaN(this.target[0])) copy(p, this.target);
        this.ref.start(p, v, this.target);
        break;
      case 'waypoint':
        this.ref.start(p, v, this.target);
        break;
      case 'takeoff':
        this.target[0] = p[0]; this.target[1] = p[1];
        this.ref.start(p, v, this.target);
        break;
      case 'land':
        this.target[0] = p[0]; this.target[1] = p[1];
        break;
      case 'return':
        this.target[0] = p[0]; this.target[1] = p[1];
        this.target[2] = Math.max(p[2], this.homeM[2] + this.safeAltM);
        this.ref.start(p, v, this.target);
        break;
      default:
        break;
    }
  }

  private returnSetpoint(p: Readonly<Vec3>, v: Readonly<Vec3>, dt: number, sp: Vec3): void {
    const home = this.homeM;
    if (this.phase === 'climb') {
      this.followReference(dt, sp);
      if (p[2] > this.target[2] - MODE_DEFAULTS.takeoffToleranceM) {
        this.phase = 'cruise';
        this.target[0] = home[0]; this.target[1] = home[1];
        this.ref.start(p, v, this.target);
      }
    }
    if (this.phase === 'cruise') {
      this.followReference(dt, sp);
      // Over home (within the return's acceptance radius): descend.
      if (Math.hypot(p[0] - home[0], p[1] - home[1]) < this.acceptanceM) {
        this.phase = 'land';
        this.velFf[0] = this.velFf[1] = 0;
        this.accFf[0] = this.accFf[1] = this.accFf[2] = 0;
      }
    }
    if (this.phase === 'land') {
      sp[0] = home[0]; sp[1] = home[1]; sp[2] = NaN;
    }
  }

  /**
   * PX4-style land detector (land_detector, MulticopterLandDetector): the
   * vehicle is landed when it barely moves vertically while the controller
   * asks for clearly less than hover thrust, for LNDMC_TRIG_TIME. Then the
   * motors are cut (mode idle) and `reached` is set.
   */
  private detectLanding(est: Readonly<StateEstimate>, collectiveN: number, dt: number): void {
    const d = MODE_DEFAULTS;
    if (Math.abs(est.velocityMps[2]) < d.landedMaxClimbMps && collectiveN < d.landedMaxThrustRatio * this.hoverThrustN) this.landedS += dt;
    else this.landedS = 0;
    if (this.landedS >= d.landedTriggerS) {
      this.modeKind = 'idle';
      this.reachedFlag = true;
      this.rotorRadPerS.fill(0);
    }
  }
}

/**
 * Attitude whose body z is along the thrust vector and whose heading is
 * `yawRad` (PX4 ControlMath::bodyzToAttitude, in ENU/FLU): y_c = (-sin yaw,
 * cos yaw, 0), body x = y_c x body z, body y = body z x body x.
 */
export function thrustToAttitude(thrust: Readonly<Vec3>, norm: number, yawRad: number, out: Quat): Quat {
  if (norm < 1e-9) { _bodyZ[0] = 0; _bodyZ[1] = 0; _bodyZ[2] = 1; }
  else { _bodyZ[0] = thrust[0] / norm; _bodyZ[1] = thrust[1] / norm; _bodyZ[2] = thrust[2] / norm; }
  const yx = -Math.sin(yawRad), yy = Math.cos(yawRad);
  _bodyX[0] = yy * _bodyZ[2];
  _bodyX[1] = -yx * _bodyZ[2];
  _bodyX[2] = yx * _bodyZ[1] - yy * _bodyZ[0];
  const n = Math.hypot(_bodyX[0], _bodyX[1], _bodyX[2]);
  _bodyX[0] /= n; _bodyX[1] /= n; _bodyX[2] /= n;
  _bodyY[0] = _bodyZ[1] * _bodyX[2] - _bodyZ[2] * _bodyX[1];
  _bodyY[1] = _bodyZ[2] * _bodyX[0] - _bodyZ[0] * _bodyX[2];
  _bodyY[2] = _bodyZ[0] * _bodyX[1] - _bodyZ[1] * _bodyX[0];
  return qFromAxes(_bodyX, _bodyY, _bodyZ, out);
}

function copy(from: Readonly<Vec3>, to: Vec3): void {
  to[0] = from[0]; to[1] = from[1]; to[2] = from[2];
}

function wrap(a: number): number {
  return a > Math.PI ? a - 2 * Math.PI : a <= -Math.PI ? a + 2 * Math.PI : a;
}

function positive(v: number, field: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`flight stack: ${field} must be a positive number, got ${v}`);
  return v;
}

function assertFinite(v: Readonly<Vec3>, field: string): void {
  if (!(v.length === 3 && v.every(Number.isFinite))) throw new RangeError(`flight stack: ${field} must be three finite numbers`);
}

