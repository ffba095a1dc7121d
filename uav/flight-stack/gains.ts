/**
 * Controller gains and limits of the flight stack, one set per airframe.
 *
 * The defaults are PX4's parameter defaults, read from PX4/PX4-Autopilot:
 * - position and velocity gains: `src/modules/mc_pos_control/multicopter_position_control_gain_params.yaml`
 *   (commit c426883b); limits: `multicopter_position_control_limits_params.yaml` (commit 1c6cfe52);
 * - attitude: `src/modules/mc_att_control/mc_att_control_params.c` (v1.x releases:
 *   MC_ROLL_P = MC_PITCH_P = 6.5); the newest `mc_att_control_params.yaml` (commit
 *   01486656) lowered them to 4.0 together with a new attitude reference model
 *   (MC_REF_*), which we do not implement, so we keep 6.5;
 * - body rates: `src/modules/mc_rate_control/mc_rate_control_params.yaml` (commit 0227117f).
 *
 * Units. Position and velocity gains are already SI in PX4 (1/s, m/s^2 per
 * m/s). PX4's rate gains are in normalised torque per rad/s (the control
 * allocator maps a normalised torque of 1 to its full-scale torque); ours
 * output an angular acceleration (rad/s^2 per rad/s), and the torque is
 * I alpha. `rateGainsFromPx4` converts with the airframe's full-scale torque,
 * computed as PX4's allocation normalisation does (`fullScaleTorqueNm`),
 * assuming PX4's actuator value is proportional to rotor thrust (PX4's
 * THR_MDL_FAC and its SITL motor mapping are not modelled).
 */
import { DEG } from '../../sim/math.ts';
import type { Airframe } from '../multirotor/airframe.ts';
import { IRIS } from '../multirotor/airframes.ts';
import { Mixer } from './mixer.ts';

export interface AxisPid {
  /** Proportional gain. */
  p: number;
  /** Integral gain. */
  i: number;
  /** Derivative gain (on the measurement). */
  d: number;
  /** Integrator limit, in the controller's output unit. */
  iLimit: number;
}

export interface FlightGains {
  /** Position P, m/s per m (MPC_XY_P, MPC_Z_P). */
  positionXyP: number;
  positionZP: number;
  /** Velocity PID, output m/s^2 (MPC_XY_VEL_*_ACC, MPC_Z_VEL_*_ACC). */
  velocityXy: AxisPid;
  velocityZ: AxisPid;
  /** Low-pass cut-off of the velocity derivative, Hz. */
  velocityDerivativeCutoffHz: number;
  /** Attitude P, rad/s per rad (MC_ROLL_P, MC_PITCH_P, MC_YAW_P). */
  attitudeP: [number, number, number];
  /** Share of the yaw error kept in the attitude setpoint (MC_YAW_WEIGHT). */
  yawWeight: number;
  /** Body-rate PID per axis, output rad/s^2. */
  rate: [AxisPid, AxisPid, AxisPid];
  /** Low-pass cut-off of the angular acceleration for the rate D term, Hz. */
  rateDerivativeCutoffHz: number;
  /** Body-rate limits, rad/s (MC_ROLLRATE_MAX, ...). */
  maxRateRadPerS: [number, number, number];
  /** Largest tilt the position controller commands, rad (MPC_TILTMAX_AIR). */
  maxTiltRad: number;
  /** Velocity limits, m/s (MPC_XY_VEL_MAX, MPC_Z_VEL_MAX_UP, MPC_Z_VEL_MAX_DN). */
  maxSpeedXyMps: number;
  maxClimbMps: number;
  maxDescentMps: number;
  /** Collective thrust limits as shares of the airframe's full thrust (MPC_THR_MIN, MPC_THR_MAX). */
  minThrustRatio: number;
  maxThrustRatio: number;
  /** Share of full thrust kept for horizontal control when vertical demand is high (MPC_THR_XY_MARG). */
  horizontalThrustMarginRatio: number;
}

/** A PX4 rate-loop gain set in PX4's own (normalised torque) units. */
export interface Px4RateGains {
  p: number; i: number; d: number; iLimit: number;
}

// mc_rate_control_params.yaml: MC_ROLLRATE_P 0.15, _I 0.2, _D 0.003, MC_RR_INT_LIM 0.3 (pitch the same).
export const PX4_ROLL_PITCH_RATE: Px4RateGains = { p: 0.15, i: 0.2, d: 0.003, iLimit: 0.3 };
// mc_rate_control_params.yaml: MC_YAWRATE_P 0.2, _I 0.1, _D 0, MC_YR_INT_LIM 0.3.
export const PX4_YAW_RATE: Px4RateGains = { p: 0.2, i: 0.1, d: 0, iLimit: 0.3 };

/**
 * Full-scale torques of an airframe's allocation: the physical torque (N m)
 * that PX4's normalised torque 1 stands for. PX4
 * (ControlAllocationPseudoInverse::updateControlAllocationMatrixScale)
 * divides the pseudo-inverse's roll and pitch columns by one common scale,
 * max over roll and pitch of sqrt(|column|^2 / (n_nonzero / 2)), and the yaw
 * column by its largest entry; actuators are normalised thrusts u = T / T_max.
 * A normalised torque of 1 then produces 1 / scale of physical torque.
 */
export function fullScaleTorqueNm(a: Airframe): [number, number, number] {
  const m = new Mixer(a);
  const n = m.rotorCount, tMax = m.maxRotorThrustN, A = m.allocation;
  const rms = (k: number): number => {
    let s2 = 0, nz = 0;
    for (let i = 0; i < n; i++) {
      const v = A[i * 4 + k]! / tMax; // d u_i / d tau_k with u = T / T_max
      s2 += v * v;
      if (Math.abs(v) > 1e-9) nz++;
    }
    return Math.sqrt(s2 / (nz / 2));
  };
  const rp = Math.max(rms(1), rms(2));
  let yaw = 0;
  for (let i = 0; i < n; i++) yaw = Math.max(yaw, A[i * 4 + 3]! / tMax);
  return [1 / rp, 1 / rp, 1 / yaw];
}

/** PX4 normalised rate gains to angular-acceleration gains for `a`: K * tau_fs / I per axis. */
export function rateGainsFromPx4(a: Airframe, rp: Px4RateGains = PX4_ROLL_PITCH_RATE, yaw: Px4RateGains = PX4_YAW_RATE): [AxisPid, AxisPid, AxisPid] {
  const fs = fullScaleTorqueNm(a);
  const conv = (g: Px4RateGains, k: number): AxisPid => {
    const s = fs[k]! / a.inertiaKgM2[k]!;
    return { p: g.p * s, i: g.i * s, d: g.d * s, iLimit: g.iLimit * s };
  };
  return [conv(rp, 0), conv(rp, 1), conv(yaw, 2)];
}

/** PX4's defaults for everything outside the rate loop; the rate loop comes from the airframe. */
function px4Outer(): Omit<FlightGains, 'rate'> {
  return {
    positionXyP: 0.95, // MPC_XY_P
    positionZP: 1.0, // MPC_Z_P
    velocityXy: { p: 1.8, i: 0.4, d: 0.2, iLimit: Infinity }, // MPC_XY_VEL_P_ACC, _I_ACC, _D_ACC (xy integral is limited by anti-windup only)
    velocityZ: { p: 4.0, i: 2.0, d: 0.0, iLimit: 9.81 }, // MPC_Z_VEL_P_ACC, _I_ACC, _D_ACC; PositionControl limits the z integral to one g
    velocityDerivativeCutoffHz: 5, // MPC_VELD_LP, 5 Hz (older v1.x parameter, from memory: not re-read)
    attitudeP: [6.5, 6.5, 2.8], // MC_ROLL_P, MC_PITCH_P (v1.x mc_att_control_params.c), MC_YAW_P (mc_att_control_params.yaml)
    yawWeight: 0.4, // MC_YAW_WEIGHT
    rateDerivativeCutoffHz: 30, // IMU_DGYRO_CUTOFF, 30 Hz (the D term's angular-acceleration filter; from memory: not re-read)
    maxRateRadPerS: [220 * DEG, 220 * DEG, 200 * DEG], // MC_ROLLRATE_MAX, MC_PITCHRATE_MAX, MC_YAWRATE_MAX (mc_att_control_params.yaml)
    maxTiltRad: 45 * DEG, // MPC_TILTMAX_AIR
    maxSpeedXyMps: 12, // MPC_XY_VEL_MAX
    maxClimbMps: 3, // MPC_Z_VEL_MAX_UP
    maxDescentMps: 1.5, // MPC_Z_VEL_MAX_DN
    minThrustRatio: 0.12, // MPC_THR_MIN
    maxThrustRatio: 1.0, // MPC_THR_MAX
    horizontalThrustMarginRatio: 0.3, // MPC_THR_XY_MARG (from memory: not re-read)
  };
}

/**
 * The gains the flight stack flies `a` with.
 * - Iris: PX4's defaults throughout; the rate loop converted from PX4's
 *   normalised gains with the Iris's full-scale torques (the PX4 defaults are
 *   tuned for Iris-class SITL airframes). This gives roll- and pitch-rate
 *   P 13.4 rad/s^2 per rad/s (PX4 scales roll and pitch alike, here by the
 *   Iris's shorter pitch lever) and yaw-rate P 5.9.
 * - Crazyflie 2.x: retuned rate loop. The same conversion gives a roll-rate P
 *   of 126 rad/s^2 per rad/s, above its motors' bandwidth
 *   (1 / tau_up = 80 rad/s), so the rate loop uses the Iris's angular-
 *   acceleration gains (the same closed-loop bandwidth). Everything outside
 *   the rate loop is kinematic (m/s, rad/s per rad) and kept at PX4's defaults.
 * - Any other airframe: the Iris's angular-acceleration gains, as for the Crazyflie.
 */
export function gainsFor(a: Airframe): FlightGains {
  const rate = rateGainsFromPx4(a.name === IRIS.name ? a : IRIS);
  return { ...px4Outer(), rate };
}
