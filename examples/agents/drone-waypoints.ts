/**
 * A simple drone agent for Skylane (a worked example of docs/agents.md): fly
 * the mission's waypoints in velocity mode, and steer round what the 3D lidar
 * sees near the flight level (a potential field: a pull towards the next
 * waypoint, a push away from each close return, and a sideways slip so it
 * goes round rather than stopping in front of an obstacle).
 *
 * Run it:  skylane run scenarios/library/uav/pillar-band.yaml --agent drone=examples/agents/drone-waypoints.ts
 *
 * The trusted autopilot takes off to the first waypoint's height before the
 * first step and flies the setpoints this returns; the agent reads only its
 * state estimate (not ground truth) and its lidar.
 */
import { defineAgent, type DroneInput, type DroneOutput, type LidarScanValue } from '../../agents/user/contract.ts';

const CRUISE_MPS = 2.5;
/** A waypoint counts as reached within this, m. */
const ACCEPT_M = 1;
/** Returns closer than this push the drone away, m. */
const INFLUENCE_M = 4;
/** Only returns within this height band of the drone's level are obstacles (the ground is not), rad of elevation. */
const MAX_ELEVATION_RAD = 0.15;

let next = 1;
/** The side it slips round an obstacle: chosen when an obstacle first pushes, kept until none does (no dithering in front of it). */
let side = 0;
let lidarName: string | undefined;

function clampNorm(v: [number, number], max: number): [number, number] {
  const n = Math.hypot(v[0], v[1]);
  return n > max ? [(v[0] * max) / n, (v[1] * max) / n] : v;
}

export default defineAgent({
  kind: 'uav',
  rateHz: 20,
  requiredSensors: ['lidar-3d'],

  init(ctx) {
    next = 1;
    side = 0;
    lidarName = ctx.sensors.find((s) => s.type === 'lidar-3d')?.name;
  },

  step(input: DroneInput): DroneOutput {
    const wps = input.mission.waypoints as [number, number, number][];
    const [x, y, z] = input.estimate.positionM;
    if (next >= wps.length) return { land: true };
    const [tx, ty, tz] = wps[next]!;
    const dist = Math.hypot(tx - x, ty - y);
    if (dist < ACCEPT_M) {
      next++;
      return next >= wps.length ? { positionEnuM: [tx, ty, tz], speedMps: 1 } : { hold: true };
    }

    // Pull towards the waypoint.
    let v: [number, number] = [((tx - x) / dist) * CRUISE_MPS, ((ty - y) / dist) * CRUISE_MPS];

    // Push from close returns near the flight level, and slip sideways round them.
    const scan = lidarName ? (input.sensors[lidarName]?.value as LidarScanValue | null | undefined) : undefined;
    if (scan) {
      const yaw = input.estimate.yawRad;
      const nAz = scan.azimuths.length;
      let px = 0, py = 0;
      scan.elevations.forEach((el, layer) => {
        if (Math.abs(el) > MAX_ELEVATION_RAD) return;
        for (let b = 0; b < nAz; b++) {
          const r = scan.ranges[layer * nAz + b];
          if (r === null || r === undefined || r > INFLUENCE_M) continue;
          const a = scan.azimuths[b]! + yaw;
          const w = ((INFLUENCE_M - r) / INFLUENCE_M) ** 2;
          px -= Math.cos(a) * w;
          py -= Math.sin(a) * w;
        }
      });
      const push = Math.hypot(px, py);
      if (push > 1e-6) {
        const k = 1.5;
        // The slip is perpendicular to the push; its side is chosen towards the goal once, then kept.
        const sx = -py / push, sy = px / push;
        if (side === 0) side = sx * (tx - x) + sy * (ty - y) >= 0 ? 1 : -1;
        const slip = CRUISE_MPS * Math.min(1, 2 * push);
        v = [v[0] + k * px + slip * side * sx, v[1] + k * py + slip * side * sy];
      } else side = 0;
    }
    v = clampNorm(v, Math.min(CRUISE_MPS, input.limits.maxSpeedXyMps));
    const vz = Math.max(-1, Math.min(1, tz - z));
    return { velocityEnuMps: [v[0], v[1], vz] };
  },
});
