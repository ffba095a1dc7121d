/**
 * The vehicle state the flight stack flies on: an estimate from the
 * on-board sensors (IMU, GNSS, barometer), never ground truth. The
 * estimator (uav/estimation/) writes it each control tick; the controllers
 * (uav/flight-stack/) read it.
 *
 * Frames: world ENU (x east, y north, z up), body FLU (x forward, y left,
 * z up; ROS REP 103). Quaternion [x, y, z, w], body to world.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';

export interface StateEstimate {
  /** Simulation time of the estimate, s. */
  timeS: number;
  /** False until the estimator has a position and attitude fix. */
  valid: boolean;
  /** Position, world ENU, m. */
  positionM: Vec3;
  /** Velocity, world ENU, m/s. */
  velocityMps: Vec3;
  /** Attitude, body to world. */
  attitude: Quat;
  /** Body angular rate (gyro minus estimated bias), rad/s. */
  angularRateRadPerS: Vec3;
  /** Estimated gyro bias, rad/s (body). */
  gyroBiasRadPerS: Vec3;
}

export function newStateEstimate(): StateEstimate {
  return { timeS: 0, valid: false, positionM: [0, 0, 0], velocityMps: [0, 0, 0], attitude: [0, 0, 0, 1], angularRateRadPerS: [0, 0, 0], gyroBiasRadPerS: [0, 0, 0] };
}
