/**
 * Reference agent for the demo rover: drive to the mission goal, steering
 * around obstacles seen by the range ring, and yielding to obstacles that move.
 *
 * Each tick it estimates its pose from GNSS (position, dual-antenna heading),
 * then scores candidate headings: for each, the free length of a corridor as
 * wide as the rover plus a margin, built from the scan's return points, and
 * the heading's alignment with the goal. It takes the best heading, turns
 * towards it with a proportional yaw-rate law, and sets its speed by the free
 * length ahead (it can stop within it at the rover's deceleration limit) and
 * the distance left to the goal. A planar variant of the Vector Field
 * Histogram idea (Borenstein & Koren 1991) with corridor clearance instead of
 * polar densities.
 *
 * Moving obstacles. A corridor is a fine test for things that stay put and a
 * wrong one for things that move: it blocks the space a crossing cart is
 * about to leave and ignores the space it is about to enter. So the agent
 * tracks the scan's clusters in the world frame (./obstacle-tracker.ts:
 * segmentation, nearest-neighbour association, a constant-velocity Kalman
 * filter per cluster, free-space-violation evidence), takes the returns of
 * confirmed movers out of the corridors, and checks every candidate motion
 * against where the movers will be instead: a finite-horizon velocity
 * obstacle (Fiorini & Shiller 1998, IJRR 17(7)) evaluated by forward
 * simulation of the rover's own closed loop and acceleration limits, as the
 * dynamic window approach does (Fox, Burgard & Thrun 1997, IEEE RAM 4(1)).
 * Each mover's predicted disc is grown with time (its velocity is uncertain)
 * and stretched ahead along its velocity, so that passing behind a crossing
 * mover is cheaper than passing in front of it. Among headings, slower than
 * the corridor allows is penalised, so the rover goes around behind a mover
 * when that is open, and otherwise slows or waits short of its path. If even
 * standing still would be hit (the mover comes at the rover), it picks the
 * motion, reversing included, with the least predicted intrusion: it backs
 * away or cuts across. While movers are about, the same rollouts are also
 * checked against the static returns (the rover turns hard then, and a
 * straight corridor misjudges the arc it sweeps), and a small bonus for the
 * previous plan's heading keeps it from weaving between near-equal choices.
 * With no mover in reach the agent is exactly the static planner.
 */
import { z } from 'zod';
import type { Agent, AgentContext, Observation } from '../sim/agent.ts';
import { wrapAngle } from '../sim/math.ts';
import type { GnssFix } from '../sim/sensors/gnss.ts';
import type { RangeScan } from '../sim/sensors/range-ring.ts';
import { JACKAL, type RoverCommand } from '../vehicles/rover/rover.ts';
import { ObstacleTracker } from './obstacle-tracker.ts';

export const goToGoalParams = z
  .object({
    cruiseSpeedMps: z.number().positive().default(1.2).describe('speed on open ground, m/s'),
    rateHz: z.number().positive().default(10).describe('decision rate, Hz'),
    halfWidthM: z.number().positive().default(0.34).describe('half of the rover\'s diagonal (it sweeps that when it turns), m'),
    halfLengthM: z.number().positive().default(0.26).describe('centre to front bumper, m'),
    marginM: z.number().nonnegative().default(0.3).describe('extra lateral clearance kept from obstacles, m'),
    lookaheadM: z.number().positive().default(4).describe('how far ahead corridors are judged, m'),
    maxDecelMps2: z.number().positive().default(1.5).describe('deceleration the speed law plans with, m/s^2'),
    yawGain: z.number().positive().default(2.0).describe('yaw rate per radian of heading error, 1/s'),
    lidar: z.string().default('lidar').describe('name of the range-ring sensor'),
    gnss: z.string().default('gnss').describe('name of the GNSS sensor'),
  })
  .strict();
export type GoToGoalParams = z.infer<typeof goToGoalParams>;

export const goToGoalMission = z
  .object({
    goal: z.tuple([z.number(), z.number()]).describe('goal position [x, y] in the local ENU frame, m'),
    toleranceM: z.number().positive().default(0.5).describe('stop when this close to the goal, m'),
  })
  .strict();
export type GoToGoalMission = z.infer<typeof goToGoalMission>;

const CANDIDATES = 72; // every 5 degrees
/** Candidate index of the exact goal bearing, evaluated alongside the 72. */
const DIRECT = CANDIDATES;

// Moving-obstacle planning. Constants, not params: they follow from the
// tracker's accuracy and the rover's dynamics rather than from a mission.
/** Prediction horizon and rollout step, s. 3 s covers stopping from 2 m/s and a mover closing at ~1 m/s from 4-5 m. */
const HORIZON_S = 3;
const ROLL_DT = 0.1;
const ROLL_STEPS = Math.round(HORIZON_S / ROLL_DT);
/** Speeds tried per heading, as fractions of what the corridor allows there (1 first: the static choice). */
const SPEED_FRACTIONS = [1, 0.75, 0.5, 0.25, 0] as const;
/** Reverse speeds tried when escaping, m/s. */
const REVERSE_SPEEDS = [0.5, 1.0] as const;
/** A mover's footprint is at least this radius around its centroid, m (the centroid of the visible faces sits off-centre). */
const MOVER_MIN_RADIUS_M = 0.45;
/** Growth of a mover's predicted footprint per second: a floor plus a share of the velocity estimate's sigma. */
const GROWTH_MPS = 0.1;
const GROWTH_SIGMAS = 0.5;
/**
 * The predicted footprint is stretched ahead of the mover by this much of its
 * motion, s: the rover must clear a mover's path this long before the mover
 * gets there, which makes passing behind it the cheap option.
 */
const LEAD_S = 2.5;
/**
 * When escaping, intrusion into a mover's own footprint weighs this much more
 * than intrusion into the lead zone ahead of it: better to cut across its path
 * now than to run ahead of it along its path.
 */
const CORE_WEIGHT = 4;
/** Score lost by a heading whose mover-safe speed is zero (proportionally less when merely slower). */
const SLOW_PENALTY = 1.5;
/**
 * With movers about, the rover turns hard and often, and drives along its
 * current heading while it turns: the straight corridor then misjudges the
 * arc it sweeps. So rollouts are also checked against the static returns over
 * this first part of the horizon, s, keeping the rover's centre this far
 * beyond its half-diagonal from every static return it approaches, m.
 */
const STATIC_CHECK_S = 1.5;
/** The 0.2 m the clearance requirement asks for, plus 5 cm for range noise and beam spacing. */
const STATIC_CLEARANCE_M = 0.25;
/**
 * Score for staying with the previous plan's heading (world frame), times the
 * cosine of the change: rollouts from a moving start flip between near-equal
 * candidates from tick to tick, and the rover would weave.
 */
const HYSTERESIS = 0.5;

export class GoToGoalAgent implements Agent<RoverCommand> {
  readonly rateHz: number;
  private readonly p: GoToGoalParams;
  private goal: [number, number] = [0, 0];
  private tolerance = 0.5;
  private readonly cmd: RoverCommand = { speedMps: 0, yawRateRadPerS: 0 };
  private readonly free = new Float64Array(CANDIDATES + 1);
  /** Tracks the scan's clusters in the world frame; exposed for debugging views. */
  readonly tracker = new ObstacleTracker();

  // Movers in reach, in the body frame of this tick: position, velocity, radius, growth rate.
  private moverCount = 0;
  private readonly mover = new Float64Array(6 * this.tracker.tracks.length);
  // The plan among movers (fields, not a returned object: no allocation per tick).
  private planIndex = 0;
  private planHeading = 0;
  private planSpeed = 0;
  private planReverse = false;
  /** World-frame heading of the last plan among movers, NaN when there was none. */
  private lastPlanWorld = NaN;
  // Heading rollout scratch: per step, cos/sin of the yaw and the speed factor cos(heading error).
  private readonly rollCos = new Float64Array(ROLL_STEPS);
  private readonly rollSin = new Float64Array(ROLL_STEPS);
  private readonly rollTurn = new Float64Array(ROLL_STEPS);
  // Static returns near enough to matter for the rollouts, body frame, with their current range.
  private staticCount = 0;
  private staticX = new Float64Array(0);
  private staticY = new Float64Array(0);
  private staticR = new Float64Array(0);
  /** For explain(): what the last tick saw and chose (see explain). */
  private xState: 'none' | 'no-fix' | 'arrived' | 'drive' = 'none';
  private xDistM = 0;
  private xGoalBearing = 0;
  private xBest = 0;
  private xDirectFreeM = Infinity;
  private xLookM = 0;
  private xReverse = false;
  private xSpeed = 0;
  private xScan = false;

  constructor(params: GoToGoalParams) {
    this.p = params;
    this.rateHz = params.rateHz;
  }

  reset(ctx: AgentContext): void {
    const m = goToGoalMission.parse(ctx.mission);
    this.goal = m.goal;
    this.tolerance = m.toleranceM;
    this.cmd.speedMps = 0;
    this.cmd.yawRateRadPerS = 0;
    this.tracker.reset();
    this.moverCount = 0;
    this.lastPlanWorld = NaN;
  }

  act(obs: Observation): RoverCommand {
    const cmd = this.cmd;
    const fix = obs.sensors[this.p.gnss];
    if (!fix || !fix.healthy) {
      this.xState = 'no-fix';
      // No position: stop in place (the minimal risk condition for a rover).
      cmd.speedMps = 0;
      cmd.yawRateRadPerS = 0;
      return { ...cmd };
    }
    const g = fix.value as GnssFix;
    const dx = this.goal[0] - g.position[0];
    const dy = this.goal[1] - g.position[1];
    const dist = Math.hypot(dx, dy);
    this.xDistM = dist;
    if (dist < this.tolerance || !Number.isFinite(g.headingRad)) {
      this.xState = dist < this.tolerance ? 'arrived' : 'no-fix';
      cmd.speedMps = 0;
      cmd.yawRateRadPerS = 0;
      return { ...cmd };
    }
    const yaw = g.headingRad;
    const goalBearing = wrapAngle(Math.atan2(dy, dx) - yaw);

    const scanReading = obs.sensors[this.p.lidar];
    const scan = scanReading && scanReading.healthy ? (scanReading.value as RangeScan) : null;
    const look = Math.min(this.p.lookaheadM, dist + this.p.halfWidthM);
    const vGoal = Math.sqrt(2 * this.p.maxDecelMps2 * Math.max(0, dist - this.tolerance * 0.5));
    let best = goalBearing;
    let bestFree = look;
    let speed = -1; // < 0: the static speed law below decides
    let reverse = false;
    if (scan) {
      this.tracker.update(scan, g.position[0], g.position[1], yaw, scanReading!.time);
      this.collectMovers(g, yaw);
      this.corridors(scan, look);
      if (this.moverCount > 0) this.collectStatic(scan);
      this.free[DIRECT] = this.corridorFree(scan, goalBearing, look);
      if (this.moverCount === 0) {
        // The static planner.
        this.lastPlanWorld = NaN;
        let bestScore = -Infinity;
        for (let c = 0; c < CANDIDATES; c++) {
          const score = this.headingScore(c, goalBearing, look);
          if (score > bestScore) {
            bestScore = score;
            best = headingOf(c);
            bestFree = this.free[c]!;
          }
        }
        // Go straight at the goal when its own corridor is open (avoids zig-zag between candidates).
        if (this.free[DIRECT]! >= look - 1e-9) {
          best = goalBearing;
          bestFree = this.free[DIRECT]!;
        }
      } else {
        this.planAmongMovers(g, yaw, goalBearing, look, vGoal);
        this.lastPlanWorld = wrapAngle(this.planHeading + yaw);
        best = this.planHeading;
        bestFree = this.free[this.planIndex]!;
        speed = this.planSpeed;
        reverse = this.planReverse;
      }
    }
    this.xState = 'drive';
    this.xGoalBearing = goalBearing;
    this.xBest = best;
    this.xDirectFreeM = scan ? this.free[DIRECT]! : Infinity;
    this.xLookM = look;
    this.xReverse = reverse;
    this.xScan = scan !== null;
    this.xSpeed = speed;
    if (reverse) {
      // Back away along `best` (body frame, behind us): face its opposite and drive backwards.
      const facing = wrapAngle(best + Math.PI);
      cmd.speedMps = -speed * Math.max(0, Math.cos(facing));
      cmd.yawRateRadPerS = this.p.yawGain * facing;
      return { ...cmd };
    }
    if (speed < 0) {
      const stopDist = Math.max(0, bestFree - this.p.marginM);
      const vStop = Math.sqrt(2 * this.p.maxDecelMps2 * stopDist);
      speed = Math.min(this.p.cruiseSpeedMps, vStop, vGoal);
    }
    // Turn before driving when the chosen heading is far off.
    const turnFactor = Math.max(0, Math.cos(best));
    this.xSpeed = speed * turnFactor;
    cmd.speedMps = speed * turnFactor;
    cmd.yawRateRadPerS = this.p.yawGain * best;
    return { ...cmd };
  }

  /**
   * What the rover perceives and why it acts (teaching mode), from its GNSS
   * fix and range scan: "avoiding obstacle 2.1 m ahead towards the goal
   * (lidar), heading 35 deg left of the goal", "backing away: 2 moving
   * obstacles too close (lidar)". Null before the first tick.
   */
  explain(): string | null {
    switch (this.xState) {
      case 'none':
        return null;
      case 'no-fix':
        return 'stopped: no GNSS fix (position or heading)';
      case 'arrived':
        return `arrived: ${this.xDistM.toFixed(2)} m from the goal`;
      default:
    }
    const movers = this.moverCount;
    const m = `${movers} moving obstacle${movers === 1 ? '' : 's'}`;
    if (this.xReverse) return `backing away: ${m} too close (lidar)`;
    const off = wrapAngle(this.xBest - this.xGoalBearing);
    const turn = Math.abs(off) > (10 * Math.PI) / 180 ? `, heading ${Math.abs((off * 180) / Math.PI).toFixed(0)} deg ${off > 0 ? 'left' : 'right'} of the goal` : '';
    if (movers > 0) return `avoiding ${m} (lidar tracks)${turn} at ${this.xSpeed.toFixed(1)} m/s`;
    if (this.xScan && this.xDirectFreeM < this.xLookM - 1e-9) return `avoiding obstacle ${this.xDirectFreeM.toFixed(1)} m ahead towards the goal (lidar)${turn}`;
    return `driving to the goal: ${this.xDistM.toFixed(1)} m at ${this.xSpeed.toFixed(1)} m/s${this.xScan ? ', way clear (lidar)' : ''}`;
  }

  /** The static score of candidate c: open corridors first, then closeness to the goal bearing. */
  private headingScore(c: number, goalBearing: number, look: number): number {
    const heading = c === DIRECT ? goalBearing : headingOf(c);
    const free = this.free[c]!;
    const align = Math.cos(wrapAngle(heading - goalBearing));
    const openness = free / look;
    return 2 * align + 3 * openness + (free >= look - 1e-9 ? 1 : 0);
  }

  /** Speed the static law allows along candidate c, m/s. */
  private staticSpeed(c: number, vGoal: number): number {
    const stopDist = Math.max(0, this.free[c]! - this.p.marginM);
    return Math.min(this.p.cruiseSpeedMps, Math.sqrt(2 * this.p.maxDecelMps2 * stopDist), vGoal);
  }

  /**
   * Copy the confirmed movers that could reach the rover within the horizon
   * into the body frame of this tick (the rollouts' frame).
   */
  private collectMovers(g: GnssFix, yaw: number): void {
    const tr = this.tracker;
    const c = Math.cos(yaw), s = Math.sin(yaw);
    const reachRover = JACKAL.maxSpeedMps * HORIZON_S;
    this.moverCount = 0;
    for (let k = 0; k < tr.count; k++) {
      const t = tr.tracks[k]!;
      if (!t.moving) continue;
      const wx = t.x - g.position[0], wy = t.y - g.position[1];
      const radius = Math.max(t.radius, MOVER_MIN_RADIUS_M) + this.p.halfWidthM + this.p.marginM;
      const growth = GROWTH_MPS + GROWTH_SIGMAS * Math.sqrt(Math.max(0, t.p22));
      const speed = Math.hypot(t.vx, t.vy);
      const reach = radius + (speed * (1 + LEAD_S / HORIZON_S) + growth) * HORIZON_S + reachRover;
      if (Math.hypot(wx, wy) > reach) continue;
      const o = 6 * this.moverCount++;
      this.mover[o] = c * wx + s * wy;
      this.mover[o + 1] = -s * wx + c * wy;
      this.mover[o + 2] = c * t.vx + s * t.vy;
      this.mover[o + 3] = -s * t.vx + c * t.vy;
      this.mover[o + 4] = radius;
      this.mover[o + 5] = growth;
    }
  }

  /** The static returns (not of movers) that a rollout could come near within STATIC_CHECK_S. */
  private collectStatic(scan: RangeScan): void {
    const n = scan.ranges.length;
    if (this.staticX.length < n) {
      this.staticX = new Float64Array(n);
      this.staticY = new Float64Array(n);
      this.staticR = new Float64Array(n);
    }
    const reach = JACKAL.maxSpeedMps * STATIC_CHECK_S + this.p.halfWidthM + STATIC_CLEARANCE_M;
    const mover = this.tracker.moverBeam;
    this.staticCount = 0;
    for (let i = 0; i < n; i++) {
      const r = scan.ranges[i]!;
      if (!(r < reach) || mover[i] === 1) continue;
      const a = scan.angles[i]!;
      const k = this.staticCount++;
      this.staticX[k] = r * Math.cos(a);
      this.staticY[k] = r * Math.sin(a);
      this.staticR[k] = r;
    }
  }

  /**
   * Choose heading and speed with movers in reach. Every candidate (heading,
   * speed) is rolled out over the horizon with the rover's closed loop; its
   * cost is the predicted intrusion into the movers' grown footprints
   * (integral of the depth, m*s). A candidate costing 0 is safe. Sets the
   * plan* fields.
   */
  private planAmongMovers(g: GnssFix, yaw: number, goalBearing: number, look: number, vGoal: number): void {
    // Current forward speed and yaw rate, the rollouts' initial state (the
    // last command's yaw rate, as the rover clamps it; it follows within 0.1 s).
    const v0 = g.velocity[0] * Math.cos(yaw) + g.velocity[1] * Math.sin(yaw);
    const w0 = clampAbs(this.cmd.yawRateRadPerS, JACKAL.maxYawRateRadPerS);

    // 1. Normal mode: the best-scoring (heading, speed) whose rollout is safe.
    //    Speeds go fastest first and only lose score, so a candidate that
    //    cannot beat the best so far is not rolled out at all.
    let bestScore = -Infinity, bestC = -1, bestSpeed = 0;
    const keep = Number.isNaN(this.lastPlanWorld) ? NaN : wrapAngle(this.lastPlanWorld - yaw);
    for (let c = 0; c < CANDIDATES; c++) {
      const sStat = this.staticSpeed(c, vGoal);
      let base = this.headingScore(c, goalBearing, look);
      if (!Number.isNaN(keep)) base += HYSTERESIS * Math.cos(headingOf(c) - keep);
      let rolled = false;
      for (const frac of SPEED_FRACTIONS) {
        const score = base - (sStat > 0.05 ? SLOW_PENALTY * (1 - frac) : 0);
        if (score <= bestScore) break;
        if (!rolled) {
          this.rollHeading(headingOf(c), w0);
          rolled = true;
        }
        const s = sStat * frac;
        if (this.intrusion(s, v0, 1, true) > 0) continue;
        bestScore = score;
        bestC = c;
        bestSpeed = s;
        break;
      }
    }
    // As the static planner: straight at the goal when its corridor is open, here only if that is safe at full speed.
    let directSafeAtFull = false;
    if (this.free[DIRECT]! >= look - 1e-9) {
      this.rollHeading(goalBearing, w0);
      directSafeAtFull = this.intrusion(this.staticSpeed(DIRECT, vGoal), v0, 1, true) === 0;
    }
    if (directSafeAtFull) {
      this.setPlan(DIRECT, goalBearing, this.staticSpeed(DIRECT, vGoal), false);
      return;
    }
    if (bestC >= 0) {
      this.setPlan(bestC, headingOf(bestC), bestSpeed, false);
      return;
    }

    // 2. Escape: even standing still gets hit. Least intrusion wins, reversing
    //    included; the static score only breaks ties.
    let bestCost = Infinity, bestTie = -Infinity;
    this.setPlan(0, 0, 0, false);
    for (let c = 0; c < CANDIDATES; c++) {
      const heading = headingOf(c);
      const sStat = this.staticSpeed(c, vGoal);
      const tie = this.headingScore(c, goalBearing, look);
      this.rollHeading(heading, w0);
      for (const frac of SPEED_FRACTIONS) {
        const s = sStat * frac;
        const cost = this.intrusion(s, v0, 1, false);
        if (cost < bestCost - 1e-9 || (cost < bestCost + 1e-9 && tie > bestTie)) {
          bestCost = cost;
          bestTie = tie;
          this.setPlan(c, heading, s, false);
        }
      }
      // Backwards along headings behind us: no turn needed, so it is the quick way out.
      if (Math.cos(heading) > -0.5) continue;
      this.rollHeading(wrapAngle(heading + Math.PI), w0);
      const sBack = Math.min(this.staticSpeed(c, Infinity), REVERSE_SPEEDS[REVERSE_SPEEDS.length - 1]!);
      for (const sr of REVERSE_SPEEDS) {
        const s = Math.min(sr, sBack);
        const cost = this.intrusion(s, v0, -1, false);
        if (cost < bestCost - 1e-9 || (cost < bestCost + 1e-9 && tie > bestTie)) {
          bestCost = cost;
          bestTie = tie;
          this.setPlan(c, heading, s, true);
        }
      }
    }
  }

  private setPlan(index: number, heading: number, speed: number, reverse: boolean): void {
    this.planIndex = index;
    this.planHeading = heading;
    this.planSpeed = speed;
    this.planReverse = reverse;
  }

  /**
   * Yaw rollout towards `facing` (body frame) from yaw rate w0: the agent's
   * proportional law through the rover's yaw-rate lag and limits. Fills
   * rollCos/rollSin (yaw) and rollTurn (the speed law's cos of the heading error).
   */
  private rollHeading(facing: number, w0: number): void {
    const J = JACKAL;
    let th = 0, w = w0;
    for (let i = 0; i < ROLL_STEPS; i++) {
      const err = wrapAngle(facing - th);
      const wCmd = clampAbs(this.p.yawGain * err, J.maxYawRateRadPerS);
      w += clampAbs((wCmd - w) / J.driveTimeConstantS, J.maxYawAccelRadPerS2) * ROLL_DT;
      th += w * ROLL_DT;
      this.rollCos[i] = Math.cos(th);
      this.rollSin[i] = Math.sin(th);
      this.rollTurn[i] = Math.max(0, Math.cos(err));
    }
  }

  /**
   * Predicted intrusion (m*s) of the rover, driving at speed s (direction
   * +1 forward, -1 reverse) along the last rolled heading from forward speed
   * v0, into the movers' footprints: each a disc of its radius plus growth*t
   * around the segment from its predicted centroid to LEAD_S further ahead
   * (and CORE_WEIGHT more inside the disc around the centroid itself);
   * plus, over the first STATIC_CHECK_S, into the clearance disc of each
   * static return that the rover gets closer to than it is now (moving away
   * from something already close is allowed, as with the corridors).
   * With `any`, returns at the first intrusion (a yes/no question).
   */
  private intrusion(s: number, v0: number, direction: 1 | -1, any: boolean): number {
    const J = JACKAL;
    let x = 0, y = 0, v = v0, cost = 0;
    for (let i = 0; i < ROLL_STEPS; i++) {
      const vCmd = direction * s * this.rollTurn[i]!;
      v += clampAbs((vCmd - v) / J.driveTimeConstantS, J.maxAccelMps2) * ROLL_DT;
      x += v * this.rollCos[i]! * ROLL_DT;
      y += v * this.rollSin[i]! * ROLL_DT;
      const t = (i + 1) * ROLL_DT;
      for (let k = 0; k < this.moverCount; k++) {
        const o = 6 * k;
        const ux = this.mover[o + 2]!, uy = this.mover[o + 3]!;
        const ax = this.mover[o]! + ux * t, ay = this.mover[o + 1]! + uy * t;
        // Distance from the rover to the segment a -> a + u * LEAD_S.
        const sx = ux * LEAD_S, sy = uy * LEAD_S;
        const ss = sx * sx + sy * sy;
        let q = ss > 1e-12 ? ((x - ax) * sx + (y - ay) * sy) / ss : 0;
        q = q < 0 ? 0 : q > 1 ? 1 : q;
        const d = Math.hypot(x - ax - q * sx, y - ay - q * sy);
        const reach = this.mover[o + 4]! + this.mover[o + 5]! * t;
        const depth = reach - d;
        if (depth > 0) {
          if (any) return depth;
          const core = reach - Math.hypot(x - ax, y - ay);
          cost += (depth + (core > 0 ? CORE_WEIGHT * core : 0)) * ROLL_DT;
        }
      }
      if (t > STATIC_CHECK_S + 1e-9) continue;
      const clear = this.p.halfWidthM + STATIC_CLEARANCE_M;
      for (let k = 0; k < this.staticCount; k++) {
        const ex = x - this.staticX[k]!, ey = y - this.staticY[k]!;
        const lim = Math.min(clear, this.staticR[k]!);
        if (ex * ex + ey * ey >= lim * lim) continue;
        cost += (lim - Math.hypot(ex, ey)) * ROLL_DT;
        if (any) return cost;
      }
    }
    return cost;
  }

  /** Body-frame x, y of each beam's return, computed once per scan (NaN: no return). */
  private beamX = new Float64Array(0);
  private beamY = new Float64Array(0);

  private beamPoints(scan: RangeScan): void {
    const n = scan.ranges.length;
    if (this.beamX.length !== n) {
      this.beamX = new Float64Array(n);
      this.beamY = new Float64Array(n);
    }
    for (let i = 0; i < n; i++) {
      const r = scan.ranges[i]!, a = scan.angles[i]!;
      this.beamX[i] = Number.isFinite(r) ? r * Math.cos(a) : NaN;
      this.beamY[i] = Number.isFinite(r) ? r * Math.sin(a) : NaN;
    }
  }

  private corridors(scan: RangeScan, look: number): void {
    this.beamPoints(scan);
    for (let c = 0; c < CANDIDATES; c++) {
      this.free[c] = this.corridorFree(scan, headingOf(c), look);
    }
  }

  /**
   * Free length of a straight corridor of half-width (halfWidth + margin) at
   * `heading` (body frame). Returns of confirmed movers are left out: the
   * mover check judges them by where they will be, not where they are.
   */
  private corridorFree(scan: RangeScan, heading: number, look: number): number {
    const ch = Math.cos(heading), sh = Math.sin(heading);
    const w = this.p.halfWidthM + this.p.marginM;
    let free = look;
    const n = scan.ranges.length;
    const bx = this.beamX, by = this.beamY;
    const mover = this.tracker.moverBeam;
    const skipMovers = mover.length >= n;
    for (let i = 0; i < n; i++) {
      const px = bx[i]!, py = by[i]!;
      if (Number.isNaN(px)) continue;
      if (skipMovers && mover[i] === 1) continue;
      const along = px * ch + py * sh;
      // Points beside the rover count too: turning into them is as bad as driving at them.
      if (along <= -this.p.halfLengthM) continue;
      const across = -px * sh + py * ch;
      if (Math.abs(across) >= w) continue;
      const reach = along - this.p.halfLengthM;
      if (reach < free) free = Math.max(0, reach);
    }
    return free;
  }
}

/** Body-frame heading of candidate c, rad. */
function headingOf(c: number): number {
  return (c * 2 * Math.PI) / CANDIDATES - Math.PI;
}

function clampAbs(x: number, lim: number): number {
  return x > lim ? lim : x < -lim ? -lim : x;
}
