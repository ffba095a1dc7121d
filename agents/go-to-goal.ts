/**
 * Reference agent for the demo rover: drive to the mission goal, steering
 * around obstacles seen by the range ring.
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
 */
import { z } from 'zod';
import type { Agent, AgentContext, Observation } from '../sim/agent.ts';
import { wrapAngle } from '../sim/math.ts';
import type { GnssFix } from '../sim/sensors/gnss.ts';
import type { RangeScan } from '../sim/sensors/range-ring.ts';
import type { RoverCommand } from '../vehicles/rover/rover.ts';

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

export class GoToGoalAgent implements Agent<RoverCommand> {
  readonly rateHz: number;
  private readonly p: GoToGoalParams;
  private goal: [number, number] = [0, 0];
  private tolerance = 0.5;
  private readonly cmd: RoverCommand = { speedMps: 0, yawRateRadPerS: 0 };
  private readonly free = new Float64Array(CANDIDATES);

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
  }

  act(obs: Observation): RoverCommand {
    const cmd = this.cmd;
    const fix = obs.sensors[this.p.gnss];
    if (!fix || !fix.healthy) {
      // No position: stop in place (the minimal risk condition for a rover).
      cmd.speedMps = 0;
      cmd.yawRateRadPerS = 0;
      return { ...cmd };
    }
    const g = fix.value as GnssFix;
    const dx = this.goal[0] - g.position[0];
    const dy = this.goal[1] - g.position[1];
    const dist = Math.hypot(dx, dy);
    if (dist < this.tolerance || !Number.isFinite(g.headingRad)) {
      cmd.speedMps = 0;
      cmd.yawRateRadPerS = 0;
      return { ...cmd };
    }
    const yaw = g.headingRad;
    const goalBearing = wrapAngle(Math.atan2(dy, dx) - yaw);

    const scanReading = obs.sensors[this.p.lidar];
    const scan = scanReading && scanReading.healthy ? (scanReading.value as RangeScan) : null;
    const look = Math.min(this.p.lookaheadM, dist + this.p.halfWidthM);
    let best = goalBearing;
    let bestFree = look;
    if (scan) {
      this.corridors(scan, look);
      let bestScore = -Infinity;
      for (let c = 0; c < CANDIDATES; c++) {
        const heading = (c * 2 * Math.PI) / CANDIDATES - Math.PI;
        const free = this.free[c]!;
        // Prefer open corridors; among open ones, the one closest to the goal bearing.
        const align = Math.cos(wrapAngle(heading - goalBearing));
        const openness = free / look;
        const score = 2 * align + 3 * openness + (free >= look - 1e-9 ? 1 : 0);
        if (score > bestScore) {
          bestScore = score;
          best = heading;
          bestFree = free;
        }
      }
      // Go straight at the goal when its own corridor is open (avoids zig-zag between candidates).
      const direct = this.corridorFree(scan, goalBearing, look);
      if (direct >= look - 1e-9) {
        best = goalBearing;
        bestFree = direct;
      }
    }
    const stopDist = Math.max(0, bestFree - this.p.marginM);
    const vStop = Math.sqrt(2 * this.p.maxDecelMps2 * stopDist);
    const vGoal = Math.sqrt(2 * this.p.maxDecelMps2 * Math.max(0, dist - this.tolerance * 0.5));
    // Turn before driving when the chosen heading is far off.
    const turnFactor = Math.max(0, Math.cos(best));
    cmd.speedMps = Math.min(this.p.cruiseSpeedMps, vStop, vGoal) * turnFactor;
    cmd.yawRateRadPerS = this.p.yawGain * best;
    return { ...cmd };
  }

  private corridors(scan: RangeScan, look: number): void {
    for (let c = 0; c < CANDIDATES; c++) {
      this.free[c] = this.corridorFree(scan, (c * 2 * Math.PI) / CANDIDATES - Math.PI, look);
    }
  }

  /** Free length of a straight corridor of half-width (halfWidth + margin) at `heading` (body frame). */
  private corridorFree(scan: RangeScan, heading: number, look: number): number {
    const ch = Math.cos(heading), sh = Math.sin(heading);
    const w = this.p.halfWidthM + this.p.marginM;
    let free = look;
    const { angles, ranges } = scan;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (!Number.isFinite(r)) continue;
      const a = angles[i]!;
      const px = r * Math.cos(a), py = r * Math.sin(a);
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
