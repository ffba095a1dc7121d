/**
 * `swarm`: one member of a UAV swarm (issue #4 section 6). Each member flies
 * its own mission (take off, then its waypoints, then hover at the last one)
 * and avoids the other members reciprocally with ORCA (./orca.ts: van den
 * Berg, Guy, Lin and Manocha 2011; RVO2), commanding the flight stack's
 * velocity mode.
 *
 * What it knows of its neighbours comes over the radio, never from ground
 * truth: every member broadcasts its own *estimated* position and velocity
 * (a `uav-state` message, vehicles/v2x/messages.ts) at 10 Hz through the
 * world's V2X radio, which applies range, latency and loss; each member reads
 * what it received through its `v2x` sensor and extrapolates every
 * neighbour's last state to the present at constant velocity (the message's
 * age is latency plus up to one broadcast period). A neighbour not heard for
 * `staleAfterS` is forgotten. The message also carries the velocity the
 * sender's autopilot is commanded to fly (its setpoint): ORCA builds its
 * half-planes from the agents' current velocities, which RVO2 takes to be the
 * velocities they chose last step; a multirotor reaches a new setpoint only
 * after its velocity loop, so every member uses the setpoints (its own and
 * its neighbours'), not the lagging estimates (`orcaVelocity`).
 *
 * ORCA runs in the member's flight plane (2D, horizontal), with the altitude
 * held at the mission's height by a P loop on the vertical velocity. Why not
 * 3D: passing above or below another multirotor puts one in the other's
 * downwash, which Crazyswarm models as a collision ellipsoid 2.5 times
 * taller than wide (Preiss, Hönig, Sukhatme and Ayanian, ICRA 2017; Hönig et
 * al., IEEE T-RO 2018), so vertical escapes would need far more room than
 * horizontal ones; and a planar swarm keeps the scenario's altitude layer.
 *
 * Minimum separation is a parameter (centre to centre). The ORCA radius of
 * each member is half of it plus an error budget (`separationMarginM`, see
 * its description): ORCA keeps the *believed* centres 2 r apart, and the true
 * centres differ from the believed ones by the estimation error, the
 * extrapolation error over the message age, and the flight stack's lag in
 * realising a new velocity (ORCA assumes it is instant).
 */
import type { AirspaceKnowledge } from '../../uav/airspace/knowledge.ts';
import type { Vec2 } from '../../uav/airspace/polygon.ts';
import type { Vec3 } from '../../sim/math.ts';
import { airspaceBufferM, planRoute, relevanceKey, relevantVolumes, RouteFollower } from '../uav/airspace-route.ts';
import { STOP_LAG_S } from '../uav/uav-pilot.ts';

/** Braking the member counts on near a zone, m/s^2 (uav-pilot's brakeMps2 default: PX4 MPC_ACC_HOR 3 m/s^2, halved). */
const SWARM_BRAKE_MPS2 = 1.5;
/** Position error allowed for round a zone, m (uav-pilot's gnssMarginM default) plus ORCA's bend of the route, 1 m (Skylane choice). */
const SWARM_POSITION_MARGIN_M = 2.5;
import { z } from 'zod';
import type { AgentContext, Observation } from '../../sim/agent.ts';
import type { Reading } from '../../sim/sensor.ts';
import type { V2xInbox } from '../../sim/sensors/v2x.ts';
import type { StateEstimate } from '../../uav/estimation/state-estimate.ts';
import { AIRFRAME_NAMES } from '../../uav/multirotor/airframes.ts';
import { UAV_STATE_RATE_HZ, type UavState } from '../../vehicles/v2x/messages.ts';
import type { V2xTransmitter } from '../../vehicles/v2x/v2x-service.ts';
import { AutopilotAgent } from '../uav/autopilot-agent.ts';
import { ORCA_DEFAULTS, orcaVelocity, type OrcaAgent } from './orca.ts';
import { REQUIREMENTS } from '../../seeds/requirements.ts';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const positive = () => finite().refine((x) => x > 0, { message: 'expected > 0' });
const point = z.tuple([finite(), finite(), finite()]);

/** Default minimum separation, centre to centre, m: the requirement catalogue's entry (seeds/requirements.ts). */
export const SWARM_MIN_SEPARATION_M = REQUIREMENTS['miit-2c-swarm-separation'].threshold;

export const swarmParams = z
  .object({
    airframe: z.enum(AIRFRAME_NAMES).default('iris').describe("the UAV's airframe (the flight stack's mixer needs it); must match the actor's"),
    waypoints: z.array(point).min(1).describe('[x, y, z] in the local ENU frame, m; the first sets the take-off height; the member hovers at the last'),
    cruiseSpeedMps: positive().default(3).describe('preferred speed towards the next waypoint, m/s (RVO2 Circle example: maxSpeed 2 m/s; PX4 MPC_XY_CRUISE 5 m/s; 3 m/s between the two, Skylane choice for a dense swarm)'),
    maxSpeedMps: positive().optional().describe(
      'ORCA speed limit, m/s; default: the cruise speed. Skylane choice, measured: with 1.5 x cruise (3 m/s) the 50-drone swap lost its separation (1.49 m, seed 1), ' +
        'its sidestep commands flipping at up to 3 m/s faster than the velocity loop follows; at the cruise speed it kept 1.67-1.72 m (seeds 1-2)',
    ),
    acceptanceRadiusM: positive().default(0.5).describe('a waypoint (other than the last) counts as reached within this, m'),
    approachGainPerS: positive().default(0.95).describe('preferred speed = this x distance near a waypoint, 1/s (PX4 MPC_XY_P 0.95)'),
    altitudeGainPerS: positive().default(1).describe('vertical velocity = this x height error, 1/s (PX4 MPC_Z_P 1.0)'),
    minSeparationM: positive().default(SWARM_MIN_SEPARATION_M).describe('minimum separation to every other member, centre to centre, m (default: seeds/requirements.ts miit-2c-swarm-separation)'),
    separationMarginM: finite().nonnegative().default(0.6).describe(
      'added to half the separation to make the ORCA radius, m: the error budget between believed and true centres. RTK GNSS estimate: 3 x 0.0085 m (u-blox ZED-F9P, sim/sensors/gnss.ts) per member, x2; ' +
      'extrapolation over a message age of <= 0.2 s (100 ms latency, 3GPP TS 22.185, + one 10 Hz period) at <= 3 m/s^2 (PX4 MPC_ACC_HOR): 0.5 a t^2 = 0.06 m per member, x2; ' +
      'velocity-tracking lag: a velocity change of up to 2 m/s realised over ~0.3 s (flight stack velocity loop) displaces ~0.3 m. Sum ~0.5 m; 0.6 m (Skylane budget, measured: ' +
      'with 0.5 m the 50-drone swap dipped to 1.43-1.44 m in 2 of 10 runs, seeds 1-5 on both backends; with 0.6 m seeds 4-7 kept >= 1.5 m on both)',
    ),
    timeHorizonS: positive().default(ORCA_DEFAULTS.timeHorizonS).describe('ORCA time horizon, s (RVO2 Circle example 10 s, scaled to drones: 5 s; agents/swarm/orca.ts)'),
    neighborDistM: positive().default(ORCA_DEFAULTS.neighborDistM).describe('neighbours farther than this are ignored, m (RVO2 Circle example: 15 m)'),
    maxNeighbors: z.number().int().positive().default(ORCA_DEFAULTS.maxNeighbors).describe('at most this many nearest neighbours, (RVO2 Circle example: 10)'),
    orcaVelocity: z
      .enum(['setpoint', 'estimate'])
      .default('setpoint')
      .describe(
        "the 'current velocity' ORCA builds its half-planes from, own and neighbours'. setpoint: the velocity last commanded (own) and broadcast (neighbours), as RVO2 does (Agent.cpp update(): velocity_ = newVelocity_); " +
          'estimate: the estimated velocity, which lags the setpoint by the velocity loop (~0.3 s), so the half-planes move as the drone catches up and the choice can flip-flop',
      ),
    stuckWindowS: positive().default(3).describe('deadlock check: every this many seconds, s (Skylane choice, see stuckProgressM)'),
    stuckProgressM: finite().nonnegative().default(0.5).describe(
      'a member that got less than this much closer to its waypoint over stuckWindowS is stuck in one of ORCA\'s local minima (e.g. behind two members hovering at their goals), m; ' +
        'it then detours for detourS. Skylane choice: a sidestep at 2 m/s still gains >1 m in 3 s, a deadlock gains ~0',
    ),
    detourS: positive().default(1.5).describe(
      'detour length, s: the preferred velocity turned 90 degrees towards the side with fewer neighbours (weighted by 1/distance), then straight again. ' +
        "RVO2's own examples break deadlocks by perturbing the preferred velocity (Blocks.cpp); this turn escapes a local minimum, which a perturbation does not. " +
        'Skylane choice, measured on uav/swarm-10-crossing seeds 1-10 (Rapier, 0.5 m margin): without detours seed 3 deadlocked; 3 s detours sent seed 6 round the outside of the ring, late; 1.5 s (3 m at 2 m/s) passed all ten',
    ),
    planHz: positive().default(20).describe('ORCA replanning rate, Hz (Skylane choice: twice the 10 Hz state messages, so each fresh message is used within 50 ms; RVO2 examples step at 4 Hz)'),
    broadcastHz: positive().default(UAV_STATE_RATE_HZ).describe('own-state broadcast rate, Hz (default 10: vehicles/v2x/messages.ts UAV_STATE_RATE_HZ)'),
    staleAfterS: positive().default(1).describe('a neighbour not heard for this long is forgotten, s (ten missed 10 Hz messages; Skylane choice)'),
    avoid: z.boolean().default(true).describe('false: fly the preferred velocity with no avoidance (a negative control); still broadcasts'),
    controlHz: finite().min(250).default(250).describe('control rate, Hz (>= 250: PX4 rate loop)'),
    imu: z.string().default('imu'),
    gnss: z.string().default('gnss'),
    baro: z.string().default('baro'),
    v2x: z.string().default('v2x').describe('the v2x sensor it reads its neighbours from'),
  })
  .strict();
export type SwarmParams = z.infer<typeof swarmParams>;

/** A neighbour as last heard: its message, and when it was received. */
interface Neighbour {
  id: string;
  msg: UavState;
}

export class SwarmAgent extends AutopilotAgent {
  private actorId = '';
  private readonly neighbours = new Map<string, Neighbour>();
  private lastInboxTime = NaN;
  private nextBroadcastT = 0;
  private nextPlanT = 0;
  private msgCnt = 0;
  private readonly vel: [number, number, number] = [0, 0, 0];
  private readonly self: OrcaAgent;
  private readonly others: OrcaAgent[] = [];
  private readonly res = { x: 0, y: 0 };
  private readonly maxSpeed: number;
  private readonly radiusM: number;
  private progressCheckT = NaN;
  private progressRefM = Infinity;
  private detourUntilT = -Infinity;
  private detourSign = 1;
  /** Detours started, for tests and views. */
  detours = 0;
  /** For explain(): the preferred and the ORCA velocity of the last plan, the nearest neighbour heard (id, m), the zones routed round. */
  private xPrefVx = 0;
  private xPrefVy = 0;
  private xNearId = '';
  private xNearM = Infinity;
  private xPlanT = NaN;
  private xZones = '';

  constructor(readonly p: SwarmParams, private readonly radio?: V2xTransmitter, private readonly airspace?: AirspaceKnowledge, private readonly authorisations: readonly string[] = []) {
    super(p);
    this.maxSpeed = p.maxSpeedMps ?? p.cruiseSpeedMps;
    this.radiusM = p.minSeparationM / 2 + p.separationMarginM;
    this.self = { x: 0, y: 0, vx: 0, vy: 0, radiusM: this.radiusM, maxSpeedMps: this.maxSpeed, prefVx: 0, prefVy: 0 };
  }

  /** The neighbours it currently believes in (id and last message), for tests and views. */
  get heard(): ReadonlyMap<string, Readonly<Neighbour>> {
    return this.neighbours;
  }

  override reset(ctx: AgentContext): void {
    super.reset(ctx);
    this.actorId = ctx.actorId;
    this.neighbours.clear();
    this.lastInboxTime = NaN;
    this.nextBroadcastT = 0;
    this.nextPlanT = 0;
    this.msgCnt = 0;
    this.vel[0] = this.vel[1] = this.vel[2] = 0;
    this.progressCheckT = NaN;
    this.progressRefM = Infinity;
    this.detourUntilT = -Infinity;
    this.detourSign = 1;
    this.detours = 0;
  }

  protected guide(est: Readonly<StateEstimate>, obs: Observation, t: number): void {
    this.broadcast(est, t);
    this.listen(obs, t);
    if (this.phase === 'takeoff') {
      if (!this.stack.reached) return;
      this.phase = 'cruise';
      this.next = Math.min(1, this.p.waypoints.length - 1);
    }
    if (t + 1e-9 < this.nextPlanT) return;
    this.nextPlanT = t + 1 / this.p.planHz;
    this.plan(est, t);
  }

  /** Own estimate out over the radio, at the broadcast rate. */
  private broadcast(est: Readonly<StateEstimate>, t: number): void {
    if (!this.radio || t + 1e-9 < this.nextBroadcastT) return;
    this.nextBroadcastT = t + 1 / this.p.broadcastHz;
    const pm = est.positionM, v = est.velocityMps;
    const sp = this.vel;
    this.radio.transmit(this.actorId, {
      type: 'uav-state', msgCnt: this.msgCnt, id: this.actorId, timeS: t,
      positionM: [pm[0], pm[1], pm[2]], velocityMps: [v[0], v[1], v[2]],
      ...(this.phase === 'takeoff' ? {} : { velocitySetpointMps: [sp[0], sp[1], sp[2]] as [number, number, number] }),
    }, t);
    this.msgCnt = (this.msgCnt + 1) % 128;
  }

  /** New messages of the v2x sensor into the neighbour table (each reading once); forget the stale. */
  private listen(obs: Observation, t: number): void {
    const r = obs.sensors[this.p.v2x] as Reading<V2xInbox<unknown, unknown, UavState>> | undefined;
    if (r && r.healthy && r.time !== this.lastInboxTime) {
      this.lastInboxTime = r.time;
      for (const m of r.value.uavStates ?? []) {
        if (m.id === this.actorId) continue;
        const had = this.neighbours.get(m.id);
        if (!had || m.timeS > had.msg.timeS) this.neighbours.set(m.id, { id: m.id, msg: m });
      }
    }
    for (const [id, n] of this.neighbours) if (t - n.msg.timeS > this.p.staleAfterS) this.neighbours.delete(id);
  }

  private zoneKey = '';
  private zoneRoute: RouteFollower | undefined;

  /**
   * The point to steer for on a route round the zones this member may not enter between here and `target`, at its
   * flight height; undefined when none is in the way (fly straight). The buffer is the member's stopping distance at
   * cruise speed (the uav-pilot rule, never under 5 m).
   */
  private zoneCarrot(pos: Readonly<Vec3>, target: Readonly<Vec3>, t: number): Vec2 | undefined {
    const k = this.airspace!;
    const vols = relevantVolumes(k, t, { untilS: t, loZ: Math.min(pos[2], target[2]), hiZ: Math.max(pos[2], target[2]), verticalMarginM: 5, authorisations: this.authorisations, minCruiseZ: 2 }).filter((v) => v.treatment === 'avoid');
    if (vols.length === 0) {
      this.zoneRoute = undefined;
      this.zoneKey = '';
      return undefined;
    }
    const key = `${this.next}|${relevanceKey(vols)}`;
    if (key !== this.zoneKey || !this.zoneRoute) {
      this.zoneKey = key;
      this.xZones = vols.map((v) => `${k.zones[v.zone]!.id} (${k.zones[v.zone]!.restriction})`).filter((z, i, a) => a.indexOf(z) === i).join(', ');
      const r = planRoute([pos[0], pos[1]], [target[0], target[1]], vols.map((v) => v.polygon), airspaceBufferM(this.p.cruiseSpeedMps, STOP_LAG_S, SWARM_BRAKE_MPS2, SWARM_POSITION_MARGIN_M));
      this.zoneRoute = r.ok ? new RouteFollower(r.path, 3) : undefined;
    }
    if (!this.zoneRoute) return undefined;
    this.zoneRoute.update(pos[0], pos[1]);
    return this.zoneRoute.carrot;
  }

  /** Preferred velocity to the waypoint, ORCA against the extrapolated neighbours, into velocity mode. */
  private plan(est: Readonly<StateEstimate>, t: number): void {
    const w = this.p.waypoints;
    const pos = est.positionM;
    let target = w[this.next]!;
    let dx = target[0] - pos[0], dy = target[1] - pos[1];
    let d = Math.hypot(dx, dy);
    if (this.next < w.length - 1 && d <= this.p.acceptanceRadiusM) {
      this.next++;
      target = w[this.next]!;
      dx = target[0] - pos[0];
      dy = target[1] - pos[1];
      d = Math.hypot(dx, dy);
    }
    if (this.next === w.length - 1 && d <= this.p.acceptanceRadiusM) this.phase = 'done';
    const speed = Math.min(this.p.cruiseSpeedMps, this.p.approachGainPerS * d);
    let ux = d > 1e-6 ? dx / d : 0, uy = d > 1e-6 ? dy / d : 0;
    // Restricted airspace: the preferred velocity follows a route round the zones the member may not enter
    // (the same planner and buffer rule as uav-pilot: agents/uav/airspace-route.ts), re-planned when the relevant set
    // or the waypoint changes; ORCA then only bends it locally.
    if (this.airspace) {
      const c = this.zoneCarrot(pos, target, t);
      if (c) {
        const cx = c[0] - pos[0], cy = c[1] - pos[1], cd = Math.hypot(cx, cy);
        if (cd > 1e-6) { ux = cx / cd; uy = cy / cd; }
      }
    }
    if (this.p.avoid) {
      this.checkProgress(d, ux, uy, pos, t);
      if (t < this.detourUntilT) {
        const sg = this.detourSign;
        [ux, uy] = [-sg * uy, sg * ux];
      }
    }
    const s = this.self;
    s.x = pos[0];
    s.y = pos[1];
    const useSetpoint = this.p.orcaVelocity === 'setpoint';
    s.vx = useSetpoint ? this.vel[0] : est.velocityMps[0];
    s.vy = useSetpoint ? this.vel[1] : est.velocityMps[1];
    s.prefVx = ux * speed;
    s.prefVy = uy * speed;
    let vx = s.prefVx, vy = s.prefVy;
    this.xPrefVx = vx;
    this.xPrefVy = vy;
    this.xPlanT = t;
    this.xNearM = Infinity;
    if (this.p.avoid) {
      const others = this.others;
      let k = 0;
      for (const n of this.neighbours.values()) {
        const m = n.msg;
        // Constant-velocity extrapolation over the message's age (latency + time since it was sent).
        const age = Math.max(0, t - m.timeS);
        const o = others[k] ?? (others[k] = { x: 0, y: 0, vx: 0, vy: 0, radiusM: 0, maxSpeedMps: 0, prefVx: 0, prefVy: 0 });
        o.x = m.positionM[0] + m.velocityMps[0] * age;
        o.y = m.positionM[1] + m.velocityMps[1] * age;
        const ov = useSetpoint && m.velocitySetpointMps ? m.velocitySetpointMps : m.velocityMps;
        o.vx = ov[0];
        o.vy = ov[1];
        // Members share the parameters: a neighbour's radius is taken equal to our own.
        o.radiusM = this.radiusM;
        const dn = Math.hypot(o.x - pos[0], o.y - pos[1]);
        if (dn < this.xNearM) {
          this.xNearM = dn;
          this.xNearId = n.id;
        }
        k++;
      }
      others.length = k;
      orcaVelocity(s, others, this.p, 1 / this.p.planHz, this.res);
      vx = this.res.x;
      vy = this.res.y;
    }
    this.vel[0] = vx;
    this.vel[1] = vy;
    // Vertical speed within +-1 m/s (PX4 MPC_Z_VEL_MAX_DN 1 m/s; the climb limit is larger, 3 m/s).
    this.vel[2] = Math.max(-1, Math.min(1, this.p.altitudeGainPerS * (target[2] - pos[2])));
    this.stack.setMode({ kind: 'velocity', velocityMps: this.vel });
  }

  /**
   * What the member does and why (teaching mode), from its own estimate and
   * the neighbours it heard over the radio: "giving way to uav-3 (1.9 m, heard
   * over V2X)", "detouring left: no progress towards the goal",
   * "re-routing round zone TMP-1 (PROHIBITED)". Null before the first tick.
   */
  override explain(): string | null {
    const base = super.explain();
    if (base === null || this.phase !== 'cruise' || Number.isNaN(this.xPlanT)) return base;
    const heard = this.neighbours.size;
    if (this.p.avoid && this.xPlanT < this.detourUntilT) return `detouring ${this.detourSign > 0 ? 'left' : 'right'}: no progress towards the goal for ${this.p.stuckWindowS} s, ${heard} neighbour${heard === 1 ? '' : 's'} heard`;
    const bend = Math.hypot(this.vel[0] - this.xPrefVx, this.vel[1] - this.xPrefVy);
    if (this.p.avoid && bend > 0.3 && this.xNearM < this.p.neighborDistM) {
      return `giving way to ${this.xNearId} (${this.xNearM.toFixed(1)} m, heard over V2X): ${Math.hypot(this.vel[0], this.vel[1]).toFixed(1)} m/s instead of ${Math.hypot(this.xPrefVx, this.xPrefVy).toFixed(1)} m/s straight on`;
    }
    if (this.zoneRoute) return `re-routing round zone ${this.xZones}: ${base}`;
    const near = Number.isFinite(this.xNearM) ? `; nearest ${this.xNearId} ${this.xNearM.toFixed(1)} m` : '';
    return `${base}${this.p.avoid ? '' : ' (avoidance off)'}, ${heard} neighbour${heard === 1 ? '' : 's'} heard${near}`;
  }

  /**
   * Deadlock escape: every stuckWindowS, if the member (not yet at its last
   * waypoint) got less than stuckProgressM closer to its waypoint, detour for
   * detourS towards the side of its goal direction (ux, uy) with fewer
   * neighbours, as it believes them.
   */
  private checkProgress(d: number, ux: number, uy: number, pos: Readonly<[number, number, number]>, t: number): void {
    if (Number.isNaN(this.progressCheckT)) {
      this.progressCheckT = t + this.p.stuckWindowS;
      this.progressRefM = d;
      return;
    }
    if (t < this.progressCheckT) return;
    const stuck = this.phase === 'cruise' && t >= this.detourUntilT && this.progressRefM - d < this.p.stuckProgressM;
    this.progressCheckT = t + this.p.stuckWindowS;
    this.progressRefM = d;
    if (!stuck) return;
    let left = 0, right = 0;
    for (const n of this.neighbours.values()) {
      const ox = n.msg.positionM[0] - pos[0], oy = n.msg.positionM[1] - pos[1];
      const r = Math.hypot(ox, oy);
      if (r < 1e-6 || r > this.p.neighborDistM) continue;
      if (ux * oy - uy * ox > 0) left += 1 / r;
      else right += 1 / r;
    }
    this.detourSign = left > right ? -1 : 1;
    this.detourUntilT = t + this.p.detourS;
    this.progressCheckT = this.detourUntilT + this.p.stuckWindowS;
    this.detours++;
  }
}
