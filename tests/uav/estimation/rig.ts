/**
 * A synthetic flight for the estimator tests: a ground-truth trajectory
 * (position and yaw as functions of time), turned into a full quadrotor
 * state, sampled by the real sensor classes (sim/sensors: Imu with the BMI088
 * defaults, Gnss with the ZED-F9P's, Barometer with its defaults), each from
 * its own seeded stream, exactly as the world would call them.
 *
 * The attitude is a multirotor's: body z along the thrust direction
 * a + g e3 (the only way a quadrotor accelerates), yaw as given (the
 * differential-flatness construction of D. Mellinger and V. Kumar, "Minimum
 * snap trajectory generation and control for quadrotors", ICRA 2011). So the
 * accelerometer sees the thrust axis, never gravity alone, when the vehicle
 * accelerates. Velocity and angular velocity come from central differences
 * of the closed-form position and attitude (h = 1e-4 s).
 */
import { rotateVec, type Quat, type Vec3 } from '../../../sim/math.ts';
import { Rng } from '../../../sim/rng.ts';
import type { Reading, SenseContext } from '../../../sim/sensor.ts';
import { Barometer, BAROMETER_DEFAULTS, isaAltitudeM, isaPressurePa, type BarometerSample } from '../../../sim/sensors/barometer.ts';
import { Gnss, ZED_F9P, type GnssFix, type GnssParams } from '../../../sim/sensors/gnss.ts';
import { BMI088, Imu, type ImuParams, type ImuSample } from '../../../sim/sensors/imu.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { Estimator, type EstimatorParams } from '../../../uav/estimation/estimator.ts';
import type { StateEstimate } from '../../../uav/estimation/state-estimate.ts';

export const G = 9.81;
export const DT = 0.01; // the IMU's 100 Hz; the barometer samples every 2nd step, the GNSS every 10th
const H = 1e-4;
const LEVEL = { position: [0, 0, 0] as Vec3, rotation: [0, 0, 0, 1] as Quat };

export interface Trajectory {
  position(t: number, out: Vec3): void;
  yaw(t: number): number;
}

/** Multirotor attitude for acceleration `a` (world) and yaw `psi`: body z along a + g e3. */
export function flatAttitude(a: Readonly<Vec3>, psi: number, out: Quat): Quat {
  let zx = a[0], zy = a[1], zz = a[2] + G;
  const zn = Math.hypot(zx, zy, zz);
  zx /= zn; zy /= zn; zz /= zn;
  const cx = Math.cos(psi), cy = Math.sin(psi);
  // y_b = z_b x x_c, x_b = y_b x z_b
  let yx = zy * 0 - zz * cy, yy = zz * cx - zx * 0, yz = zx * cy - zy * cx;
  const yn = Math.hypot(yx, yy, yz);
  yx /= yn; yy /= yn; yz /= yn;
  const xx = yy * zz - yz * zy, xy = yz * zx - yx * zz, xz = yx * zy - yy * zx;
  // Rotation matrix columns x_b, y_b, z_b to quaternion (Shepperd).
  const m00 = xx, m11 = yy, m22 = zz, tr = m00 + m11 + m22;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    out[3] = 0.25 * s; out[0] = (zy - yz) / s; out[1] = (xz - zx) / s; out[2] = (yx - xy) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    out[3] = (zy - yz) / s; out[0] = 0.25 * s; out[1] = (yx + xy) / s; out[2] = (xz + zx) / s;
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    out[3] = (xz - zx) / s; out[0] = (yx + xy) / s; out[1] = 0.25 * s; out[2] = (zy + yz) / s;
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    out[3] = (yx - xy) / s; out[0] = (xz + zx) / s; out[1] = (zy + yz) / s; out[2] = 0.25 * s;
  }
  return out;
}

/** Ground-truth state of the trajectory at t. */
export function truthAt(tr: Trajectory, t: number, s: ActorState): void {
  const p0: Vec3 = [0, 0, 0], p1: Vec3 = [0, 0, 0], pm: Vec3 = [0, 0, 0];
  tr.position(t, pm);
  tr.position(t + H, p1);
  tr.position(t - H, p0);
  const acc = (t: number, out: Vec3) => {
    const a: Vec3 = [0, 0, 0], b: Vec3 = [0, 0, 0], c: Vec3 = [0, 0, 0];
    tr.position(t - H, a); tr.position(t, b); tr.position(t + H, c);
    for (let i = 0; i < 3; i++) out[i] = (a[i]! - 2 * b[i]! + c[i]!) / (H * H);
    return out;
  };
  s.position = pm;
  s.linearVelocity = [(p1[0] - p0[0]) / (2 * H), (p1[1] - p0[1]) / (2 * H), (p1[2] - p0[2]) / (2 * H)];
  // Quaternions a step either side; omega_world = 2 (dq/dt) (x) q*.
  const qa = flatAttitude(acc(t - H, [0, 0, 0]), tr.yaw(t - H), [0, 0, 0, 1]);
  const qb = flatAttitude(acc(t + H, [0, 0, 0]), tr.yaw(t + H), [0, 0, 0, 1]);
  if (qa[0] * qb[0] + qa[1] * qb[1] + qa[2] * qb[2] + qa[3] * qb[3] < 0) for (let i = 0; i < 4; i++) qb[i] = -qb[i]!;
  const q = flatAttitude(acc(t, [0, 0, 0]), tr.yaw(t), [0, 0, 0, 1]);
  const d = [(qb[0] - qa[0]) / (2 * H), (qb[1] - qa[1]) / (2 * H), (qb[2] - qa[2]) / (2 * H), (qb[3] - qa[3]) / (2 * H)] as const;
  // (d (x) conj(q)).xyz, scalar last
  const [x, y, z, w] = q;
  const cx = -x, cy = -y, cz = -z, cw = w;
  s.angularVelocity = [
    2 * (d[3] * cx + d[0] * cw + d[1] * cz - d[2] * cy),
    2 * (d[3] * cy - d[0] * cz + d[1] * cw + d[2] * cx),
    2 * (d[3] * cz + d[0] * cy - d[1] * cx + d[2] * cw),
  ];
  s.rotation = q;
}

/** Attitude error angle between two unit quaternions, rad. */
export function attitudeErrorRad(a: Readonly<Quat>, b: Readonly<Quat>): number {
  const dot = Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3]);
  return 2 * Math.acos(Math.min(1, dot));
}

/** Tilt (roll and pitch) error: the angle between world up seen in the estimated and in the true body frame, rad (blind to yaw). */
export function tiltErrorRad(est: Readonly<Quat>, truth: Readonly<Quat>): number {
  const ce: Quat = [-est[0], -est[1], -est[2], est[3]], ct: Quat = [-truth[0], -truth[1], -truth[2], truth[3]];
  const za = rotateVec(ce, [0, 0, 1], [0, 0, 0]);
  const zb = rotateVec(ct, [0, 0, 1], [0, 0, 0]);
  return Math.acos(Math.min(1, za[0] * zb[0] + za[1] * zb[1] + za[2] * zb[2]));
}

export interface FlightOptions {
  seed: number;
  durationS: number;
  imu?: Partial<ImuParams>;
  /** undefined: the ZED-F9P's default dual-antenna heading; NaN: none. */
  gnssHeadingSigmaRad?: number;
  /** Overrides of the ZED-F9P defaults (the estimator is not told: pass `estimator` too). */
  gnss?: Partial<GnssParams>;
  /** No GNSS reading reaches the estimator in [from, to). */
  gnssOutage?: [number, number];
  estimator?: Partial<EstimatorParams>;
  /** Called after every estimator update with the time, truth and estimate. */
  each(t: number, truth: Readonly<ActorState>, est: Readonly<StateEstimate>, flight: Flight): void;
}

export interface Flight {
  imu: Imu;
  baro: Barometer;
  estimator: Estimator;
}

/** Flies `tr` for `durationS`, sensors to estimator, calling `each` at every 100 Hz step. */
export function fly(tr: Trajectory, o: FlightOptions): Flight {
  const imu = new Imu({ name: 'imu', mount: LEVEL, ...BMI088, ...o.imu });
  const gnss = new Gnss({ name: 'gnss', mount: LEVEL, ...ZED_F9P, headingSigmaRad: o.gnssHeadingSigmaRad ?? ZED_F9P.headingSigmaRad, ...o.gnss });
  const baro = new Barometer({ name: 'baro', mount: LEVEL, ...BAROMETER_DEFAULTS });
  const rImu = Rng.stream(o.seed, 'uav/imu'), rGnss = Rng.stream(o.seed, 'uav/gnss'), rBaro = Rng.stream(o.seed, 'uav/baro');
  const est = new Estimator(o.estimator);
  const flight: Flight = { imu, baro, estimator: est };
  const s: ActorState = { id: 'uav', kind: 'uav', position: [0, 0, 0], rotation: [0, 0, 0, 1], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
  const ctx: SenseContext = { physics: { castRay: () => null }, self: s, selfBody: 0, time: 0, others: [] };
  let ri: Reading<ImuSample> | null = null, rg: Reading<GnssFix> | null = null, rb: Reading<BarometerSample> | null = null;
  const steps = Math.round(o.durationS / DT);
  for (let k = 0; k <= steps; k++) {
    const t = k * DT;
    truthAt(tr, t, s);
    (ctx as { time: number }).time = t;
    ri = { time: t, value: imu.sample(ctx, rImu), healthy: true };
    if (k % 2 === 0) rb = { time: t, value: baro.sample(ctx, rBaro), healthy: true };
    if (k % 10 === 0) {
      const fix = gnss.sample(ctx, rGnss);
      const out = o.gnssOutage && t >= o.gnssOutage[0] && t < o.gnssOutage[1];
      if (!out) rg = { time: t, value: fix, healthy: true };
    }
    const e = est.update({ imu: ri, gnss: rg, baro: rb }, t);
    o.each(t, s, e, flight);
  }
  return flight;
}

/** The IMU's drawn turn-on gyro bias plus its Gauss-Markov drift, rad/s (private state, read for the test's reference). */
export function trueGyroBias(imu: Imu): Vec3 {
  const n = imu['noise'];
  return [n.gyroBiasRadPerS(0), n.gyroBiasRadPerS(1), n.gyroBiasRadPerS(2)];
}

export function trueAccelBias(imu: Imu): Vec3 {
  const n = imu['noise'];
  return [n.accelBiasMps2(0), n.accelBiasMps2(1), n.accelBiasMps2(2)];
}

export const hold = (p: Vec3, yaw: number): Trajectory => ({
  position: (_t, out) => { out[0] = p[0]; out[1] = p[1]; out[2] = p[2]; },
  yaw: () => yaw,
});

/** The barometer's current offset in altitude, m (its private bias and turn-on offset through the ISA formula), at true height z. */
export function trueBaroBiasM(baro: Barometer, z: number): number {
  const pa = isaPressurePa(z) + baro['bias'] + baro['offset'];
  return isaAltitudeM(pa) - z;
}
