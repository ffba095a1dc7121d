/**
 * `uav-pilot`: flies a waypoint mission and avoids obstacles seen by its 360
 * degree lidar only (issue #4 section 6), in the horizontal plane.
 *
 * Method: VFH+ (I. Ulrich, J. Borenstein, "VFH+: reliable obstacle avoidance
 * for fast mobile robots", ICRA 1998), on the lidar returns that lie in the
 * drone's flight band (within `bandM` of its height, above the ground), so a
 * "2.5D" VFH+: each return within the window `windowM` blocks the sectors
 * within its enlargement angle asin((r_robot + d_safe) / d) (VFH+'s
 * obstacle enlargement), and the pilot steers the free sector of least cost
 * mu1 |goal - c| + mu2 |previous - c| (VFH+'s cost with mu1 = 5, mu2 = 2, as
 * the paper recommends, mu1 > mu2). Speed falls with the nearest return's
 * distance. A repulsive term pushes away from anything inside
 * `personalSpaceM` from any direction (a drone overtaking from behind, one
 * crossing from the side), the potential-field complement VFH lacks for
 * obstacles that move into the robot. Height is held at the waypoint's by
 * the flight stack's velocity mode.
 *
 * With `planner` (v2), a local planner steers instead of the VFH+ sector:
 * a short-horizon A* on a grid of the drone's own recent returns
 * (local-grid-planner.ts: exact distance transform, a hard and a soft
 * clearance, free-space assumption beyond what it has seen), followed to the
 * farthest path point in line of sight; the speed follows the clearance on
 * the path, the turn, and the distance the drone needs to stop (the flight
 * stack's velocity lag and `brakeMps2`). This is the local-minimum escape
 * VFH+ lacks (a wall with a gap aside, a street round a corner). VFH+ steers
 * when the grid has no path. With `persistentMap` (v3) the grid is filled
 * from a world-frame occupancy map of the drone's own returns kept for the
 * whole flight and cleared by the beams that pass through it
 * (occupancy-map.ts), not from the last `memoryS` of returns: replanning each
 * scan on it with unknown space free is the "planning in unknown terrain" of
 * D* Lite (Koenig, Likhachev 2002) and Stentz's D*, which in a static world
 * reaches the goal whenever a path exists, where the short memory forgot the
 * dead ends it had seen and flew back into them. `clutterFilter` keeps static clutter from
 * passing for a moving threat (free-space violation, two scans in a row).
 *
 * Like every Skylane UAV agent it flies on its own estimate (IMU, GNSS,
 * barometer; uav/estimation/) through the PX4-style flight stack.
 *
 * Airspace (issue #6 section 4), when the agent is given the zones
 * (`env.airspace`, an AirspaceKnowledge; without it nothing below runs and
 * the agent flies as before). The lidar avoidance stays as it is: the zones
 * only move the point it steers to.
 * - Before take-off: a start inside an active zone it may not enter
 *   (PROHIBITED, or REQ_AUTHORISATION without the authorisation) whose band
 *   overlaps the climb to the first waypoint is refused: rotors off, phase
 *   'refused'. Under an active ALTITUDE_CAP the take-off stops below the cap.
 * - Each leg is planned round the zones active now, or switched on by their
 *   published schedule before the drone can be through the leg (twice its
 *   straight length at cruise speed plus SCHEDULE_SLACK_S), whose vertical band
 *   overlaps the leg's (its two ends' heights, +- `airspaceVerticalMarginM`):
 *   PROHIBITED always, REQ_AUTHORISATION unless its id is in
 *   `authorisations`; ALTITUDE_CAP is flown below (the height target drops to
 *   the cap less the vertical margin once the drone is within the distance
 *   it needs to get down, see `capLeadM`), or gone round when the cap is too
 *   low to fly under; WARNING, CONDITIONAL, NO_RESTRICTION are flown
 *   through and noted. Planner: uav/airspace/planner.ts (PX4's and
 *   ArduPilot's visibility graph + Dijkstra), circles as circumscribed
 *   32-gons. The drone follows the route by pure pursuit
 *   (`routeLookaheadM` ahead).
 * - Safety buffer (`safetyBufferM`): the stopping distance at cruise speed,
 *   v t_react + v^2 / (2 a), with a = `brakeMps2` (the deceleration the
 *   lidar speed schedule already counts on: PX4 MPC_ACC_HOR 3 m/s^2 halved
 *   for the tilt transient) and t_react = the flight stack's velocity lag
 *   1 / MPC_XY_VEL_P_ACC (0.56 s) plus one scan period (0.1 s, setpoints
 *   change once per scan), plus `gnssMarginM`; never under 5 m. The plan
 *   keeps the buffer plus the corner cutting pure pursuit can do (half the
 *   lookahead) plus a tracking allowance (TRACK_M), so the flown track keeps
 *   the buffer.
 * - A destination within the buffer of a zone to avoid: the leg ends at the
 *   nearest clear point (outside the planning margin) and the drone holds
 *   there; the mission ends as far as it legally can (phase 'done',
 *   airspace status 'stopped-at-boundary').
 * - In flight, each tick: when the set of relevant zones changes (a zone
 *   switched on or off), the leg is re-planned from the current estimate.
 *   A drone inside a zone that just switched on around it leaves it by the
 *   nearest clear point in the horizontal plane, then continues (choice:
 *   exit rather than land, because a PROHIBITED zone forbids being there,
 *   and the shortest horizontal exit ends the incursion sooner than a
 *   landing from cruise height inside it; a vertical exit could take it
 *   into the band of other zones the plan never checked).
 * - Return to home (battery failsafe): the base's hook; the return flies at
 *   the current height (not RTL_RETURN_ALT: the climb could enter zones the
 *   plan never checked) along a route round the zones, then lands.
 */
import { z } from 'zod';
import type { AgentContext, Observation } from '../../sim/agent.ts';
import type { Reading } from '../../sim/sensor.ts';
import type { LidarScan } from '../../sim/sensors/lidar-3d.ts';
import type { StateEstimate } from '../../uav/estimation/state-estimate.ts';
import { AutopilotAgent, type MissionPhase } from './autopilot-agent.ts';
import { LocalGridPlanner } from './local-grid-planner.ts';
import { OccupancyMap2D } from './occupancy-map.ts';
import { straightLineParams } from './straight-line.ts';
import type { AirspaceKnowledge } from '../../uav/airspace/knowledge.ts';
import type { Vec2 } from '../../uav/airspace/polygon.ts';
import { signedHorizontalDistanceM } from '../../uav/airspace/zone.ts';
import { airspaceBufferM, nearestClearPoint, planRoute, relevanceKey, relevantVolumes, RouteFollower, type RelevantVolume } from './airspace-route.ts';

export const uavPilotParams = straightLineParams
  .extend({
    lidar: z.string().default('lidar'),
    windowM: z.number().positive().default(10).describe('VFH+ active window radius, m'),
    robotRadiusM: z.number().positive().default(0.45).describe('airframe radius to the rotor tips, m (Iris: 0.25 m arm + 0.128 m rotor, rounded up)'),
    safetyM: z.number().nonnegative().default(0.8).describe('clearance kept beyond the robot radius, m'),
    personalSpaceM: z.number().positive().default(1.5).describe('repulsion starts inside this distance, m (larger traps it between static obstacles: 3 m stalled 4 of 20 pillar-row seeds)'),
    bandM: z.number().positive().default(1.2).describe('returns within this height of the drone count as obstacles, m'),
    threatRangeM: z.number().positive().default(12).describe('a return this close that moves towards the drone is a moving threat, m (8 m left too little time against a 5 m/s closing speed)'),
    evadeSpeedMps: z.number().positive().default(5).describe('sideways speed away from a moving threat, m/s (3 m/s cleared 17 of 20 overtaking seeds, 5 m/s all 20)'),
    planner: z.boolean().default(false).describe('steer along a short-horizon A* path on a grid of its own recent lidar returns (false: VFH+ alone, v1)'),
    clutterFilter: z.boolean().default(false).describe('among many static obstacles (a forest): a moving threat must approach two scans in a row and lie in space the last scan saw free (see FREE_BINS); false: v1, one scan'),
    gridResolutionM: z.number().positive().default(0.1).describe('planning grid cell, m (Skylane choice: under the 0.3 m narrowest forest gap / 2, so a gap keeps a free cell)'),
    gridHalfWidthM: z.number().positive().default(6).describe('planning grid half-width around the drone, m (inside the 10 m VFH+ window, where the lidar returns are dense)'),
    memoryS: z.number().nonnegative().default(2).describe('obstacle returns are kept this long in the planning grid, s (a short memory: a moving drone leaves no lasting wall)'),
    brakeMps2: z.number().positive().default(1.5).describe('deceleration the speed schedule counts on to stop short of what the grid shows, m/s^2 (PX4 MPC_ACC_HOR 3 m/s^2, halved for the tilt transient; lower it for an airframe the flight stack brakes more slowly)'),
    leadGain: z.number().nonnegative().default(0).describe('setpoint lead on the velocity tracking error (0: none; 1 doubles the flight stack\'s velocity bandwidth)'),
    persistentMap: z.boolean().default(false).describe('the planner plans on a persistent world-frame occupancy map of its own returns, cleared by the beams that pass through (occupancy-map.ts), instead of the last memoryS of returns (false: v2)'),
    mapMarginM: z.number().positive().default(15).describe('the persistent map covers the box around the start and the waypoints plus this margin, m (Skylane choice: room for a detour round a 20 m wide obstacle field)'),
    mapRayM: z.number().positive().default(6).describe('returns within this horizontal distance update the persistent map and clear the cells before them, m (Skylane choice: 1 deg beams are 0.1 m apart at 6 m, about one cell at 0.05-0.1 m; EGO-Planner likewise caps its rays, grid_map/max_ray_length)'),
    lookaheadM: z.number().positive().default(2).describe('the drone steers to the farthest path point in line of sight within this distance, m (pure-pursuit style)'),
    authorisations: z.array(z.string()).default([]).describe('ids of the REQ_AUTHORISATION zones the mission is authorised to enter (with env.airspace)'),
    gnssMarginM: z.number().nonnegative().default(1.5).describe('position error allowed for in the airspace safety buffer, m (u-blox ZED-F9P without RTK: 1.5 m CEP, its data sheet, from memory: not re-read; the simulated RTK fix is far better)'),
    airspaceVerticalMarginM: z.number().nonnegative().default(3).describe('vertical clearance from a zone floor or ceiling (and under an altitude cap), m (Skylane choice: barometric height drift of a few metres over a flight)'),
    routeLookaheadM: z.number().positive().default(3).describe('pure-pursuit lookahead on the airspace route, m (the plan keeps half of it on top of the buffer: the corner a chord can cut)'),
  })
  .strict();
export type UavPilotParams = z.infer<typeof uavPilotParams>;

const SECTORS = 72; // 5 deg sectors (VFH+ uses 5 deg)
const MU_GOAL = 5;
const MU_PREV = 2;
const REPULSE_MAX_MPS = 2.5;
const CLIMB_GAIN_PER_S = 1;
const MAX_CLIMB_MPS = 1.5;
/** An object approaching faster than this on its own is a moving threat, m/s: 2x the lidar range noise over a 0.1 s scan interval, rounded up. */
const MOVING_MPS = 1;
/**
 * Scans in a row a sector must see something approach before it is a threat.
 * A static pillar that a nearer one hides as the drone moves (parallax in a
 * forest) makes one sector's range jump once; a drone closing in does it
 * scan after scan. Skylane choice: 3 scans (0.2 s more at 10 Hz) removed
 * every false evasion in the forest.
 */
const THREAT_SCANS = 2;
/**
 * Bins of the previous scan's nearest band return by world azimuth (1 deg),
 * seen from where the drone then was: a return now lying in space the last
 * scan saw through (closer than that bin's return by DYNAMIC_MARGIN_M) is
 * something that moved in, the free-space violation test of dynamic
 * occupancy mapping (e.g. Wang, Thorpe, Thrun, "Online simultaneous
 * localization and mapping with detection and tracking of moving objects",
 * ICRA 2003). A pillar revealed by parallax was hidden behind a nearer one
 * in the last scan, so it is not flagged.
 */
const FREE_BINS = 360;
/** Skylane choice: 10 x the 3 cm range noise, more than the 17 cm a 1 deg bin spans at 10 m. */
const DYNAMIC_MARGIN_M = 0.3;
/** Free-space violations a sector needs to hold a moving object (one stray return is noise). */
const DYNAMIC_MIN_POINTS = 2;
/** How long an evasion keeps its side after the threat was last seen, s. */
const EVADE_HOLD_S = 1;
/** Obstacle returns kept per scan (a 16 x 1800 VLP-16 scan has 28,800; those in the band and window are far fewer). */
const MAX_POINTS = 8192;
/** Returns remembered for the planning grid (world x, y and time), a ring. */
const MEMORY_POINTS = 65536;
/** Hard clearance of the planner: the robot radius plus this share of `safetyM` (the rest is a soft margin that costs, as VFH+ v1 shrank its margin to a tenth before giving up). */
const HARD_SHARE = 0.25;
/** Step-cost weight at the hard limit (cost 1 + SOFT_WEIGHT at the wall, 1 at the soft margin): Skylane choice, a detour of up to 5x the length is preferred to grazing. */
const SOFT_WEIGHT = 4;
/**
 * persistentMap: the steering target is at least this far along the path, m,
 * in sight or not (the path's cells are all clear of the hard limit).
 * Skylane choice, measured: with the first path cell (5 cm away) as the only
 * target in sight, the direction from the drone's true position to it swung
 * by up to 180 deg scan to scan (the drone sits up to half a cell off its
 * start cell), and the drone dithered in place in tight spots (forest seed 5).
 */
const MIN_LOOKAHEAD_M = 0.3;
/** Lowest speed fraction of the clearance schedule (a crawl still makes progress in a tight gap). */
const MIN_SPEED_SHARE = 0.25;
/** Velocity-loop lag, s: 1 / MPC_XY_VEL_P_ACC (PX4 default 1.8 m/s^2 per m/s; uav/flight-stack/gains.ts). */
export const STOP_LAG_S = 1 / 1.8;
/** How far ahead the stopping check looks, m (beyond it the speed is the cruise speed's business). */
const STOP_LOOK_M = 4;
/** A return lower than this above the ground (by the estimated height) is the ground, m. */
const GROUND_M = 0.3;
/**
 * Tilt error of the attitude estimate the ground test allows for: a return
 * d metres away is ground when it lies below GROUND_M + d tan(5 deg).
 * Skylane assumption, measured here: the complementary filter's tilt is off
 * by up to 4.5 deg while the Crazyflie accelerates (it reads acceleration as
 * tilt), which put ground returns 9 m away 0.7 m too high, inside the band.
 */
const GROUND_TILT_TAN = Math.tan((5 * Math.PI) / 180);
/** Tracking allowance of the airspace plan, m: Skylane choice, the velocity loop's lateral lag on the route's 11 deg turns (32-gon circles). */
const TRACK_M = 0.5;
/** One lidar scan period at VLP-16's 10 Hz, s: setpoints change once per scan. */
export const SCAN_PERIOD_S = 0.1;
/** Time added to a leg's expected duration when looking ahead at zone schedules, s (Skylane choice: the take-off and a hold). */
const SCHEDULE_SLACK_S = 30;
/** The return-time estimate's route home is re-planned at most this often, s (Skylane choice). */
const RETURN_ESTIMATE_PERIOD_S = 5;
/** A cap lower than this above the ground cannot be flown below; the zone is gone round instead, m (Skylane choice). */
const MIN_CRUISE_AGL_M = 2;
/** Over home within this (horizontal, m), the airspace return lands (the flight stack's take-off tolerance, as its return). */
const RETURN_LAND_RADIUS_M = 0.3;

export type AirspaceStatus = 'none' | 'clear' | 'routed' | 'refused' | 'leaving-zone' | 'stopped-at-boundary' | 'no-route';

/** What the scenario gives the agent beyond its params (the subset of registry's AgentEnv that uav-pilot reads). */
export interface UavPilotEnv {
  airspace?: AirspaceKnowledge;
  /** The REQ_AUTHORISATION zones the mission carries an authorisation for (the actor's `airspaceAuthorisations`). */
  airspaceAuthorisations?: readonly string[];
}

/** The registry's factory for uav-pilot: parse the params, take the airspace from the env. */
export function createUavPilot(params: unknown, env?: UavPilotEnv): UavPilotAgent {
  const p = uavPilotParams.parse(params);
  // The mission's authorisations (scenario) and the agent's own list are one set.
  const auth = [...new Set([...p.authorisations, ...(env?.airspaceAuthorisations ?? [])])];
  return new UavPilotAgent({ ...p, authorisations: auth }, env);
}

const _theta = new Float64Array(MAX_POINTS);
const _dist = new Float64Array(MAX_POINTS);

export class UavPilotAgent extends AutopilotAgent {
  private lastScan = -Infinity;
  private prevDir = NaN;
  private readonly blocked = new Uint8Array(SECTORS);
  /** Nearest horizontal return per sector, this scan and the last, m (Infinity: none). */
  private range = new Float64Array(SECTORS).fill(Infinity);
  private prevRange = new Float64Array(SECTORS).fill(Infinity);
  private prevScanT = NaN;
  /** Consecutive scans each sector (or a neighbour) saw something approach on its own. */
  private approach = new Uint8Array(SECTORS);
  private freeBins = new Float64Array(FREE_BINS).fill(Infinity);
  private prevFreeBins = new Float64Array(FREE_BINS).fill(Infinity);
  private freeFromX = NaN;
  private freeFromY = NaN;
  private readonly dynamic = new Uint16Array(SECTORS);
  private prevApproach = new Uint8Array(SECTORS);
  /** The side an evasion goes to (+1 left of the threat, -1 right; 0 none), kept while the threat lasts. */
  private evadeSide = 0;
  private evadeUntilS = -Infinity;
  private readonly vel: [number, number, number] = [0, 0, 0];
  private readonly cmdVel: [number, number, number] = [0, 0, 0];
  /** For tests and views: the nearest obstacle return in the band at the last scan, m. */
  nearestM = Infinity;
  /** For explain(): the nearest return's world offset from the drone, the goal's and the chosen direction (rad), and the last threat. */
  private xNearX = 0;
  private xNearY = 0;
  private xGoalDir = NaN;
  private xDir = NaN;
  private xThreatBearing = NaN;
  private xThreatRangeM = Infinity;
  private xScanT = -Infinity;
  private readonly grid: LocalGridPlanner;
  private readonly memX = new Float64Array(MEMORY_POINTS);
  private readonly memY = new Float64Array(MEMORY_POINTS);
  private readonly memT = new Float64Array(MEMORY_POINTS);
  private memHead = 0;
  private memCount = 0;
  /** For tests and views: whether the last scan found a grid path. */
  planned = false;
  /** The persistent map (persistentMap), made at the first scan around the start and the waypoints. */
  map: OccupancyMap2D | undefined;
  /** Nearest band return per beam azimuth this scan, horizontal m, and its world offset from the drone. */
  private azD = new Float64Array(0);
  private azX = new Float64Array(0);
  private azY = new Float64Array(0);

  /** The zones the agent knows (undefined: no airspace awareness, v3 behaviour). */
  readonly airspace: AirspaceKnowledge | undefined;
  /** The airspace buffer, m (see the file header). */
  readonly safetyBufferM: number;
  /** The clearance the airspace plan keeps, m: the buffer plus corner cutting and tracking. */
  readonly planMarginM: number;
  private preflightDone = false;
  private route: RouteFollower | undefined;
  private routeKey = '';
  private routeTruncated = false;
  /** For tests and views: the zone volumes the current airspace plan took into account, and how. */
  inPlay: RelevantVolume[] = [];
  private status: AirspaceStatus = 'none';
  private readonly notes: string[] = [];
  private readonly goalW: [number, number, number] = [0, 0, 0];
  /** The route only leads out of a zone that switched on around the drone; the leg is re-planned at its end. */
  private exitOnly = false;
  /** The last return-route length for the return-time estimate, m, and when it was planned (sim s). */
  private returnEstimateM = 0;
  private returnEstimateAtS = -Infinity;
  /** Height of the airspace-aware return, world m. */
  private returnZ = 0;
  /** For tests and views: the airspace routes planned so far (each a polyline, local ENU m) and when. */
  readonly plans: { t: number; path: Vec2[]; leg: number }[] = [];

  constructor(readonly p: UavPilotParams, env: UavPilotEnv = {}) {
    super(p);
    this.grid = new LocalGridPlanner({ resolutionM: p.gridResolutionM, halfWidthM: p.gridHalfWidthM });
    this.airspace = env.airspace;
    this.safetyBufferM = airspaceBufferM(p.cruiseSpeedMps, STOP_LAG_S + SCAN_PERIOD_S, p.brakeMps2, p.gnssMarginM);
    this.planMarginM = this.safetyBufferM + p.routeLookaheadM / 2 + TRACK_M;
  }

  /** The mission phase, the waypoint flown to, and with airspace its status and notes. */
  override get progress(): { phase: MissionPhase; waypoint: number; airspace?: { status: AirspaceStatus; notes: readonly string[] } } {
    const base = super.progress;
    return this.airspace ? { ...base, airspace: { status: this.status, notes: this.notes } } : base;
  }

  override reset(ctx: AgentContext): void {
    super.reset(ctx);
    this.lastScan = -Infinity;
    this.prevDir = NaN;
    this.range.fill(Infinity);
    this.prevRange.fill(Infinity);
    this.prevScanT = NaN;
    this.approach.fill(0);
    this.prevApproach.fill(0);
    this.freeBins.fill(Infinity);
    this.prevFreeBins.fill(Infinity);
    this.freeFromX = NaN;
    this.freeFromY = NaN;
    this.evadeSide = 0;
    this.evadeUntilS = -Infinity;
    this.memHead = 0;
    this.memCount = 0;
    this.planned = false;
    this.map = undefined;
    this.preflightDone = false;
    this.route = undefined;
    this.routeKey = '';
    this.routeTruncated = false;
    this.inPlay = [];
    this.exitOnly = false;
    this.returnEstimateM = 0;
    this.returnEstimateAtS = -Infinity;
    this.status = this.airspace ? 'clear' : 'none';
    this.notes.length = 0;
    this.plans.length = 0;
    // With airspace, the take-off waits for the pre-flight check at the first valid estimate.
    if (this.airspace) this.stack.setMode({ kind: 'idle' });
  }

  /** After the take-off: towards each waypoint in velocity mode, steered around what the lidar sees; then land. */
  protected guide(est: Readonly<StateEstimate>, obs: Observation, t: number): void {
    const p = this.p;
    if (this.airspace && !this.preflightDone) this.preflight(est, t);
    if (this.phase === 'takeoff' && this.stack.reached) this.phase = 'cruise';
    if (this.phase !== 'cruise') return;
    const pos = est.positionM;
    let remaining = NaN;
    let goal: readonly number[] = p.waypoints[this.next]!;
    if (this.airspace) {
      // The leg's end as the airspace allows it (capped height, or the boundary point), and the carrot on its route.
      const w = p.waypoints[this.next]!, fromZ = p.waypoints[Math.max(0, this.next - 1)]![2];
      const leg = this.legTo(est, t, w, fromZ, this.next);
      if (!leg) return;
      if (leg.arrived) {
        if (this.routeTruncated && this.next < p.waypoints.length - 1) {
          // An intermediate waypoint inside (or too near) a zone: as near as it may go, then on to the next leg.
          this.note(`waypoint ${this.next} reached only as near as the airspace allows; going on`);
        } else if (this.routeTruncated) {
          // The last waypoint: hold at the boundary point itself (the leg counted as reached within the acceptance radius).
          const end = this.route!.path[this.route!.path.length - 1]!;
          this.phase = 'done';
          this.status = 'stopped-at-boundary';
          this.stack.setMode({ kind: 'hold', positionM: [end[0], end[1], this.goalW[2]] });
          return;
        }
        this.next++;
        this.route = undefined;
        this.routeKey = '';
      } else {
        goal = this.goalW;
        remaining = leg.remainingM;
      }
    } else {
      const w = p.waypoints[this.next]!;
      if (Math.hypot(w[0] - pos[0], w[1] - pos[1], w[2] - pos[2]) <= p.acceptanceRadiusM) this.next++;
    }
    if (this.next >= p.waypoints.length) {
      this.phase = p.land ? 'land' : 'done';
      this.stack.setMode(p.land ? { kind: 'land' } : { kind: 'hold' });
      return;
    }
    if (this.airspace && Number.isNaN(remaining)) return; // the next leg starts at the next tick
    const lidar = obs.sensors[p.lidar] as Reading<LidarScan> | undefined;
    if (lidar && lidar.healthy && lidar.time > this.lastScan) {
      this.lastScan = lidar.time;
      this.fly(est, lidar, goal, remaining);
    } else if (this.stack.mode !== 'velocity') {
      this.stack.setMode({ kind: 'velocity', velocityMps: [0, 0, 0] });
    }
  }

  /** One scan's setpoint: steer towards `goal` round what the lidar sees, evade, and command the velocity. */
  private fly(est: Readonly<StateEstimate>, lidar: Reading<LidarScan>, goal: readonly number[], remaining: number): void {
    const p = this.p;
    this.steer(lidar.value, est.positionM, est.attitude, goal, lidar.time, est.velocityMps, remaining);
    this.evade(lidar.time, est.velocityMps);
    // Setpoint lead: the horizontal setpoint is pushed beyond the wanted velocity by `leadGain` times the
    // tracking error, which quickens the flight stack's ~0.55 s velocity response (1 / MPC_XY_VEL_P_ACC)
    // without touching its gains; 0 sends the wanted velocity as is. Set once per scan, as every setpoint.
    const v = est.velocityMps, k = p.leadGain;
    this.cmdVel[0] = this.vel[0] + k * (this.vel[0] - v[0]!);
    this.cmdVel[1] = this.vel[1] + k * (this.vel[1] - v[1]!);
    this.cmdVel[2] = this.vel[2];
    this.stack.setMode({ kind: 'velocity', velocityMps: this.cmdVel });
  }

  /**
   * What the pilot perceives and why it acts (teaching mode), from its own
   * lidar scan, airspace plan and mission: "avoiding obstacle 4.2 m
   * ahead-right (lidar)", "giving way to something approaching from behind-left,
   * 3.1 m (lidar)", "re-routing round zone CTR-1 (PROHIBITED, active)",
   * "returning home: battery 14 %". Null before the first tick.
   */
  override explain(): string | null {
    const base = super.explain();
    if (base === null || (this.phase !== 'cruise' && this.phase !== 'return')) {
      if (this.phase === 'refused' && this.notes.length) return this.notes[0]!;
      if (this.status === 'stopped-at-boundary') return `holding at the boundary of ${this.zoneWords(true)}: the destination lies inside it`;
      return base;
    }
    const p = this.p;
    const heading = Number.isNaN(this.xDir) ? this.xGoalDir : this.xDir;
    if (this.evadeSide !== 0 && this.xScanT <= this.evadeUntilS && Number.isFinite(this.xThreatRangeM)) {
      const from = relativeDirection(this.xThreatBearing - heading);
      return `giving way to something approaching from ${from === 'ahead' || from === 'behind' ? from : `the ${from}`}, ${this.xThreatRangeM.toFixed(1)} m (lidar): sidestepping ${this.evadeSide > 0 ? 'left' : 'right'}`;
    }
    const turned = !Number.isNaN(this.xDir) && !Number.isNaN(this.xGoalDir) && angDiff(this.xDir, this.xGoalDir) > (10 * Math.PI) / 180;
    if (this.nearestM < p.windowM && (turned || this.nearestM < p.robotRadiusM + 2 * p.safetyM)) {
      const where = relativeDirection(Math.atan2(this.xNearY, this.xNearX) - heading);
      return `avoiding obstacle ${this.nearestM.toFixed(1)} m ${where} (lidar)${this.planned ? ', on a path round it' : ''}${turned ? `, heading ${(angDiff(this.xDir, this.xGoalDir) * 180 / Math.PI).toFixed(0)} deg off the goal` : ''}`;
    }
    if (this.airspace) {
      if (this.status === 'leaving-zone') return `leaving ${this.zoneWords(true)}: it became active around the drone`;
      if (this.status === 'no-route') return `holding: no route round ${this.zoneWords(false)}`;
      if (this.status === 'routed' && this.route) {
        const leg = this.phase === 'return' ? `returning home${base.includes('battery') ? ` (${/battery \d+ %/.exec(base)?.[0] ?? 'battery low'})` : ''}` : `to waypoint ${this.next + 1} of ${p.waypoints.length}`;
        return `re-routing round ${this.zoneWords(false)} ${leg}: ${this.route.remainingM.toFixed(0)} m of route left`;
      }
    }
    return base;
  }

  /** The zones the current plan avoids, as "zone CTR-1 (PROHIBITED, active)"; `inside` picks the one around the drone. */
  private zoneWords(inside: boolean): string {
    const k = this.airspace;
    if (!k) return 'no zone';
    const pos = this.estimator.estimate.positionM;
    const t = this.xScanT;
    const seen: number[] = [];
    for (const v of this.inPlay) {
      if (v.treatment !== 'avoid' || seen.includes(v.zone)) continue;
      if (inside && signedHorizontalDistanceM(k.zones[v.zone]!.volumes[v.volume]!.shape, pos[0]!, pos[1]!) > this.planMarginM) continue;
      seen.push(v.zone);
    }
    if (seen.length === 0) return 'a zone';
    const words = seen.slice(0, 2).map((i) => {
      const z = k.zones[i]!;
      return `${z.id} (${z.restriction}, ${k.isActive(i, t) ? 'active' : 'scheduled'})`;
    });
    return `zone${seen.length > 1 ? 's' : ''} ${words.join(', ')}${seen.length > 2 ? ` and ${seen.length - 2} more` : ''}`;
  }

  // -------------------------------------------------------------------------
  // Airspace (issue #6 section 4; see the file header)
  // -------------------------------------------------------------------------

  private note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** The zones that matter to a leg between heights fromZ and toZ at time t. */
  private relevantFor(t: number, fromZ: number, toZ: number, legLengthM?: number): RelevantVolume[] {
    const p = this.p;
    return relevantVolumes(this.airspace!, t, {
      // When it may get there: the leg's straight length at cruise speed, doubled for the detours, plus SCHEDULE_SLACK_S (no length: now only).
      untilS: legLengthM === undefined ? t : t + (2 * legLengthM) / p.cruiseSpeedMps + SCHEDULE_SLACK_S,
      loZ: Math.min(fromZ, toZ),
      hiZ: Math.max(fromZ, toZ),
      verticalMarginM: p.airspaceVerticalMarginM,
      authorisations: p.authorisations,
      minCruiseZ: MIN_CRUISE_AGL_M,
    });
  }

  /** Whether a zone of this volume is one the drone may not be in (not a cap turned 'avoid' because it is too low). */
  private forbidden(v: RelevantVolume): boolean {
    return v.treatment === 'avoid' && this.airspace!.zones[v.zone]!.restriction !== 'ALTITUDE_CAP';
  }

  /**
   * Before take-off, at the first valid estimate: refuse a start inside a
   * zone it may not be in (whose band overlaps the climb), else take off,
   * below any cap over the start.
   */
  private preflight(est: Readonly<StateEstimate>, t: number): void {
    this.preflightDone = true;
    const k = this.airspace!, p = this.p, pos = est.positionM;
    let climbTo = p.waypoints[0]![2];
    for (const v of this.relevantFor(t, pos[2]!, climbTo)) {
      const zone = k.zones[v.zone]!, shape = zone.volumes[v.volume]!.shape;
      const d = signedHorizontalDistanceM(shape, pos[0]!, pos[1]!);
      if (this.forbidden(v) && d <= 0) {
        this.phase = 'refused';
        this.status = 'refused';
        this.note(`take-off refused: the start lies in ${zone.restriction} zone ${zone.id}`);
        this.stack.setMode({ kind: 'idle' });
        return;
      }
      if (v.treatment === 'below' && d <= this.planMarginM) climbTo = Math.min(climbTo, v.capZ - p.airspaceVerticalMarginM);
    }
    this.stack.setMode({ kind: 'takeoff', altitudeM: climbTo });
  }

  /** Horizontal distance from an altitude cap at which the descent must start, m: buffer, then the time to get down at MAX_CLIMB_MPS plus 1.5 s (the height loop's tail and lag) at cruise speed. */
  private capLeadM(excessM: number): number {
    return this.planMarginM + this.p.cruiseSpeedMps * (Math.max(0, excessM) / MAX_CLIMB_MPS + 1.5);
  }

  /**
   * The leg towards `dest` (world m) from height `fromZ`: re-planned when the
   * relevant zones change, followed by pure pursuit. Sets `goalW` (the
   * carrot, at the height the caps allow) and returns the route length left
   * and whether the leg's end is reached; undefined when the agent holds
   * (no route).
   */
  private legTo(est: Readonly<StateEstimate>, t: number, dest: readonly number[], fromZ: number, legId: number): { arrived: boolean; remainingM: number } | undefined {
    const k = this.airspace!, p = this.p, pos = est.positionM;
    const vols = this.relevantFor(t, fromZ, dest[2]!, Math.hypot(dest[0]! - pos[0]!, dest[1]! - pos[1]!));
    const key = `${legId}|${relevanceKey(vols)}`;
    if (key !== this.routeKey) this.replan(vols, key, pos, dest, t, legId);
    const route = this.route;
    if (!route) return undefined;
    route.update(pos[0]!, pos[1]!);
    const end = route.path[route.path.length - 1]!;
    let z = dest[2]!;
    for (const v of vols) {
      if (v.treatment !== 'below') continue;
      const shape = k.zones[v.zone]!.volumes[v.volume]!.shape, capZ = v.capZ - p.airspaceVerticalMarginM;
      // The lead is for the descent from the leg's own height (not the current one, which would let it climb back as it descends).
      if (signedHorizontalDistanceM(shape, end[0], end[1]) <= this.planMarginM || signedHorizontalDistanceM(shape, pos[0]!, pos[1]!) <= this.capLeadM(Math.max(pos[2]!, dest[2]!) - capZ)) {
        if (capZ < z) this.note(`flying below the ${v.capZ.toFixed(1)} m cap of zone ${k.zones[v.zone]!.id}`);
        z = Math.min(z, capZ);
      }
    }
    if (this.status === 'leaving-zone' && !vols.some((v) => this.forbidden(v) && signedHorizontalDistanceM(k.zones[v.zone]!.volumes[v.volume]!.shape, pos[0]!, pos[1]!) <= 0)) this.status = 'routed';
    this.goalW[0] = route.carrot[0];
    this.goalW[1] = route.carrot[1];
    this.goalW[2] = z;
    const arrived = Math.hypot(end[0] - pos[0]!, end[1] - pos[1]!, z - pos[2]!) <= p.acceptanceRadiusM;
    if (arrived && this.exitOnly) {
      // Out of the zone that switched on around it: plan the leg again from here.
      this.exitOnly = false;
      this.route = undefined;
      this.routeKey = '';
      return { arrived: false, remainingM: 0 };
    }
    return { arrived, remainingM: route.remainingM };
  }

  /** Plan the leg round the zones to avoid (see the file header). */
  private replan(vols: RelevantVolume[], key: string, pos: readonly number[], dest: readonly number[], t: number, legId: number): void {
    const k = this.airspace!;
    this.routeKey = key;
    this.inPlay = vols;
    this.exitOnly = false;
    for (const v of vols) {
      const z = k.zones[v.zone]!;
      if (v.treatment === 'through') this.note(`flying through ${z.restriction} zone ${z.id}${z.restriction === 'REQ_AUTHORISATION' ? ' (authorised)' : ''}`);
    }
    const avoid = vols.filter((v) => v.treatment === 'avoid').map((v) => v.polygon);
    const here: Vec2 = [pos[0]!, pos[1]!];
    const inside = vols.find((v) => this.forbidden(v) && signedHorizontalDistanceM(k.zones[v.zone]!.volumes[v.volume]!.shape, here[0], here[1]) <= 0);
    if (inside) this.note(`zone ${k.zones[inside.zone]!.id} became active around the drone at t = ${t.toFixed(1)} s: leaving it by the nearest way out`);
    const r = planRoute(here, [dest[0]!, dest[1]!], avoid, this.planMarginM);
    const what = legId < 0 ? 'the return' : `leg ${legId}`;
    if (!r.ok) {
      const out = inside ? nearestClearPoint(here, avoid, this.planMarginM, [dest[0]!, dest[1]!]) : undefined;
      this.route = out ? new RouteFollower([here, out], this.p.routeLookaheadM) : undefined;
      this.exitOnly = !!out;
      this.routeTruncated = false;
      this.status = out ? 'leaving-zone' : 'no-route';
      this.note(`no route for ${what} at t = ${t.toFixed(1)} s (${r.detail}): ${out ? 'leaving the zone, then re-planning' : 'holding'}`);
      if (!out) this.stack.setMode({ kind: 'hold' });
      if (out) this.plans.push({ t, path: [here, out], leg: legId });
      return;
    }
    this.route = new RouteFollower(r.path, this.p.routeLookaheadM);
    this.routeTruncated = r.truncated;
    this.plans.push({ t, path: r.path, leg: legId });
    this.status = r.leftZone && inside ? 'leaving-zone' : avoid.length > 0 ? 'routed' : 'clear';
    if (r.truncated) {
      const e = r.path[r.path.length - 1]!;
      this.note(`${what} ends in or within ${this.planMarginM.toFixed(1)} m of a zone to avoid: stopping at its boundary (${e[0].toFixed(1)}, ${e[1].toFixed(1)}), ${Math.hypot(e[0] - dest[0]!, e[1] - dest[1]!).toFixed(1)} m short`);
    }
  }

  /** The battery failsafe's return, with airspace: flown by this agent round the zones (the base's hook). */
  protected override beginReturn(_t: number): boolean {
    if (!this.airspace) return false;
    this.route = undefined;
    this.routeKey = '';
    this.routeTruncated = false;
    this.exitOnly = false;
    this.returnZ = this.estimator.estimate.positionM[2]!;
    this.note('battery failsafe: returning home round the zones at the current height');
    return true;
  }

  /**
   * The return-time estimate's distance home: with airspace, the length of
   * the route round the zones at the current height (re-planned at most every
   * RETURN_ESTIMATE_PERIOD_S; the battery is read at 10 Hz).
   */
  protected override returnDistanceM(p: readonly number[], home: readonly number[], t: number): number {
    const straight = super.returnDistanceM(p, home, t);
    if (!this.airspace) return straight;
    if (t - this.returnEstimateAtS < RETURN_ESTIMATE_PERIOD_S) return this.returnEstimateM;
    const vols = this.relevantFor(t, p[2]!, p[2]!, straight);
    const avoid = vols.filter((v) => v.treatment === 'avoid').map((v) => v.polygon);
    const r = planRoute([p[0]!, p[1]!], [home[0]!, home[1]!], avoid, this.planMarginM);
    let len = straight;
    if (r.ok) {
      len = 0;
      for (let i = 1; i < r.path.length; i++) len += Math.hypot(r.path[i]![0] - r.path[i - 1]![0], r.path[i]![1] - r.path[i - 1]![1]);
    }
    this.returnEstimateAtS = t;
    this.returnEstimateM = len;
    return len;
  }

  protected override guideReturn(est: Readonly<StateEstimate>, obs: Observation, t: number): void {
    const mode = this.stack.mode;
    if (mode === 'land') return;
    const home = this.stack.homeM;
    if (mode === 'waypoint') {
      if (this.stack.reached) this.stack.setMode({ kind: 'land' });
      return;
    }
    const dest: [number, number, number] = [home[0], home[1], this.returnZ];
    const leg = this.legTo(est, t, dest, this.returnZ, -1);
    if (!leg) return;
    if (leg.arrived) {
      // Over home (or as near as the zones allow): close in, then land.
      const end = this.route!.path[this.route!.path.length - 1]!;
      this.stack.setMode({ kind: 'waypoint', positionM: [end[0], end[1], this.goalW[2]], cruiseSpeedMps: 1, acceptanceRadiusM: RETURN_LAND_RADIUS_M });
      return;
    }
    const lidar = obs.sensors[this.p.lidar] as Reading<LidarScan> | undefined;
    if (lidar && lidar.healthy && lidar.time > this.lastScan) {
      this.lastScan = lidar.time;
      this.fly(est, lidar, this.goalW, leg.remainingM);
    } else if (this.stack.mode !== 'velocity') {
      this.stack.setMode({ kind: 'velocity', velocityMps: [0, 0, 0] });
    }
  }

  /**
   * Moving threats from any direction (a drone overtaking from behind, one
   * crossing from the side): a sector whose nearest return came closer than
   * the drone's own motion explains, by more than `MOVING_MPS`, holds
   * something moving at the drone. Then sidestep at `evadeSpeedMps`,
   * perpendicular to its bearing, to the side the drone already drifts to
   * (or its left), on top of the VFH+ velocity: a pursuer is escaped
   * sideways, not outrun. The range rate is the sector's (and its
   * neighbours') nearest return between two scans, so this sees what the
   * lidar sees, never the other drone's state.
   */
  private evade(scanT: number, v: readonly number[]): void {
    const p = this.p;
    const dt = scanT - this.prevScanT;
    this.prevScanT = scanT;
    if (!(dt > 0)) return;
    let threat = NaN, threatRange = Infinity;
    const swap = this.prevApproach;
    this.prevApproach = this.approach;
    this.approach = swap;
    this.approach.fill(0);
    for (let k = 0; k < SECTORS; k++) {
      const r = this.range[k]!;
      if (!(r < p.threatRangeM)) continue;
      const before = Math.min(this.prevRange[(k + SECTORS - 1) % SECTORS]!, this.prevRange[k]!, this.prevRange[(k + 1) % SECTORS]!);
      if (!Number.isFinite(before)) continue;
      const c = ((k + 0.5) / SECTORS) * 2 * Math.PI;
      // Range rate minus what the drone's own velocity along the bearing explains: the object's own approach speed.
      const own = (r - before) / dt + (v[0]! * Math.cos(c) + v[1]! * Math.sin(c));
      if (!(own < -MOVING_MPS)) continue;
      if (p.clutterFilter && this.dynamic[(k + SECTORS - 1) % SECTORS]! + this.dynamic[k]! + this.dynamic[(k + 1) % SECTORS]! < DYNAMIC_MIN_POINTS) continue;
      const run = 1 + Math.max(this.prevApproach[(k + SECTORS - 1) % SECTORS]!, this.prevApproach[k]!, this.prevApproach[(k + 1) % SECTORS]!);
      this.approach[k] = Math.min(run, 255);
      if ((!p.clutterFilter || run >= THREAT_SCANS) && r < threatRange) {
        threat = c;
        threatRange = r;
      }
    }
    if (Number.isNaN(threat)) {
      if (scanT > this.evadeUntilS) this.evadeSide = 0;
      return;
    }
    // Left of the threat's bearing (+90 deg) or right: chosen once, by the way the velocity already leans,
    // and kept for EVADE_HOLD_S after the threat was last seen (flipping sides each scan goes nowhere).
    this.xThreatBearing = threat;
    this.xThreatRangeM = threatRange;
    const lx = -Math.sin(threat), ly = Math.cos(threat);
    if (this.evadeSide === 0) this.evadeSide = this.vel[0] * lx + this.vel[1] * ly >= 0 ? 1 : -1;
    this.evadeUntilS = scanT + EVADE_HOLD_S;
    const side = this.evadeSide;
    this.vel[0] = side * p.evadeSpeedMps * lx + 0.3 * this.vel[0];
    this.vel[1] = side * p.evadeSpeedMps * ly + 0.3 * this.vel[1];
  }

  /** VFH+ in the flight band, then the repulsion and the height hold, into `this.vel`. */
  private steer(scan: LidarScan, pos: readonly number[], q: readonly number[], goal: readonly number[], t: number, v: readonly number[], remainingM = NaN): void {
    const p = this.p;
    this.blocked.fill(0);
    let nearest = Infinity, repX = 0, repY = 0;
    const [qx, qy, qz, qw] = q as [number, number, number, number];
    // Body-to-world rotation (the lidar frame is the body frame; its 0.1 m mount offset is neglected here).
    const r00 = 1 - 2 * (qy * qy + qz * qz), r01 = 2 * (qx * qy - qz * qw), r02 = 2 * (qx * qz + qy * qw);
    const r10 = 2 * (qx * qy + qz * qw), r11 = 1 - 2 * (qx * qx + qz * qz), r12 = 2 * (qy * qz - qx * qw);
    const r20 = 2 * (qx * qz - qy * qw), r21 = 2 * (qy * qz + qx * qw), r22 = 1 - 2 * (qx * qx + qy * qy);
    const swap = this.prevRange;
    this.prevRange = this.range;
    this.range = swap;
    this.range.fill(Infinity);
    const nAz = scan.azimuths.length;
    let np = 0;
    const fb = this.prevFreeBins;
    this.prevFreeBins = this.freeBins;
    this.freeBins = fb;
    this.freeBins.fill(Infinity);
    this.dynamic.fill(0);
    const mapping = p.planner && p.persistentMap;
    if (mapping) {
      if (this.azD.length !== nAz) {
        this.azD = new Float64Array(nAz);
        this.azX = new Float64Array(nAz);
        this.azY = new Float64Array(nAz);
      }
      this.azD.fill(Infinity);
      if (!this.map) {
        let x0 = pos[0]!, x1 = pos[0]!, y0 = pos[1]!, y1 = pos[1]!;
        for (const w of p.waypoints) {
          x0 = Math.min(x0, w[0]);
          x1 = Math.max(x1, w[0]);
          y0 = Math.min(y0, w[1]);
          y1 = Math.max(y1, w[1]);
        }
        const m = p.mapMarginM;
        this.map = new OccupancyMap2D({ resolutionM: p.gridResolutionM, minX: x0 - m, minY: y0 - m, maxX: x1 + m, maxY: y1 + m });
      }
    }
    const fx = this.freeFromX, fy = this.freeFromY, pf = this.prevFreeBins;
    this.freeFromX = pos[0]!;
    this.freeFromY = pos[1]!;
    for (let l = 0; l < scan.elevations.length; l++) {
      const el = scan.elevations[l]!, ce = Math.cos(el), se = Math.sin(el);
      for (let b = 0; b < nAz; b++) {
        const d = scan.ranges[l * nAz + b]!;
        if (!(d < p.windowM)) continue;
        const az = scan.azimuths[b]!;
        const bx = d * ce * Math.cos(az), by = d * ce * Math.sin(az), bz = d * se;
        const wx = r00 * bx + r01 * by + r02 * bz, wy = r10 * bx + r11 * by + r12 * bz, wz = r20 * bx + r21 * by + r22 * bz;
        // In the flight band and not the ground under the drone.
        const dh = Math.hypot(wx, wy);
        // The ground test widens with distance by the estimate's tilt error (see GROUND_TILT_RAD).
        if (Math.abs(wz) > p.bandM || pos[2]! + wz < GROUND_M + dh * GROUND_TILT_TAN) continue;
        if (dh < 1e-6 || np >= MAX_POINTS) continue;
        if (dh < nearest) {
          nearest = dh;
          this.xNearX = wx;
          this.xNearY = wy;
        }
        _theta[np] = Math.atan2(wy, wx);
        _dist[np] = dh;
        np++;
        if (mapping) {
          if (dh < this.azD[b]!) {
            this.azD[b] = dh;
            this.azX[b] = wx;
            this.azY[b] = wy;
          }
        } else if (p.planner && dh < p.gridHalfWidthM * Math.SQRT2) {
          this.memX[this.memHead] = pos[0]! + wx;
          this.memY[this.memHead] = pos[1]! + wy;
          this.memT[this.memHead] = t;
          this.memHead = (this.memHead + 1) % MEMORY_POINTS;
          if (this.memCount < MEMORY_POINTS) this.memCount++;
        }
        const sec = ((Math.floor((_theta[np - 1]! / (2 * Math.PI)) * SECTORS) % SECTORS) + SECTORS) % SECTORS;
        if (dh < this.range[sec]!) this.range[sec] = dh;
        const bin = (((Math.floor((_theta[np - 1]! / (2 * Math.PI)) * FREE_BINS) % FREE_BINS) + FREE_BINS) % FREE_BINS);
        if (dh < this.freeBins[bin]!) this.freeBins[bin] = dh;
        if (!Number.isNaN(fx)) {
          // Where the last scan, from its own position, saw free space along this point's bearing.
          const ox = pos[0]! + wx - fx, oy = pos[1]! + wy - fy, od = Math.hypot(ox, oy);
          const ob = (((Math.floor((Math.atan2(oy, ox) / (2 * Math.PI)) * FREE_BINS) % FREE_BINS) + FREE_BINS) % FREE_BINS);
          const seen = Math.min(pf[(ob + FREE_BINS - 1) % FREE_BINS]!, pf[ob]!, pf[(ob + 1) % FREE_BINS]!, p.windowM);
          if (od < seen - DYNAMIC_MARGIN_M) this.dynamic[sec] = this.dynamic[sec]! + 1;
        }
        if (dh < p.personalSpaceM) {
          const s = (p.personalSpaceM - dh) / p.personalSpaceM;
          repX -= (wx / dh) * s;
          repY -= (wy / dh) * s;
        }
      }
    }
    if (mapping) this.updateMap(scan, pos, r00, r01, r10, r11, np);
    // VFH+ with a shrinking safety margin: when the full margin closes every sector (a gap narrower than
    // the drone plus its margins), retry with half, then with a tenth of it, before giving up.
    for (const margin of [p.safetyM, p.safetyM / 2, p.safetyM / 10]) {
      this.blocked.fill(0);
      let free = SECTORS;
      for (let i = 0; i < np; i++) {
        const gamma = Math.asin(Math.min(1, (p.robotRadiusM + margin) / _dist[i]!));
        const k0 = Math.floor(((_theta[i]! - gamma) / (2 * Math.PI)) * SECTORS), k1 = Math.ceil(((_theta[i]! + gamma) / (2 * Math.PI)) * SECTORS);
        for (let k = k0; k <= k1; k++) {
          const m = ((k % SECTORS) + SECTORS) % SECTORS;
          if (!this.blocked[m]) free--;
          this.blocked[m] = 1;
        }
      }
      if (free > 0) break;
    }
    this.nearestM = nearest;
    const gx = goal[0]! - pos[0]!, gy = goal[1]! - pos[1]!;
    // The distance the speed slows onto: the goal's, or what is left of an airspace route (its carrot is not a stop).
    const goalDist = Number.isNaN(remainingM) ? Math.hypot(gx, gy) : remainingM;
    const goalDir = Math.atan2(gy, gx);
    const prev = Number.isNaN(this.prevDir) ? goalDir : this.prevDir;
    let best = NaN, bestCost = Infinity;
    for (let k = 0; k < SECTORS; k++) {
      if (this.blocked[k]) continue;
      const c = ((k + 0.5) / SECTORS) * 2 * Math.PI;
      const cost = MU_GOAL * angDiff(c, goalDir) + MU_PREV * angDiff(c, prev);
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    // The goal's own direction when it is free (the sector centres are 5 deg apart).
    if (!this.blocked[(((Math.floor((goalDir / (2 * Math.PI)) * SECTORS)) % SECTORS) + SECTORS) % SECTORS]) best = goalDir;
    let speed = Math.min(p.cruiseSpeedMps, goalDist); // slow down onto the waypoint
    const stop = p.robotRadiusM + p.safetyM;
    if (nearest < p.windowM) speed *= Math.min(1, Math.max(0.25, (nearest - stop) / (0.5 * p.windowM)));
    this.planned = false;
    if (p.planner) {
      const r = this.follow(pos, goal, t, v);
      if (r) {
        best = r.dir;
        speed = Math.min(p.cruiseSpeedMps, goalDist, r.speed);
      }
    }
    let vx = 0, vy = 0;
    if (!Number.isNaN(best)) {
      vx = speed * Math.cos(best);
      vy = speed * Math.sin(best);
      this.prevDir = best;
    }
    // The repulsion is VFH+'s complement; a grid path already keeps the clearance, and pushing off both
    // edges of a gap the path threads only stops the drone in front of it (measured: narrow-gap stalls).
    if (!this.planned) {
      vx += REPULSE_MAX_MPS * repX;
      vy += REPULSE_MAX_MPS * repY;
    }
    const h = Math.hypot(vx, vy), cap = Math.max(p.cruiseSpeedMps, REPULSE_MAX_MPS);
    if (h > cap) {
      vx *= cap / h;
      vy *= cap / h;
    }
    this.vel[0] = vx;
    this.vel[1] = vy;
    this.xGoalDir = goalDir;
    this.xDir = best;
    this.xScanT = t;
    this.vel[2] = Math.max(-MAX_CLIMB_MPS, Math.min(MAX_CLIMB_MPS, CLIMB_GAIN_PER_S * (goal[2]! - pos[2]!)));
  }

  /**
   * The persistent map's update from this scan, in the flight band seen as
   * a horizontal slice (the 2.5D of the VFH+ band): per beam azimuth, the
   * nearest band return of any layer; the cells before it (up to mapRayM
   * when there is none) get a miss, then every band return within mapRayM
   * a hit (a cell both crossed and hit this scan ends up hit: the misses
   * come first).
   */
  private updateMap(scan: LidarScan, pos: readonly number[], r00: number, r01: number, r10: number, r11: number, np: number): void {
    const p = this.p, m = this.map!, nAz = scan.azimuths.length, ray = p.mapRayM;
    const px = pos[0]!, py = pos[1]!;
    for (let b = 0; b < nAz; b++) {
      const d = this.azD[b]!;
      if (d < ray) {
        m.free(px, py, px + this.azX[b]!, py + this.azY[b]!);
        continue;
      }
      // No band return within reach: the beam's horizontal direction (the body's tilt neglected) is free to mapRayM.
      const az = scan.azimuths[b]!, c = Math.cos(az), s = Math.sin(az);
      const ux = r00 * c + r01 * s, uy = r10 * c + r11 * s, h = Math.hypot(ux, uy);
      if (h < 1e-6) continue;
      m.free(px, py, px + (ray * ux) / h, py + (ray * uy) / h);
    }
    for (let i = 0; i < np; i++) {
      const d = _dist[i]!;
      if (d < ray) m.hit(px + d * Math.cos(_theta[i]!), py + d * Math.sin(_theta[i]!));
    }
  }

  /**
   * The grid planner's direction and speed, or undefined when it finds no
   * path (then VFH+ steers alone). The speed follows the smallest clearance
   * on the path ahead (within a second of travel): full at the soft margin
   * and beyond, down to MIN_SPEED_SHARE at the robot radius, and it falls
   * with the turn the drone must make (a sharp turn at speed overshoots).
   */
  private follow(pos: readonly number[], goal: readonly number[], t: number, v: readonly number[]): { dir: number; speed: number } | undefined {
    const p = this.p, g = this.grid;
    g.begin(pos[0]!, pos[1]!);
    if (this.map) g.markMap(this.map);
    else for (let k = 0; k < this.memCount; k++) {
      const i = (this.memHead - 1 - k + MEMORY_POINTS) % MEMORY_POINTS;
      if (t - this.memT[i]! > p.memoryS) break; // the ring is in time order, newest first from the head
      g.mark(this.memX[i]!, this.memY[i]!);
    }
    g.computeClearance();
    const hard = p.robotRadiusM + HARD_SHARE * p.safetyM, soft = p.robotRadiusM + p.safetyM;
    if (!g.plan(pos[0]!, pos[1]!, goal[0]!, goal[1]!, hard, soft, SOFT_WEIGHT)) return undefined;
    this.planned = true;
    const sx = g.pathX[0]!, sy = g.pathY[0]!;
    let tx = goal[0]!, ty = goal[1]!;
    let arc = 0, cMin = g.clearanceAt(pos[0]!, pos[1]!);
    const minSight = Math.min(soft, cMin);
    for (let k = 1; k < g.pathLen; k++) {
      arc += Math.hypot(g.pathX[k]! - g.pathX[k - 1]!, g.pathY[k]! - g.pathY[k - 1]!);
      if (arc <= p.cruiseSpeedMps * 1) cMin = Math.min(cMin, g.clearance[Math.round((g.pathY[k]! - g.originY) / g.res) * g.n + Math.round((g.pathX[k]! - g.originX) / g.res)]!);
      if (arc > p.lookaheadM) break;
      if (k === 1 || (this.map && arc <= MIN_LOOKAHEAD_M) || g.lineClear(sx, sy, g.pathX[k]!, g.pathY[k]!, minSight)) {
        tx = g.pathX[k]!;
        ty = g.pathY[k]!;
      }
    }
    if (g.pathLen <= 1) {
      tx = goal[0]!;
      ty = goal[1]!;
    }
    const dir = Math.atan2(ty - pos[1]!, tx - pos[0]!);
    let share = Math.min(1, Math.max(MIN_SPEED_SHARE, (cMin - p.robotRadiusM) / p.safetyM));
    const sp = Math.hypot(v[0]!, v[1]!);
    if (sp > 0.3) share *= Math.max(MIN_SPEED_SHARE, 0.5 * (1 + (v[0]! * Math.cos(dir) + v[1]! * Math.sin(dir)) / sp));
    let speed = p.cruiseSpeedMps * share;
    // Stopping distance: the flight stack answers a velocity step with a lag of 1 / MPC_XY_VEL_P_ACC and then
    // brakes at about MPC_ACC_HOR, so the drone must be able to stop within the free distance both along
    // where it now goes and along where it is sent: v tau + v^2 / 2a <= free - hard.
    const stopFree = (ux: number, uy: number): number => {
      let d = 0;
      const step = 0.5 * g.res;
      while (d < STOP_LOOK_M && g.clearanceAt(pos[0]! + ux * (d + step), pos[1]! + uy * (d + step)) >= hard) d += step;
      return d;
    };
    let free = stopFree(Math.cos(dir), Math.sin(dir));
    if (sp > 0.3) free = Math.min(free, stopFree(v[0]! / sp, v[1]! / sp));
    const vStop = p.brakeMps2 * (-STOP_LAG_S + Math.sqrt(STOP_LAG_S * STOP_LAG_S + (2 * Math.max(0, free)) / p.brakeMps2));
    speed = Math.min(speed, Math.max(MIN_SPEED_SHARE * p.cruiseSpeedMps, vStop));
    return { dir, speed };
  }
}

/** A bearing relative to the heading (rad, + left) in words: ahead, ahead-left, left, behind-left, behind, ... */
export function relativeDirection(rel: number): string {
  const a = Math.atan2(Math.sin(rel), Math.cos(rel));
  const d = Math.abs(a), side = a > 0 ? 'left' : 'right';
  if (d < Math.PI / 8) return 'ahead';
  if (d < (3 * Math.PI) / 8) return `ahead-${side}`;
  if (d < (5 * Math.PI) / 8) return side;
  if (d < (7 * Math.PI) / 8) return `behind-${side}`;
  return 'behind';
}

function angDiff(a: number, b: number): number {
  return Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b)));
}
