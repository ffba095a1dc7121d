/**
 * `uav-pilot`: flies a waypoint mission and avoids obstacles seen by its 360
 * degree lidar only (issue #4 section 6). v1, in the horizontal plane.
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
 * Like every Skylane UAV agent it flies on its own estimate (IMU, GNSS,
 * barometer; uav/estimation/) through the PX4-style flight stack.
 */
import { z } from 'zod';
import type { AgentContext, Observation } from '../../sim/agent.ts';
import type { Reading } from '../../sim/sensor.ts';
import type { LidarScan } from '../../sim/sensors/lidar-3d.ts';
import type { StateEstimate } from '../../uav/estimation/state-estimate.ts';
import { AutopilotAgent } from './autopilot-agent.ts';
import { straightLineParams } from './straight-line.ts';

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
/** How long an evasion keeps its side after the threat was last seen, s. */
const EVADE_HOLD_S = 1;
/** Obstacle returns kept per scan (a 16 x 1800 VLP-16 scan has 28,800; those in the band and window are far fewer). */
const MAX_POINTS = 8192;
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
  /** The side an evasion goes to (+1 left of the threat, -1 right; 0 none), kept while the threat lasts. */
  private evadeSide = 0;
  private evadeUntilS = -Infinity;
  private readonly vel: [number, number, number] = [0, 0, 0];
  /** For tests and views: the nearest obstacle return in the band at the last scan, m. */
  nearestM = Infinity;

  constructor(readonly p: UavPilotParams) {
    super(p);
  }

  override reset(ctx: AgentContext): void {
    super.reset(ctx);
    this.lastScan = -Infinity;
    this.prevDir = NaN;
    this.range.fill(Infinity);
    this.prevRange.fill(Infinity);
    this.prevScanT = NaN;
    this.evadeSide = 0;
    this.evadeUntilS = -Infinity;
  }

  /** After the take-off: towards each waypoint in velocity mode, steered around what the lidar sees; then land. */
  protected guide(est: Readonly<StateEstimate>, obs: Observation): void {
    const p = this.p;
    if (this.phase === 'takeoff' && this.stack.reached) this.phase = 'cruise';
    if (this.phase !== 'cruise') return;
    const w = p.waypoints[this.next]!;
    const pos = est.positionM;
    if (Math.hypot(w[0] - pos[0], w[1] - pos[1], w[2] - pos[2]) <= p.acceptanceRadiusM) this.next++;
    if (this.next >= p.waypoints.length) {
      this.phase = p.land ? 'land' : 'done';
      this.stack.setMode(p.land ? { kind: 'land' } : { kind: 'hold' });
      return;
    }
    const lidar = obs.sensors[p.lidar] as Reading<LidarScan> | undefined;
    if (lidar && lidar.healthy && lidar.time > this.lastScan) {
      this.lastScan = lidar.time;
      this.steer(lidar.value, est.positionM, est.attitude, p.waypoints[this.next]!);
      this.evade(lidar.time, est.velocityMps);
      this.stack.setMode({ kind: 'velocity', velocityMps: this.vel });
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
    for (let k = 0; k < SECTORS; k++) {
      const r = this.range[k]!;
      if (!(r < p.threatRangeM) || r >= threatRange) continue;
      const before = Math.min(this.prevRange[(k + SECTORS - 1) % SECTORS]!, this.prevRange[k]!, this.prevRange[(k + 1) % SECTORS]!);
      if (!Number.isFinite(before)) continue;
      const c = ((k + 0.5) / SECTORS) * 2 * Math.PI;
      // Range rate minus what the drone's own velocity along the bearing explains: the object's own approach speed.
      const own = (r - before) / dt + (v[0]! * Math.cos(c) + v[1]! * Math.sin(c));
      if (own < -MOVING_MPS) {
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
    const lx = -Math.sin(threat), ly = Math.cos(threat);
    if (this.evadeSide === 0) this.evadeSide = this.vel[0] * lx + this.vel[1] * ly >= 0 ? 1 : -1;
    this.evadeUntilS = scanT + EVADE_HOLD_S;
    const side = this.evadeSide;
    this.vel[0] = side * p.evadeSpeedMps * lx + 0.3 * this.vel[0];
    this.vel[1] = side * p.evadeSpeedMps * ly + 0.3 * this.vel[1];
  }

  /** VFH+ in the flight band, then the repulsion and the height hold, into `this.vel`. */
  private steer(scan: LidarScan, pos: readonly number[], q: readonly number[], goal: readonly number[]): void {
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
    for (let l = 0; l < scan.elevations.length; l++) {
      const el = scan.elevations[l]!, ce = Math.cos(el), se = Math.sin(el);
      for (let b = 0; b < nAz; b++) {
        const d = scan.ranges[l * nAz + b]!;
        if (!(d < p.windowM)) continue;
        const az = scan.azimuths[b]!;
        const bx = d * ce * Math.cos(az), by = d * ce * Math.sin(az), bz = d * se;
        const wx = r00 * bx + r01 * by + r02 * bz, wy = r10 * bx + r11 * by + r12 * bz, wz = r20 * bx + r21 * by + r22 * bz;
        // In the flight band and not the ground under the drone.
        if (Math.abs(wz) > p.bandM || pos[2]! + wz < 0.3) continue;
        const dh = Math.hypot(wx, wy);
        if (dh < 1e-6 || np >= MAX_POINTS) continue;
        if (dh < nearest) nearest = dh;
        _theta[np] = Math.atan2(wy, wx);
        _dist[np] = dh;
        np++;
        const sec = ((Math.floor((_theta[np - 1]! / (2 * Math.PI)) * SECTORS) % SECTORS) + SECTORS) % SECTORS;
        if (dh < this.range[sec]!) this.range[sec] = dh;
        if (dh < p.personalSpaceM) {
          const s = (p.personalSpaceM - dh) / p.personalSpaceM;
          repX -= (wx / dh) * s;
          repY -= (wy / dh) * s;
        }
      }
    }
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
    const goalDist = Math.hypot(gx, gy);
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
    let vx = 0, vy = 0;
    if (!Number.isNaN(best)) {
      vx = speed * Math.cos(best);
      vy = speed * Math.sin(best);
      this.prevDir = best;
    }
    vx += REPULSE_MAX_MPS * repX;
    vy += REPULSE_MAX_MPS * repY;
    const h = Math.hypot(vx, vy), cap = Math.max(p.cruiseSpeedMps, REPULSE_MAX_MPS);
    if (h > cap) {
      vx *= cap / h;
      vy *= cap / h;
    }
    this.vel[0] = vx;
    this.vel[1] = vy;
    this.vel[2] = Math.max(-MAX_CLIMB_MPS, Math.min(MAX_CLIMB_MPS, CLIMB_GAIN_PER_S * (goal[2]! - pos[2]!)));
  }
}

function angDiff(a: number, b: number): number {
  return Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b)));
}
