/**
 * What every Skylane UAV agent shares: it flies like an autopilot, on its own
 * state estimate from its IMU, GNSS and barometer (uav/estimation/, never
 * ground truth), through the PX4-style flight stack (uav/flight-stack/),
 * which turns setpoints into rotor speeds at the agent's rate (>= 250 Hz,
 * PX4's rate loop; the stack refuses slower ticks). A subclass decides the
 * setpoints (`guide`); this base runs the estimator, the stack and the
 * take-off, and hands back the rotor command.
 */
import type { Agent, AgentContext, Observation } from '../../sim/agent.ts';
import { Estimator } from '../../uav/estimation/estimator.ts';
import type { StateEstimate } from '../../uav/estimation/state-estimate.ts';
import { FlightStack } from '../../uav/flight-stack/flight-stack.ts';
import { airframeByName } from '../../uav/multirotor/airframes.ts';
import type { MultirotorCommand } from '../../uav/multirotor/multirotor.ts';

export interface AutopilotParams {
  airframe: string;
  waypoints: [number, number, number][];
  controlHz: number;
  imu: string;
  gnss: string;
  baro: string;
}

export type MissionPhase = 'takeoff' | 'cruise' | 'land' | 'done';

export abstract class AutopilotAgent implements Agent<MultirotorCommand> {
  readonly rateHz: number;
  protected readonly stack: FlightStack;
  protected estimator = new Estimator();
  protected phase: MissionPhase = 'takeoff';
  /** Index of the waypoint flown to. */
  protected next = 0;
  private lastT = NaN;
  private readonly cmd: MultirotorCommand;

  constructor(readonly base: AutopilotParams) {
    this.rateHz = base.controlHz;
    this.stack = new FlightStack(airframeByName(base.airframe));
    this.cmd = { rotorRadPerS: this.stack.rotorRadPerS };
  }

  /** The mission phase and the index of the waypoint flown to (for tests and views). */
  get progress(): { phase: MissionPhase; waypoint: number } {
    return { phase: this.phase, waypoint: this.next };
  }

  reset(_ctx: AgentContext): void {
    this.estimator = new Estimator();
    this.phase = 'takeoff';
    this.next = 0;
    this.lastT = NaN;
    this.stack.setMode({ kind: 'takeoff', altitudeM: this.base.waypoints[0]![2] });
  }

  act(obs: Observation, t: number): MultirotorCommand {
    const b = this.base, r = obs.sensors;
    const est = this.estimator.update({ imu: r[b.imu] as never, gnss: r[b.gnss] as never, baro: r[b.baro] as never }, t);
    const dt = Number.isNaN(this.lastT) ? 1 / this.rateHz : t - this.lastT;
    this.lastT = t;
    if (est.valid) this.guide(est, obs, t);
    this.stack.update(est, t, Math.min(dt, 1 / 250));
    return this.cmd;
  }

  /** Set the flight stack's mode for this tick (called only with a valid estimate). */
  protected abstract guide(est: Readonly<StateEstimate>, obs: Observation, t: number): void;
}
