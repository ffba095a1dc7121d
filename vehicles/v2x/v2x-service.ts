/**
 * V2X in the world: the radio, the cars that broadcast BSMs, the roadside
 * units that broadcast SPaT for each signalised junction, and the inboxes the
 * `v2x` sensors read. A `WorldService`: the world ticks it every step after
 * the timeline and before sensing, so
 *
 *   1. the radio's clock moves to the step's time, releasing every copy whose
 *      latency has run out into its receiver's inbox;
 *   2. on BSM steps (10 Hz), each equipped car that is still in the world
 *      broadcasts a BSM built from its ground truth (plus its own GNSS error);
 *   3. on SPaT steps (10 Hz), each RSU broadcasts its junction's SPaT from the
 *      signal controllers (pure functions of time);
 *   4. a receiver whose v2x sensor is failed (timeline `sensor-fault`) has
 *      its inbox emptied: what reaches a dead radio is lost, not queued;
 *   5. the sensors, sampling next, drain their inboxes.
 *
 * Everything is simulation time and seeded streams: no wall clock, no rxjs
 * scheduler. Loss draws come from the radio's per-receiver streams under
 * 'v2x/radio', GNSS errors from 'v2x/bsm/<actor id>'. Same seed, same
 * messages, whatever the worker count.
 *
 * For the web app and reports: `links` lists this step's deliveries
 * (sender, receiver, kind), `links$` streams them, and
 * `V2xService.of(world)` finds the service of a built world.
 */
import { Subject } from 'rxjs';
import type { Actor } from '../../sim/actor.ts';
import type { Vec3 } from '../../sim/math.ts';
import { yawOf } from '../../sim/math.ts';
import type { BodyHandle } from '../../sim/physics/backend.ts';
import type { Rng } from '../../sim/rng.ts';
import type { V2xInbox, V2xInboxSource } from '../../sim/sensors/v2x.ts';
import type { ActorState, SimEvent } from '../../sim/snapshot.ts';
import { periodInSteps, type World, type WorldService } from '../../sim/world.ts';
import type { RoadNetwork } from '../road/road-network.ts';
import type { SignalState } from '../road/signal-controller.ts';
import { newRoadPose } from '../road/geometry.ts';
import { LineOfSight, nlosRangeM, RSU_ANTENNA_HEIGHT_M, VEHICLE_ANTENNA_HEIGHT_M } from './line-of-sight.ts';
import { BSM_RATE_HZ, SPAT_RATE_HZ, type Bsm, type MovementPhaseState, type SignalGroupState, type Spat, type UavState, type V2xMessage } from './messages.ts';
import { Radio, RADIO_DEFAULTS, type Delivery, type DistanceLoss, type RadioStats } from './radio.ts';

/**
 * A BSM sender's own position error: 1.5 m, 1 sigma, horizontal. SAE J2945/1
 * (2016), the on-board minimum performance requirements for V2V safety
 * communications, asks for horizontal position within 1.5 m (1 sigma); the
 * figure is taken from it as a typical equipped car's error, not the best
 * case (an RTK receiver does 100 times better; set it per actor).
 */
export const J2945_1_POSITION_SIGMA_M = 1.5;

/**
 * Correlation time of the BSM position error, s. GNSS errors (multipath,
 * atmosphere, orbit) drift over tens of seconds rather than jumping every
 * 100 ms; a first-order Gauss-Markov process with 60 s is Skylane's
 * assumption, so that averaging BSMs over a few seconds does not make the
 * error vanish.
 */
export const BSM_POSITION_CORRELATION_S = 60;

/**
 * Deceleration above which a car without a brake signal (the kinematic
 * traffic model) reports its brakes applied, m/s^2: above what rolling
 * resistance and engine drag give when coasting (order 0.3 to 0.5 m/s^2 for a
 * passenger car at urban speeds). Skylane's assumption. A `model: dynamic`
 * car reports its actual brake actuator instead.
 */
export const BRAKE_DECEL_THRESHOLD_MPS2 = 0.3;

/** The world's V2X setup, resolved from `world.v2x` (defaults filled in). */
export interface V2xConfig {
  enabled: boolean;
  rangeM: number;
  latencyS: number;
  loss: number | DistanceLoss;
  /** Raycast line of sight with the 3GPP NLOS range (see line-of-sight.ts), or off. */
  lineOfSight: false | { nlosRangeM: number };
  bsmRateHz: number;
  spatRateHz: number;
}

export function v2xConfig(p: Partial<Omit<V2xConfig, 'lineOfSight'>> & { lineOfSight?: boolean | { nlosRangeM?: number | undefined } | undefined } = {}): V2xConfig {
  const rangeM = p.rangeM ?? RADIO_DEFAULTS.rangeM;
  const los = p.lineOfSight;
  return {
    enabled: p.enabled ?? true,
    rangeM,
    latencyS: p.latencyS ?? RADIO_DEFAULTS.latencyS,
    loss: p.loss ?? RADIO_DEFAULTS.loss,
    lineOfSight: los === undefined || los === false ? false : { nlosRangeM: (los === true ? undefined : los.nlosRangeM) ?? nlosRangeM(rangeM) },
    bsmRateHz: p.bsmRateHz ?? BSM_RATE_HZ,
    spatRateHz: p.spatRateHz ?? SPAT_RATE_HZ,
  };
}

export interface BsmSenderOptions {
  /** Horizontal 1-sigma position error of the sender's GNSS, m (default J2945/1's 1.5 m; 0: exact). */
  positionSigmaM?: number;
  /** Correlation time of that error, s (default 60 s). */
  positionCorrelationS?: number;
  /** J2735 VehicleSize, m. */
  size: { widthM: number; lengthM: number };
  /** The actual service-brake state, when the car model has one (else judged from deceleration). */
  brakeApplied?: () => boolean;
}

/** One delivered copy, for drawing V2X links: who sent, who received, what, when. */
export interface V2xLink {
  senderId: string;
  receiverId: string;
  kind: 'bsm' | 'spat' | 'uav-state';
  sentAtS: number;
  /** Simulation time the copy reached the receiver's inbox, s. */
  deliveredAtS: number;
}

/** A roadside unit: broadcasts one junction's SPaT. */
export interface Rsu {
  /** Radio id: `rsu/<junction id>` (never an actor id: those have no '/'). */
  id: string;
  intersectionId: string;
  /** Antenna position (junction centre at mast height), m. */
  positionM: Vec3;
}

/** What an agent may send over the world's radio (given to it through `AgentEnv.v2x`). */
export interface V2xTransmitter {
  transmit(senderId: string, message: UavState, t: number): void;
}

interface BsmSender {
  id: string;
  /** Live ground truth (the world keeps it current). */
  state: Readonly<ActorState>;
  opts: BsmSenderOptions;
  rng: Rng;
  msgCnt: number;
  errX: number;
  errY: number;
  lastErrT: number;
  prevVel: Vec3;
}

interface RsuSlot extends Rsu {
  groups: { controller: ReturnType<RoadNetwork['controller']>; name: string; number: number }[];
}

const services = new WeakMap<World, V2xService>();

const PHASE_STATE: Record<SignalState, MovementPhaseState> = {
  // The intersection builder runs left turns in their own phase, so a green is protected.
  green: 'protected-Movement-Allowed',
  yellow: 'protected-clearance',
  red: 'stop-And-Remain',
};

export class V2xService implements WorldService, V2xInboxSource<Bsm, Spat>, V2xTransmitter {
  readonly radio: Radio<V2xMessage>;
  readonly config: V2xConfig;
  readonly rsus: readonly Rsu[];
  /** The deliveries of the latest step (cleared at the start of each step). */
  readonly links: V2xLink[] = [];
  /** Every delivery as it happens (synchronous). */
  readonly links$ = new Subject<V2xLink>();
  readonly lineOfSight: LineOfSight | undefined;

  private readonly senders: BsmSender[] = [];
  private readonly rsuSlots: RsuSlot[] = [];
  private readonly rsuById = new Map<string, RsuSlot>();
  private readonly receivers = new Map<string, string>(); // actor id -> v2x sensor name
  private readonly muted = new Set<string>();
  private readonly bsmPeriod: number;
  private readonly spatPeriod: number;
  private readonly dt: number;
  private readonly blockers = new Set<BodyHandle>();
  private started = false;
  private now = 0;

  constructor(
    private readonly world: World,
    config: V2xConfig,
    network: RoadNetwork | undefined,
  ) {
    this.config = config;
    this.dt = world.dt;
    this.bsmPeriod = periodInSteps(config.bsmRateHz, world.dt);
    this.spatPeriod = periodInSteps(config.spatRateHz, world.dt);
    const positionOf = (id: string): Readonly<Vec3> | undefined => {
      const rsu = this.rsuById.get(id);
      if (rsu) return rsu.positionM;
      if (!world.hasActor(id)) return undefined;
      const s = world.stateOf(id);
      return s.present ? s.position : undefined;
    };
    let linkCloses: ((a: string, b: string) => boolean) | undefined;
    if (config.lineOfSight) {
      // Filled at the first tick, once the builder has added every actor (see collectBlockers).
      const los = new LineOfSight(world.physics, this.blockers, config.lineOfSight.nlosRangeM);
      this.lineOfSight = los;
      const pa: Vec3 = [0, 0, 0], pb: Vec3 = [0, 0, 0];
      linkCloses = (a, b) => {
        const d = this.antennaOf(a, positionOf, pa) && this.antennaOf(b, positionOf, pb) ? Math.hypot(pa[0] - pb[0], pa[1] - pb[1]) : NaN;
        return Number.isNaN(d) ? false : los.closes(pa, pb, d);
      };
    }
    this.radio = new Radio<V2xMessage>({
      seed: world.seed,
      positionOf,
      rangeM: config.rangeM,
      latencyS: config.latencyS,
      loss: config.loss,
      streamName: 'v2x/radio',
      ...(linkCloses ? { linkCloses } : {}),
    });
    this.radio.delivered$.subscribe((d) => this.onDelivered(d));
    if (network) this.addRsus(network);
    this.rsus = this.rsuSlots.map(({ id, intersectionId, positionM }) => ({ id, intersectionId, positionM }));
    world.events$.subscribe((e) => this.onEvent(e));
    services.set(world, this);
    world.addService(this);
  }

  /** The V2X service of a built world, if its scenario has `world.v2x`. */
  static of(world: World): V2xService | undefined {
    return services.get(world);
  }

  /** False when the scenario switched V2X off (`enabled: false`): nothing is sent, readings are unhealthy. */
  get available(): boolean {
    return this.config.enabled;
  }

  get stats(): Readonly<RadioStats> {
    return this.radio.stats;
  }

  /** Make `actor` broadcast BSMs (it must already be in the world). */
  addBsmSender(actor: Actor, opts: BsmSenderOptions): void {
    if (this.senders.some((s) => s.id === actor.id)) throw new Error(`v2x: '${actor.id}' already broadcasts BSMs`);
    const state = this.world.stateOf(actor.id);
    const rng = this.world.rng(`v2x/bsm/${actor.id}`);
    const sigma = opts.positionSigmaM ?? J2945_1_POSITION_SIGMA_M;
    // Start from the stationary distribution: the error is already there at t = 0.
    this.senders.push({
      id: actor.id, state, opts, rng, msgCnt: 0,
      errX: rng.normal(0, sigma), errY: rng.normal(0, sigma), lastErrT: 0,
      prevVel: [state.linearVelocity[0], state.linearVelocity[1], state.linearVelocity[2]],
    });
  }

  /** Give `actorId` an inbox, read by its v2x sensor `sensorName`. */
  addReceiver(actorId: string, sensorName: string): void {
    if (this.receivers.has(actorId)) throw new Error(`v2x: actor '${actorId}' already has a v2x sensor ('${this.receivers.get(actorId)}')`);
    this.receivers.set(actorId, sensorName);
    this.radio.addReceiver(actorId);
  }

  tick(t: number, k: number): void {
    this.links.length = 0;
    this.now = t;
    if (!this.started) this.start();
    if (!this.config.enabled) return;
    this.radio.advance(t);
    if (k % this.bsmPeriod === 0) {
      for (let i = 0; i < this.senders.length; i++) {
        const s = this.senders[i]!;
        if (s.state.present) this.radio.send(s.id, this.bsmOf(s, t), t);
      }
    }
    if (k % this.spatPeriod === 0) for (const r of this.rsuSlots) this.radio.send(r.id, this.spatOf(r, t), t);
    if (this.muted.size > 0) for (const id of this.muted) this.radio.drain(id, t);
    for (let i = 0; i < this.senders.length; i++) {
      const s = this.senders[i]!;
      s.prevVel[0] = s.state.linearVelocity[0];
      s.prevVel[1] = s.state.linearVelocity[1];
      s.prevVel[2] = s.state.linearVelocity[2];
    }
  }

  /**
   * Broadcast a message an agent composed (a drone's own state estimate) at
   * time t: the same radio (range, loss, latency) as the BSMs. Dropped when
   * the world's V2X is off, or while the sender's own v2x sensor is failed
   * (a dead radio neither hears nor transmits).
   */
  transmit(senderId: string, message: UavState, t: number): void {
    if (!this.config.enabled || this.muted.has(senderId)) return;
    this.radio.send(senderId, message, t);
  }

  drainInto(receiverId: string, t: number, out: V2xInbox<Bsm, Spat, UavState>): void {
    out.bsms.length = 0;
    out.spats.length = 0;
    if (!this.config.enabled) return;
    const ds = this.radio.drain(receiverId, t);
    for (let i = 0; i < ds.length; i++) {
      const m = ds[i]!.message;
      if (m.type === 'bsm') out.bsms.push(m);
      else if (m.type === 'spat') out.spats.push(m);
      else (out.uavStates ??= []).push(m);
    }
  }

  dispose(): void {
    this.radio.dispose();
    this.links$.complete();
  }

  /**
   * At the first tick: buildings are the world's static actors other than
   * terrain (obstacle boxes, walls, scattered obstacles), as built.
   */
  private start(): void {
    this.started = true;
    if (!this.config.lineOfSight) return;
    for (const a of this.world.actors()) if (a.descriptor.isStatic && !a.descriptor.isTerrain) for (const b of a.bodies) this.blockers.add(b);
  }

  /** The BSM core data of sender `s` at time t, from its ground truth. */
  private bsmOf(s: BsmSender, t: number): Bsm {
    const st = s.state;
    const yaw = yawOf(st.rotation);
    const c = Math.cos(yaw), sn = Math.sin(yaw);
    const v = st.linearVelocity;
    const vForward = v[0] * c + v[1] * sn;
    const dt = this.dt;
    const ax = (v[0] - s.prevVel[0]) / dt, ay = (v[1] - s.prevVel[1]) / dt, az = (v[2] - s.prevVel[2]) / dt;
    const longMps2 = ax * c + ay * sn;
    const latMps2 = -ax * sn + ay * c;
    // Gauss-Markov position error: e' = a e + sqrt(1 - a^2) sigma n, a = exp(-dt / tau).
    const sigma = s.opts.positionSigmaM ?? J2945_1_POSITION_SIGMA_M;
    if (sigma > 0 && t > s.lastErrT) {
      const a = Math.exp(-(t - s.lastErrT) / (s.opts.positionCorrelationS ?? BSM_POSITION_CORRELATION_S));
      const q = Math.sqrt(1 - a * a) * sigma;
      s.errX = a * s.errX + q * s.rng.normal();
      s.errY = a * s.errY + q * s.rng.normal();
      s.lastErrT = t;
    }
    const bsm: Bsm = {
      type: 'bsm',
      msgCnt: s.msgCnt,
      id: s.id,
      timeS: t,
      positionM: sigma > 0 ? [st.position[0] + s.errX, st.position[1] + s.errY, st.position[2]] : [st.position[0], st.position[1], st.position[2]],
      accuracy: { semiMajorM: sigma, semiMinorM: sigma, orientationRad: 0 },
      transmission: vForward < -0.01 ? 'reverseGears' : 'forwardGears',
      speedMps: Math.hypot(v[0], v[1]),
      headingRad: yaw,
      // The car models have no steering wheel (only a road-wheel angle): 0 stands for J2735's "unavailable".
      steeringWheelAngleRad: 0,
      accelSet: { longMps2, latMps2, vertMps2: az, yawRateRadPerS: st.angularVelocity[2] },
      brakes: {
        applied: s.opts.brakeApplied ? s.opts.brakeApplied() : longMps2 < -BRAKE_DECEL_THRESHOLD_MPS2,
        traction: 'unavailable', abs: 'unavailable', scs: 'unavailable', brakeBoost: 'unavailable', auxBrakes: 'unavailable',
      },
      size: { widthM: s.opts.size.widthM, lengthM: s.opts.size.lengthM },
    };
    s.msgCnt = (s.msgCnt + 1) % 128;
    return bsm;
  }

  private spatOf(r: RsuSlot, t: number): Spat {
    const states: SignalGroupState[] = [];
    for (const g of r.groups) {
      const end = t + g.controller.timeToChange(g.name, t);
      states.push({
        signalGroup: g.number,
        signalGroupName: g.name,
        eventState: PHASE_STATE[g.controller.stateAt(g.name, t)],
        // A fixed-time controller knows its next change exactly: min, max and likely coincide.
        minEndTimeS: end,
        maxEndTimeS: end,
        likelyTimeS: end,
      });
    }
    // revision stays 0: a fixed-time plan never changes.
    return { type: 'spat', intersectionId: r.intersectionId, revision: 0, timeS: t, states };
  }

  /**
   * One RSU per junction with signal controllers, at the mean of its traffic
   * lights' stop-line positions (the junction centre for a symmetric
   * crossing), mast height. Signal groups are numbered 1, 2, ... in the order
   * of the junction's controllers and their groups (J2735 SignalGroupID).
   */
  private addRsus(network: RoadNetwork): void {
    const pose = newRoadPose();
    for (const j of network.junctions) {
      const ctrlIds = j.controllers ?? [];
      if (ctrlIds.length === 0) continue;
      let x = 0, y = 0, n = 0;
      for (const tl of network.trafficLights) {
        if (!ctrlIds.includes(tl.controllerId)) continue;
        const road = network.road(tl.roadId);
        road.laneCenterAt(road.sectionIndexAt(tl.s), tl.laneIds[0]!, tl.s, pose);
        x += pose.x;
        y += pose.y;
        n++;
      }
      if (n === 0) continue; // no light to place the RSU by: the junction's signals are not broadcast
      const groups: RsuSlot['groups'] = [];
      for (const cid of ctrlIds) {
        const controller = network.controller(cid);
        for (const name of controller.signalGroups) groups.push({ controller, name, number: groups.length + 1 });
      }
      const slot: RsuSlot = { id: `rsu/${j.id}`, intersectionId: j.id, positionM: [x / n, y / n, RSU_ANTENNA_HEIGHT_M], groups };
      this.rsuSlots.push(slot);
      this.rsuById.set(slot.id, slot);
    }
  }

  /** Antenna position of a radio id into `out` (vehicles at roof height, RSUs at mast height); false if it has none. */
  private antennaOf(id: string, positionOf: (id: string) => Readonly<Vec3> | undefined, out: Vec3): boolean {
    const p = positionOf(id);
    if (!p) return false;
    out[0] = p[0];
    out[1] = p[1];
    out[2] = this.rsuById.has(id) ? RSU_ANTENNA_HEIGHT_M : VEHICLE_ANTENNA_HEIGHT_M;
    return true;
  }

  private onDelivered(d: Delivery<V2xMessage>): void {
    if (this.muted.has(d.receiverId)) return;
    const link: V2xLink = { senderId: d.senderId, receiverId: d.receiverId, kind: d.message.type, sentAtS: d.sentAtS, deliveredAtS: this.now };
    this.links.push(link);
    this.links$.next(link);
  }

  private onEvent(e: SimEvent): void {
    if (e.type !== 'fault' || this.receivers.get(e.actor) !== e.target) return;
    if (e.detail === 'sensor failed') this.muted.add(e.actor);
    else this.muted.delete(e.actor);
  }
}
