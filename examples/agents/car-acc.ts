/**
 * A simple car agent for Skylane (a worked example of docs/agents.md):
 * lane keeping by holding the line it starts on (a straight road), and
 * adaptive cruise control behind the nearest object in its lane, with the
 * Intelligent Driver Model (Treiber, Hennecke, Helbing 2000).
 *
 * Run it:  skylane run scenarios/library/cars/lead-brake.yaml --agent ego=examples/agents/car-acc.ts
 *
 * It reads only its sensors: GNSS (position, velocity), the object list
 * (detections in the sensor frame, x forward, y left) and the radar.
 */
import { defineAgent, type CarInput, type GnssValue, type ObjectListValue, type RadarValue } from '../../agents/user/contract.ts';

// IDM parameters (Treiber & Kesting, "Traffic Flow Dynamics", 2013, table 11.2, motorway values,
// with a firmer comfortable deceleration so that a leader braking at 6 m/s^2 is matched).
const TIME_GAP_S = 1.5;
const MIN_GAP_M = 4;
const MAX_ACCEL = 1.5; // m/s^2
const COMFORT_DECEL = 3; // m/s^2
/** Braking the car can do with brake = 1, m/s^2 (about 1 g on dry asphalt; an assumption of this example). */
const FULL_BRAKE = 9;
/** Drive acceleration with throttle = 1 at motorway speed, m/s^2 (an assumption of this example). */
const FULL_THROTTLE = 3;
/** Half a lane: objects within this of our line are in our lane, m. */
const LANE_HALF_WIDTH_M = 1.6;

let line: { x: number; y: number; yaw: number } | null = null;
let cruiseMps = 25;
/** Sensor names by type (a scenario names its sensors: the object list is 'objects' by default). */
let names: Record<string, string> = {};

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function wrap(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

export default defineAgent({
  kind: 'car',
  rateHz: 20,
  requiredSensors: ['gnss', 'object-list'],

  init(ctx) {
    line = null;
    names = {};
    for (const s of ctx.sensors) names[s.type] ??= s.name;
    // The scenario's own agent params carry its speed limit (ha-pilot's maxSpeedMps), when there is one.
    const max = ctx.params.maxSpeedMps;
    if (typeof max === 'number') cruiseMps = max;
  },

  step(input: CarInput) {
    const gnss = input.sensors[names.gnss!]?.value as GnssValue | null | undefined;
    if (!gnss) return { throttle: 0, brake: 0.3, steeringRad: 0 };
    const [x, y] = gnss.position;
    const [vx, vy] = gnss.velocity;
    const speed = Math.hypot(vx, vy);
    const yaw = gnss.headingRad ?? Math.atan2(vy, vx);
    line ??= { x, y, yaw };

    // Lane keeping: steer back onto the starting line (cross-track error and heading error).
    const cross = -(x - line.x) * Math.sin(line.yaw) + (y - line.y) * Math.cos(line.yaw);
    const headingErr = wrap(yaw - line.yaw);
    const m = input.limits.maxSteerRad;
    const steeringRad = clamp(-0.04 * cross - 0.6 * headingErr, -m, m);

    // The nearest object ahead in our lane, from the object list; else the radar's return straight ahead.
    let gap = Infinity;
    let leadSpeed = speed;
    const objects = input.sensors[names['object-list']!]?.value as ObjectListValue | null | undefined;
    for (const d of objects?.detections ?? []) {
      const [dx, dy] = d.position;
      if (dx <= 0 || Math.abs(dy) > LANE_HALF_WIDTH_M) continue;
      const g = dx - d.size[0] / 2;
      if (g < gap) { gap = g; leadSpeed = Math.hypot(d.velocity[0], d.velocity[1]); }
    }
    const radar = names.radar ? input.sensors[names.radar]?.value as RadarValue | null | undefined : undefined;
    if (radar?.detected && radar.rangeM !== null && radar.rangeRateMps !== null && Math.abs(radar.azimuthRad ?? 1) < 0.05 && radar.rangeM < gap) {
      gap = radar.rangeM;
      leadSpeed = speed + radar.rangeRateMps;
    }

    // IDM: free-road term and interaction term.
    let accel = MAX_ACCEL * (1 - (speed / cruiseMps) ** 4);
    if (Number.isFinite(gap)) {
      const dv = speed - leadSpeed;
      const wanted = MIN_GAP_M + Math.max(0, speed * TIME_GAP_S + (speed * dv) / (2 * Math.sqrt(MAX_ACCEL * COMFORT_DECEL)));
      accel -= MAX_ACCEL * (wanted / Math.max(gap, 0.1)) ** 2;
    }
    if (accel >= 0) return { throttle: clamp(accel / FULL_THROTTLE, 0, 1), brake: 0, steeringRad };
    return { throttle: 0, brake: clamp(-accel / FULL_BRAKE, 0, 1), steeringRad };
  },
});
