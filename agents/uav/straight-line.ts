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
 */
import { z } from 'zod';
import type { Agent, AgentContext, Observation } from '../../sim/agent.ts';
import type { Vec3 } from '../../sim/math.ts';
import { Estimator } from '../../uav/estimation/estimator.ts';
import { FlightStack } from '../../uav/flight-stack/flight-stack.ts';
import { airframeByName, AIRFRAME_NAMES } from '../../uav/multirotor/airframes.ts';
import type { MultirotorCommand } from '../../uav/multirotor/multirotor.ts';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const point = z.tuple([finite(), finite(), finite()]);

export const straightLineParams = z
  .object({
    airframe: z.enum(AIRFRAME_NAMES).default('iris').describe("the UAV's airframe (the flight stack's mixer needs it); must match the actor's"),
    waypoints: z.array(point).min(1).describe('[x, y, z] in the local ENU frame, m; the first sets the take-off height'),
    cruiseSpeedMps: finite().refine((x) => x > 0, { message: 'expected > 0' }).default(5).describe('default 5 m/s (PX4 MPC_XY_CRUISE)'),
    acceptanceRadiusM: finite().refine((x) => x > 0, { message: 'expected > 0' }).default(1).describe('a waypoint counts as reached within this, m'),
    land: z.boolean().default(true).describe('land at the last waypoint'),
    controlHz: finite().min(250).default(250).describe('control rate, Hz (>= 250: PX4 rate loop)'),
    imu: z.string().default('imu'),
    gnss: z.string().default('gnss'),
    baro: z.string().default('baro'),
  })
  .strict();
export type StraightLineParams = z.infer<typeof straightLineParams>;

type Phase = 'takeoff' | 'cruise' | 'land' | 'done';

export class StraightLineAgent implements Agent<MultirotorCommand> {
  readonly rateHz: number;
  private readonly stack: FlightStack;
  private estimator = new Estimator();
  private phase: Phase = 'takeoff';
  private next = 0;
  private lastT = NaN;
  private readonly cmd: MultirotorCommand;

  constructor(readonly p: StraightLineParams) {
    this.rateHz = p.controlHz;
    this.stack = new FlightStack(airframeByName(p.airframe));
    this.cmd = { rotorRadPerS: this.stack.rotorRadPerS };
  }

  /** The mission phase and the index of the waypoint flown to (for tests and views). */
  get progress(): { phase: Phase; waypoint: number } {
    return { phase: this.phase, waypoint: this.next };
  }

  reset(_ctx: AgentContext): void {
    this.estimator = new Estimator();
    this.phase = 'takeoff';
    this.next = 0;
    this.lastT = NaN;
    this.stack.setMode({ kind: 'takeoff', altitudeM: this.p.waypoints[0]![2] });
  }

  act(obs: Observation, t: number): MultirotorCommand {
    const r = obs.sensors;
    const est = this.estimator.update({ imu: r[this.p.imu] as never, gnss: r[this.p.gnss] as never, baro: r[this.p.baro] as never }, t);
    const dt = Number.isNaN(this.lastT) ? 1 / this.rateHz : t - this.lastT;
    this.lastT = t;
    if (est.valid && this.stack.reached) this.advance();
    this.stack.update(est, t, Math.min(dt, 1 / 250));
    return this.cmd;
  }

  private advance(): void {
    const w = this.p.waypoints;
    if (this.phase === 'takeoff' || this.phase === 'cruise') {
      if (this.phase === 'cruise') this.next++;
      this.phase = 'cruise';
      if (this.next >= w.length) {
        this.phase = this.p.land ? 'land' : 'done';
        this.stack.setMode(this.p.land ? { kind: 'land' } : { kind: 'hold' });
        return;
      }
      const target: Vec3 = w[this.next]!;
      this.stack.setMode({ kind: 'waypoint', positionM: target, cruiseSpeedMps: this.p.cruiseSpeedMps, acceptanceRadiusM: this.p.acceptanceRadiusM });
    }
  }
}
