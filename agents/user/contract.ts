/**
 * The published contract of a Skylane user agent (issue #7 section 4).
 *
 * A user agent is ONE TypeScript or JavaScript module whose default export
 * drives one actor kind: a car (`CarAgentModule`) or a drone
 * (`DroneAgentModule`). Write it against these types and wrap it in
 * `defineAgent` (an identity function that only gives the editor and tsc the
 * types):
 *
 *     import { defineAgent } from 'skylane/agent';   // or a path to this file
 *     export default defineAgent({ kind: 'car', rateHz: 20, step: (input) => ({ throttle: 0.2, brake: 0, steeringRad: 0 }) });
 *
 * The module runs in a sandbox (agents/user/sandbox.ts): no imports other
 * than this contract, no DOM, no network, no clock, no Math.random; it sees
 * its input as plain JSON data (a fresh copy each tick) and returns plain
 * data, checked field by field (agents/user/validate.ts). Units are SI;
 * positions and velocities are in the local ENU world frame (x east, y
 * north, z up) unless named `...Body`/sensor frame; angles in radians.
 *
 * This file is pure types plus `defineAgent`: it may be imported anywhere,
 * including from agent code (the only import an agent may have).
 */

/** Plain JSON data: what crosses the sandbox boundary. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The seeded random stream inside the sandbox: uniform in [0, 1), drawn from the scenario seed (same seed, same draws). */
export type RandomFn = () => number;

/**
 * One sensor reading as the agent receives it: the latest sample of that
 * sensor (sampled at the sensor's own rate, held between samples).
 * `value` is the sensor's sample with typed arrays turned into plain arrays
 * and non-finite numbers (Infinity = no return, NaN = no value) turned into
 * `null` (JSON has neither).
 */
export interface SensorReading<V = Json> {
  /** Simulation time of the sample, s. */
  time: number;
  /** False while the sensor reports itself unhealthy (e.g. a GNSS without fix). */
  healthy: boolean;
  /** The sample (see sim/sensors/<type>.ts for each shape); null before the first sample or after a fault. */
  value: V | null;
}

/** gnss (sim/sensors/gnss.ts): antenna position and velocity, world ENU. */
export interface GnssValue {
  /** m, world ENU. */
  position: [number, number, number];
  /** m/s, world ENU. */
  velocity: [number, number, number];
  /** Yaw, rad, counter-clockwise from east; null without a heading antenna. */
  headingRad: number | null;
}

/** One object-list detection (sim/sensors/object-list.ts), in the sensor frame (x forward, y left, z up). */
export interface DetectionValue {
  /** The sensor's track id, stable for one object over the run. */
  trackId: number;
  /** Object class (the actor kind: car, pedestrian, obstacle...). */
  kind: string;
  /** Box centre, m, sensor frame. */
  position: [number, number, number];
  /** Ground velocity expressed in the sensor frame, m/s. */
  velocity: [number, number, number];
  /** Length (x), width (y), height (z), m. */
  size: [number, number, number];
  /** Heading of the box's x axis in the sensor frame, rad. */
  yawRad: number;
}

/** object-list: what the perception stack reports. */
export interface ObjectListValue {
  detections: DetectionValue[];
}

/** radar (sim/sensors/radar.ts): the nearest return in its field of view. */
export interface RadarValue {
  /** False when nothing is in range; the numbers are then null. */
  detected: boolean;
  /** m. */
  rangeM: number | null;
  /** d(range)/dt, m/s, negative when closing. */
  rangeRateMps: number | null;
  /** rad, sensor frame, + left. */
  azimuthRad: number | null;
}

/** imu (sim/sensors/imu.ts): specific force and angular rate, sensor frame. */
export interface ImuValue {
  /** m/s^2 (+g on z at rest, upright). */
  accel: [number, number, number];
  /** rad/s. */
  gyro: [number, number, number];
}

/** wheel-odometry (sim/sensors/wheel-odometry.ts). */
export interface WheelOdometryValue {
  leftTicks: number;
  rightTicks: number;
  /** Forward speed, m/s. */
  speedMps: number;
  /** Yaw rate, rad/s, + counter-clockwise. */
  yawRateRadPerS: number;
}

/** range-ring (sim/sensors/range-ring.ts): a planar scan. */
export interface RangeScanValue {
  /** Beam angles, rad, sensor frame, counter-clockwise from x. */
  angles: number[];
  /** Ranges, m; null where there is no valid return. */
  ranges: (number | null)[];
  maxRangeM: number;
}

/** lidar-3d (sim/sensors/lidar-3d.ts): a layered scan. */
export interface LidarScanValue {
  /** Layer elevations, rad, lowest first. */
  elevations: number[];
  /** Azimuths, rad, sensor frame, counter-clockwise from x. */
  azimuths: number[];
  /** Ranges, m, layer-major (ranges[layer * azimuths.length + beam]); null where there is no valid return. */
  ranges: (number | null)[];
  maxRangeM: number;
}

/** Readings by sensor name (the scenario's `name`, which defaults to the sensor type). */
export type SensorReadings = Record<string, SensorReading | undefined>;

/** What `init` receives once, before the first step. */
export interface InitContext {
  /** The actor this agent drives. */
  actorId: string;
  actorKind: 'car' | 'uav';
  /** The actor's mission from the scenario (plain data; for drones it holds `waypoints`). */
  mission: Record<string, Json>;
  /** The parameters the scenario gave the actor's built-in agent (plain data), for the agent to reuse or ignore. */
  params: Record<string, Json>;
  /** The actor's sensors: name and type. */
  sensors: { name: string; type: string }[];
  /** Seeded uniform [0, 1) (Math.random is unavailable in the sandbox). */
  random: RandomFn;
}

/** The common part of every step's input. */
export interface StepInputBase {
  /** Simulation time, s. */
  time: number;
  /** The actor's sensor readings by name. */
  sensors: SensorReadings;
  /** The mission, as in `InitContext.mission`. */
  mission: Record<string, Json>;
  /** Seeded uniform [0, 1), the same stream as `InitContext.random`. */
  random: RandomFn;
}

// ---------------------------------------------------------------- car

/** Limits a car command is checked against (vehicles/car/params.ts of the ego model). */
export interface CarLimits {
  /** Largest road-wheel angle either side, rad. */
  maxSteerRad: number;
}

export interface CarInput extends StepInputBase {
  /** The car's command limits (constant over a run). */
  limits: CarLimits;
  /**
   * The V2X inbox (BSMs and SPaTs received since the last sample), when the
   * car carries a `v2x` sensor: the same data as that sensor's reading
   * (sim/sensors/v2x.ts). Null otherwise.
   */
  v2x: { bsms: Json[]; spats: Json[] } | null;
}

/** The car's command, held until the next step. */
export interface CarOutput {
  /** 0..1 of the drive force available at the current speed. */
  throttle: number;
  /** 0..1 of the brake force limit. */
  brake: number;
  /** Road-wheel angle of the equivalent bicycle, rad, + left; within +-limits.maxSteerRad. */
  steeringRad: number;
  /** Hazard lights; latched (they keep their last commanded state). */
  hazardLights?: boolean;
}

export interface CarAgentModule {
  kind: 'car';
  /** Decision rate, Hz, 1..physics rate (the command is held between steps). */
  rateHz: number;
  /** Sensor types this agent cannot drive without (e.g. ['gnss', 'object-list']); checked against the actor before the run. */
  requiredSensors?: string[];
  init?(ctx: InitContext): void;
  step(input: CarInput): CarOutput;
}

// ---------------------------------------------------------------- drone

/** The on-board state estimate (IMU + GNSS + barometer fusion, uav/estimation/): NOT ground truth. */
export interface DroneEstimate {
  /** m, world ENU. */
  positionM: [number, number, number];
  /** m/s, world ENU. */
  velocityMps: [number, number, number];
  /** Heading, rad, counter-clockwise from east. */
  yawRad: number;
  /** Attitude quaternion [x, y, z, w], body (x forward, y left, z up) to world. */
  attitude: [number, number, number, number];
}

/** Limits a drone setpoint is checked against. */
export interface DroneLimits {
  /** Largest horizontal speed, m/s (the flight stack's MPC_XY_VEL_MAX). */
  maxSpeedXyMps: number;
  /** Largest climb speed, m/s. */
  maxClimbMps: number;
  /** Largest descent speed, m/s. */
  maxDescentMps: number;
  /** Largest yaw rate either way, rad/s. */
  maxYawRateRadPerS: number;
}

export interface DroneInput extends StepInputBase {
  /** The autopilot's state estimate. */
  estimate: DroneEstimate;
  /** Where the home (take-off) point is, m, world ENU. */
  homeM: [number, number, number];
  limits: DroneLimits;
  /**
   * Airspace awareness, when the UAV carries a `geo-awareness` sensor: the same
   * data as that sensor's reading (zones near the UAV and their state). Null otherwise.
   */
  geoAwareness: Json | null;
}

/**
 * A drone setpoint, held until the next step; the trusted autopilot flies it.
 * Exactly one of the shapes:
 * - velocity: `{ velocityEnuMps: [vx, vy, vz], yawRateRadPerS? }`, world ENU m/s (within limits), yaw rate rad/s (default 0);
 * - go to: `{ positionEnuM: [x, y, z], speedMps? }`, a point, m, flown in a straight line at speedMps (default 3, within maxSpeedXyMps);
 * - hold: `{ hold: true }`, hover where it is;
 * - land: `{ land: true }`, land where it is (final: later setpoints are ignored).
 */
export type DroneOutput =
  | { velocityEnuMps: [number, number, number]; yawRateRadPerS?: number }
  | { positionEnuM: [number, number, number]; speedMps?: number }
  | { hold: true }
  | { land: true };

export interface DroneAgentModule {
  kind: 'uav';
  /**
   * Decision rate, Hz, 1..50. The autopilot (estimator + flight stack) runs
   * at 250 Hz underneath; it takes off to the first waypoint's height before
   * the first step, and runs the battery failsafe above the agent.
   */
  rateHz: number;
  /** Sensor types this agent cannot fly without (beyond imu and gnss, which the autopilot always needs). */
  requiredSensors?: string[];
  init?(ctx: InitContext): void;
  step(input: DroneInput): DroneOutput;
}

export type AgentModule = CarAgentModule | DroneAgentModule;

/** Identity: returns its argument, typed. The only value an agent may import. */
export function defineAgent<M extends AgentModule>(agent: M): M {
  return agent;
}
