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
 * commanded attitude from a command generator fed ground truth, the camera's
 * attitude error about it at every substep (`errorLog`, rad, x y z
 * interleaved, for the last physics tick), and per-axis counts of control
 * ticks whose torque command exceeded the motor's limit (saturation).
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
  positionSigmaM: 1.5 / 1.1774, // u-blox ZED-F9P data sheet UBX-17051259: PVT 1.5 m CEP (no RTK)
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
const _r: Vec3 = [0, 0, 0];
const _t: Vec3 = [0, 0, 0];

export class Gimbal {
  readonly dynamics: GimbalDynamics;
  readonly truthCommand: CommandGenerator;
  readonly knownCommand: CommandGenerator;
  readonly substeps: number;
  readonly controlEvery: number;
  /** Camera attitude error about the true command at every substep of the last tick, rad, [x y z] interleaved. */
  readonly errorLog: Float64Array;
  /** Substep rate of `errorLog`, Hz. */
  readonly logHz: number;
  /** Control ticks so far, and those whose command exceeded the motor limit, per axis. */
  controlTicks = 0;
  readonly saturatedTicks = new Float64Array(3);
  /** Largest |torque command| / limit seen per axis. */
  readonly peakTorqueRatio = new Float64Array(3);
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
  private readonly base: BaseMotion = { rotation: [0, 0, 0, 1], angularVelocity: [0, 0, 0], angularAcceleration: [0, 0, 0], linearAcceleration: [0, 0, 0] };
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
    this.knownCommand = new CommandGenerator(o.mode);
    this.ref = { rotation: this.knownCommand.rotation, rateRadPerS: this.knownCommand.rateRadPerS };
    this.errorLog = new Float64Array(3 * this.substeps);
    this.vibration = new RotorVibration(s.vibration, o.rotorCount, o.hoverRotorRadPerS, o.rngs.vibration);
    this.cameraImu = new ImuNoise(o.imu, o.imuQuantum);
    this.frameImu = new ImuNoise(o.imu, o.imuQuantum);
    this.controller = o.controller;
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
    const q0 = this.prevRotation, q1 = s.rotation;
    const sign = q0[0] * q1[0] + q0[1] * q1[1] + q0[2] * q1[2] + q0[3] * q1[3] < 0 ? -1 : 1;
    const mountR = sp.mount.positionM;
    for (let k = 0; k < this.substeps; k++) {
      const f = (k + 1) / this.substeps;
      const tk = t0 + (k + 1) * h;
      this.vibration.step(h, rotorRadPerS);
      // Airframe attitude (nlerp) and rates at the substep.
      let n = 0;
      for (let i = 0; i < 4; i++) {
        const v = (1 - f) * q0[i]! + f * sign * q1[i]!;
        b.rotation[i] = v;
        n += v * v;
      }
      n = Math.sqrt(n);
      for (let i = 0; i < 4; i++) b.rotation[i] = b.rotation[i]! / n;
      // Vibration (airframe axes) to world.
      rotateVec(b.rotation, this.vibration.rateRadPerS, _r);
      for (let i = 0; i < 3; i++) {
        b.angularVelocity[i] = (1 - f) * this.prevOmega[i]! + f * s.angularVelocity[i]! + _r[i]!;
      }
      rotateVec(b.rotation, this.vibration.angularAccelRadPerS2, _r);
      for (let i = 0; i < 3; i++) b.angularAcceleration[i] = (s.angularVelocity[i]! - this.prevOmega[i]!) / dtPhys + _r[i]!;
      // Mount point: a + al x r + w x (w x r), then the vibration.
      rotateVec(b.rotation, mountR, _t);
      const w = b.angularVelocity, al = b.angularAcceleration;
      const wr0 = w[1] * _t[2] - w[2] * _t[1], wr1 = w[2] * _t[0] - w[0] * _t[2], wr2 = w[0] * _t[1] - w[1] * _t[0];
      rotateVec(b.rotation, this.vibration.accelMps2, _r);
      b.linearAcceleration[0] = (s.linearVelocity[0]! - this.prevVelocity[0]!) / dtPhys + (al[1] * _t[2] - al[2] * _t[1]) + (w[1] * wr2 - w[2] * wr1) + _r[0];
      b.linearAcceleration[1] = (s.linearVelocity[1]! - this.prevVelocity[1]!) / dtPhys + (al[2] * _t[0] - al[0] * _t[2]) + (w[2] * wr0 - w[0] * wr2) + _r[1];
      b.linearAcceleration[2] = (s.linearVelocity[2]! - this.prevVelocity[2]!) / dtPhys + (al[0] * _t[1] - al[1] * _t[0]) + (w[0] * wr1 - w[1] * wr0) + _r[2];

      // Control tick: sample the IMUs and encoders, command torques (held until the next tick).
      if (this.substepCount % this.controlEvery === 0) this.control(tk - h, s, target);
      this.dynamics.step(h, b, this.torqueCmdNm);
      this.substepCount++;

      attitudeError(this.truthCommand.rotation, this.dynamics.cameraRotation, _e);
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
    const fq = m.fcRotation;
    fq[0] = s.rotation[0]; fq[1] = s.rotation[1]; fq[2] = s.rotation[2]; fq[3] = s.rotation[3];
    integrateBodyRate(fq, ae[0]! * tl.tiltSigmaRad, ae[1]! * tl.tiltSigmaRad, ae[2]! * tl.headingSigmaRad, 1);
    // The EKF's acceleration is the rigid-body one (no rotor vibration): the velocity change over the physics tick.
    for (let i = 0; i < 3; i++) m.fcAccelerationMps2[i] = (s.linearVelocity[i]! - this.prevVelocity[i]!) / o.physicsDt + this.accelErr.value[i]!;
    const pe = this.positionErr.value, te = this.targetErr.value;
    const known: Vec3 = [_t[0] + pe[0]!, _t[1] + pe[1]!, _t[2] + pe[2]!];
    const knownTarget: Vec3 | undefined = target ? [target[0] + te[0]!, target[1] + te[1]!, target[2] + te[2]!] : undefined;
    this.knownCommand.update({ headingRad: yawOf(fq), cameraPosition: known, target: knownTarget }, first ? 0 : dt);

    // Camera IMU: rate and specific force of the pitch link, camera axes.
    m.time = t;
    const g = o.spec.gravityMps2;
    rotateVecInv(d.cameraRotation, d.cameraAngularVelocity, m.cameraGyro);
    _r[0] = d.baseAcceleration[0]; _r[1] = d.baseAcceleration[1]; _r[2] = d.baseAcceleration[2] + g;
    rotateVecInv(d.cameraRotation, _r, m.cameraAccel);
    this.cameraImu.corrupt(m.cameraGyro, m.cameraAccel, dt, o.rngs.cameraImu);
    rotateVecInv(d.baseRotation, d.baseAngularVelocity, m.frameGyro);
    rotateVecInv(d.baseRotation, _r, m.frameAccel);
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
      if (ratio > this.peakTorqueRatio[i]!) this.peakTorqueRatio[i] = ratio;
    }
  }

  /** Simulation time of the last substep. */
  get lastTime(): number {
    return this.time;
  }
}
