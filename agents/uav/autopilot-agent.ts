/**
 * What every Skylane UAV agent shares: it flies like an autopilot, on its own
 * state estimate from its IMU, GNSS and barometer (uav/estimation/, never
 * ground truth), through the PX4-style flight stack (uav/flight-stack/),
 * which turns setpoints into rotor speeds at the agent's rate (>= 250 Hz,
 * PX4's rate loop; the stack refuses slower ticks). A subclass decides the
 * setpoints (`guide`); this base runs the estimator, the stack and the
 * take-off, and hands back the rotor command.
 *
 * Battery failsafe (issue #4 section 5), as PX4's commander does it: when
 * the UAV carries a battery sensor (sim/sensors/battery.ts: PX4's
 * battery_status, with a remaining estimate and a warning level against
 * BAT_LOW_THR 15 %, BAT_CRIT_THR 7 %, BAT_EMERGEN_THR 5 %), the warning
 * level triggers an action that overrides the subclass's mission for the
 * rest of the flight. PX4's COM_LOW_BAT_ACT offers "warning", "land" (at
 * critical) and "return at critical, land at emergency"; Skylane adds
 * "return at low, land at critical" (`return-low`, the default here:
 * one level earlier than PX4's option 3, so the return has the low-to-
 * critical band, 8 % of the pack, to fly home on; an assumption, stated).
 * Return = the flight stack's `return` mode: climb to `returnAltitudeM`
 * above home (PX4 RTL_RETURN_ALT, 60 m by default; scenarios set their
 * own), fly home at the cruise speed, land, disarm. Land = land where it is.
 * The level only ever escalates (PX4 latches battery warnings).
 *
 * Remaining flight time (PX4 COM_FLTT_LOW_ACT with its RTL time estimate,
 * uORB rtl_time_estimate: safe_time_estimate = RTL_TIME_FACTOR x t +
 * RTL_TIME_MARGIN): under the `return-*` actions the agent also returns
 * as soon as the battery's time to reach the land threshold, at the
 * average current, is no more than the safe time a return needs. The
 * return time estimate t = horizontal distance home / return speed + climb
 * to the return altitude / PX4's MPC_Z_V_AUTO_UP-like climb (the take-off
 * speed MPC_TKO_SPEED here) + height above home / MPC_LAND_SPEED + PX4's
 * land-detector trigger time. Factor 1.1 and margin 100 s: PX4's
 * RTL_TIME_FACTOR and RTL_TIME_MARGIN defaults (from memory: not re-read);
 * the margin suits packs of twenty minutes: a scenario on the Iris model's
 * four-minute pack sets its own (`rtlTimeMarginS`).
 */
import type { Agent, AgentContext, Observation } from '../../sim/agent.ts';
import { Estimator } from '../../uav/estimation/estimator.ts';
import type { StateEstimate } from '../../uav/estimation/state-estimate.ts';
import { gainsFor } from '../../uav/flight-stack/gains.ts';
import { FlightStack } from '../../uav/flight-stack/flight-stack.ts';
import { airframeByName } from '../../uav/multirotor/airframes.ts';
import type { MultirotorCommand } from '../../uav/multirotor/multirotor.ts';
import type { BatterySample } from '../../sim/sensors/battery.ts';
import type { BatteryWarning } from '../../uav/multirotor/battery.ts';
import { MODE_DEFAULTS } from '../../uav/flight-stack/flight-stack.ts';

/** What the battery failsafe does (PX4 COM_LOW_BAT_ACT, plus Skylane's `return-low`; see the file header). */
export const LOW_BATTERY_ACTIONS = ['warn', 'land', 'return-critical', 'return-low'] as const;
export type LowBatteryAction = (typeof LOW_BATTERY_ACTIONS)[number];

export interface AutopilotParams {
  airframe: string;
  waypoints: [number, number, number][];
  controlHz: number;
  imu: string;
  gnss: string;
  baro: string;
  /** Battery sensor name (default 'battery'); without such a sensor there is no battery failsafe. */
  batterySensor?: string;
  /** Default 'return-low' (see the file header). */
  lowBatteryAction?: LowBatteryAction;
  /** Return altitude above home, m; default PX4 RTL_RETURN_ALT (flight-stack MODE_DEFAULTS). */
  returnAltitudeM?: number;
  /** Cruise speed of the return, m/s; default the agent's cruise speed, else PX4 MPC_XY_CRUISE. */
  cruiseSpeedMps?: number;
  /** Return-time safety factor (PX4 RTL_TIME_FACTOR, default 1.1). */
  rtlTimeFactor?: number;
  /** Return-time safety margin, s (PX4 RTL_TIME_MARGIN, default 100). */
  rtlTimeMarginS?: number;
  /** Over home within this horizontal distance, m, the return descends (default the flight stack's 0.2 m). */
  returnAcceptanceRadiusM?: number;
  /** Largest horizontal speed, m/s (PX4 MPC_XY_VEL_MAX; default its 12 m/s). */
  maxSpeedMps?: number;
}

/** PX4 RTL_TIME_FACTOR and RTL_TIME_MARGIN defaults (from memory: not re-read). */
export const RTL_TIME_DEFAULTS = { factor: 1.1, marginS: 100 } as const;

/** 'refused': the agent would not take off (uav-pilot: the start lies in an active prohibited zone); rotors off. */
export type MissionPhase = 'takeoff' | 'cruise' | 'land' | 'done' | 'return' | 'refused';

const LEVEL: Record<BatteryWarning, number> = { none: 0, low: 1, critical: 2, emergency: 3 };

export abstract class AutopilotAgent implements Agent<MultirotorCommand> {
  readonly rateHz: number;
  protected readonly stack: FlightStack;
  protected estimator = new Estimator();
  protected phase: MissionPhase = 'takeoff';
  /** Index of the waypoint flown to. */
  protected next = 0;
  private lastT = NaN;
  private readonly cmd: MultirotorCommand;
  /** The battery failsafe's action, once triggered (it overrides `guide` from then on). */
  private failsafe: 'return' | 'land' | null = null;
  private failsafeAt = NaN;
  private worstWarning: BatteryWarning = 'none';
  /** The subclass flies the return itself (beginReturn said so): guideReturn runs each tick instead of the stack's return mode. */
  private customReturn = false;
  /** The battery sensor's last remaining charge (0..1; NaN: no battery sensor read), for explain(). */
  private xBatteryRemaining = NaN;

  constructor(readonly base: AutopilotParams) {
    this.rateHz = base.controlHz;
    const airframe = airframeByName(base.airframe);
    this.stack = new FlightStack(airframe, base.maxSpeedMps === undefined ? {} : { gains: { ...gainsFor(airframe), maxSpeedXyMps: base.maxSpeedMps } });
    this.cmd = { rotorRadPerS: this.stack.rotorRadPerS };
  }

  /** The mission phase and the index of the waypoint flown to (for tests and views). */
  get progress(): { phase: MissionPhase; waypoint: number } {
    return { phase: this.phase, waypoint: this.next };
  }

  /** The battery failsafe: the worst warning seen, and the action taken (null: none) and when. */
  get batteryFailsafe(): { warning: BatteryWarning; action: 'return' | 'land' | null; atS: number } {
    return { warning: this.worstWarning, action: this.failsafe, atS: this.failsafeAt };
  }

  reset(_ctx: AgentContext): void {
    this.estimator = new Estimator();
    this.phase = 'takeoff';
    this.next = 0;
    this.lastT = NaN;
    this.failsafe = null;
    this.failsafeAt = NaN;
    this.worstWarning = 'none';
    this.customReturn = false;
    this.xBatteryRemaining = NaN;
    this.stack.setMode({ kind: 'takeoff', altitudeM: this.base.waypoints[0]![2] });
  }

  /**
   * What the drone is doing and why, in plain words (teaching mode), from its
   * own estimate, mission and battery sensor: "taking off to 20 m", "flying to
   * waypoint 2 of 3: 41 m away at 7.9 m/s", "returning home: battery 14 %".
   * Null before the first tick. Subclasses say more (obstacles, zones, other
   * drones) and fall back on this.
   */
  explain(): string | null {
    if (Number.isNaN(this.lastT)) return null;
    const est = this.estimator.estimate;
    if (!est.valid) return 'waiting for a position fix (IMU, GNSS, barometer)';
    const pos = est.positionM, v = est.velocityMps;
    const speed = Math.hypot(v[0]!, v[1]!);
    const batt = Number.isNaN(this.xBatteryRemaining) ? '' : `battery ${Math.round(this.xBatteryRemaining * 100)} %`;
    if (this.failsafe === 'return') {
      const home = this.stack.homeM;
      const d = Math.hypot(pos[0]! - home[0]!, pos[1]! - home[1]!);
      return `returning home: ${batt || 'battery low'}${this.worstWarning !== 'none' ? ` (${this.worstWarning})` : ''}, ${d.toFixed(0)} m to go`;
    }
    if (this.failsafe === 'land') return `landing where it is: battery ${this.worstWarning}${batt ? ` (${batt})` : ''}`;
    const wps = this.base.waypoints;
    switch (this.phase) {
      case 'takeoff':
        return `taking off to ${wps[0]![2].toFixed(0)} m (at ${pos[2]!.toFixed(1)} m)`;
      case 'cruise': {
        const w = wps[Math.min(this.next, wps.length - 1)]!;
        const d = Math.hypot(w[0] - pos[0]!, w[1] - pos[1]!, w[2] - pos[2]!);
        return `flying to waypoint ${Math.min(this.next, wps.length - 1) + 1} of ${wps.length}: ${d.toFixed(0)} m away at ${speed.toFixed(1)} m/s${batt ? `, ${batt}` : ''}`;
      }
      case 'land':
        return `landing (${pos[2]!.toFixed(1)} m up)`;
      case 'done':
        return this.stack.armed ? 'mission complete: holding position' : 'mission complete: landed';
      case 'refused':
        return 'take-off refused';
      case 'return':
        return `returning home${batt ? `: ${batt}` : ''}`;
    }
  }

  act(obs: Observation, t: number): MultirotorCommand {
    const b = this.base, r = obs.sensors;
    const est = this.estimator.update({ imu: r[b.imu] as never, gnss: r[b.gnss] as never, baro: r[b.baro] as never }, t);
    const dt = Number.isNaN(this.lastT) ? 1 / this.rateHz : t - this.lastT;
    this.lastT = t;
    if (est.valid) {
      this.checkBattery(obs, t);
      if (this.failsafe === null) this.guide(est, obs, t);
      else if (this.failsafe === 'return' && this.customReturn) this.guideReturn(est, obs, t);
    }
    this.stack.update(est, t, Math.min(dt, 1 / 250));
    return this.cmd;
  }

  /**
   * PX4 commander's battery failsafe on the battery sensor's warning level:
   * latch the worst level; on reaching the action's levels, return or land.
   */
  private checkBattery(obs: Observation, t: number): void {
    const r = obs.sensors[this.base.batterySensor ?? 'battery'];
    const v = r?.value as BatterySample | null | undefined;
    if (!r || !r.healthy || !v) return;
    this.xBatteryRemaining = v.remaining;
    if (LEVEL[v.warning] > LEVEL[this.worstWarning]) this.worstWarning = v.warning;
    const level = LEVEL[this.worstWarning];
    const action = this.base.lowBatteryAction ?? 'return-low';
    if (action === 'warn' || this.phase === 'done' || !this.stack.armed) return;
    const [returnAt, landAt] = action === 'return-low' ? [1, 2] : action === 'return-critical' ? [2, 3] : [Infinity, 2];
    let want: 'return' | 'land' | null = null;
    if (level >= landAt) want = 'land';
    else if (level >= returnAt) want = 'return';
    else if (action !== 'land' && this.failsafe === null && this.returnTimeShort(v, t)) want = 'return';
    if (want === null || want === this.failsafe) return;
    // A return already on its final descent is a landing: nothing to escalate to.
    if (want === 'land' && this.failsafe === 'return' && (this.stack.returnPhase === 'land' || (this.customReturn && this.stack.mode === 'land'))) return;
    // A mission already landing keeps landing where it is.
    if (this.phase === 'land' && this.failsafe === null) { this.failsafe = 'land'; this.failsafeAt = t; return; }
    this.failsafe = want;
    this.failsafeAt = t;
    if (want === 'land') {
      this.phase = 'land';
      this.stack.setMode({ kind: 'land' });
    } else {
      this.phase = 'return';
      this.customReturn = this.beginReturn(t);
      if (this.customReturn) return;
      this.stack.setMode({
        kind: 'return',
        safeAltitudeM: this.base.returnAltitudeM ?? MODE_DEFAULTS.rtlAltitudeM,
        cruiseSpeedMps: this.base.cruiseSpeedMps ?? MODE_DEFAULTS.cruiseSpeedMps,
        ...(this.base.returnAcceptanceRadiusM !== undefined ? { acceptanceRadiusM: this.base.returnAcceptanceRadiusM } : {}),
      });
    }
  }

  /** The remaining flight time (to the land threshold) is no more than the safe return time (see the file header). */
  private returnTimeShort(v: BatterySample, t: number): boolean {
    const est = this.estimator.estimate;
    if (!est.valid || !(v.averageCurrentA > 0.1)) return false;
    const action = this.base.lowBatteryAction ?? 'return-low';
    const landAt = action === 'return-low' ? v.criticalThreshold : v.emergencyThreshold;
    const timeLeftS = (Math.max(0, v.remaining - landAt) * v.capacityAh * 3600) / v.averageCurrentA;
    const home = this.stack.homeM, p = est.positionM, d = MODE_DEFAULTS;
    const returnZ = home[2] + (this.base.returnAltitudeM ?? d.rtlAltitudeM);
    const rtlS = this.returnDistanceM(p, home, t) / (this.base.cruiseSpeedMps ?? d.cruiseSpeedMps)
      + Math.max(0, returnZ - p[2]) / d.takeoffClimbMps
      + (Math.max(returnZ, p[2]) - home[2]) / d.landDescentMps
      + d.landedTriggerS;
    const safeS = (this.base.rtlTimeFactor ?? RTL_TIME_DEFAULTS.factor) * rtlS + (this.base.rtlTimeMarginS ?? RTL_TIME_DEFAULTS.marginS);
    return timeLeftS <= safeS;
  }

  /**
   * Hook for the return to home (battery failsafe): return true to fly the
   * return yourself (`guideReturn` is then called each tick with a valid
   * estimate), false for the flight stack's straight `return` mode (the
   * default). uav-pilot routes the return round airspace zones here.
   */
  protected beginReturn(_t: number): boolean {
    return false;
  }

  /** Horizontal length of the way home, m, for the return-time estimate: the straight line unless the subclass's return takes another way. */
  protected returnDistanceM(p: readonly number[], home: readonly number[], _t: number): number {
    return Math.hypot(p[0]! - home[0]!, p[1]! - home[1]!);
  }

  /** Each tick of a return the subclass flies itself (see beginReturn). */
  protected guideReturn(_est: Readonly<StateEstimate>, _obs: Observation, _t: number): void {}

  /** Set the flight stack's mode for this tick (called only with a valid estimate). */
  protected abstract guide(est: Readonly<StateEstimate>, obs: Observation, t: number): void;
}
