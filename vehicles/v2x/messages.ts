/**
 * V2X message content as plain typed objects: the SAE J2735 Basic Safety
 * Message (BSM) core data and Signal Phase and Timing (SPaT).
 *
 * These carry J2735's *content*, not its wire encoding (UPER ASN.1): fields are
 * SI units, radians and Skylane's ENU world frame, and each field notes the
 * J2735 data element it stands for. An encoder to J2735 units (e.g. speed in
 * 0.02 m/s, heading in 0.0125 deg clockwise from north, secMark in ms of the
 * minute) belongs at the boundary to real equipment, not in the simulation.
 * Field names follow SAE J2735 (2016 and later) BSMcoreData and
 * IntersectionState / MovementState / MovementEvent.
 */
import type { Vec3 } from '../../sim/math.ts';

/** BSM broadcast rate: 10 Hz, the nominal rate of SAE J2945/1 (2016) when the channel is not congested. */
export const BSM_RATE_HZ = 10;

/**
 * SPaT broadcast rate: 10 Hz. Skylane's assumption (J2735 defines the content,
 * not the rate): the BSM rate, so a receiver gets a fresh phase and remaining
 * time every 100 ms. A scenario may override it.
 */
export const SPAT_RATE_HZ = 10;

/** J2735 TransmissionState. */
export type TransmissionState = 'neutral' | 'park' | 'forwardGears' | 'reverseGears' | 'unavailable';

/** J2735 TractionControlStatus, AntiLockBrakeStatus, StabilityControlStatus share these values. */
export type BrakeAssistState = 'unavailable' | 'off' | 'on' | 'engaged';

/** J2735 BrakeSystemStatus. */
export interface BrakeSystemStatus {
  /**
   * J2735 wheelBrakes (BrakeAppliedStatus, a bit string per wheel). Here one
   * flag for "service brakes applied", the part receivers act on.
   */
  applied: boolean;
  /** J2735 traction (TractionControlStatus). */
  traction: BrakeAssistState;
  /** J2735 abs (AntiLockBrakeStatus). */
  abs: BrakeAssistState;
  /** J2735 scs (StabilityControlStatus). */
  scs: BrakeAssistState;
  /** J2735 brakeBoost (BrakeBoostApplied). */
  brakeBoost: 'unavailable' | 'off' | 'on';
  /** J2735 auxBrakes (AuxiliaryBrakeStatus). */
  auxBrakes: 'unavailable' | 'off' | 'on' | 'reserved';
}

/** J2735 AccelerationSet4Way. */
export interface AccelerationSet4Way {
  /** J2735 long: longitudinal acceleration, m/s^2, positive forward (J2735 unit 0.01 m/s^2). */
  longMps2: number;
  /**
   * J2735 lat: lateral acceleration, m/s^2 (J2735 unit 0.01 m/s^2). Here
   * positive to the left, Skylane's body frame (REP 103); an encoder must map
   * it to the sign convention of the J2735 edition it targets.
   */
  latMps2: number;
  /** J2735 vert: vertical acceleration, m/s^2, positive up (J2735 unit 0.02 g). */
  vertMps2: number;
  /** J2735 yaw: yaw rate, rad/s, positive counter-clockwise seen from above (J2735 unit 0.01 deg/s). */
  yawRateRadPerS: number;
}

/** J2735 BSMcoreData. */
export interface Bsm {
  type: 'bsm';
  /** J2735 msgCnt: per-sender sequence number 0..127, wrapping (receivers detect gaps with it). */
  msgCnt: number;
  /** J2735 id (TemporaryID, 4 octets): here the sender's actor id. */
  id: string;
  /**
   * Simulation time of generation, s. J2735 secMark is this time's
   * milliseconds within the UTC minute (DSecond); see secMarkOf.
   */
  timeS: number;
  /** J2735 lat / long / elev: here ENU world position, m, of the vehicle's reference point. */
  positionM: Vec3;
  /** J2735 accuracy (PositionalAccuracy): 1-sigma error ellipse, m, and its orientation, rad CCW from east. */
  accuracy: { semiMajorM: number; semiMinorM: number; orientationRad: number };
  /** J2735 transmission. */
  transmission: TransmissionState;
  /** J2735 speed: m/s, non-negative (J2735 unit 0.02 m/s; direction is given by transmission). */
  speedMps: number;
  /** J2735 heading: here ENU yaw, rad CCW from east (J2735: 0.0125 deg clockwise from true north); see j2735HeadingDeg. */
  headingRad: number;
  /** J2735 angle (SteeringWheelAngle): steering wheel angle, rad, positive turning left (J2735 unit 1.5 deg). */
  steeringWheelAngleRad: number;
  /** J2735 accelSet. */
  accelSet: AccelerationSet4Way;
  /** J2735 brakes. */
  brakes: BrakeSystemStatus;
  /** J2735 size (VehicleSize): width and length, m (J2735 unit 1 cm). */
  size: { widthM: number; lengthM: number };
}

/**
 * J2735 MovementPhaseState: the signal state of one signal group, as defined
 * in J2735 (values 0..9 in that order).
 */
export type MovementPhaseState =
  | 'unavailable'
  | 'dark'
  | 'stop-Then-Proceed' // flashing red
  | 'stop-And-Remain' // red
  | 'pre-Movement' // red + amber (not used in the US)
  | 'permissive-Movement-Allowed' // green, conflicting traffic may exist
  | 'protected-Movement-Allowed' // green, protected
  | 'permissive-clearance' // amber
  | 'protected-clearance' // amber, protected
  | 'caution-Conflicting-Traffic'; // flashing amber

/** J2735 MovementState with its current MovementEvent (state-time-speed[0]). */
export interface SignalGroupState {
  /** J2735 signalGroup (SignalGroupID, 1..254): which lanes this phase controls, via the MAP. */
  signalGroup: number;
  /**
   * Not in J2735: the road network's name of this signal group (a traffic
   * light's `signalGroup`). Skylane sends no MAP message, so this is how a
   * receiver with the scenario's HD map links the number to its lanes.
   */
  signalGroupName?: string;
  /** J2735 eventState. */
  eventState: MovementPhaseState;
  /**
   * J2735 timing.minEndTime: earliest sim time at which this state may end, s.
   * (J2735 TimeMark: tenths of a second within the UTC hour.)
   */
  minEndTimeS: number;
  /** J2735 timing.maxEndTime: latest sim time at which this state will end, s (Infinity: unknown). */
  maxEndTimeS: number;
  /** J2735 timing.likelyTime: best estimate of the end, s, when the controller gives one. */
  likelyTimeS?: number;
}

/** J2735 SPAT with one IntersectionState (the normal case: one RSU per intersection). */
export interface Spat {
  type: 'spat';
  /** J2735 IntersectionReferenceID.id: intersection id (here the road network's junction id). */
  intersectionId: string;
  /** J2735 revision (MsgCount 0..127): bumped when the message's content changes. */
  revision: number;
  /** Simulation time of generation, s (J2735 moy + timeStamp, minute of the year and ms). */
  timeS: number;
  /** J2735 states (MovementList): one entry per signal group. */
  states: SignalGroupState[];
}

/**
 * UAV state broadcast rate: 10 Hz. Skylane's assumption, the BSM rate of SAE
 * J2945/1 carried over to drones: ASTM F3411 Remote ID asks only for >= 1 Hz
 * (too slow to avoid a neighbour a few metres away), and a dense swarm such
 * as Crazyswarm (Preiss et al., ICRA 2017) shares states at tens of Hz; 10 Hz
 * keeps the age of a neighbour's state below 100 ms plus the latency.
 */
export const UAV_STATE_RATE_HZ = 10;

/**
 * A UAV's own state, as it broadcasts it to its neighbours: the content of
 * ASTM F3411 (Remote ID) Location/Vector message and of MAVLink's
 * GLOBAL_POSITION_INT (position and velocity with a time stamp), in SI units
 * and the ENU world frame. The content is the sender's *estimate* (what its
 * autopilot believes), not ground truth: its errors reach the receivers.
 */
export interface UavState {
  type: 'uav-state';
  /** Per-sender sequence number 0..127, wrapping (as J2735 msgCnt). */
  msgCnt: number;
  /** The sender's actor id (F3411 Basic ID / MAVLink system id). */
  id: string;
  /** Simulation time of the estimate, s (F3411 Timestamp, MAVLink time_boot_ms). */
  timeS: number;
  /** Estimated position, world ENU, m (F3411 Latitude/Longitude/Geodetic altitude). */
  positionM: Vec3;
  /** Estimated velocity, world ENU, m/s (F3411 Speed/Direction/Vertical speed; MAVLink vx, vy, vz). */
  velocityMps: Vec3;
  /**
   * The velocity the sender's autopilot is commanded to fly, world ENU, m/s,
   * when it flies in velocity mode (its intent; MAVLink
   * POSITION_TARGET_LOCAL_NED vx, vy, vz). Not in F3411.
   */
  velocitySetpointMps?: Vec3;
}

export type V2xMessage = Bsm | Spat | UavState;

/** J2735 secMark for a sim time: milliseconds within the minute, 0..59999. */
export function secMarkOf(timeS: number): number {
  const ms = Math.floor(timeS * 1000 + 1e-6); // 1e-6 ms absorbs k*dt rounding below the unit
  return ((ms % 60_000) + 60_000) % 60_000;
}

/** J2735 heading in degrees, [0, 360), clockwise from north, from an ENU yaw (CCW from east). */
export function j2735HeadingDeg(yawRad: number): number {
  const deg = 90 - (yawRad * 180) / Math.PI;
  return ((deg % 360) + 360) % 360;
}

/** Does this signal state let a vehicle proceed (a green of either kind)? */
export function isGo(state: MovementPhaseState): boolean {
  return state === 'permissive-Movement-Allowed' || state === 'protected-Movement-Allowed';
}
