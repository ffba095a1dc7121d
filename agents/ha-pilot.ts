/**
 * `ha-pilot`: the reference HA (SAE level 4) agent for cars (issue #3,
 * section 6). v1 drove one motorway lane: lane keeping, speed keeping, ACC
 * following, AEB and the DDT fallback. v2 drives a route over the HD map
 * through urban junctions and motorway merges: traffic lights, stop signs,
 * pedestrians, route-required lane changes into safe gaps, an MRM onto the
 * hard shoulder, ODD exits, and comfort-limited longitudinal control.
 *
 * What it reads: GNSS (position, velocity, dual-antenna heading), the IMU's
 * yaw rate and the wheel odometry's speed (optional: they carry the pose
 * through a GNSS outage), the object list (required) and the forward radar
 * (optional) for obstacles, the traffic-light camera (optional,
 * sim/sensors/traffic-lights.ts: without it every light reads unknown and
 * the pilot waits at signalised lines), and the HD map (the road network,
 * a prior an L4 system may hold). Never ground truth.
 *
 * Modes of driving:
 * - No `destination` (v1, backward compatible): it follows the lane it
 *   starts in, on the road it starts on (./ha-pilot/lane-frame.ts).
 * - `destination: { road, lane, s }`: on its first tick with a pose it plans
 *   a route with `LaneGraph.route` from the lane it is on, and tracks that
 *   route as one path, lane by lane through junction connecting roads, with
 *   route lane changes drawn as minimum-jerk blends
 *   (./ha-pilot/route-frame.ts). It stops at the destination and holds
 *   there (it does not drive on past the route's end). No route: the MRM.
 *
 * Each tick, in this order:
 * 1. Pose (./ha-pilot/pose-estimator.ts): GNSS fix, gyro-aided heading with
 *    an estimated gyro bias, dead reckoning between fixes.
 * 2. Lane frame or route frame: where the ego is along its path, its lateral
 *    offset, the lane's speed limit.
 * 3. Fault monitor: a sensor the pilot drives with whose reading is
 *    unhealthy, or older than `sensorTimeoutS`, starts the minimal risk
 *    manoeuvre (below). It is latched: UN R157 (ALKS) §5.5.3 ends an MRM
 *    only at standstill, and §5.5.4 keeps the system off after it. ODD
 *    exits start it too (./ha-pilot/odd-monitor.ts): standing objects
 *    blocking every lane ahead (a closure not in the map), the ego off its
 *    mapped lane or its road ending with nothing mapped beyond, the ego off
 *    its route. (V2X loss would be one only if the pilot used V2X; it does
 *    not yet: agents/ha-pilot/v2x-objects.ts is the V2X engineer's, and
 *    `LightBeliefs.setSpat` in ./ha-pilot/junction.ts is the hook for SPaT.)
 * 4. Leader: the nearest object-list track in the ego's corridor now or
 *    within 1 s at its lateral speed (./ha-pilot/object-tracks.ts), in the
 *    path's frame (so a car crossing the route in a junction is in path),
 *    and the radar's nearest return when it lies in the ego's lane (the
 *    radar reaches 250 m, the object list 50 m); the nearer of the two.
 * 5. Longitudinal: a_des = min(cruise, follow, stop points, MRM, AEB), then
 *    comfort jerk limits, then pedals.
 *    - Cruise: a PI law on the speed error towards the lane's limit (capped
 *      by `maxSpeedMps`), with anti-windup. On a route the set speed is also
 *      the braking parabola under every limit and curve ahead
 *      (./ha-pilot/speed-profile.ts): v <= sqrt(a_lat / kappa) with a_lat =
 *      `lateralAccelMps2` (2.5 m/s^2, under AASHTO's ~0.3 g low-speed urban
 *      side friction and nuPlan's 4.89 m/s^2 comfort bound), reached at half
 *      the comfort deceleration with it fed forward.
 *    - Follow (ACC): the IDM (Treiber, Hennecke & Helbing 2000, Phys. Rev. E
 *      62:1805; vehicles/traffic/idm.ts) with time gap T = `timeGapS`,
 *      default 1.8 s. ISO 15622:2018 (ACC) requires a steady-state time gap
 *      of at least 0.8 s and at least one selectable setting between 1.5 and
 *      2.2 s; 1.8 s is that range's middle and the common "half the
 *      speedometer in metres" rule (0.5 m per km/h = 1.8 s). The IDM is
 *      blended with the constant-acceleration heuristic as in the "ACC
 *      model" of Kesting, Treiber & Helbing 2010 (Phil. Trans. R. Soc. A
 *      368:4585; ./ha-pilot/acc-model.ts) for a "sudden" leader (one that
 *      appears inside the time gap: a car merging in front, a slower one
 *      revealed by a lane change), so that it is met with the braking the
 *      situation needs rather than the IDM's overreaction to s << s* (v1
 *      braked at 9 m/s^2 for NPC lane changes in highway-dense), but never
 *      less than the constant deceleration that ends the approach at a
 *      1.5 s time gap (0.8 s, ISO 15622's minimum, if already inside 1.5 s)
 *      and never more than the IDM. The floor is still
 *      `maxDecelMps2` (9 m/s^2, vehicles/traffic/idm.ts's b_max).
 *    - Stop points (on a route): the destination; a stop line whose light is
 *      red, yellow with a comfortable stop possible (signal-compliance.ts's
 *      dilemma rule) or unknown; a stop sign until its stop is made and the
 *      junction is clear (./ha-pilot/junction.ts); a crosswalk with a
 *      pedestrian on it or stepping onto it, and any pedestrian predicted in
 *      the path when the car gets there (./ha-pilot/yielding.ts); the start
 *      of a route lane change whose target-lane gap is not safe (MOBIL's
 *      safety criterion, ./ha-pilot/lane-change.ts). Each is a standing
 *      virtual leader 1.5 m beyond the front bumper's stop position, met by
 *      the IDM with T = 0 and finished by the exact constant deceleration,
 *      eased towards standstill.
 *    - AEB: full braking while the time to collision with the in-path
 *      leader, gap / closing speed, is below the time the car needs to
 *      cancel the closing speed at full braking (dv / 2 a_max) plus the
 *      brake lag and one agent period: the time-to-brake trigger of
 *      Hillenbrand, Spieker & Kroschel 2006 (IEEE T-ITS 7(4)), braking when
 *      waiting any longer would leave the collision unavoidable by braking.
 *      The threshold is never below `aebMinTtcS`, 1.0 s: at small closing
 *      speeds the kinematic threshold shrinks towards the lag alone, and
 *      1 s is the time-to-brake the criticality-metrics catalogue lists as
 *      "critical" (Junietz et al. 2018; Huber et al. 2020); a Skylane
 *      choice, not a standard's number. Held until the closing speed is
 *      gone. The fixtures follow Euro NCAP's AEB Car-to-Car shapes (CCRb:
 *      the target braking at 6 m/s^2, 12 m headway at 50 km/h).
 *    - Comfort: the demand rises (brake released, throttle applied) at no
 *      more than 2.5 m/s^3, and mild braking (within the comfort
 *      deceleration: curves, limits, stop points far ahead) is applied at
 *      3 m/s^3 (6 m/s^3 when the situation is critical), inside nuPlan's
 *      4.13 m/s^3 longitudinal-jerk bound; harder braking and AEB at once.
 *    - Pedals: feed-forward through the car's own model (vehicles/car/car.ts:
 *      drive force min(F_max, P/v), brake force m a_brake), the calibration
 *      a vehicle's controller is built with.
 * 6. Lateral: pure pursuit (R. C. Coulter, "Implementation of the Pure
 *    Pursuit Path Tracking Algorithm", CMU-RI-TR-92-01, 1992) from the rear
 *    axle to the path `lookaheadTimeS` x v ahead (within [minLookaheadM,
 *    maxLookaheadM]; on a route the floor is `routeMinLookaheadM`, 3.5 m,
 *    for ~8.5 m-radius junction turns): delta = atan(2 L sin(alpha) / l_d).
 *    On a steady curve pure pursuit is exact for a kinematic vehicle; the
 *    raycast car's tyre slip through a 650 m motorway curve at 120 km/h
 *    leaves under 0.2 m (tests/agents/ha-pilot-scenarios.test.ts), so it
 *    has no integral term.
 * 7. The DDT fallback, the minimal risk manoeuvre: hazard lights on at its
 *    start (UN R157 §5.5.1), lane keeping on the dead-reckoned pose,
 *    deceleration ramped in at `mrmJerkMps3` to `mrmDecelMps2` (2.5 m/s^2:
 *    R157 §5.5.1 aims at no more than 4.0 m/s^2; 2.5 is also inside nuPlan's
 *    comfort bound of 4.05) and eased off towards standstill (at most k v,
 *    k = 1/s, where v1 held 2.5 m/s^2 through v = 0 and jolted the car at
 *    6.2 m/s^3), then the brake held: the minimal risk condition. From the
 *    lane beside a hard shoulder that the object list sees clear, it moves
 *    onto the shoulder on a 5 s minimum-jerk shift; otherwise it stops in
 *    its lane. Following and AEB stay on during the MRM with whatever
 *    obstacle sensors still work.
 *
 * Not done yet: lane changes that no route requires (around a stationary
 * object blocking the lane, or to overtake), unprotected (permitted) left
 * turns against oncoming traffic (the builders' left turns are protected
 * phases, so the light decides), SPaT use from V2X.
 */
import { z } from 'zod';
import type { Agent, AgentContext, Observation } from '../sim/agent.ts';
import type { Reading } from '../sim/sensor.ts';
import type { RadarReturn } from '../sim/sensors/radar.ts';
import type { CarCommand } from '../vehicles/car/car.ts';
import type { BicycleCommand } from '../vehicles/car/kinematic-bicycle.ts';
import { BMW_320I, wheelbaseM, type CarParams } from '../vehicles/car/params.ts';
import { newRoadPose } from '../vehicles/road/geometry.ts';
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import { idmAccel, type IdmParams } from '../vehicles/traffic/idm.ts';
import { COMFORT_STOP_DECEL_MPS2 } from '../vehicles/traffic/signal-compliance.ts';
import { LaneGraph } from '../vehicles/road/lane-graph.ts';
import { accModelAccel } from './ha-pilot/acc-model.ts';
import { LaneFrame } from './ha-pilot/lane-frame.ts';
import { EvasiveLaneChange, LaneChangeGate } from './ha-pilot/lane-change.ts';
import { lanesAcross, offTheMap, roadClosedAhead, ShoulderTarget } from './ha-pilot/odd-monitor.ts';
import { PedestrianYield, routeCrosswalks, type RouteCrosswalk } from './ha-pilot/yielding.ts';
import { LightBeliefs, routeStopLines, stopLineAhead, type RouteStopLine } from './ha-pilot/junction.ts';
import { RouteFrame, type PathFrame } from './ha-pilot/route-frame.ts';
import { routeSpeedTarget, type SpeedTarget } from './ha-pilot/speed-profile.ts';
import { newLeader, ObjectTracks, type Leader, type Track } from './ha-pilot/object-tracks.ts';
import { CrossTrafficYield } from './ha-pilot/cross-traffic.ts';
import { BsmTracks, newSignalView, SpatBook } from './ha-pilot/v2x-objects.ts';
import { PoseEstimator } from './ha-pilot/pose-estimator.ts';
import { mapSpec, networkFromMapSpec } from './ha-pilot/road-map.ts';

export const haPilotParams = z
  .object({
    rateHz: z.number().positive().default(20).describe('decision rate, Hz'),
    map: mapSpec.optional().describe("the HD map: the scenario's world.road spec (a YAML alias of it); needed until the world passes agents its road network"),
    maxSpeedMps: z.number().positive().optional().describe('cruise speed cap below the lane speed limit, m/s; default: the limit'),
    timeGapS: z.number().min(0.8).default(1.8).describe('ACC time gap T, s (ISO 15622: >= 0.8 s, a setting within 1.5-2.2 s)'),
    minGapM: z.number().nonnegative().default(2).describe('standstill gap s0, m (IDM highway value, Treiber & Kesting 2013)'),
    maxAccelMps2: z.number().positive().default(1.5).describe('largest acceleration the pilot asks for, m/s^2'),
    comfortDecelMps2: z.number().positive().default(2.0).describe('IDM comfortable deceleration b, m/s^2'),
    maxDecelMps2: z.number().positive().default(9).describe('hardest planned braking (IDM floor), m/s^2'),
    aebMinTtcS: z.number().positive().default(1.0).describe('AEB fires at least below this time to collision, s'),
    mrmDecelMps2: z.number().positive().max(4).default(2.5).describe('MRM deceleration, m/s^2 (UN R157 5.5.1: aim at <= 4)'),
    mrmJerkMps3: z.number().positive().default(2.5).describe('rate the MRM deceleration is ramped in at, m/s^3'),
    sensorTimeoutS: z.number().positive().default(0.3).describe('a reading older than this counts as lost, s'),
    lookaheadTimeS: z.number().positive().default(1.0).describe('pure-pursuit lookahead per speed, s'),
    minLookaheadM: z.number().positive().default(8).describe('pure-pursuit lookahead floor, m'),
    maxLookaheadM: z.number().positive().default(40).describe('pure-pursuit lookahead ceiling, m'),
    corridorMarginM: z.number().nonnegative().default(0.3).describe('lateral margin added to the ego half width for in-path objects, m'),
    objectListMountXM: z.number().default(0).describe('object-list mount along body x, m (scenario default: roof, 0)'),
    radarMountXM: z.number().default(2.3).describe('radar mount along body x, m (scenario default: front bumper, 2.3)'),
    gnss: z.string().default('gnss').describe('name of the GNSS sensor'),
    objectList: z.string().default('objects').describe('name of the object-list sensor'),
    radar: z.string().default('radar').describe('name of the radar (optional sensor)'),
    imu: z.string().default('imu').describe('name of the IMU (optional sensor)'),
    odometry: z.string().default('odometry').describe('name of the wheel odometry (optional sensor)'),
    v2x: z.string().default('v2x').describe('name of the V2X receiver (optional sensor): BSM senders join the tracks, SPaT feeds the light beliefs'),
    trafficLights: z.string().default('traffic-lights').describe('name of the traffic-light camera (optional sensor; without it every light reads unknown, so the pilot stops at signalised lines)'),
    destination: z
      .object({ road: z.string().min(1), lane: z.number().int().refine((l) => l !== 0, 'lane 0 is the centre line'), s: z.number().finite().nonnegative() })
      .strict()
      .optional()
      .describe('where to drive, on the HD map (road, lane, s): the pilot plans a route over the lane graph and stops there; none: follow the current lane (v1)'),
    lateralAccelMps2: z
      .number()
      .positive()
      .max(4.89)
      .default(2.5)
      .describe('curve speed bound v^2 kappa <= this, m/s^2: a design value under AASHTO low-speed urban side friction (~0.3 g) and nuPlan comfort bound 4.89; tracks ~8.5 m junction turns inside the lane'),
    routeMinLookaheadM: z.number().positive().default(3.5).describe('pure-pursuit lookahead floor on a route (junction turns of ~8 m radius), m'),
  })
  .strict();
export type HaPilotParams = z.infer<typeof haPilotParams>;

/** What the world can hand the pilot besides its params. */
export interface HaPilotEnv {
  /** The road network the scenario built (the HD map); overrides `params.map`. */
  map?: RoadNetwork;
  /** The car it drives; default the scenario's BMW 320i. */
  car?: CarParams;
}

/**
 * Which of the pilot's functions run (all by default). The baselines
 * (agents/baselines.ts) are the pilot with some of them switched off, so
 * they share its pose, lane frame, tracks and pedal calibration.
 */
export interface PilotFeatures {
  /** Pure-pursuit lane keeping; off: steering held straight. */
  laneKeeping: boolean;
  /** IDM following of the in-lane leader (ACC). */
  following: boolean;
  /** Emergency braking on the time-to-brake trigger. */
  aeb: boolean;
  /** Fault monitor and minimal risk manoeuvre. */
  mrm: boolean;
  /** On a route: stop for red and yellow lights and at stop signs (./ha-pilot/junction.ts). */
  junctionRules: boolean;
  /** On a route: yield to pedestrians at crosswalks and to any crossing the path (./ha-pilot/yielding.ts). */
  yielding: boolean;
  /** On a route: start a required lane change only into a safe gap (./ha-pilot/lane-change.ts); off: change blind. */
  gapAcceptance: boolean;
  /** Lane following (no route): change lanes around a standing object that blocks the lane (./ha-pilot/lane-change.ts). */
  laneChanges: boolean;
}
export const ALL_FEATURES: Readonly<PilotFeatures> = { laneKeeping: true, following: true, aeb: true, mrm: true, junctionRules: true, yielding: true, gapAcceptance: true, laneChanges: true };

export type PilotMode = 'drive' | 'mrm' | 'mrc';

/** Speed below which the car counts as stopped, m/s (CARLA's standstill threshold, as the mrm-success criterion uses). */
const STOPPED_MPS = 0.1;
/** Brake held at a standstill: 0.3 x 11.5 m/s^2 of brake force, far above what holds the car on a level road. */
const HOLD_BRAKE = 0.3;
/**
 * Cruise is set this far below the lane limit, m/s: the PI's overshoot on
 * reaching it (~0.15 m/s) plus 3 sigma of the GNSS speed (0.05 m/s), so that
 * the car never reads as speeding.
 */
const SPEED_LIMIT_MARGIN_MPS = 0.5;
/** Speed PI gains: a 0.4 1/s proportional term (2.5 s time constant) and a slow integral, 1/s^2. */
const SPEED_KP = 0.4;
const SPEED_KI = 0.04;
const SPEED_I_MAX_MPS = 5;
/** The integral runs only within this band of the set speed, m/s: it trims the steady state, the P term does the approach. */
const SPEED_I_BAND_MPS = 1;
/** Actuator lag the AEB trigger allows for: the brake's 0.1 s time constant, three of them to ~95 %. */
const BRAKE_DELAY_S = 0.3;

/**
 * Largest rate at which the demand rises (brake released, throttle applied),
 * m/s^3: 2.5, well inside nuPlan's 4.13 m/s^3 longitudinal-jerk comfort
 * bound (seeds:miit-2a-comfort-*), the same figure as the MRM's ramp.
 */
const RELEASE_JERK_MPS3 = 2.5;
/** Rate at which non-critical braking is applied, m/s^3: inside nuPlan's 4.13 after the Savitzky-Golay filter the criterion uses. */
const BRAKE_JERK_MPS3 = 3;
/**
 * Rate at which braking the situation needs (above ITE's 3 m/s^2) is applied, m/s^3: 10, about what the
 * 0.1 s brake lag allows anyway (vehicles/car/car.ts), so no step; the AEB is never limited. Throttle is
 * released at once (from a positive demand straight to 0).
 */
const CRITICAL_BRAKE_JERK_MPS3 = 6;
/**
 * A situation is critical (braking skips the comfort jerk limit) when 1.5 x the constant deceleration that
 * just cancels the closing speed before s0 exceeds ITE's comfortable 3 m/s^2: a Skylane design margin.
 */
const FOLLOW_MARGIN = 1.5;
/** Time gap a sudden leader's approach still ends at, s: the lower end of ISO 15622's 1.5-2.2 s selectable setting. */
const MIN_TRANSIENT_GAP_S = 1.5;
/** ISO 15622's smallest steady-state time gap, s: what is kept when a leader appears inside the 1.5 s. */
const ISO_MIN_GAP_S = 0.8;
/** A sudden leader is an ordinary one again once the gap is back to this share of v T. */
const SUDDEN_RESTORED = 0.9;
/**
 * Towards standstill the MRM's deceleration is k v, k = 1 1/s: the jerk of
 * that tail is k^2 v <= k x 2.5 m/s^2 = 2.5 m/s^3 (inside nuPlan's 4.13),
 * where v1 held 2.5 m/s^2 through v = 0 and jolted the car (6.2 m/s^3).
 */
const MRM_EASE_PER_S = 1;
/** Floor of that tail, m/s^2: the car still reaches the 0.1 m/s standstill in ~2 s from 1 m/s. */
const MRM_EASE_FLOOR_MPS2 = 0.3;
/** A radar return within this of the list's leader gap is the same target, m (radar range sigma 0.4 m, list box extents). */
const RADAR_MATCH_M = 2;
/**
 * Ground speed below which a radar-only return is ignored, m/s. The radar's
 * beam is planar: when the car pitches under braking or acceleration it
 * reaches the road surface a few tens of metres ahead, and terrain reads as
 * a stationary target. Production ACC radars suppress stationary returns
 * for the same reason, and ISO 15622 does not require ACC to react to
 * stationary objects; here stationary obstacles are the object list's
 * (which classifies them), the radar extends the reach for moving ones.
 */
const RADAR_MIN_MOVING_MPS = 2;

const _ahead = newRoadPose();
const _rel: [number, number] = [0, 0];
const _target: SpeedTarget = { speedMps: 0, aheadBinds: false };

/** One lane graph per map, shared by every pilot that drives it. */
const GRAPHS = new WeakMap<RoadNetwork, LaneGraph>();
function graphOf(net: RoadNetwork): LaneGraph {
  let g = GRAPHS.get(net);
  if (!g) GRAPHS.set(net, (g = new LaneGraph(net)));
  return g;
}

/**
 * Where the front bumper stops before a stop point (a stop line, the
 * destination), m: CARLA's stop-sign rule wants the front within 4 m of the
 * line; 1.5 m leaves room for the eased final metre of the stop (below).
 */
const STOP_BEFORE_M = 1.5;
/** Towards standstill at a stop point the deceleration is at most k v, k = 1.5 1/s: tail jerk <= k a, under 2 m/s^3 here. */
const STOP_EASE_PER_S = 1.5;
/** A standing object in the lane closer than this starts the search for a lane change, m: the object list's reach. */
const EVASIVE_TRIGGER_M = 50;
/** A blocker must have been tracked standing this long, s: ten object-list samples. */
const EVASIVE_MIN_TRACK_S = 1;
/** Within this of the stop point the car brakes at the comfort deceleration to a standstill, m. */
const STOP_SETTLE_M = 0.05;

/** What a stop point ahead is (explain()). */
type StopCause = 'destination' | 'stop-line' | 'lane-change-gap' | 'cross-traffic' | 'pedestrian';

/** An MRM reason in plain words ("gnss failed" -> "GNSS lost"). */
function mrmWords(reason: string): string {
  const m = /^(\S+) (failed|stale or missing)$/.exec(reason);
  if (m) return `${m[1] === 'gnss' ? 'GNSS' : m[1]} lost`;
  return reason;
}

export class HaPilotAgent implements Agent<CarCommand | BicycleCommand> {
  readonly rateHz: number;
  readonly p: HaPilotParams;
  private readonly car: CarParams;
  private readonly injectedMap: RoadNetwork | undefined;
  private network: RoadNetwork | undefined;
  private lane: LaneFrame | undefined;
  private graph: LaneGraph | undefined;
  /** The planned route, once the pilot knows where it starts (v2; undefined without a destination). */
  route: RouteFrame | undefined;
  private routeFailed = false;
  /** Stop lines on the route, in path order, with their stop-or-go state. */
  stopLines: RouteStopLine[] = [];
  readonly lights = new LightBeliefs();
  /** V2X: BSM senders as tracks, the latest SPaT per intersection (./ha-pilot/v2x-objects.ts). */
  readonly bsm = new BsmTracks();
  readonly spat = new SpatBook();
  /** Vehicles crossing the route that will not stop for it (./ha-pilot/cross-traffic.ts). */
  readonly crossTraffic = new CrossTrafficYield();
  private spatLights: { lightId: string; junctionId: string; signalGroup: string }[] = [];
  private readonly signalView = newSignalView();
  crosswalks: RouteCrosswalk[] = [];
  readonly pedestrians = new PedestrianYield();
  readonly laneChangeGate = new LaneChangeGate();
  /** Where the MRM stops: the hard shoulder when clear (lane following only), else the lane. */
  readonly shoulder = new ShoulderTarget();
  /** A lane change around a blocked lane (lane following only). */
  readonly evasive = new EvasiveLaneChange();
  readonly pose = new PoseEstimator();
  readonly tracks = new ObjectTracks();
  private readonly idm: IdmParams;
  private readonly stopIdm: IdmParams;
  private kinematic = false;
  private lastT = NaN;
  private speedI = 0;
  private aebActive = false;
  /** Track id of a leader that appeared inside the time gap (-2: none), and of last tick's leader. */
  private suddenLeader = -2;
  private lastLeaderId = -2;
  private lastLeaderGapM = Infinity;
  /** This tick's situation needs more than the comfort deceleration (no jerk limit on braking). */
  private critical = false;
  private monitored: string[] = [];

  /** For tests and debugging views: the mode, the leader and what triggered the MRM. */
  mode: PilotMode = 'drive';
  mrmReason = '';
  /** Why no route could be planned, if none could. */
  routeReason = '';
  mrmStartS = NaN;
  readonly leader: Leader = newLeader();
  /** Last lateral offset from the lane centre the pilot estimated, m. */
  offsetM = 0;
  /** Last acceleration asked for, m/s^2. */
  accelDemandMps2 = 0;
  /**
   * What the last tick decided from, for `explain()` (teaching mode): the
   * cruise, leader and stop-point accelerations before they were combined
   * (Infinity: that constraint was absent), the distance to the stop point
   * and what it was, and why an evasive lane change started.
   */
  private xCruiseA = 0;
  private xVRef = 0;
  private xPrevA = 0;
  private xLeaderA = Infinity;
  private xStopA = Infinity;
  private xStopM = Infinity;
  private xStopCause: StopCause = 'destination';
  private xStopLine: RouteStopLine | undefined;
  private xEvasiveWhy = '';

  readonly features: Readonly<PilotFeatures>;

  constructor(params: HaPilotParams, env: HaPilotEnv = {}, features: Readonly<PilotFeatures> = ALL_FEATURES) {
    this.p = params;
    this.features = features;
    this.rateHz = params.rateHz;
    this.car = env.car ?? BMW_320I;
    this.injectedMap = env.map;
    this.idm = {
      desiredSpeedMps: 1,
      timeHeadwayS: params.timeGapS,
      minGapM: params.minGapM,
      maxAccelMps2: params.maxAccelMps2,
      comfortDecelMps2: params.comfortDecelMps2,
      accelExponent: 4,
      maxDecelMps2: params.maxDecelMps2,
    };
    this.stopIdm = { ...this.idm, timeHeadwayS: 0 };
  }

  reset(ctx: AgentContext): void {
    this.kinematic = ctx.actorKind === 'car-kinematic';
    this.network = this.injectedMap ?? (this.p.map ? networkFromMapSpec(this.p.map) : undefined);
    if (!this.network) throw new Error(`ha-pilot of '${ctx.actorId}' has no map: give params.map (the world.road spec) or inject one`);
    this.lane = new LaneFrame(this.network);
    this.route = undefined;
    this.routeFailed = false;
    this.stopLines = [];
    this.crosswalks = [];
    this.lights.reset();
    this.shoulder.reset();
    this.evasive.reset();
    this.graph = undefined;
    const dest = this.p.destination;
    if (dest) {
      this.graph = graphOf(this.network);
      if (!this.graph.nodeAt(dest.road, dest.lane, dest.s)) throw new Error(`ha-pilot of '${ctx.actorId}': destination road ${dest.road} lane ${dest.lane} s=${dest.s} is not a drivable lane of the map`);
    }
    this.pose.reset();
    this.tracks.reset();
    this.bsm.reset();
    this.spat.reset();
    // Which junction and signal group each light of the map belongs to: SPaT names them so (no MAP message).
    const junctionOf = new Map<string, string>();
    for (const j of this.network.junctions) for (const c of j.controllers ?? []) junctionOf.set(c, j.id);
    this.spatLights = this.network.trafficLights.flatMap((l) => {
      const junctionId = junctionOf.get(l.controllerId);
      return junctionId ? [{ lightId: l.id, junctionId, signalGroup: l.signalGroup }] : [];
    });
    this.lastT = NaN;
    this.speedI = 0;
    this.aebActive = false;
    this.monitored = [];
    this.suddenLeader = -2;
    this.lastLeaderId = -2;
    this.lastLeaderGapM = Infinity;
    this.mode = 'drive';
    this.mrmReason = '';
    this.routeReason = '';
    this.mrmStartS = NaN;
    this.offsetM = 0;
    this.accelDemandMps2 = 0;
  }

  act(obs: Observation, t: number): CarCommand | BicycleCommand {
    const p = this.p;
    const dt = Number.isNaN(this.lastT) ? 1 / this.rateHz : t - this.lastT;
    this.lastT = t;
    const r = obs.sensors;

    // 3. Fault monitor (first tick: every sensor the pilot reads that is there and healthy is monitored from now on).
    if (this.monitored.length === 0) {
      // V2X counts once it works: a pilot that drives with V2X falls back on losing it (issue #3's "V2X loss").
      this.monitored = [p.gnss, p.objectList, p.radar, p.imu, p.odometry, p.trafficLights, p.v2x].filter((n, i) => i < 2 || r[n]?.healthy === true);
    }
    if (this.mode === 'drive' && this.features.mrm) {
      for (const n of this.monitored) {
        if (!fresh(r[n], t, p.sensorTimeoutS)) {
          this.startMrm(t, `${n} ${r[n] && !r[n]!.healthy ? 'failed' : 'stale or missing'}`);
          break;
        }
      }
    }

    // 1. Pose.
    const pose = this.pose;
    pose.update(t, r[p.gnss], r[p.imu], r[p.odometry]);
    const lane = this.lane!;
    if (!pose.initialised || (!lane.road && !lane.bind(pose.x, pose.y))) {
      // No pose or off the map: stop straight ahead, hazards on.
      if (this.mode === 'drive' && this.features.mrm) this.startMrm(t, pose.initialised ? 'off the map' : 'no GNSS fix');
      // Without an MRM (a baseline) it keeps its pedals released, as a driver-less car would.
      return this.command(this.features.mrm ? -p.mrmDecelMps2 : 0, 0, pose.speedMps);
    }
    // 2. Lane frame, and the route once the start lane is known.
    if (!this.route) lane.locate(pose.x, pose.y);
    if (this.graph && !this.route && !this.routeFailed) this.planRoute(t);
    const route = this.route;
    if (route) route.locate(pose.x, pose.y);
    const frame: PathFrame = route ?? lane;
    this.offsetM = route ? route.offsetM : lane.offsetM;
    const v = pose.speedMps;

    // 4. Leader.
    const egoHalfWidth = this.car.bodyWidthM / 2;
    const egoFront = this.car.bodyLengthM / 2;
    this.tracks.update(r[p.objectList], t, pose.x, pose.y, pose.headingRad, p.objectListMountXM);
    this.useV2x(r[p.v2x], t);
    // A lane change around a blocked lane that has reached the new lane: the lane frame moves there
    // (before the ODD checks, which would otherwise read the finished shift as leaving the lane).
    if (!route && this.evasive.done(t)) {
      lane.setLane(this.evasive.targetLaneId);
      lane.locate(pose.x, pose.y);
      this.evasive.reset();
    }
    // ODD exits (lane following): a closure across every lane ahead, or the map running out.
    if (!route && this.mode === 'drive' && this.features.mrm) {
      if (roadClosedAhead(lane, this.tracks.tracks, t, this.car.bodyWidthM)) this.startMrm(t, 'road closed ahead');
      else if (offTheMap(lane, v, p.mrmDecelMps2, this.shoulder.offsetAt(t) + this.evasive.offsetAt(t), p.mrmJerkMps3)) this.startMrm(t, 'off the map');
    }
    if (route && this.mode === 'drive' && this.features.mrm && Math.abs(route.offsetM) > 2 * route.laneWidthM) this.startMrm(t, 'off the route');
    // The MRM's stop position, decided once at its start with the tracks of that moment.
    if (!route && this.mode !== 'drive' && Number.isNaN(this.shoulder.startS) && lane.road) this.shoulder.plan(lane, this.tracks.tracks, t, this.car.bodyWidthM);
    const shift = route ? 0 : this.shoulder.offsetAt(t) + this.evasive.offsetAt(t);
    const leader = this.tracks.leader(frame, t, egoFront, shift, egoHalfWidth + p.corridorMarginM, this.leader);
    if (!route && this.mode === 'drive' && this.features.laneChanges && !this.evasive.active) this.considerLaneChange(t, v, leader);
    this.radarLeader(r[p.radar], t, v, egoFront, frame, leader);

    // 5. Longitudinal.
    const limitHere = route ? route.speedLimitMps : lane.speedLimitMps;
    const limit = Number.isFinite(limitHere) ? limitHere : 120 / 3.6;
    let vRef = Math.min(limit - SPEED_LIMIT_MARGIN_MPS, p.maxSpeedMps ?? Infinity);
    let feedForward = 0;
    if (route) {
      // Curves and lower limits ahead, met by braking at the comfortable deceleration.
      routeSpeedTarget(route, v, p.maxSpeedMps ?? Infinity, SPEED_LIMIT_MARGIN_MPS, p.lateralAccelMps2, p.comfortDecelMps2 / 2, _target);
      vRef = Math.min(vRef, _target.speedMps);
      if (_target.aheadBinds && v > vRef - 1) feedForward = -p.comfortDecelMps2 / 2;
    }
    const err = vRef - v;
    let aCruise = SPEED_KP * err + SPEED_KI * this.speedI + feedForward;
    aCruise = Math.min(Math.max(aCruise, -p.comfortDecelMps2), p.maxAccelMps2);
    this.xCruiseA = aCruise;
    this.xVRef = vRef;
    let aFollow = Infinity;
    const closing = leader.found ? v - leader.speedMps : 0;
    this.idm.desiredSpeedMps = Math.max(vRef, 1);
    // A leader that appears inside the time gap (a car merging in front, a slower one revealed by a lane
    // change) is "sudden" until the gap is restored; a leader first seen farther out is approached by the IDM.
    // (A new id at the same range is the same car handed over from the radar to the object list: not sudden.)
    if (!leader.found) this.suddenLeader = -2;
    else if (leader.trackId !== this.lastLeaderId && leader.gapM < v * this.idm.timeHeadwayS && !(leader.gapM > this.lastLeaderGapM - 2 * RADAR_MATCH_M)) this.suddenLeader = leader.trackId;
    else if (leader.trackId === this.suddenLeader && leader.gapM >= SUDDEN_RESTORED * v * this.idm.timeHeadwayS) this.suddenLeader = -2;
    this.lastLeaderId = leader.found ? leader.trackId : -2;
    this.lastLeaderGapM = leader.found ? leader.gapM : Infinity;
    const sudden = leader.found && leader.trackId === this.suddenLeader;
    const bKin = leader.found && closing > 0 ? (closing * closing) / (2 * Math.max(leader.gapM - this.idm.minGapM, 0.1)) : 0;
    if (leader.found && this.features.following) {
      aFollow = idmAccel(Math.max(v, 0), leader.gapM, closing, this.idm);
      if (sudden) {
        // The ACC model (IDM + constant-acceleration heuristic): the braking the situation needs, not the
        // IDM's overreaction to s << s*, but at least the constant deceleration that ends the approach at a
        // time gap of MIN_TRANSIENT_GAP_S (or, already inside it, of ISO 15622's 0.8 s), and never more than the IDM.
        const aAcc = accModelAccel(aFollow, Math.max(v, 0), Math.max(leader.speedMps, 0), 0, leader.gapM, this.idm.maxAccelMps2, this.idm.comfortDecelMps2);
        const vl = Math.max(leader.speedMps, 0);
        let room = leader.gapM - this.idm.minGapM - vl * MIN_TRANSIENT_GAP_S;
        if (room < 1) room = Math.max(leader.gapM - this.idm.minGapM - vl * ISO_MIN_GAP_S, 0.1);
        const bGap = closing > 0 ? (closing * closing) / (2 * room) : 0;
        aFollow = Math.max(aFollow, Math.min(aAcc, -bGap));
      }
    }
    this.xLeaderA = aFollow;
    this.xStopA = Infinity;
    this.xStopM = Infinity;
    // Only a situation needing more than ITE's comfortable 3 m/s^2 skips the comfort jerk limit.
    this.critical = FOLLOW_MARGIN * bKin > COMFORT_STOP_DECEL_MPS2;
    // Stop points ahead (the destination; lines and yielding in v2's junction logic): a standing virtual leader.
    if (route) {
      this.lights.update(r[p.trafficLights]);
      const stopAt = this.stopPointM(route, t, v, egoFront, dt);
      if (stopAt < Infinity) {
        const d = stopAt - route.egoM - egoFront - STOP_BEFORE_M;
        const gap = d + this.idm.minGapM;
        // A standing target has no time gap to keep: the IDM with T = 0 brakes on its "intelligent" term alone.
        this.stopIdm.desiredSpeedMps = this.idm.desiredSpeedMps;
        aFollow = Math.min(aFollow, gap > 0 ? idmAccel(Math.max(v, 0), gap, v, this.stopIdm) : -p.comfortDecelMps2);
        // The IDM's approach to a standing target fades out over the last metres (its s0 term);
        // the constant deceleration that stops exactly at the point finishes the stop decisively, once it
        // reaches half the comfort deceleration (below that the IDM approaches, or creeps up from a standstill).
        const need = d > STOP_SETTLE_M ? (v * v) / (2 * d) : v > STOPPED_MPS ? p.comfortDecelMps2 : 0;
        // Eased towards standstill as the MRM is (decel <= k v), so the car settles without a jolt.
        if (need > p.comfortDecelMps2) this.critical = true;
        if (need > p.comfortDecelMps2 / 2) aFollow = Math.min(aFollow, -Math.min(need, Math.max(STOP_EASE_PER_S * v, MRM_EASE_FLOOR_MPS2)));
        this.xStopM = d;
        this.xStopA = aFollow;
      }
    }
    let a = Math.min(aCruise, aFollow);
    // Anti-windup: integrate only near the set speed, while cruise binds and is not saturated.
    if (Math.abs(err) < SPEED_I_BAND_MPS && aCruise <= aFollow && aCruise > -p.comfortDecelMps2 && aCruise < p.maxAccelMps2) {
      this.speedI = Math.min(Math.max(this.speedI + err * dt, -SPEED_I_MAX_MPS), SPEED_I_MAX_MPS);
    }
    // AEB.
    if (this.features.aeb && leader.found && closing > 0) {
      const ttc = leader.gapM / closing;
      const needed = Math.max(p.aebMinTtcS, closing / (2 * this.car.maxBrakeDecelMps2) + BRAKE_DELAY_S + 1 / this.rateHz);
      if (ttc < needed) this.aebActive = true;
    }
    if (this.aebActive && (!leader.found || closing <= 0 || v < STOPPED_MPS)) this.aebActive = false;
    if (this.aebActive) a = -this.car.maxBrakeDecelMps2;
    // Comfort: ease off the brake (or onto the throttle) at no more than the comfort jerk, so that
    // a light turning green or a leader pulling away does not jolt the car. Braking is never delayed.
    // After braking harder than the comfort deceleration (an emergency), the release starts from the comfort level.
    if (!this.aebActive && a > this.accelDemandMps2) a = Math.min(a, Math.max(this.accelDemandMps2, -p.comfortDecelMps2) + RELEASE_JERK_MPS3 * dt);
    // Mild braking (within the comfort deceleration) is applied at the comfort jerk too, faster when the
    // situation is critical; harder braking and AEB at once.
    else if (!this.aebActive && a < this.accelDemandMps2 && a >= -p.comfortDecelMps2) a = Math.max(a, this.accelDemandMps2 - (this.critical ? CRITICAL_BRAKE_JERK_MPS3 : BRAKE_JERK_MPS3) * dt);
    // MRM.
    if (this.mode !== 'drive') {
      // Ramped in at mrmJerk, and eased off towards standstill (decel proportional to speed, k = MRM_EASE_PER_S),
      // so the car settles into the held stop without the jerk of a brake held hard through v = 0.
      const ramp = Math.min(p.mrmDecelMps2, p.mrmJerkMps3 * (t - this.mrmStartS), Math.max(MRM_EASE_PER_S * v, MRM_EASE_FLOOR_MPS2));
      a = Math.min(a, -ramp);
      if (v < STOPPED_MPS) this.mode = 'mrc';
    }
    this.xPrevA = this.accelDemandMps2;
    this.accelDemandMps2 = a;

    // 6. Lateral: pure pursuit from the rear axle (a baseline without lane keeping holds the wheel straight).
    if (!this.features.laneKeeping) return this.command(a, 0, v);
    const L = wheelbaseM(this.car);
    const ld = Math.min(Math.max(p.lookaheadTimeS * Math.abs(v), route ? p.routeMinLookaheadM : p.minLookaheadM), p.maxLookaheadM);
    if (route) route.pointAhead(ld, _ahead);
    else {
      lane.pointAhead(ld, _ahead);
      // During an MRM onto the shoulder or a lane change: the lane centre shifted by the offset planned for
      // when the car gets there.
      const tAhead = t + ld / Math.max(v, 1);
      const off = this.shoulder.offsetAt(tAhead) + this.evasive.offsetAt(tAhead);
      _ahead.x -= off * Math.sin(_ahead.headingRad);
      _ahead.y += off * Math.cos(_ahead.headingRad);
    }
    const c = Math.cos(pose.headingRad), s = Math.sin(pose.headingRad);
    const rx = pose.x - this.car.cogToRearAxleM * c, ry = pose.y - this.car.cogToRearAxleM * s;
    const dx = _ahead.x - rx, dy = _ahead.y - ry;
    const dist = Math.hypot(dx, dy);
    const sinAlpha = (-s * dx + c * dy) / dist;
    return this.command(a, Math.atan((2 * L * sinAlpha) / dist), v);
  }

  /** Plan the route from the lane the ego is bound to; no route: the minimal risk manoeuvre (the mission cannot be done). */
  private planRoute(t: number): void {
    const lane = this.lane!, dest = this.p.destination!;
    let result;
    try {
      result = this.graph!.route({ roadId: lane.road!.id, laneId: lane.laneId, s: lane.s }, { roadId: dest.road, laneId: dest.lane, s: dest.s });
    } catch (e) {
      result = { found: false as const, reason: (e as Error).message };
    }
    if (!result.found) {
      this.routeFailed = true;
      this.routeReason = result.reason;
      if (this.features.mrm && this.mode === 'drive') this.startMrm(t, `no route: ${result.reason}`);
      return;
    }
    this.route = new RouteFrame(this.network!, this.graph!, result.steps);
    this.route.locate(this.pose.x, this.pose.y, true);
    this.stopLines = routeStopLines(this.network!, this.route);
    this.crosswalks = routeCrosswalks(this.network!, this.route);
  }

  /**
   * Path distance of the nearest point the car must stop before, m
   * (Infinity: none): the route's end, the destination, which the pilot
   * reaches and holds (it does not drive on past it).
   */
  private stopPointM(route: RouteFrame, t: number, v: number, egoFront: number, dt: number): number {
    let at = route.lengthM;
    // Which stop point binds, for explain() (the nearest wins; ties keep the first).
    let cause: StopCause = 'destination';
    let x: number;
    if (this.features.junctionRules && this.stopLines.length) {
      const reactionM = v * (1 / this.rateHz + BRAKE_DELAY_S);
      const follower = (tr: Track): boolean => {
        route.relative(tr.x, tr.y, _rel);
        return _rel[0] < 0 && Math.abs(_rel[1]) < route.laneWidthM;
      };
      x = stopLineAhead(this.stopLines, this.lights, this.tracks.tracks, t, dt, v, route.egoM + egoFront, reactionM, follower);
      if (x < at) (at = x), (cause = 'stop-line');
    }
    if (this.features.gapAcceptance) {
      x = this.laneChangeGate.holdPointM(this.network!, route, this.tracks.tracks, t, v, this.car.bodyLengthM, this.idm, this.p.comfortDecelMps2);
      if (x < at) (at = x), (cause = 'lane-change-gap');
    }
    if (this.features.yielding) {
      const car = this.car;
      x = this.crossTraffic.stopPointM(route, this.tracks.tracks, t, v, egoFront, car.bodyWidthM / 2, car.bodyLengthM, this.p.maxAccelMps2);
      if (x < at) (at = x), (cause = 'cross-traffic');
      x = this.pedestrians.stopPointM(this.network!, route, this.crosswalks, this.tracks.tracks, t, v, egoFront, car.bodyWidthM / 2, car.bodyLengthM, this.p.maxAccelMps2);
      if (x < at) (at = x), (cause = 'pedestrian');
    }
    this.xStopCause = cause;
    this.xStopLine = undefined;
    if (cause === 'stop-line') for (const l of this.stopLines) if (l.atM === at) { this.xStopLine = l; break; }
    return at;
  }

  /** Start a lane change around a standing object in the lane ahead, if an adjacent lane has a safe gap. */
  private considerLaneChange(t: number, v: number, leader: Leader): void {
    if (!leader.found || leader.trackId < 0 || leader.gapM > EVASIVE_TRIGGER_M) return;
    const blocker = this.tracks.tracks.find((tr) => tr.id === leader.trackId);
    // Standing, and known to stand: tracked for EVASIVE_MIN_TRACK_S without ever moving (the first samples of a
    // run, or of a new track, carry too little evidence).
    if (!blocker || blocker.movedSeen || Math.hypot(blocker.vx, blocker.vy) > 0.5 || t - blocker.firstSeenAt < EVASIVE_MIN_TRACK_S) return;
    const lane = this.lane!;
    const node = graphOf(this.network!).nodeAt(lane.road!.id, lane.laneId, lane.s);
    if (!node) return;
    const crossable = new Set(graphOf(this.network!).laneChanges(node).map((n) => n.laneId));
    const candidates = lanesAcross(lane).lanes.filter((l) => crossable.has(l.laneId)).sort((a, b) => b.offsetM - a.offsetM);
    this.evasive.consider(lane, blocker, leader.gapM, candidates, this.tracks.tracks, t, v, this.car.bodyLengthM, this.car.bodyWidthM, this.idm, this.p.comfortDecelMps2);
    if (this.evasive.active) this.xEvasiveWhy = `${blocker.kind} #${blocker.id} standing ${leader.gapM.toFixed(0)} m ahead in the lane`;
  }

  /**
   * What the pilot perceives and why it acts, in plain words (teaching mode),
   * from its own beliefs of the last tick: its pose estimate, object tracks
   * (ids are the object list's track numbers, not actor ids), light beliefs
   * and mode. Null before the first tick. Cheap: a few comparisons and one string.
   */
  explain(): string | null {
    if (Number.isNaN(this.lastT)) return null;
    const v = this.pose.speedMps;
    if (this.mode === 'mrc') return `minimal risk condition: stopped${this.shoulder.targetM !== 0 ? ' on the shoulder' : ' in lane'}, hazard lights on (${this.mrmReason})`;
    if (this.mode === 'mrm') return `minimal risk manoeuvre: ${mrmWords(this.mrmReason)}, ${this.shoulder.targetM !== 0 ? 'stopping on the shoulder' : 'stopping in lane'} (${v.toFixed(1)} m/s)`;
    const L = this.leader;
    const who = L.found ? this.leaderWords() : '';
    const closing = L.found ? v - L.speedMps : 0;
    // A time to collision over 10 s says nothing a driver would act on.
    const ttc = closing > 0.1 && L.gapM / closing < 10 ? `, TTC ${(L.gapM / closing).toFixed(1)} s` : '';
    if (this.aebActive) return `emergency braking: ${who} detected ${L.gapM.toFixed(1)} m ahead${ttc}`;
    if (this.evasive.active) return `changing lane ${this.evasive.offsetAt(this.lastT + 60) > 0 ? 'left' : 'right'}: ${this.xEvasiveWhy || 'lane blocked ahead'}`;
    const a = this.accelDemandMps2;
    const stopped = v < STOPPED_MPS;
    // A stop point explains the action when it binds and the car brakes or waits for it.
    if (this.xStopA < this.xLeaderA && this.xStopA < this.xCruiseA && this.xStopM < Infinity && (a < -0.2 || stopped)) {
      const d = Math.max(this.xStopM, 0).toFixed(0);
      const verb = stopped ? 'waiting' : 'stopping';
      switch (this.xStopCause) {
        case 'stop-line': {
          const l = this.xStopLine;
          if (!l) return `${verb} at the stop line ${d} m ahead`;
          if (l.kind === 'stop-sign') return `${verb} at the stop sign ${d} m ahead${stopped ? ': checking the junction is clear' : ''}`;
          const st = this.lights.state(l.lightIds, this.lastT);
          if (st === 'green') return `${verb} before turning left ${d} m ahead: oncoming traffic (light green, permitted turn)`;
          return `${verb} at the stop line ${d} m ahead: light ${st === 'unknown' ? 'not seen yet' : st}`;
        }
        case 'pedestrian':
          return `giving way: pedestrian at the crosswalk, ${verb} ${d} m ahead`;
        case 'cross-traffic':
          return `giving way to crossing traffic: ${verb} ${d} m before the junction`;
        case 'lane-change-gap':
          return `waiting for a gap to change lanes: ${verb} ${d} m ahead`;
        default:
          return this.xStopM < 2 ? 'arrived: holding at the destination' : `stopping at the destination, ${d} m to go`;
      }
    }
    const gapS = v > 0.5 ? L.gapM / v : Infinity;
    if (L.found && this.xLeaderA < this.xCruiseA - 0.05 && (gapS < 5 || a < -1)) {
      if (a < -1) return `braking: ${who} detected ${L.gapM.toFixed(1)} m ahead${ttc}`;
      return `following ${who} ${L.gapM.toFixed(0)} m ahead at ${Math.max(L.speedMps, 0).toFixed(0)} m/s${Number.isFinite(gapS) ? ` (gap ${gapS.toFixed(1)} s)` : ''}`;
    }
    if (a < -0.5) {
      if (a > this.xPrevA) return `releasing the brakes (${v.toFixed(0)} m/s): ${L.found ? `${who} ${L.gapM.toFixed(0)} m ahead` : 'lane ahead clear'}`;
      return `slowing to ${Math.max(this.xVRef, 0).toFixed(0)} m/s: speed limit or curve ahead`;
    }
    if (v < 0.5 && a <= 0.3) return L.found && L.gapM < 15 ? `standing: ${who} stopped ${L.gapM.toFixed(0)} m ahead` : 'standing';
    if (v < 3 && a > 0.3) return `pulling away${L.found ? `; ${who} ${L.gapM.toFixed(0)} m ahead` : ', lane ahead clear'}`;
    return `cruising at ${v.toFixed(0)} m/s${L.found ? `; ${who} ${L.gapM.toFixed(0)} m ahead` : ', lane ahead clear'}`;
  }

  /** "car #3 (object list)", "pedestrian #5", "vehicle (radar)": the leader as the pilot knows it. */
  private leaderWords(): string {
    const id = this.leader.trackId;
    if (id < 0) return 'vehicle (radar)';
    for (const tr of this.tracks.tracks) if (tr.id === id) return `${tr.kind.startsWith('car') ? 'car' : tr.kind} #${id}`;
    return `object #${id}`;
  }

  /**
   * V2X, when the car has a receiver: BSM senders join the object tracks
   * (those the object list already tracks are not doubled), and each light
   * of the map takes its state from its junction's SPaT. The camera's next
   * sighting overrides SPaT (./ha-pilot/junction.ts).
   */
  private useV2x(reading: Reading | undefined, t: number): void {
    if (!reading || !fresh(reading, t, this.p.sensorTimeoutS)) {
      this.tracks.fuse([], t);
      return;
    }
    this.bsm.update(reading, t);
    this.spat.update(reading);
    this.tracks.fuse(this.bsm.tracks, t);
    for (const l of this.spatLights) {
      const sv = this.spat.signal(l.signalGroup, t, this.signalView, l.junctionId);
      if (!sv.found) continue;
      const state = sv.go ? 'green' : sv.state === 'permissive-clearance' || sv.state === 'protected-clearance' ? 'yellow' : 'red';
      this.lights.setSpat(l.lightId, state, sv.spatTimeS);
    }
  }

  private startMrm(t: number, reason: string): void {
    this.mode = 'mrm';
    this.mrmReason = reason;
    this.mrmStartS = t;
  }

  /**
   * The radar's nearest return, if it lies in the ego's lane ahead, as a
   * leader when it is nearer than the object list's (or the list has none).
   */
  private radarLeader(reading: Reading | undefined, t: number, v: number, egoFront: number, lane: PathFrame, out: Leader): void {
    if (!reading || !fresh(reading, t, this.p.sensorTimeoutS)) return;
    const ret = reading.value as RadarReturn;
    if (!ret.detected) return;
    const pose = this.pose;
    const bx = this.p.radarMountXM + ret.rangeM * Math.cos(ret.azimuthRad);
    const by = ret.rangeM * Math.sin(ret.azimuthRad);
    const c = Math.cos(pose.headingRad), s = Math.sin(pose.headingRad);
    const rel: [number, number] = [0, 0];
    lane.relative(pose.x + c * bx - s * by, pose.y + s * bx + c * by, rel);
    // The return is a point on the target's surface: in lane if within half a lane of the centre.
    if (!(rel[0] > 0) || Math.abs(rel[1]) > lane.laneWidthM / 2) return;
    const gap = Math.max(rel[0] - egoFront, 0);
    if (out.found && gap > out.gapM - RADAR_MATCH_M) {
      // The same target (or a farther one): keep the list's track but take the radar's range, the better measurement.
      if (gap < out.gapM + RADAR_MATCH_M) out.gapM = gap;
      return;
    }
    // Range rate is the closing speed along the beam; the beam is within 9 deg of the lane.
    const speed = v + ret.rangeRateMps;
    // A radar-only return that does not move is clutter until the object list confirms it (see RADAR_MIN_MOVING_MPS).
    if (speed < RADAR_MIN_MOVING_MPS) return;
    out.found = true;
    out.gapM = gap;
    out.speedMps = speed;
    out.trackId = -1;
  }

  /** Pedals (or the kinematic model's acceleration) for acceleration a, with steering and the lights. */
  private command(a: number, steeringRad: number, v: number): CarCommand | BicycleCommand {
    const hazards = this.mode !== 'drive';
    if (this.kinematic) return { accelMps2: v < STOPPED_MPS && a < 0 ? -this.car.maxBrakeDecelMps2 : a, steeringRad };
    const car = this.car;
    if (this.mode === 'mrc' || (v < STOPPED_MPS && a <= 0)) return { throttle: 0, brake: Math.max(HOLD_BRAKE, -a / car.maxBrakeDecelMps2), steeringRad, hazardLights: hazards };
    if (a > 0) {
      const avail = v > 0 ? Math.min(car.maxDriveForceN, car.maxPowerW / v) : car.maxDriveForceN;
      return { throttle: Math.min(1, (car.massKg * a) / avail), brake: 0, steeringRad, hazardLights: hazards };
    }
    return { throttle: 0, brake: Math.min(1, Math.max(0, -a / car.maxBrakeDecelMps2)), steeringRad, hazardLights: hazards };
  }
}

/** A reading that is there, healthy and no older than `timeoutS`. */
function fresh(r: Reading | undefined, t: number, timeoutS: number): boolean {
  return r !== undefined && r.healthy && t - r.time <= timeoutS + 1e-9;
}
