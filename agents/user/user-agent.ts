/**
 * A user agent (agents/user/contract.ts) as a Skylane `Agent`: the module is
 * transpiled (transpile.ts), loaded into a sandbox the caller chose
 * (sandbox.ts: Node or Worker), and called through JSON each tick; every
 * output is validated (validate.ts) and every failure becomes an exception
 * that the world turns into the `agent-error` event, hence the verdict
 * `error` with a reason naming the actor, the file, the time and the field.
 *
 * A car module drives a car directly. A drone module decides setpoints at
 * its own modest rate; the trusted autopilot (agents/uav/autopilot-agent.ts:
 * estimator + PX4-style flight stack at 250 Hz, take-off, battery failsafe)
 * flies them. Browser-safe.
 */
import type { Agent, AgentContext, Observation } from '../../sim/agent.ts';
import { yawOf } from '../../sim/math.ts';
import type { StateEstimate } from '../../uav/estimation/state-estimate.ts';
import { gainsFor } from '../../uav/flight-stack/gains.ts';
import { airframeByName } from '../../uav/multirotor/airframes.ts';
import type { CarCommand } from '../../vehicles/car/car.ts';
import { AutopilotAgent } from '../uav/autopilot-agent.ts';
import type { CarInput, CarLimits, DroneInput, DroneLimits, DroneOutput, InitContext, Json } from './contract.ts';
import { DEFAULT_AGENT_BUDGET_MS } from './reasons.ts';
import { AgentCallError, toGuestJson, type AgentDescription, type AgentSandbox, type SandboxFactory } from './sandbox.ts';
import { transpileAgent, type TranspileOptions } from './transpile.ts';
import { AgentOutputError, validateCarOutput, validateDroneOutput } from './validate.ts';

/** A user agent's source, as the runner receives it (structured-cloneable: the web worker gets it in a message). */
export interface UserAgentSource {
  /** The name shown in messages and reports (the path given to --agent, or the editor's file name). */
  file: string;
  source: string;
}

/** Bad user-agent input (found before the run): the CLI exits 2 with this message. */
export class UserAgentError extends Error {}

/** A loaded agent module in its sandbox. */
export interface LoadedUserAgent {
  file: string;
  sandbox: AgentSandbox;
  description: AgentDescription;
}

/** Largest drone decision rate, Hz: the setpoint layer, well under the autopilot's 250 Hz (Skylane choice). */
export const MAX_DRONE_AGENT_HZ = 50;

/**
 * PX4 MPC_YAWRAUTO_MAX, the auto modes' yaw rate limit: default 45 deg/s
 * (from memory of the PX4 parameter reference; not re-read).
 */
export const DRONE_MAX_YAW_RATE_RAD_PER_S = (45 * Math.PI) / 180;

/** Transpile and load one agent; throws UserAgentError naming the file (and line) on bad input. */
export function loadUserAgent(src: UserAgentSource, sandbox: SandboxFactory, budgetMs = DEFAULT_AGENT_BUDGET_MS, opts: TranspileOptions = {}): LoadedUserAgent {
  let sb: AgentSandbox | undefined;
  try {
    const t = transpileAgent(src.file, src.source, opts);
    sb = sandbox({ budgetMs });
    const d = sb.load(t.code, t.file) as AgentDescription & { hasStep?: boolean };
    const bad = (what: string) => new UserAgentError(`${src.file}: ${what}`);
    if (d.kind !== 'car' && d.kind !== 'uav') throw bad(`kind is ${JSON.stringify(d.kind)}: expected 'car' or 'uav'`);
    if (d.hasStep === false) throw bad('has no step(input) function');
    const maxHz = d.kind === 'uav' ? MAX_DRONE_AGENT_HZ : 1000;
    if (!(Number.isFinite(d.rateHz) && d.rateHz >= 1 && d.rateHz <= maxHz)) throw bad(`rateHz is ${d.rateHz}: expected 1..${maxHz} Hz`);
    return { file: src.file, sandbox: sb, description: d };
  } catch (err) {
    sb?.dispose();
    if (err instanceof UserAgentError) throw err;
    if (err instanceof AgentCallError) throw new UserAgentError(`${src.file}${err.failure.line ? `:${err.failure.line}:${err.failure.column ?? 0}` : ''}: ${err.failure.message}`);
    throw new UserAgentError(err instanceof Error ? err.message : String(err));
  }
}

/** The actor a user agent is to drive, as the scenario builds it. */
export interface UserAgentActor {
  id: string;
  kind: string;
  sensors: { name: string; type: string }[];
  /** The params of the scenario's built-in agent for this actor (drones take their waypoints from them). */
  params: Record<string, unknown>;
  /** The actor is scripted traffic (an NPC driver), not agent-driven. */
  scripted?: boolean;
  /** Multirotor airframe name (uav). */
  airframe?: string;
  /** The car's steering limit (car). */
  carLimits?: CarLimits;
}

/** Check that a loaded module fits the actor; throws UserAgentError naming the file and the actor. */
export function checkFit(a: LoadedUserAgent, actor: UserAgentActor): void {
  const d = a.description, where = `${a.file} (--agent ${actor.id})`;
  if (actor.scripted) throw new UserAgentError(`${where}: actor '${actor.id}' is scripted traffic (an NPC driver), not agent-driven`);
  if (actor.kind !== 'car' && actor.kind !== 'uav') throw new UserAgentError(`${where}: actor '${actor.id}' is a ${actor.kind}; user agents drive cars and UAVs`);
  if (d.kind !== actor.kind) throw new UserAgentError(`${where}: the module is a ${d.kind} agent (kind '${d.kind}') but actor '${actor.id}' is a ${actor.kind}`);
  const types = new Set(actor.sensors.map((s) => s.type));
  const need = [...d.requiredSensors, ...(actor.kind === 'uav' ? ['imu', 'gnss'] : [])];
  const missing = need.filter((t) => !types.has(t));
  if (missing.length) throw new UserAgentError(`${where}: actor '${actor.id}' has no ${missing.join(', ')} sensor, which the agent requires (it has: ${[...types].join(', ') || 'none'})`);
  if (actor.kind === 'uav') waypointsOf(actor, where);
}

function waypointsOf(actor: UserAgentActor, where: string): [number, number, number][] {
  const w = actor.params.waypoints;
  if (!Array.isArray(w) || w.length === 0 || !w.every((p) => Array.isArray(p) && p.length === 3 && p.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
    throw new UserAgentError(`${where}: actor '${actor.id}' has no mission waypoints: a user drone agent flies the waypoints of the scenario's agent params (agent.params.waypoints, [[x, y, z], ...])`);
  }
  return w as [number, number, number][];
}

function initContext(actor: UserAgentActor, mission: Record<string, unknown>): Omit<InitContext, 'random'> {
  return {
    actorId: actor.id,
    actorKind: actor.kind as 'car' | 'uav',
    mission: JSON.parse(toGuestJson(mission)) as Record<string, Json>,
    params: JSON.parse(toGuestJson(actor.params)) as Record<string, Json>,
    sensors: actor.sensors.map((s) => ({ name: s.name, type: s.type })),
  };
}

/** The failure of a call, as the world reports it (it prefixes "agent of '<id>' failed at t=<t> s: "). */
function failure(file: string, err: unknown): Error {
  if (err instanceof AgentOutputError) return new Error(`user agent ${file} ${err.message}`);
  if (err instanceof AgentCallError) return new Error(`user agent ${file}: ${err.message}`);
  return new Error(`user agent ${file}: ${err instanceof Error ? err.message : String(err)}`);
}

function seedOf(ctx: AgentContext): number {
  return Math.floor(ctx.rng.next() * 4294967296) >>> 0;
}

export class UserCarAgent implements Agent<CarCommand> {
  readonly rateHz: number;
  private mission: Record<string, unknown> = {};
  private readonly limits: CarLimits;
  private readonly v2xName: string | undefined;

  constructor(readonly loaded: LoadedUserAgent, readonly actor: UserAgentActor) {
    this.rateHz = loaded.description.rateHz;
    this.limits = actor.carLimits ?? { maxSteerRad: 0.5 };
    this.v2xName = actor.sensors.find((s) => s.type === 'v2x')?.name;
  }

  /** `init` runs at the first step, not in reset (which runs while the world is built): its failure is then the run's agent error. */
  private pendingInit: { ctxJson: string; seed: number } | null = null;

  reset(ctx: AgentContext): void {
    this.mission = { ...ctx.mission };
    this.pendingInit = { ctxJson: JSON.stringify(initContext(this.actor, this.mission)), seed: seedOf(ctx) };
  }

  act(obs: Observation, t: number): CarCommand {
    if (this.pendingInit) {
      const p = this.pendingInit;
      this.pendingInit = null;
      try {
        this.loaded.sandbox.init(p.ctxJson, p.seed);
      } catch (err) {
        throw failure(this.loaded.file, err);
      }
    }
    const input: Omit<CarInput, 'random'> = {
      time: t,
      sensors: obs.sensors as CarInput['sensors'],
      mission: this.mission as CarInput['mission'],
      limits: this.limits,
      v2x: this.v2xName ? ((obs.sensors[this.v2xName]?.value ?? null) as CarInput['v2x']) : null,
    };
    try {
      return validateCarOutput(this.loaded.sandbox.step(toGuestJson(input)), this.limits);
    } catch (err) {
      throw failure(this.loaded.file, err);
    }
  }
}

export class UserDroneAgent extends AutopilotAgent {
  private readonly user: LoadedUserAgent;
  private readonly actor: UserAgentActor;
  private readonly limits: DroneLimits;
  private readonly geoName: string | undefined;
  private nextCallT = 0;
  private lastSetpoint = '';
  private readonly waypoints: [number, number, number][];

  constructor(loaded: LoadedUserAgent, actor: UserAgentActor) {
    const where = `${loaded.file} (--agent ${actor.id})`;
    const waypoints = waypointsOf(actor, where);
    const byType = (t: string) => actor.sensors.find((s) => s.type === t)?.name;
    const p = actor.params;
    const airframe = actor.airframe ?? 'iris';
    super({
      airframe,
      waypoints,
      controlHz: 250, // PX4's rate loop: the flight stack refuses slower ticks (agents/uav/autopilot-agent.ts)
      imu: byType('imu') ?? 'imu',
      gnss: byType('gnss') ?? 'gnss',
      baro: byType('barometer') ?? 'baro',
      batterySensor: byType('battery') ?? 'battery',
      ...(typeof p.lowBatteryAction === 'string' ? { lowBatteryAction: p.lowBatteryAction as never } : {}),
      ...(typeof p.returnAltitudeM === 'number' ? { returnAltitudeM: p.returnAltitudeM } : {}),
      ...(typeof p.maxSpeedMps === 'number' ? { maxSpeedMps: p.maxSpeedMps } : {}),
    });
    this.user = loaded;
    this.actor = actor;
    this.waypoints = waypoints;
    const g = gainsFor(airframeByName(airframe));
    this.limits = {
      maxSpeedXyMps: typeof p.maxSpeedMps === 'number' ? p.maxSpeedMps : g.maxSpeedXyMps,
      maxClimbMps: g.maxClimbMps,
      maxDescentMps: g.maxDescentMps,
      maxYawRateRadPerS: DRONE_MAX_YAW_RATE_RAD_PER_S,
    };
    this.geoName = byType('geo-awareness');
  }

  /** `init` runs at the first tick, not in reset (which runs while the world is built): its failure is then the run's agent error. */
  private pendingInit: { ctxJson: string; seed: number } | null = null;

  override reset(ctx: AgentContext): void {
    super.reset(ctx);
    this.nextCallT = 0;
    this.lastSetpoint = '';
    this.pendingInit = { ctxJson: JSON.stringify(initContext(this.actor, { ...ctx.mission, waypoints: this.waypoints })), seed: seedOf(ctx) };
  }

  override act(obs: Observation, t: number): ReturnType<AutopilotAgent['act']> {
    if (this.pendingInit) {
      const p = this.pendingInit;
      this.pendingInit = null;
      try {
        this.user.sandbox.init(p.ctxJson, p.seed);
      } catch (err) {
        throw failure(this.user.file, err);
      }
    }
    return super.act(obs, t);
  }

  /** After the autopilot's take-off, the user's setpoint at its own rate (held in between). */
  protected guide(est: Readonly<StateEstimate>, obs: Observation, t: number): void {
    if (this.phase === 'takeoff') {
      if (!this.stack.reached) return;
      this.phase = 'cruise';
      this.nextCallT = t;
    }
    if (this.phase !== 'cruise' || t + 1e-9 < this.nextCallT) return;
    this.nextCallT += 1 / this.user.description.rateHz;
    const input: Omit<DroneInput, 'random'> = {
      time: t,
      sensors: obs.sensors as DroneInput['sensors'],
      mission: { waypoints: this.waypoints },
      estimate: {
        positionM: [...est.positionM] as [number, number, number],
        velocityMps: [...est.velocityMps] as [number, number, number],
        yawRad: yawOf(est.attitude),
        attitude: [...est.attitude] as [number, number, number, number],
      },
      homeM: [...this.stack.homeM] as [number, number, number],
      limits: this.limits,
      geoAwareness: this.geoName ? ((obs.sensors[this.geoName]?.value ?? null) as Json) : null,
    };
    let out: DroneOutput;
    try {
      out = validateDroneOutput(this.user.sandbox.step(toGuestJson(input)), this.limits);
    } catch (err) {
      throw failure(this.user.file, err);
    }
    const key = JSON.stringify(out);
    if (key === this.lastSetpoint) return;
    this.lastSetpoint = key;
    if ('velocityEnuMps' in out) this.stack.setMode({ kind: 'velocity', velocityMps: out.velocityEnuMps, yawRateRadPerS: out.yawRateRadPerS ?? 0 });
    else if ('positionEnuM' in out) this.stack.setMode({ kind: 'waypoint', positionM: out.positionEnuM, cruiseSpeedMps: out.speedMps ?? 3 });
    else if ('hold' in out) this.stack.setMode({ kind: 'hold', positionM: [...est.positionM] as [number, number, number] });
    else {
      this.phase = 'land';
      this.stack.setMode({ kind: 'land' });
    }
  }
}

/** The Agent for a loaded module on its actor (checkFit first). */
export function createUserAgent(loaded: LoadedUserAgent, actor: UserAgentActor): Agent {
  checkFit(loaded, actor);
  return loaded.description.kind === 'car' ? new UserCarAgent(loaded, actor) : new UserDroneAgent(loaded, actor);
}
