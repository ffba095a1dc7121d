/**
 * A 3-axis gimbal on a UAV, stepped inside the physics tick (issue #5):
 * the mount and link dynamics (dynamics.ts) at `substepHz`, the rotors'
 * vibration (vibration.ts), the camera IMU and the base ("frame") IMU with
 * their noise (sim/sensors/imu.ts `ImuNoise`, sampled at `controlHz`),
 * quantised encoders, and a pluggable controller (agents/gimbal/) that turns
 * those measurements into motor torques at `controlHz` (zero-order hold
 * between its ticks).
 *
 * The airframe's motion over a physics tick is taken from its ground truth
 * before and after the step: linear acceleration (v1 - v0) / dt, angular
 * velocity interpolated linearly, attitude by normalised linear
 * interpolation; the mount point's lever-arm terms are added, then the
 * synthesised rotor vibration. The gimbal does not push back on the
 * airframe (its reaction torques are < 1 % of the airframe's control
 * authority: it is a 0.3 kg load on a 1.5 kg drone).
 *
 * Ground truth for the criteria (scenarios/criteria/gimbal.ts): the
 * camera's true attitude error about the command as issued (`errorLog`, rad,
 * x y z interleaved, every substep of the last physics tick), the ideal
 * command from a generator fed ground truth (`truthCommand`, for absolute
 * pointing), and per-axis counts of control ticks whose torque command
 * exceeded the motor's limit (saturation).
 *
 * What the controller is told besides its sensors: the flight controller's
 * heading and position (ground truth plus a first-order Gauss-Markov error,
 * `telemetry` below: an EKF's fused heading and GNSS-grade position), and in
 * point-at mode the target's position as broadcast (the same error). The
 * command generator it gets is fed those, not the truth.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import { rotateVec, rotateVecInv, yawOf } from '../../sim/math.ts';
import type { Rng } from '../../sim/rng.ts';
import { ImuNoise, type ImuParams } from '../../sim/sensors/imu.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import { attitudeError, CommandGenerator, type GimbalMode } from './command.ts';
import { GimbalDynamics, type BaseMotion } from './dynamics.ts';
import type { GimbalSpec } from './spec.ts';
import { RotorVibration } from './vibration.ts';
import { integrateBodyRate } from '../estimation/mahony.ts';
import { qConj, qMul } from '../flight-stack/quat.ts';

/** What the controller measures at each control tick. */
export interface GimbalMeasurement {
  time: number;
  /** Control period, s. */
  dt: number;
  /** Camera IMU (on the pitch link), camera axes: rad/s and m/s^2. */
  cameraGyro: Vec3;
  cameraAccel: Vec3;
  /** Frame IMU (on the gimbal base), base axes. */
  frameGyro: Vec3;
  frameAccel: Vec3;
  /** Encoder angles, rad, yaw roll pitch (quantised). */
  encoderRad: Float64Array;
  /**
   * Flight-controller telemetry over the gimbal port (what DJI and
   * SimpleBGC gimbals receive): the UAV's estimated attitude (body to
   * world) and world acceleration, m/s^2 (for the acceleration
   * compensation of the camera's gravity reference).
   */
  fcRotation: Quat;
  fcAccelerationMps2: Vec3;
}

/** The command as the gimbal knows it: attitude (camera to world) and its world rate. */
export interface GimbalReference {
  rotation: Readonly<Quat>;
  rateRadPerS: Readonly<Vec3>;
}

export interface GimbalControllerContext {
  /** Nominal spec (the data sheet; the plant differs by manufacturing tolerance). */
  spec: GimbalSpec;
  controlHz: number;
  /** The UAV's heading at power-up (flight controller compass), rad: aligns the camera yaw estimate. */
  initialHeadingRad: number;
  /** Camera IMU model (its data-sheet figures). */
  imu: Readonly<Omit<ImuParams, 'name' | 'mount'>>;
}

/** A gimbal controller: measurements and reference in, motor torque commands (N m, yaw roll pitch) out. */
export interface GimbalController {
  readonly name: string;
  step(m: Readonly<GimbalMeasurement>, ref: Readonly<GimbalReference>, torqueNm: Float64Array): void;
}

export interface GimbalOptions {
  /** The plant (the nominal spec after `perturbSpec`). */
  spec: GimbalSpec;
  imu: Readonly<Omit<ImuParams, 'name' | 'mount'>>;
  /** Output quantum of the camera IMU, rad/s and m/s^2. */
  imuQuantum: { gyroRadPerS: number; accelMps2: number };
  controller: GimbalController;
  mode: GimbalMode;
  target?: string | Readonly<Vec3> | undefined;
  physicsDt: number;
  rotorCount: number;
  hoverRotorRadPerS: number;
  /** Seeded streams: vibration phases, camera IMU, frame IMU, telemetry errors. */
  rngs: { vibration: Rng; cameraImu: Rng; frameImu: Rng; telemetry: Rng; encoder: Rng };
  /** Telemetry error sigmas (attitude per axis, rad; position, m; acceleration, m/s^2) and correlation time (s). */
  telemetry: GimbalTelemetry;
}

export interface GimbalTelemetry {
  tiltSigmaRad: number;
  headingSigmaRad: number;
  positionSigmaM: number;
  accelerationSigmaMps2: number;
  correlationTimeS: number;
}

/**
 * The flight controller's estimate error, modelled as first-order
 * Gauss-Markov per component (Skylane's assumption for an EKF's slowly
 * wandering error; sigmas in TELEMETRY_DEFAULTS).
 */
export const TELEMETRY_DEFAULTS: GimbalTelemetry = {
  tiltSigmaRad: 0.2 * (Math.PI / 180), // Skylane assumption: an EKF's tilt error, PX4-class
  headingSigmaRad: 0.4 * (Math.PI / 180), // as sim/sensors/gnss.ts ZED_F9P.headingSigmaRad (assumption there)
  positionSigmaM: 0.01 / 1.1774, // RTK, as sim/sensors/gnss.ts ZED_F9P (0.01 m CEP); the point-at target broadcasts an RTK fix too
  accelerationSigmaMps2: 0.05, // the F9P's 0.05 m/s velocity accuracy over a ~1 s EKF window (assumption)
  correlationTimeS: 10, // Skylane assumption
};

/**
 * A smooth estimate error, per component: a first-order Gauss-Markov process
 * (sigma, correlation time tau) passed through two first-order low-passes of
 * time constant `SMOOTHING_S`. An EKF's error wanders slowly and carries no
 * white component at the gimbal's kHz rate; the raw Gauss-Markov would
 * (its increments are white), and would inject spurious jitter.
 */
const SMOOTHING_S = 1;
class MarkovError {
  readonly value: number[];
  private readonly raw: number[];
  private readonly mid: number[];
  private started = false;
  constructor(private readonly n: number, private readonly sigma: number, private readonly tau: number, private readonly rng: Rng) {
    this.value = new Array<number>(n).fill(0);
    this.raw = new Array<number>(n).fill(0);
    this.mid = new Array<number>(n).fill(0);
  }
  step(dt: number): void {
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.n; i++) this.value[i] = this.mid[i] = this.raw[i] = this.rng.normal(0, this.sigma);
      return;
    }
    const phi = Math.exp(-dt / this.tau), d = this.sigma * Math.sqrt(1 - phi * phi);
    const k = 1 - Math.exp(-dt / SMOOTHING_S);
    for (let i = 0; i < this.n; i++) {
      this.raw[i] = phi * this.raw[i]! + d * this.rng.normal();
      this.mid[i] = this.mid[i]! + k * (this.raw[i]! - this.mid[i]!);
      this.value[i] = this.value[i]! + k * (this.mid[i]! - this.value[i]!);
    }
  }
}

const _e: Vec3 = [0, 0, 0];
const _qa: Quat = [0, 0, 0, 1];
const _qb: Quat = [0, 0, 0, 1];
const _qc: Quat = [0, 0, 0, 1];
const _known: Vec3 = [0, 0, 0];
const _knownTarget: Vec3 = [0, 0, 0];
const _r: Vec3 = [0, 0, 0];
const _t: Vec3 = [0, 0, 0];

export class Gimbal {
  readonly dynamics: GimbalDynamics;
  /**
   * The command as issued to the gimbal: the mode's attitude from what the
   * gimbal is told (flight-controller heading and position, the target's
   * broadcast position). Jitter and drift are judged against it.
   */
  readonly command: CommandGenerator;
  /**
   * The same mode fed ground truth (true heading, positions, target): what the
   * camera should ideally look at. Absolute pointing is judged against it, so
   * the errors of what the gimbal is told count there.
   */
  readonly truthCommand: CommandGenerator;
  readonly substeps: number;
  readonly controlEvery: number;
  /** Camera attitude error about the true command at every substep of the last tick, rad, [x y z] interleaved. */
  readonly errorLog: Float64Array;
  /** Substep rate of `errorLog`, Hz. */
  readonly logHz: number;
  /** Control ticks so far, and those whose command exceeded the motor limit, per axis. */
  controlTicks = 0;
  readonly saturatedTicks = new Float64Array(3);
  /** Largest |torque command| / limit per axis over the last physics tick. */
  readonly tickPeakTorqueRatio = new Float64Array(3);
  /** The point-at target: an actor id or a world point (undefined in other modes). */
  readonly target: string | Readonly<Vec3> | undefined;
  readonly encoderRad = new Float64Array(3);
  readonly torqueCmdNm = new Float64Array(3);
  /** Camera position (world, m) at the end of the last tick. */
  readonly cameraPosition: Vec3 = [0, 0, 0];

  private readonly vibration: RotorVibration;
  private readonly cameraImu: ImuNoise;
  private readonly frameImu: ImuNoise;
  private readonly meas: GimbalMeasurement;
  private readonly attitudeErr: MarkovError;
  private readonly accelErr: MarkovError;
  private readonly positionErr: MarkovError;
  private readonly targetErr: MarkovError;
  private readonly base: BaseMotion;
  private readonly prevRotation: Quat = [0, 0, 0, 1];
  private readonly prevOmega: Vec3 = [0, 0, 0];
  private readonly prevVelocity: Vec3 = [0, 0, 0];
  private readonly prevPosition: Vec3 = [0, 0, 0];
  private time = 0;
  private substepCount = 0;
  private readonly controller: GimbalController;
  private readonly opts: GimbalOptions;
  private readonly ref: GimbalReference;

  constructor(o: GimbalOptions) {
    const s = o.spec;
    this.opts = o;
    const sub = s.substepHz * o.physicsDt;
    if (!(s.substepHz >= 1000) || Math.abs(sub - Math.round(sub)) > 1e-6 || Math.round(sub) < 1) {
      throw new RangeError(`gimbal: substepHz ${s.substepHz} must be >= 1000 Hz and an integer multiple of the physics rate ${1 / o.physicsDt} Hz`);
    }
    const every = s.substepHz / s.controlHz;
    if (Math.abs(every - Math.round(every)) > 1e-6 || Math.round(every) < 1) throw new RangeError(`gimbal: substepHz ${s.substepHz} must be an integer multiple of controlHz ${s.controlHz}`);
    this.substeps = Math.round(sub);
    this.controlEvery = Math.round(every);
    this.logHz = s.substepHz;
    this.dynamics = new GimbalDynamics(s);
    this.truthCommand = new CommandGenerator(o.mode);
    this.command = new CommandGenerator(o.mode);
    this.ref = { rotation: this.command.rotation, rateRadPerS: this.command.rateRadPerS };
    this.errorLog = new Float64Array(3 * this.substeps);
    this.vibration = new RotorVibration(s.vibration, o.rotorCount, o.hoverRotorRadPerS, o.rngs.vibration);
    const v = this.vibration;
    this.base = { rotation: [0, 0, 0, 1], angularVelocity: [0, 0, 0], angularAcceleration: [0, 0, 0], linearAcceleration: [0, 0, 0], vibrationAngle: v.angleRad, vibrationRate: v.rateRadPerS, vibrationDisplacement: v.displacementM, vibrationVelocity: v.velocityMps };
    this.cameraImu = new ImuNoise(o.imu, o.imuQuantum);
    this.frameImu = new ImuNoise(o.imu, o.imuQuantum);
    this.controller = o.controller;
    this.target = o.target;
    this.meas = { time: 0, dt: 1 / s.controlHz, cameraGyro: [0, 0, 0], cameraAccel: [0, 0, 0], frameGyro: [0, 0, 0], frameAccel: [0, 0, 0], encoderRad: this.encoderRad, fcRotation: [0, 0, 0, 1], fcAccelerationMps2: [0, 0, 0] };
    const tl = o.telemetry;
    this.attitudeErr = new MarkovError(3, 1, tl.correlationTimeS, o.rngs.telemetry);
    this.accelErr = new MarkovError(3, tl.accelerationSigmaMps2, tl.correlationTimeS, o.rngs.telemetry);
    this.positionErr = new MarkovError(3, tl.positionSigmaM, tl.correlationTimeS, o.rngs.telemetry);
    this.targetErr = new MarkovError(3, tl.positionSigmaM, tl.correlationTimeS, o.rngs.telemetry);
  }

  /** The airframe's state at the start of a physics tick (before the step). */
  begin(s: Readonly<ActorState>): void {
    for (let i = 0; i < 3; i++) {
      this.prevOmega[i] = s.angularVelocity[i]!;
      this.prevVelocity[i] = s.linearVelocity[i]!;
      this.prevPosition[i] = s.position[i]!;
    }
    for (let i = 0; i < 4; i++) this.prevRotation[i] = s.rotation[i]!;
  }

  /**
   * Sub-step over the physics tick that just ended at `timeEnd`, the
   * airframe now in `s`, its rotors at `rotorRadPerS`; `target` is the
   * point-at target's true position (undefined otherwise).
   */
  advance(timeEnd: number, s: Readonly<ActorState>, rotorRadPerS: ArrayLike<number>, target: Readonly<Vec3> | undefined): void {
    const o = this.opts, sp = o.spec;
    const dtPhys = o.physicsDt, h = dtPhys / this.substeps;
    const t0 = timeEnd - dtPhys;
    const b = this.base;
    // The airframe's rotation over the tick as one constant world rate (the logarithm of q1 q0^-1, over dt): the
    // attitude between ticks is q(t) = exp(w t) q0, and the rate the mount and the gyros see is exactly its
    // derivative, so integrating the camera gyro reproduces the camera's attitude. (Interpolating the engine's two
    // end rates would not: the engine steps the attitude with the end rate, and the difference, alpha dt^2 / 2 per
    // tick, would read as gyro error in a fast yaw sweep.) The angular acceleration is the change of the engine's
    // rates over the tick.
    const q0 = this.prevRotation, q1 = s.rotation;
    qMul(q1, qConj(q0, _qa), _qb);
    if (_qb[3] < 0) { _qb[0] = -_qb[0]; _qb[1] = -_qb[1]; _qb[2] = -_qb[2]; _qb[3] = -_qb[3]; }
    const vn = Math.hypot(_qb[0], _qb[1], _qb[2]);
    const ang = 2 * Math.atan2(vn, _qb[3]);
    const kw = vn > 1e-15 ? ang / vn / dtPhys : 2 / dtPhys;
    const wx = _qb[0] * kw, wy = _qb[1] * kw, wz = _qb[2] * kw;
    const mountR = sp.mount.positionM;
    this.tickPeakTorqueRatio.fill(0);
    for (let k = 0; k < this.substeps; k++) {
      const f = (k + 1) / this.substeps;
      const tk = t0 + (k + 1) * h;
      this.vibration.step(h, rotorRadPerS);
      // q(t) = exp(w f dt) (x) q0 (world-frame increment).
      _qa[0] = 0; _qa[1] = 0; _qa[2] = 0; _qa[3] = 1;
      integrateBodyRate(_qa, wx, wy, wz, f * dtPhys);
      qMul(_qa, q0, b.rotation);
      b.angularVelocity[0] = wx; b.angularVelocity[1] = wy; b.angularVelocity[2] = wz;
      for (let i = 0; i < 3; i++) b.angularAcceleration[i] = (s.angularVelocity[i]! - this.prevOmega[i]!) / dtPhys;
      // Rigid mount point: a + al x r + w x (w x r); the rotor vibration rides on it (dynamics.ts).
      rotateVec(b.rotation, mountR, _t);
      const w = b.angularVelocity, al = b.angularAcceleration;
      const wr0 = w[1] * _t[2] - w[2] * _t[1], wr1 = w[2] * _t[0] - w[0] * _t[2], wr2 = w[0] * _t[1] - w[1] * _t[0];
      b.linearAcceleration[0] = (s.linearVelocity[0]! - this.prevVelocity[0]!) / dtPhys + (al[1] * _t[2] - al[2] * _t[1]) + (w[1] * wr2 - w[2] * wr1);
      b.linearAcceleration[1] = (s.linearVelocity[1]! - this.prevVelocity[1]!) / dtPhys + (al[2] * _t[0] - al[0] * _t[2]) + (w[2] * wr0 - w[0] * wr2);
      b.linearAcceleration[2] = (s.linearVelocity[2]! - this.prevVelocity[2]!) / dtPhys + (al[0] * _t[1] - al[1] * _t[0]) + (w[0] * wr1 - w[1] * wr0);

      // Control tick: sample the IMUs and encoders, command torques (held until the next tick).
      if (this.substepCount % this.controlEvery === 0) this.control(tk - h, s, target);
      this.dynamics.step(h, b, this.torqueCmdNm);
      this.accumulateImus();
      this.substepCount++;

      // The command between control ticks, carried forward at its own rate (it is a continuous attitude, issued at the
      // control rate): judging against the held value would read a moving command's steps as jitter.
      const c = this.command;
      _qa[0] = 0; _qa[1] = 0; _qa[2] = 0; _qa[3] = 1;
      integrateBodyRate(_qa, c.rateRadPerS[0], c.rateRadPerS[1], c.rateRadPerS[2], tk - this.commandTime);
      qMul(_qa, c.rotation, _qc);
      attitudeError(_qc, this.dynamics.cameraRotation, _e);
      this.errorLog[3 * k] = _e[0];
      this.errorLog[3 * k + 1] = _e[1];
      this.errorLog[3 * k + 2] = _e[2];
      if (k === this.substeps - 1) this.time = tk;
    }
    // Camera position: the airframe's plus the mount offset.
    rotateVec(s.rotation, mountR, _t);
    for (let i = 0; i < 3; i++) this.cameraPosition[i] = s.position[i]! + _t[i]!;
    this.begin(s);
  }

  /** One control tick at time `t`: commands (truth and known), sensors, controller. */
  private control(t: number, s: Readonly<ActorState>, target: Readonly<Vec3> | undefined): void {
    const o = this.opts, d = this.dynamics;
    const dt = this.meas.dt;
    const first = this.controlTicks === 0;
    // The true command, and the one the gimbal can know.
    rotateVec(s.rotation, o.spec.mount.positionM, _t);
    for (let i = 0; i < 3; i++) _t[i] = s.position[i]! + _t[i]!;
    this.truthCommand.update({ headingRad: yawOf(s.rotation), cameraPosition: _t, target }, first ? 0 : dt);
    this.attitudeErr.step(dt);
    this.accelErr.step(dt);
    this.positionErr.step(dt);
    this.targetErr.step(dt);
    const m = this.meas;
    // Flight-controller telemetry: attitude (truth rotated by a small body-frame error), acceleration.
    const ae = this.attitudeErr.value, tl = o.telemetry;
    // The airframe's attitude at this substep (interpolated over the physics tick), so telemetry and encoders agree in time.
    const fq = m.fcRotation, br = this.base.rotation;
    fq[0] = br[0]; fq[1] = br[1]; fq[2] = br[2]; fq[3] = br[3];
    integrateBodyRate(fq, ae[0]! * tl.tiltSigmaRad, ae[1]! * tl.tiltSigmaRad, ae[2]! * tl.headingSigmaRad, 1);
    // The EKF's acceleration is the rigid-body one (no rotor vibration): the velocity change over the physics tick.
    for (let i = 0; i < 3; i++) m.fcAccelerationMps2[i] = (s.linearVelocity[i]! - this.prevVelocity[i]!) / o.physicsDt + this.accelErr.value[i]!;
    const pe = this.positionErr.value, te = this.targetErr.value;
    const known = _known, knownTarget = target ? _knownTarget : undefined;
    for (let i = 0; i < 3; i++) {
      known[i] = _t[i]! + pe[i]!;
      if (target) _knownTarget[i] = target[i]! + te[i]!;
    }
    this.commandTime = t;
    this.command.update({ headingRad: yawOf(fq), cameraPosition: known, target: knownTarget }, first ? 0 : dt);

    // Camera IMU: rate and specific force of the pitch link, camera axes.
    m.time = t;
    // The true values are the means over the control interval (the substeps since the last tick): a MEMS IMU
    // samples internally at tens of kHz and decimates through its anti-alias filter, so its output is an average,
    // not a point sample that would alias the rotors' tones. The first tick has no interval: the current state.
    if (this.imuCount === 0) this.accumulateImus();
    const k = 1 / this.imuCount;
    const acc = this.imuAcc;
    for (let i = 0; i < 3; i++) {
      m.cameraGyro[i] = acc[i]! * k; m.cameraAccel[i] = acc[3 + i]! * k;
      m.frameGyro[i] = acc[6 + i]! * k; m.frameAccel[i] = acc[9 + i]! * k;
    }
    acc.fill(0);
    this.imuCount = 0;
    this.cameraImu.corrupt(m.cameraGyro, m.cameraAccel, dt, o.rngs.cameraImu);
    this.frameImu.corrupt(m.frameGyro, m.frameAccel, dt, o.rngs.frameImu);
    // Encoders: the angle plus the once-per-revolution INL, quantised to 2^bits counts.
    for (let i = 0; i < 3; i++) {
      const e = o.spec.encoders[i]!;
      const lsb = (2 * Math.PI) / 2 ** e.bits;
      const a = d.q[i]! + e.inlRad * Math.sin(d.q[i]!) + e.noiseRad * o.rngs.encoder.normal();
      this.encoderRad[i] = Math.round(a / lsb) * lsb;
    }
    this.controller.step(m, this.ref, this.torqueCmdNm);
    this.controlTicks++;
    for (let i = 0; i < 3; i++) {
      const cmd = this.torqueCmdNm[i]!;
      if (!Number.isFinite(cmd)) throw new Error(`gimbal controller '${this.controller.name}' commanded a non-finite torque on axis ${i}`);
      const ratio = Math.abs(cmd) / o.spec.motors[i]!.maxTorqueNm;
      if (ratio > 1) this.saturatedTicks[i] = this.saturatedTicks[i]! + 1;
      if (ratio > this.tickPeakTorqueRatio[i]!) this.tickPeakTorqueRatio[i] = ratio;
    }
  }

  get controllerName(): string {
    return this.controller.name;
  }

  /** Simulation time of the last command update (a control tick). */
  private commandTime = 0;
  private readonly imuAcc = new Float64Array(12);
  private imuCount = 0;

  /** Adds this substep's true camera and base rates and specific forces (sensor axes) to the IMU averages. */
  private accumulateImus(): void {
    const d = this.dynamics, acc = this.imuAcc;
    _r[0] = d.baseAcceleration[0]; _r[1] = d.baseAcceleration[1]; _r[2] = d.baseAcceleration[2] + this.opts.spec.gravityMps2;
    rotateVecInv(d.cameraRotation, d.cameraAngularVelocity, _t);
    acc[0] = acc[0]! + _t[0]; acc[1] = acc[1]! + _t[1]; acc[2] = acc[2]! + _t[2];
    rotateVecInv(d.cameraRotation, _r, _t);
    acc[3] = acc[3]! + _t[0]; acc[4] = acc[4]! + _t[1]; acc[5] = acc[5]! + _t[2];
    rotateVecInv(d.baseRotation, d.baseAngularVelocity, _t);
    acc[6] = acc[6]! + _t[0]; acc[7] = acc[7]! + _t[1]; acc[8] = acc[8]! + _t[2];
    rotateVecInv(d.baseRotation, _r, _t);
    acc[9] = acc[9]! + _t[0]; acc[10] = acc[10]! + _t[1]; acc[11] = acc[11]! + _t[2];
    this.imuCount++;
  }

  /** Simulation time of the last substep. */
  get lastTime(): number {
    return this.time;
  }
}
