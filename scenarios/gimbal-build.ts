/**
 * Scenario -> gimbals (issue #5): the gimbal a UAV actor carries, its
 * controller, and the baselines of `compare` on identical copies (the same
 * plant draw, vibration phases and sensor noise streams: common random
 * numbers, so the comparison is of controllers alone).
 */
import { DEG, type Vec3 } from '../sim/math.ts';
import { IMU_MODELS } from '../sim/sensors/imu.ts';
import type { World } from '../sim/world.ts';
import { GIMBAL_CONTROLLERS } from '../agents/gimbal/registry.ts';
import type { GimbalMode } from '../uav/gimbal/command.ts';
import { Gimbal, TELEMETRY_DEFAULTS } from '../uav/gimbal/gimbal.ts';
import type { GimbalService } from '../uav/gimbal/service.ts';
import { GIMBAL_MODELS, withTolerance, type GimbalSpec } from '../uav/gimbal/spec.ts';
import { hoverRotorSpeed } from '../uav/multirotor/airframe.ts';
import type { Multirotor } from '../uav/multirotor/multirotor.ts';
import type { GimbalSpecInput } from './schema.ts';

const G0 = 9.80665;
/** Residual accelerometer offset after the user's calibration, 1 sigma, m/s^2 (1 mg: Skylane assumption). */
export const CALIBRATED_ACCEL_OFFSET_MPS2 = 1e-3 * G0;

/**
 * Output quanta of the camera IMU: the gyro at +-250 dps (131 LSB/(deg/s),
 * ICM-42688-P DS-000347 GYRO_FS_SEL table; the BMI088 and MPU-6000 have the
 * same 16-bit scale at 250 dps), the accelerometer at +-4 g (8192 LSB/g).
 */
const IMU_QUANTUM = { gyroRadPerS: DEG / 131, accelMps2: G0 / 8192 };

function modeOf(m: GimbalSpecInput['mode']): { mode: GimbalMode; target: string | Vec3 | undefined } {
  // Files give pitch positive up (DJI); inside, REP 103: positive about y looks down.
  if (m.type === 'lock') return { mode: { type: 'lock', rollRad: m.rollDeg * DEG, pitchRad: -m.pitchDeg * DEG, yawRad: m.yawDeg * DEG }, target: undefined };
  if (m.type === 'follow') return { mode: { type: 'follow', pitchRad: -m.pitchDeg * DEG, timeConstantS: m.timeConstantS }, target: undefined };
  return { mode: { type: 'point-at', timeConstantS: m.timeConstantS }, target: typeof m.target === 'string' ? m.target : [...m.target] as Vec3 };
}

/** The plant spec of a scenario's gimbal before tolerance: the model with the file's overrides. */
export function gimbalSpecOf(g: GimbalSpecInput): GimbalSpec {
  const base = GIMBAL_MODELS[g.model];
  const pitch = { ...base.links.pitch, ...(g.payload?.massKg !== undefined ? { massKg: g.payload.massKg } : {}), ...(g.payload?.comOffsetM ? { comOffsetM: [...g.payload.comOffsetM] as Vec3 } : {}) };
  const k = g.vibration ? g.vibrationScale : 0;
  const v = base.vibration;
  return {
    ...base,
    links: { ...base.links, pitch },
    motors: g.motorMaxTorqueNm === undefined ? base.motors : [0, 1, 2].map((i) => ({ ...base.motors[i]!, maxTorqueNm: g.motorMaxTorqueNm! })) as unknown as GimbalSpec['motors'],
    vibration: { ...v, shaftAccelMps2: v.shaftAccelMps2 * k, shaftRateRadPerS: v.shaftRateRadPerS * k, bladePassAccelMps2: v.bladePassAccelMps2.map((x) => x * k), bladePassRateRadPerS: v.bladePassRateRadPerS.map((x) => x * k) },
  };
}

export function addGimbals(world: World, service: GimbalService, uav: Multirotor, g: GimbalSpecInput, headingRad: number): void {
  const nominal = gimbalSpecOf(g);
  const { mode, target } = modeOf(g.mode);
  // The camera accelerometer is calibrated once by the user (SimpleBGC and STorM32 both ask for it): the data
  // sheet's zero-g offset (+-20..50 mg) shrinks to a residual of 1 mg (Skylane assumption); the gyro's turn-on
  // bias stays, the controller calibrates it at every power-up.
  const imu = { ...IMU_MODELS[g.imu], accelTurnOnBiasSigmaMps2: CALIBRATED_ACCEL_OFFSET_MPS2 };
  const refs = [g.controller, ...g.compare];
  for (const ref of refs) {
    const r = typeof ref === 'string' ? { type: ref, params: {} } : ref;
    const entry = GIMBAL_CONTROLLERS[r.type]!;
    // The same stream names for every copy: identical plant, vibration and noise.
    const rng = (s: string) => world.rng(`gimbal/${uav.id}/${s}`);
    const plant = g.tolerance ? withTolerance(nominal, rng('plant')) : nominal;
    const controller = entry.create(r.params, { spec: nominal, controlHz: nominal.controlHz, initialHeadingRad: headingRad, imu });
    const gimbal = new Gimbal({
      spec: plant,
      imu,
      imuQuantum: IMU_QUANTUM,
      controller,
      mode,
      target,
      physicsDt: world.dt,
      rotorCount: uav.airframe.rotors.length,
      hoverRotorRadPerS: hoverRotorSpeed(uav.airframe),
      rngs: { vibration: rng('vibration'), cameraImu: rng('camera-imu'), frameImu: rng('frame-imu'), telemetry: rng('telemetry'), encoder: rng('encoder') },
      telemetry: TELEMETRY_DEFAULTS,
    });
    service.add(uav, gimbal);
  }
}
