/**
 * The NPC driver: drives one kinematic-bicycle car (`KinematicBicycle`) along
 * the lane graph, with
 * - IDM car following (./idm.ts) behind the leader found in the `LaneIndex`,
 *   its desired speed capped by the lane's speed limit; an optional stop point
 *   (a red light's stop line) and a dead end of the lane graph act as virtual
 *   standing leaders;
 * - MOBIL lane changes (./mobil.ts), with the IDM accelerations of the car
 *   itself and of its old and new followers, a minimum time between changes
 *   and a lane change of finite duration;
 * - pure-pursuit lateral control towards the target lane's centre line;
 * - traffic-signal compliance (./signal-compliance.ts) when given the road
 *   network's signals: on red, or on a yellow it can stop for comfortably,
 *   the governing stop line becomes its `signalStop`, released on green.
 *
 * It is traffic, part of the world, not a system under test, so it reads
 * ground truth (through the `LaneIndex`), as CARLA's Traffic Manager does. It
 * is an `Agent` in form only, so that the world's decide step runs it and
 * holds its command between ticks; its observation is ignored.
 *
 * Pure pursuit: R. C. Coulter, "Implementation of the Pure Pursuit Path
 * Tracking Algorithm", CMU-RI-TR-92-01, 1992: steer the rear axle on the arc
 * through a goal point on the path at lookahead distance l_d,
 *   curvature = 2 sin(alpha) / l_d,  delta = atan(L * curvature),
 * alpha the bearing of the goal point from the heading. The lookahead grows
 * with speed, l_d = clamp(k v, l_min, l_max), as in J. M. Snider, "Automatic
 * Steering Methods for Autonomous Automobile Path Tracking", CMU-RI-TR-09-08,
 * 2009, sec. 2.2. Linearised about a straight path this gives lateral error
 * dynamics with natural frequency sqrt(2) v / l_d and damping 1/sqrt(2), so
 * with l_d = k v the error settles in a few k seconds at every speed.
 *
 * Lane changes blend the pursued point from the old lane's centre line to the
 * new one's over the change's duration: a minimum-jerk (quintic) profile
 * 10 tau^3 - 15 tau^4 + 6 tau^5 for MOBIL changes (the polynomial lane-change
 * path of W. Nelson, "Continuous-curvature paths for autonomous vehicles",
 * ICRA 1989; M. Werling et al., "Optimal trajectory generation for dynamic
 * street scenarios in a Frenet frame", ICRA 2010), or a linear ramp (constant
 * lateral speed) for scripted cut-ins and cut-outs, whose lateral speed is a
 * test parameter. The weight follows the clock from the start of the change:
 * the pursued point, l_d ahead, traces the profile as a path that begins l_d
 * ahead of where the change was decided, so the goal never jumps sideways (a
 * weight taken at the time the car reaches the point would jump by l_d / (v T)
 * of the lane change at its start, and overshoot the lateral speed).
 *
 * Scripted behaviours for test scenarios (cut-in, cut-out, lead braking,
 * constant speed) are small strategies (`NpcBehaviour`) that set the driver's
 * controls each tick before it decides; see the factories at the end.
 *
 * The per-tick path allocates nothing: results go to preallocated scratch.
 */
import type { Agent, AgentContext, Observation } from '../../sim/agent.ts';
import type { ActorState } from '../../sim/snapshot.ts';
import type { BicycleCommand } from '../car/kinematic-bicycle.ts';
import type { CarParams } from '../car/params.ts';
import { newRoadPose } from '../road/geometry.ts';
import type { LaneRef } from '../road/lane-graph.ts';
import { newLanePosition } from '../road/road.ts';
import { IDM_HIGHWAY, idmAccel, idmDesiredGap, validateIdmParams, type IdmParams } from './idm.ts';
import { newLaneNeighbor, type LaneIndex } from './lane-index.ts';
import { signalDecision, SignalMap, signalStateFor, type LaneStopLine, type SignalNetwork } from './signal-compliance.ts';
import { JunctionCompliance, JunctionRules } from './junction-rules.ts';
import { MOBIL_DEFAULT, mobilDecide, validateMobilParams, type LaneChangeDirection, type MobilAccelerations, type MobilDecision, type MobilParams } from './mobil.ts';

export interface NpcDriverParams {
  idm: IdmParams;
  mobil: MobilParams;
  /** k of the speed-scheduled pure-pursuit lookahead l_d = k v, s. */
  lookaheadTimeS: number;
  /** l_min, m: keeps the pursuit stable at low speed. */
  minLookaheadM: number;
  /** l_max, m. */
  maxLookaheadM: number;
  /** Duration of a MOBIL lane change, s. */
  laneChangeDurationS: number;
  /** Least time from the end of one lane change to the start of the next, s. */
  minTimeBetweenLaneChangesS: number;
  /** How far leaders and followers are searched for, m (centre to centre). */
  searchHorizonM: number;
  /** Decision rate, Hz (the command is held between ticks). */
  rateHz: number;
  /** Gain of the speed hold used by scripted behaviours, 1/s. */
  speedHoldGainPerS: number;
}

/**
 * Defaults. IDM: Treiber & Kesting 2013 highway set (IDM_HIGHWAY); MOBIL:
 * Treiber's parameter table (MOBIL_DEFAULT).
 * - Lookahead k = 1.0 s, l_min = 6 m, l_max = 60 m: Skylane's choice. k sets
 *   the settling time of the lateral error (see the file comment: a few
 *   seconds, smooth at highway speed); 6 m is a little over two wheelbases of a
 *   mid-size car, so the pursuit does not oscillate when crawling.
 * - Lane-change duration 4.6 s: the mean duration measured by T. Toledo and
 *   D. Zohar, "Modeling Duration of Lane Changes", Transp. Res. Rec.
 *   1999:71-78, 2007 (NGSIM freeway data).
 * - 3 s between changes: Skylane's choice, against ping-pong changes when the
 *   MOBIL incentive flips as the gaps settle after a change.
 * - Search horizon 250 m, or twice the IDM desired gap to a standing obstacle,
 *   s*(v, v), if that is longer (480 m at 120 km/h): a leader first seen at the
 *   horizon adds at most a/4 of braking, so the command does not jump.
 * - 20 Hz: Skylane's choice, 5 physics steps at 100 Hz; IDM's ballistic update
 *   is accurate at this step (Treiber & Kanagaraj 2015 use 0.1-0.5 s).
 * - Speed-hold gain 2 /s: a 0.5 s time constant, about a driver's reaction time.
 */
export const NPC_DRIVER_DEFAULT: Readonly<NpcDriverParams> = Object.freeze({
  idm: IDM_HIGHWAY,
  mobil: MOBIL_DEFAULT,
  lookaheadTimeS: 1.0,
  minLookaheadM: 6,
  maxLookaheadM: 60,
  laneChangeDurationS: 4.6,
  minTimeBetweenLaneChangesS: 3,
  searchHorizonM: 250,
  rateHz: 20,
  speedHoldGainPerS: 2,
});

/** A point the driver must stop before, e.g. a red light's stop line. */
export interface StopPoint {
  roadId: string;
  s: number;
  /** Lanes it applies to; all when omitted. */
  laneIds?: readonly number[];
}

/** The car being driven: its id and the body geometry the driver needs. */
export interface DrivenCar {
  readonly id: string;
  readonly params: CarParams;
  readonly wheelbaseM: number;
  /** The model's own speed, if it has one (`KinematicBicycle.state`). */
  readonly state?: { readonly speedMps: number };
}

/** Where the driver finds its car's ground truth (a `World` satisfies it). */
export interface GroundTruthSource {
  stateOf(id: string): ActorState;
}

export interface NpcDriverOptions {
  index: LaneIndex;
  car: DrivenCar;
  truth: GroundTruthSource;
  params?: Partial<NpcDriverParams>;
  /** Preferred lanes at branches (e.g. a `LaneGraph.route` result's steps); otherwise the first successor. */
  route?: readonly LaneRef[];
  behaviour?: NpcBehaviour;
  /** The road network's signals (a `RoadNetwork`): the driver then stops for red and, when it can, yellow lights. */
  signals?: SignalNetwork;
}

/** A scripted behaviour: sets the driver's controls each tick, before it decides. */
export interface NpcBehaviour {
  update(driver: NpcDriver, timeS: number): void;
}

export type LaneChangeProfile = 'min-jerk' | 'linear';

export interface LaneChangeRequest {
  /** Duration of the change, s; or give `lateralSpeedMps`. */
  durationS?: number;
  /** Mean lateral speed, m/s: the duration is the centre-line separation over it. */
  lateralSpeedMps?: number;
  profile?: LaneChangeProfile;
}

const _pos = newLanePosition();
const _pose = newRoadPose();
const _loc = { roadIndex: 0, s: 0, t: 0 };

const clamp = (x: number, lo: number, hi: number) => (x > hi ? hi : x < lo ? lo : x);

export class NpcDriver implements Agent<BicycleCommand> {
  readonly rateHz: number;
  readonly index: LaneIndex;
  readonly car: DrivenCar;
  readonly params: Readonly<NpcDriverParams>;
  behaviour: NpcBehaviour | undefined;

  // Controls: set by behaviours (or a scenario) before each decision.
  /** MOBIL lane changes on or off. */
  mobilEnabled = true;
  /** Hold this speed (P control, leaders ignored) instead of following by IDM, m/s. */
  speedHoldMps: number | undefined = undefined;
  /** Command this acceleration outright (leaders ignored), m/s^2. */
  accelOverrideMps2: number | undefined = undefined;
  /** Drive this far left (+) or right (-) of the lane centre, m. */
  lateralOffsetM = 0;
  stopPoint: StopPoint | undefined = undefined;
  /** The stop line of a red (or yellow) light the driver is stopping for, set and released by the driver itself. */
  signalStop: StopPoint | undefined = undefined;

  private readonly truth: GroundTruthSource;
  private state: Readonly<ActorState> | undefined;
  private self = -1;
  private readonly routeNodes = new Set<number>();
  private readonly routeRefs: readonly LaneRef[];
  private readonly signals: SignalMap | undefined;
  /** The stop line the driver chose to go through on a yellow (held until green or passed). */
  private committedLine: LaneStopLine | undefined = undefined;
  private readonly halfLengthM: number;
  /** Live IDM parameters (v0 capped each tick) for this car and for the others it models. */
  private readonly idm: IdmParams;
  private readonly othersIdm: IdmParams;
  private readonly command: BicycleCommand = { accelMps2: 0, steeringRad: 0 };
  /** Stop signs and permitted left turns (./junction-rules.ts), when the network has them. */
  private readonly junctionRules: JunctionCompliance | undefined;

  // Lane state: the lane being driven (and the one being changed into), with road s on each.
  private node = -1;
  private s = 0;
  private target = -1;
  private targetS = 0;
  private lcStartS = 0;
  private lcDurationS = 1;
  private lcProfile: LaneChangeProfile = 'min-jerk';
  private lastChangeEndS = -Infinity;
  private speed = 0;
  private timeS = 0;
  /** Search distance of this tick, m. */
  private horizonM = 0;
  /** Road s found by the last `follow`. */
  private followS = 0;

  private readonly leaderNb = newLaneNeighbor();
  private readonly targetLeaderNb = newLaneNeighbor();
  private readonly scratchA = newLaneNeighbor();
  private readonly scratchB = newLaneNeighbor();
  private readonly scratchC = newLaneNeighbor();
  private readonly mobilAcc: MobilAccelerations = { selfBefore: 0, selfAfter: 0, oldFollowerBefore: 0, oldFollowerAfter: 0, newFollowerBefore: 0, newFollowerAfter: 0 };
  private readonly mobilOut: MobilDecision = { change: false, safe: false, incentiveMps2: 0, thresholdMps2: 0 };
  private readonly pA = { x: 0, y: 0 };
  private readonly pB = { x: 0, y: 0 };

  constructor(o: NpcDriverOptions) {
    const p: NpcDriverParams = { ...NPC_DRIVER_DEFAULT, ...o.params };
    validateIdmParams(p.idm);
    validateMobilParams(p.mobil);
    for (const k of ['lookaheadTimeS', 'minLookaheadM', 'maxLookaheadM', 'laneChangeDurationS', 'searchHorizonM', 'rateHz', 'speedHoldGainPerS'] as const) {
      if (!(p[k] > 0) || !Number.isFinite(p[k])) throw new RangeError(`NPC driver ${k} must be a positive finite number, got ${p[k]}`);
    }
    if (!(p.minTimeBetweenLaneChangesS >= 0)) throw new RangeError(`NPC driver minTimeBetweenLaneChangesS must be >= 0, got ${p.minTimeBetweenLaneChangesS}`);
    if (!(p.maxLookaheadM >= p.minLookaheadM)) throw new RangeError('NPC driver maxLookaheadM must be >= minLookaheadM');
    this.params = Object.freeze(p);
    this.rateHz = p.rateHz;
    this.index = o.index;
    this.car = o.car;
    this.truth = o.truth;
    this.behaviour = o.behaviour;
    this.routeRefs = o.route ?? [];
    this.signals = o.signals ? SignalMap.of(o.signals) : undefined;
    this.halfLengthM = 0.5 * o.car.params.bodyLengthM;
    this.idm = { ...p.idm };
    this.othersIdm = { ...p.idm };
    if (o.signals) {
      const rules = JunctionRules.of(o.index);
      if (rules.hasStopSigns || rules.hasPermittedLefts) this.junctionRules = new JunctionCompliance(rules, this.halfLengthM);
    }
  }

  /** The lane after lane-graph node `n` on this driver's way (route choice at a branch), or -1. */
  nextLaneNode(n: number): number {
    return this.nextNode(n);
  }

  // ------------------------------------------------------------ read-outs

  /** Tracking index of this car in the lane index (-1 before `reset`). */
  get selfIndex(): number {
    return this.self;
  }

  /** Lane-graph node of the lane being driven (the old lane during a change). */
  get laneNodeIndex(): number {
    return this.node;
  }

  /** Lane-graph node of the lane being changed into, or -1. */
  get targetLaneNodeIndex(): number {
    return this.target;
  }

  get isChangingLane(): boolean {
    return this.target >= 0;
  }

  /** Speed along the lane at the last tick, m/s. */
  get speedMps(): number {
    return this.speed;
  }

  /** Road s of the car's centre on its lane's road at the last tick. */
  get roadS(): number {
    return this.s;
  }

  /** The driver's last command (the object is reused). */
  get lastCommand(): Readonly<BicycleCommand> {
    return this.command;
  }

  /**
   * Longitudinal gap from another tracked vehicle to this car, bumper to
   * bumper, m: positive when this car is ahead of it in the driving direction.
   * NaN when the other is not located on this car's road in its direction.
   */
  gapAheadOf(otherIndex: number): number {
    const o = this.index.occupant(otherIndex);
    if (!o.located || o.roadIndex !== this.index.nodeRoad[this.node]) return NaN;
    const dir = this.index.node(this.node).direction;
    if (this.index.node(o.nodeIndex).direction !== dir) return NaN;
    return (this.s - o.s) * dir - this.halfLengthM - 0.5 * o.participant.lengthM;
  }

  // ------------------------------------------------------------ Agent

  reset(_ctx?: AgentContext): void {
    this.state = this.truth.stateOf(this.car.id);
    const known = this.index.indexOf(this.car.id);
    this.self = known >= 0 ? known : this.index.track({
      id: this.car.id, state: this.state, lengthM: this.car.params.bodyLengthM, widthM: this.car.params.bodyWidthM,
    }).index;
    const n = this.index.locate(this.state.position[0], this.state.position[1], -1, _loc);
    if (n < 0) throw new Error(`NPC '${this.car.id}': starts off every drivable lane at (${this.state.position[0]}, ${this.state.position[1]})`);
    this.node = n;
    this.s = _loc.s;
    this.target = -1;
    this.lastChangeEndS = -Infinity;
    this.signalStop = undefined;
    this.committedLine = undefined;
    this.routeNodes.clear();
    for (const r of this.routeRefs) {
      const rn = this.index.graph.node(r);
      if (!rn) throw new Error(`NPC '${this.car.id}': route lane ${r.roadId}/${r.sectionIndex}/${r.laneId} is not in the lane graph`);
      this.routeNodes.add(rn.index);
    }
  }

  act(_obs: Observation, t: number): BicycleCommand {
    return this.step(t);
  }

  /** One decision at simulation time `t`: returns the (reused) command. */
  step(t: number): BicycleCommand {
    if (!this.state) this.reset();
    this.index.refresh(t);
    this.timeS = t;
    const st = this.state!;
    const x = st.position[0], y = st.position[1];
    const q = st.rotation;
    const yaw = Math.atan2(2 * (q[3] * q[2] + q[0] * q[1]), 1 - 2 * (q[1] * q[1] + q[2] * q[2]));

    this.node = this.follow(this.node, x, y, this.s);
    this.s = this.followS;
    if (this.target >= 0) {
      this.target = this.follow(this.target, x, y, this.targetS);
      this.targetS = this.followS;
    }
    const me = this.index.occupant(this.self);
    // A kinematic model's own speed is its ground truth, and is right from
    // the first tick (the body's velocity is 0 until the first physics step).
    const model = this.car.state;
    this.speed = model ? model.speedMps * Math.cos(me.located ? me.relativeHeadingRad : 0)
      : me.located ? me.speedMps : Math.hypot(st.linearVelocity[0], st.linearVelocity[1]);
    if (this.target >= 0 && t - this.lcStartS >= this.lcDurationS) this.finishLaneChange();

    this.behaviour?.update(this, t);

    // Desired speed: the driver's own, capped by the lane's limit.
    const limit = this.speedLimit(this.node, this.s);
    this.idm.desiredSpeedMps = Math.min(this.params.idm.desiredSpeedMps, limit);
    this.othersIdm.desiredSpeedMps = Number.isFinite(limit) ? limit : this.params.idm.desiredSpeedMps;

    const v = this.speed;
    // Look at least twice the IDM's desired gap towards a standing obstacle
    // ahead: a leader first seen there adds at most a/4 of braking, so the
    // command never jumps when something comes into range.
    const H = Math.max(this.params.searchHorizonM, 2 * idmDesiredGap(v, v, this.idm));
    this.horizonM = H;
    this.index.leader(this.node, this.s, this.halfLengthM, this.self, H, this.leaderNb);
    const aLane = idmAccel(v, this.leaderNb.gapM, v - this.leaderNb.speedMps, this.idm);

    let accel: number;
    if (this.accelOverrideMps2 !== undefined) {
      accel = this.accelOverrideMps2;
    } else if (this.speedHoldMps !== undefined) {
      accel = clamp(this.params.speedHoldGainPerS * (this.speedHoldMps - v), -this.idm.maxDecelMps2, this.idm.maxAccelMps2);
    } else {
      accel = aLane;
      if (this.target >= 0) {
        // Mid-change the car is in both lanes: it follows the closer constraint.
        this.index.leader(this.target, this.targetS, this.halfLengthM, this.self, H, this.targetLeaderNb);
        accel = Math.min(accel, idmAccel(v, this.targetLeaderNb.gapM, v - this.targetLeaderNb.speedMps, this.idm));
      }
      let dStop = Math.min(this.distanceToStop(this.stopPoint, H), this.signals ? this.obeySignals(t, v, H) : Infinity);
      // Stop signs and permitted lefts: the line is a standing leader until the driver may go.
      if (this.junctionRules) dStop = Math.min(dStop, this.junctionRules.update(this, t, H));
      // A stop point or a dead end is a standing leader of zero length.
      if (dStop < Infinity) accel = Math.min(accel, idmAccel(v, dStop - this.halfLengthM, v, this.idm));
      if (this.mobilEnabled && this.target < 0 && t - this.lastChangeEndS >= this.params.minTimeBetweenLaneChangesS) {
        this.considerLaneChange(aLane);
      }
    }
    this.command.accelMps2 = accel;
    this.command.steeringRad = this.pursue(x, y, yaw, v);
    return this.command;
  }

  // ------------------------------------------------------------ lane changes

  /**
   * Start a change into the adjacent lane on the driver's `direction`. Returns
   * false (and does nothing) if there is no such lane, a change is already
   * under way, or the request is malformed.
   */
  changeLane(direction: LaneChangeDirection, req: LaneChangeRequest = {}): boolean {
    if (this.target >= 0 || this.node < 0) return false;
    const m = direction === 'left' ? this.index.leftOf[this.node]! : this.index.rightOf[this.node]!;
    if (m < 0) return false;
    let duration = req.durationS ?? this.params.laneChangeDurationS;
    if (req.lateralSpeedMps !== undefined) {
      if (!(req.lateralSpeedMps > 0)) return false;
      duration = Math.abs(this.centreT(m, this.s) - this.centreT(this.node, this.s)) / req.lateralSpeedMps;
    }
    if (!(duration > 0) || !Number.isFinite(duration)) return false;
    this.target = m;
    this.targetS = this.s;
    this.lcStartS = this.timeS;
    this.lcDurationS = duration;
    this.lcProfile = req.profile ?? 'min-jerk';
    return true;
  }

  private finishLaneChange(): void {
    this.node = this.target;
    this.s = this.targetS;
    this.target = -1;
    this.lastChangeEndS = this.timeS;
  }

  private considerLaneChange(aSelfBefore: number): void {
    const H = this.horizonM;
    const v = this.speed;
    const half = this.halfLengthM;
    const acc = this.mobilAcc;
    const leader = this.leaderNb;
    // Old follower: behind me now; after the change, behind my old leader.
    const oldF = this.index.follower(this.node, this.s, half, this.self, H, this.scratchA);
    let aoBefore = 0, aoAfter = 0;
    if (oldF.found) {
      const vo = oldF.speedMps;
      aoBefore = idmAccel(vo, oldF.gapM, vo - v, this.othersIdm);
      aoAfter = leader.found
        ? idmAccel(vo, oldF.distanceM + leader.distanceM - oldF.halfLengthM - leader.halfLengthM, vo - leader.speedMps, this.othersIdm)
        : idmAccel(vo, Infinity, 0, this.othersIdm);
    }
    let bestDir: LaneChangeDirection | undefined;
    let bestIncentive = -Infinity;
    for (let k = 0; k < 2; k++) {
      const dir: LaneChangeDirection = k === 0 ? 'left' : 'right';
      const m = k === 0 ? this.index.leftOf[this.node]! : this.index.rightOf[this.node]!;
      if (m < 0) continue;
      // Adjacent lanes of one section share the road s.
      const newL = this.index.leader(m, this.s, half, this.self, H, this.scratchB);
      const newF = this.index.follower(m, this.s, half, this.self, H, this.scratchC);
      acc.selfBefore = aSelfBefore;
      acc.selfAfter = idmAccel(v, newL.gapM, v - newL.speedMps, this.idm);
      acc.oldFollowerBefore = aoBefore;
      acc.oldFollowerAfter = aoAfter;
      acc.newFollowerBefore = 0;
      acc.newFollowerAfter = 0;
      if (newF.found) {
        const vn = newF.speedMps;
        acc.newFollowerBefore = newL.found
          ? idmAccel(vn, newF.distanceM + newL.distanceM - newF.halfLengthM - newL.halfLengthM, vn - newL.speedMps, this.othersIdm)
          : idmAccel(vn, Infinity, 0, this.othersIdm);
        acc.newFollowerAfter = idmAccel(vn, newF.gapM, vn - v, this.othersIdm);
      }
      const d = mobilDecide(acc, dir, this.params.mobil, this.mobilOut);
      if (d.change && d.incentiveMps2 > bestIncentive) {
        bestIncentive = d.incentiveMps2;
        bestDir = dir;
      }
    }
    if (bestDir) this.changeLane(bestDir);
  }

  // ------------------------------------------------------------ geometry

  /**
   * Keep a lane chain current: locate (x, y) on the lane's road and step on to
   * the next lane while the car is past the lane's end. Leaves the road s in
   * `followS` and returns the node. `sHint` (the last s) only warm-starts the
   * projection; it never changes the result.
   */
  private follow(nodeIndex: number, x: number, y: number, sHint: number): number {
    const me = this.index.occupant(this.self);
    let n = nodeIndex;
    for (let hop = 0; hop < 4; hop++) {
      const node = this.index.node(n);
      const r = this.index.nodeRoad[n]!;
      // The lane index placed this car from this same position this tick
      // (refresh); on the same road its s is what locate would return.
      if (me.located && me.roadIndex === r) {
        this.followS = me.s;
      } else {
        this.index.roads[r]!.locate(x, y, _pos, sHint);
        this.followS = _pos.s;
      }
      const past = node.direction > 0 ? this.followS >= node.sTo : this.followS <= node.sFrom;
      if (!past) break;
      const next = this.nextNode(n);
      if (next < 0) break;
      n = next;
    }
    return n;
  }

  /** The lane after `n`: the route's choice at a branch, else the first successor; -1 at a dead end. */
  private nextNode(n: number): number {
    const succ = this.index.successorsOf(n);
    if (succ.length === 0) return -1;
    if (succ.length > 1 && this.routeNodes.size > 0) {
      for (let k = 0; k < succ.length; k++) if (this.routeNodes.has(succ[k]!)) return succ[k]!;
    }
    return succ[0]!;
  }

  private speedLimit(n: number, s: number): number {
    const node = this.index.node(n);
    const road = this.index.roads[this.index.nodeRoad[n]!]!;
    return road.speedLimitAt(node.sectionIndex, node.laneId, s) ?? Infinity;
  }

  private centreT(n: number, s: number): number {
    const node = this.index.node(n);
    return this.index.roads[this.index.nodeRoad[n]!]!.laneCenterT(node.sectionIndex, node.laneId, s);
  }

  /**
   * Distance from the car's centre to the nearest stop point or dead end
   * ahead along its lanes within `horizonM`, m; Infinity if none.
   */
  private distanceToStop(sp: StopPoint | undefined, horizonM: number): number {
    let n = this.node;
    let node = this.index.node(n);
    let covered = node.direction > 0 ? -(this.s - node.sFrom) : -(node.sTo - this.s);
    for (let hop = 0; hop < 16 && covered < horizonM; hop++) {
      if (sp && node.roadId === sp.roadId && sp.s >= node.sFrom && sp.s <= node.sTo && (!sp.laneIds || sp.laneIds.includes(node.laneId))) {
        const d = covered + (node.direction > 0 ? sp.s - node.sFrom : node.sTo - sp.s);
        if (d >= 0) return d;
      }
      covered += node.lengthM;
      const next = this.nextNode(n);
      if (next < 0) return covered <= horizonM ? covered : Infinity;
      n = next;
      node = this.index.node(n);
    }
    return Infinity;
  }

  /**
   * Signal compliance: find the first light-governed stop line ahead whose
   * line the front bumper has not passed, decide stop or go
   * (`signalDecision`), set or release `signalStop`, and return the distance
   * from the car's centre to the line when stopping (else Infinity).
   */
  private obeySignals(t: number, v: number, horizonM: number): number {
    const map = this.signals!;
    let n = this.node;
    let node = this.index.node(n);
    let covered = node.direction > 0 ? -(this.s - node.sFrom) : -(node.sTo - this.s);
    let line: LaneStopLine | undefined;
    let d = Infinity;
    let next = -1;
    for (let hop = 0; hop < 16 && covered < horizonM && !line; hop++) {
      next = this.nextNode(n);
      const lines = map.linesOn(node.roadId, node.laneId);
      if (lines) {
        for (const l of lines) {
          if (!(l.s >= node.sFrom - 1e-9 && l.s <= node.sTo + 1e-9)) continue;
          const dl = covered + (node.direction > 0 ? l.s - node.sFrom : node.sTo - l.s);
          if (dl - this.halfLengthM >= 0 && dl < d) {
            d = dl;
            line = l;
          }
        }
      }
      if (line || next < 0) break;
      covered += node.lengthM;
      n = next;
      node = this.index.node(n);
    }
    if (!line || !(d < horizonM)) {
      this.signalStop = undefined;
      this.committedLine = undefined;
      return Infinity;
    }
    if (this.committedLine !== undefined && this.committedLine !== line) this.committedLine = undefined;
    const state = signalStateFor(line, next >= 0 ? this.index.node(next).roadId : undefined, t);
    if (state === 'green') this.committedLine = undefined;
    const decision = signalDecision(state, v, d - this.halfLengthM, this.committedLine === line);
    if (decision === 'go') {
      if (state === 'yellow') this.committedLine = line;
      this.signalStop = undefined;
      return Infinity;
    }
    if (this.signalStop?.roadId !== line.roadId || this.signalStop.s !== line.s) this.signalStop = { roadId: line.roadId, s: line.s, laneIds: [line.laneId] };
    return d;
  }

  /** The lane centre point `dist` ahead of road s on lane chain `n`, shifted `offset` to the driver's left. */
  private pointAhead(n: number, s: number, dist: number, offset: number, out: { x: number; y: number }): void {
    let node = this.index.node(n);
    let sNow = s;
    let left = dist;
    for (let hop = 0; hop < 16; hop++) {
      const rest = node.direction > 0 ? node.sTo - sNow : sNow - node.sFrom;
      const next = left > rest ? this.nextNode(node.index) : -1;
      if (next < 0) {
        // Inside this lane, or beyond a dead end: extend the centre line straight on.
        const take = Math.min(left, Math.max(rest, 0));
        const sAt = sNow + node.direction * take;
        const road = this.index.roads[this.index.nodeRoad[node.index]!]!;
        road.laneCenterAt(node.sectionIndex, node.laneId, sAt, _pose);
        const h = node.direction > 0 ? _pose.headingRad : _pose.headingRad + Math.PI;
        const extra = left - take;
        out.x = _pose.x + extra * Math.cos(h) - offset * Math.sin(h);
        out.y = _pose.y + extra * Math.sin(h) + offset * Math.cos(h);
        return;
      }
      left -= rest;
      node = this.index.node(next);
      sNow = node.direction > 0 ? node.sFrom : node.sTo;
    }
  }

  /** Pure-pursuit steering angle towards the (blended) target lane centre, rad. */
  private pursue(x: number, y: number, yaw: number, v: number): number {
    const p = this.params;
    const ld = clamp(p.lookaheadTimeS * v, p.minLookaheadM, p.maxLookaheadM);
    const b = this.car.params.cogToRearAxleM;
    const c = Math.cos(yaw), sn = Math.sin(yaw);
    const rx = x - b * c, ry = y - b * sn;
    // The goal point is l_d ahead of the rear axle, measured along the lane
    // from the centre's projection (which is b ahead of the axle).
    const ahead = Math.max(ld - b, 0.5);
    let gx: number, gy: number;
    this.pointAhead(this.node, this.s, ahead, this.lateralOffsetM, this.pA);
    if (this.target >= 0) {
      this.pointAhead(this.target, this.targetS, ahead, this.lateralOffsetM, this.pB);
      const tau = clamp((this.timeS - this.lcStartS) / this.lcDurationS, 0, 1);
      const w = this.lcProfile === 'linear' ? tau : tau * tau * tau * (10 - 15 * tau + 6 * tau * tau);
      gx = this.pA.x + w * (this.pB.x - this.pA.x);
      gy = this.pA.y + w * (this.pB.y - this.pA.y);
    } else {
      gx = this.pA.x;
      gy = this.pA.y;
    }
    const dx = gx - rx, dy = gy - ry;
    const dist = Math.hypot(dx, dy);
    if (!(dist > 1e-6)) return 0;
    // Bearing of the goal in the body frame: sin(alpha) = lateral / distance.
    const lateral = -sn * dx + c * dy;
    const forward = c * dx + sn * dy;
    // A goal behind the axle (never in normal driving) would flip the arc: steer hard towards it instead.
    const sinAlpha = forward > 0 ? lateral / dist : Math.sign(lateral) || 1;
    const delta = Math.atan((2 * this.car.wheelbaseM * sinAlpha) / dist);
    const max = this.car.params.maxSteerRad;
    return clamp(delta, -max, max);
  }
}

// ---------------------------------------------------------------- behaviours

export interface CutInParams {
  /** Id of the vehicle to cut in front of (tracked in the lane index). */
  targetActor: string;
  /** Bumper-to-bumper gap ahead of the target at which the cut-in starts, m. */
  gapM: number;
  /** Lateral speed of the manoeuvre (constant-speed ramp), m/s. */
  lateralSpeedMps: number;
  /** Speed held from the trigger on, m/s; default: the target's speed at the trigger. */
  speedAfterMps?: number;
}

/**
 * Drive (IDM, no MOBIL) in a lane next to the target's; when the gap from the
 * target's front to this car's rear reaches `gapM` (from either side: the
 * cutter overtaking, or the target closing in), change into the target's lane
 * at the given lateral speed, holding the target's speed so the gap stays
 * near `gapM` through the manoeuvre.
 */
export function cutIn(p: CutInParams): NpcBehaviour & { readonly triggeredAtS: number | undefined } {
  if (!(p.gapM >= 0) || !(p.lateralSpeedMps > 0)) throw new RangeError('cutIn: gapM must be >= 0 and lateralSpeedMps > 0');
  let target = -1;
  let prevGap = NaN;
  let triggeredAtS: number | undefined;
  return {
    get triggeredAtS() {
      return triggeredAtS;
    },
    update(d, t) {
      d.mobilEnabled = false;
      if (triggeredAtS !== undefined) return;
      if (target < 0) target = d.index.indexOf(p.targetActor);
      if (target < 0) return;
      const o = d.index.occupant(target);
      const node = d.laneNodeIndex;
      const side: LaneChangeDirection | undefined = !o.located
        ? undefined
        : d.index.leftOf[node] === o.nodeIndex ? 'left' : d.index.rightOf[node] === o.nodeIndex ? 'right' : undefined;
      const gap = side ? d.gapAheadOf(target) : NaN;
      if (side && gap >= 0 && (gap - p.gapM) * (prevGap - p.gapM) <= 0) {
        if (d.changeLane(side, { lateralSpeedMps: p.lateralSpeedMps, profile: 'linear' })) {
          triggeredAtS = t;
          d.speedHoldMps = p.speedAfterMps ?? o.speedMps;
        }
      }
      prevGap = gap;
    },
  };
}

export interface LeadBrakeParams {
  /** Brake at this simulation time, s ... */
  triggerTimeS?: number;
  /** ... or when `targetActor` (behind) closes to this bumper-to-bumper gap, m. */
  triggerGapM?: number;
  targetActor?: string;
  /** Deceleration to brake at, to a standstill (positive), m/s^2. */
  decelMps2: number;
}

/** Follow the lane (IDM, no MOBIL) until the trigger, then brake at `decelMps2` to a stop. */
export function leadBrake(p: LeadBrakeParams): NpcBehaviour & { readonly triggeredAtS: number | undefined } {
  if (!(p.decelMps2 > 0)) throw new RangeError('leadBrake: decelMps2 must be > 0');
  if (p.triggerTimeS === undefined && p.triggerGapM === undefined) throw new RangeError('leadBrake: needs triggerTimeS or triggerGapM');
  if (p.triggerGapM !== undefined && p.targetActor === undefined) throw new RangeError('leadBrake: triggerGapM needs targetActor');
  let target = -1;
  let triggeredAtS: number | undefined;
  return {
    get triggeredAtS() {
      return triggeredAtS;
    },
    update(d, t) {
      d.mobilEnabled = false;
      if (triggeredAtS === undefined) {
        let fire = p.triggerTimeS !== undefined && t >= p.triggerTimeS - 1e-9;
        if (!fire && p.triggerGapM !== undefined) {
          if (target < 0) target = d.index.indexOf(p.targetActor!);
          fire = target >= 0 && d.gapAheadOf(target) <= p.triggerGapM;
        }
        if (fire) triggeredAtS = t;
      }
      if (triggeredAtS !== undefined) d.accelOverrideMps2 = -p.decelMps2;
    },
  };
}

export interface ConstantSpeedParams {
  speedMps: number;
  /** Offset from the lane centre, + to the driver's left, m. */
  lateralOffsetM?: number;
}

/** A test target: hold a speed (leaders ignored) at an offset in its lane, no lane changes. */
export function constantSpeed(p: ConstantSpeedParams): NpcBehaviour {
  if (!(p.speedMps >= 0)) throw new RangeError('constantSpeed: speedMps must be >= 0');
  return {
    update(d) {
      d.mobilEnabled = false;
      d.speedHoldMps = p.speedMps;
      d.lateralOffsetM = p.lateralOffsetM ?? 0;
    },
  };
}

export interface CutOutParams {
  /** Leave when the gap to the leader in this lane (the stopped car) falls to this, m ... */
  triggerGapM?: number;
  /** ... or at this simulation time, s. */
  triggerTimeS?: number;
  lateralSpeedMps: number;
  /** Side to leave to; default left if that lane exists, else right. */
  direction?: LaneChangeDirection;
  /** Speed held until the change is done, m/s; default the speed at the first tick. */
  speedMps?: number;
}

/**
 * Hold speed behind a (stopped) leader, ignoring it, then swerve into an
 * adjacent lane at the trigger, revealing it; IDM in the new lane afterwards.
 */
export function cutOut(p: CutOutParams): NpcBehaviour & { readonly triggeredAtS: number | undefined } {
  if (!(p.lateralSpeedMps > 0)) throw new RangeError('cutOut: lateralSpeedMps must be > 0');
  if (p.triggerGapM === undefined && p.triggerTimeS === undefined) throw new RangeError('cutOut: needs triggerGapM or triggerTimeS');
  const leader = newLaneNeighbor();
  let hold: number | undefined = p.speedMps;
  let triggeredAtS: number | undefined;
  let done = false;
  return {
    get triggeredAtS() {
      return triggeredAtS;
    },
    update(d, t) {
      d.mobilEnabled = false;
      if (done) return;
      if (hold === undefined) hold = d.speedMps;
      if (triggeredAtS === undefined) {
        d.speedHoldMps = hold;
        let fire = p.triggerTimeS !== undefined && t >= p.triggerTimeS - 1e-9;
        if (!fire && p.triggerGapM !== undefined) {
          const l = d.index.leader(d.laneNodeIndex, d.roadS, 0.5 * d.car.params.bodyLengthM, d.selfIndex, d.params.searchHorizonM, leader);
          fire = l.found && l.gapM <= p.triggerGapM;
        }
        if (fire) {
          const first = p.direction ?? (d.index.leftOf[d.laneNodeIndex]! >= 0 ? 'left' : 'right');
          if (d.changeLane(first, { lateralSpeedMps: p.lateralSpeedMps, profile: 'linear' })) triggeredAtS = t;
        }
      } else if (!d.isChangingLane) {
        d.speedHoldMps = undefined;
        done = true;
      }
    },
  };
}
