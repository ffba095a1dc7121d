/**
 * `straight-line`: the UAV baseline with no avoidance (issue #4 section 6).
 * It flies its mission the way an autopilot's plain mission mode does: take
 * off to the first waypoint's height, fly each waypoint in a straight line
 * at the cruise speed, and land at the last one. It sees nothing: an
 * obstacle on the line is hit, which is what makes the avoidance criteria
 * bite when `uav-pilot` is scored beside it.
 *
 * It flies like every Skylane UAV agent: its own state estimate from its
 * IMU, GNSS and barometer (uav/estimation/, never ground truth), through the
 * PX4-style flight stack (uav/flight-stack/), which turns setpoints into
 * rotor speeds. The control rate is the agent's rate, at least 250 Hz
 * (PX4's rate loop; the flight stack refuses slower ticks).
 *
 * Missions: a waypoint route (a hover is one waypoint with `land: false`:
 * it holds there; a landing on a pad is a route that ends over the pad),
 * and the base's battery failsafe (return-to-home, land).
 */
import { z } from 'zod';
import { DEG, wrapAngle, yawOf, type Vec3 } from '../../sim/math.ts';
import type { Observation } from '../../sim/agent.ts';
import type { StateEstimate } from '../../uav/estimation/state-estimate.ts';
import { AIRFRAME_NAMES } from '../../uav/multirotor/airframes.ts';
import { AutopilotAgent, LOW_BATTERY_ACTIONS } from './autopilot-agent.ts';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const point = z.tuple([finite(), finite(), finite()]);

export const straightLineParams = z
  .object({
    airframe: z.enum(AIRFRAME_NAMES).default('iris').describe("the UAV's airframe (the flight stack's mixer needs it); must match the actor's"),
    waypoints: z.array(point).min(1).describe('[x, y, z] in the local ENU frame, m; the first sets the take-off height'),
    cruiseSpeedMps: finite().refine((x) => x > 0, { message: 'expected > 0' }).default(5).describe('default 5 m/s (PX4 MPC_XY_CRUISE); capped at maxSpeedMps'),
    maxSpeedMps: finite().refine((x) => x > 0 && x <= 20, { message: 'expected 0 < speed <= 20' }).optional().describe('largest horizontal speed, m/s; default 12 (PX4 MPC_XY_VEL_MAX)'),
    acceptanceRadiusM: finite().refine((x) => x > 0, { message: 'expected > 0' }).default(1).describe('a waypoint counts as reached within this, m'),
    land: z.boolean().default(true).describe('land at the last waypoint'),
    yawSweep: z
      .object({
        amplitudeDeg: finite().refine((x) => x > 0 && x <= 180, { message: 'expected 0 < amplitude <= 180' }).describe('the heading swings this far either side of the heading at the start of the hold, deg'),
        rateDegPerS: finite().refine((x) => x > 0, { message: 'expected > 0' }).describe('the heading setpoint moves at this rate (a triangle wave), deg/s'),
      })
      .strict()
      .optional()
      .describe('with land: false, pan the heading back and forth while holding the last waypoint (a gimbal test)'),
    controlHz: finite().min(250).default(250).describe('control rate, Hz (>= 250: PX4 rate loop)'),
    imu: z.string().default('imu'),
    gnss: z.string().default('gnss'),
    baro: z.string().default('baro'),
    batterySensor: z.string().default('battery').describe('battery sensor read by the battery failsafe (none on the UAV: no failsafe)'),
    lowBatteryAction: z.enum(LOW_BATTERY_ACTIONS).default('return-low').describe("battery failsafe (PX4 COM_LOW_BAT_ACT): 'warn', 'land' at critical, 'return-critical' (return at critical, land at emergency), 'return-low' (return at low, land at critical; default)"),
    returnAltitudeM: finite().refine((x) => x > 0, { message: 'expected > 0' }).default(60).describe('return altitude above home, m; default 60 (PX4 RTL_RETURN_ALT)'),
    rtlTimeFactor: finite().min(1).default(1.1).describe('safety factor on the return time estimate (PX4 RTL_TIME_FACTOR, default 1.1)'),
    rtlTimeMarginS: finite().nonnegative().default(100).describe('safety margin on the return time, s (PX4 RTL_TIME_MARGIN, default 100)'),
    returnAcceptanceRadiusM: finite().refine((x) => x > 0, { message: 'expected > 0' }).default(0.2).describe('the return descends once this close to home horizontally, m; default 0.2 (the flight stack take-off tolerance)'),
  })
  .strict();
export type StraightLineParams = z.infer<typeof straightLineParams>;

/**
 * Before landing at the last waypoint the agent closes on it to within this
 * (estimate) distance, m: Skylane choice, twice the GNSS-aided estimate's
 * horizontal noise of a few centimetres plus the hold's settling; a pad
 * landing then starts over the pad centre, not at the acceptance radius.
 */
export const LAND_ALIGN_RADIUS_M = 0.3;

export class StraightLineAgent extends AutopilotAgent {
  constructor(readonly p: StraightLineParams) {
    super(p);
  }

  private sweepStart = NaN;
  private sweepYaw0 = 0;

  /** The base's words; while cruising it says that this baseline flies blind (no obstacle or zone awareness). */
  override explain(): string | null {
    const e = super.explain();
    if (e === null) return null;
    if (this.phase === 'done' && this.p.yawSweep) return `${e}, panning ${this.p.yawSweep.amplitudeDeg} deg either way`;
    return this.phase === 'cruise' ? `${e} (straight line: no obstacle or zone awareness)` : e;
  }

  /** After the take-off, each waypoint in turn in waypoint mode; at the end, land (or hold, panning with `yawSweep`). */
  protected guide(est: Readonly<StateEstimate>, _obs: Observation, t: number): void {
    const sw = this.p.yawSweep;
    if (sw && this.phase === 'done') {
      if (Number.isNaN(this.sweepStart)) { this.sweepStart = t; this.sweepYaw0 = yawOf(est.attitude); }
      // Triangle wave: 0 -> +A -> -A -> +A ... at the rate, starting from the hold's heading.
      const a = sw.amplitudeDeg * DEG, period = (4 * a) / (sw.rateDegPerS * DEG);
      const ph = ((t - this.sweepStart) % period) / period;
      const tri = ph < 0.25 ? 4 * ph : ph < 0.75 ? 2 - 4 * ph : 4 * ph - 4;
      this.stack.setYawSetpoint(wrapAngle(this.sweepYaw0 + a * tri));
      return;
    }
    if (!this.stack.reached || this.phase === 'land' || this.phase === 'done') return;
    const w = this.p.waypoints;
    if (this.phase === 'cruise') this.next++;
    this.phase = 'cruise';
    const last: Vec3 = w[w.length - 1]!;
    if (this.next === w.length && this.p.land && this.p.acceptanceRadiusM > LAND_ALIGN_RADIUS_M) {
      // Over the landing point before descending, as PX4's mission LAND item navigates to its position first.
      this.stack.setMode({ kind: 'waypoint', positionM: last, cruiseSpeedMps: this.p.cruiseSpeedMps, acceptanceRadiusM: LAND_ALIGN_RADIUS_M });
      return;
    }
    if (this.next >= w.length) {
      this.phase = this.p.land ? 'land' : 'done';
      // Land where it is (now over the last waypoint), or hold the last waypoint itself.
      this.stack.setMode(this.p.land ? { kind: 'land' } : { kind: 'hold', positionM: last });
      return;
    }
    const target: Vec3 = w[this.next]!;
    this.stack.setMode({ kind: 'waypoint', positionM: target, cruiseSpeedMps: this.p.cruiseSpeedMps, acceptanceRadiusM: this.p.acceptanceRadiusM });
  }
}
