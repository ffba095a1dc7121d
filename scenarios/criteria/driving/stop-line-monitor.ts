/**
 * Watches the ego cross the network's stop lines and charges the crossings
 * that break the rule of the line, after CARLA's RunningRedLightTest and
 * RunningStopTest:
 *
 * - A crossing is the ego's front bumper centre passing a stop line's road s,
 *   in the driving direction of a lane the line covers.
 * - Red light: the line's traffic lights that cover the crossing lane are
 *   read from their controller at the crossing time (`stateAt`). All red: a
 *   violation. None red: none. Mixed (a lane that both goes straight and
 *   turns): the movement decides, once the ego's centre lies on exactly one
 *   of the junction's connecting roads from this road; the light whose
 *   `connectionIds` hold that connection is the one that counts. A crossing
 *   still unresolved at the end of the run is not charged. Yellow is not red
 *   (CARLA charges red only).
 * - Stop sign: the ego must have stopped before crossing: speed below
 *   `STOP_SPEED_MPS` = 0.1 m/s (CARLA RunningStopTest SPEED_THRESHOLD) with
 *   its front within `STOP_PROXIMITY_M` = 4 m before the line (CARLA's
 *   PROXIMITY_THRESHOLD, Leaderboard 2.0), held for `MIN_STOP_S` = 0.5 s.
 *   CARLA accepts a single tick below the speed; the 0.5 s hold is Skylane's
 *   choice, so that braking through zero for one step or creeping below
 *   0.1 m/s is not a stop, while any deliberate halt is.
 *
 * Stop lines more than `NEAR_M` from the ego are skipped each tick. A
 * measuring part: `RedLightViolations`, `StopSignViolations` and
 * `DrivingScore` each own one.
 */
import type { TickSnapshot } from '../../../sim/snapshot.ts';
import type { World } from '../../../sim/world.ts';
import { newRoadPose } from '../../../vehicles/road/geometry.ts';
import { newLanePosition, type Road } from '../../../vehicles/road/road.ts';
import type { StopLineDescriptor } from '../../../vehicles/road/stop-line.ts';
import type { TrafficLightDescriptor } from '../../../vehicles/road/traffic-light.ts';
import { headingOf, speedOf, type DrivingContext } from './context.ts';

export interface StopLineViolation {
  kind: 'red-light' | 'stop-sign';
  time: number;
  stopLineId: string;
  /** The light that was red (red-light only). */
  lightId?: string;
}

interface Line {
  d: StopLineDescriptor;
  road: Road;
  x: number;
  y: number;
  lanes: ReadonlySet<number>;
  /** Signed distance of the ego front past the line in its lane's direction at the last tick (NaN: not on a covered lane). */
  prev: number;
  stillSince: number;
  stopped: boolean;
}

interface Pending {
  line: Line;
  time: number;
  /** Candidate lights and whether each was red at the crossing. */
  lights: { light: TrafficLightDescriptor; red: boolean }[];
}

const _pos = newLanePosition();
const _pose = newRoadPose();

export class StopLineMonitor {
  static readonly STOP_SPEED_MPS = 0.1;
  static readonly STOP_PROXIMITY_M = 4;
  static readonly MIN_STOP_S = 0.5;
  static readonly NEAR_M = 60;

  readonly violations: StopLineViolation[] = [];
  private readonly lines: Line[];
  private readonly lights = new Map<string, TrafficLightDescriptor>();
  private pending: Pending[] = [];
  private world!: World;

  constructor(private readonly ctx: DrivingContext) {
    const net = ctx.network;
    for (const l of net.trafficLights) this.lights.set(l.id, l);
    this.lines = net.stopLines.filter((d) => d.control.kind !== 'none').map((d) => {
      const road = net.road(d.roadId);
      road.referenceLine.poseAt(d.s, _pose);
      return { d, road, x: _pose.x, y: _pose.y, lanes: new Set(d.laneIds), prev: NaN, stillSince: NaN, stopped: false };
    });
  }

  attach(world: World): void {
    this.world = world;
  }

  count(kind: StopLineViolation['kind']): number {
    let n = 0;
    for (const v of this.violations) if (v.kind === kind) n++;
    return n;
  }

  observe(snap: TickSnapshot): void {
    const s = this.world.stateOf(this.ctx.egoId);
    if (!s.present) return;
    const yaw = headingOf(s);
    const half = this.ctx.egoFootprint.lengthM / 2;
    const fx = s.position[0] + half * Math.cos(yaw), fy = s.position[1] + half * Math.sin(yaw);
    const speed = speedOf(s);
    for (const line of this.lines) {
      if (Math.hypot(fx - line.x, fy - line.y) > StopLineMonitor.NEAR_M) {
        line.prev = NaN;
        continue;
      }
      const p = line.road.locate(fx, fy, _pos);
      const lane = p.laneId;
      if (!p.inRange || lane === undefined || !line.lanes.has(lane)) {
        line.prev = NaN;
        line.stillSince = NaN;
        continue;
      }
      // Right lanes (id < 0) are driven towards +s.
      const past = lane < 0 ? p.s - line.d.s : line.d.s - p.s;
      if (line.d.control.kind === 'stop-sign') this.watchStop(line, past, speed, snap.time);
      if (line.prev < 0 && past >= 0) this.crossed(line, lane, snap.time);
      line.prev = past;
    }
    if (this.pending.length) this.resolve(s.position[0], s.position[1]);
  }

  private watchStop(line: Line, past: number, speed: number, t: number): void {
    const near = past < 0 && past >= -StopLineMonitor.STOP_PROXIMITY_M;
    if (!near || speed >= StopLineMonitor.STOP_SPEED_MPS) {
      line.stillSince = NaN;
      return;
    }
    if (Number.isNaN(line.stillSince)) line.stillSince = t;
    if (t - line.stillSince >= StopLineMonitor.MIN_STOP_S - 1e-9) line.stopped = true;
  }

  private crossed(line: Line, lane: number, t: number): void {
    const control = line.d.control;
    if (control.kind === 'stop-sign') {
      if (!line.stopped) this.violations.push({ kind: 'stop-sign', time: t, stopLineId: line.d.id });
      line.stopped = false;
      line.stillSince = NaN;
      return;
    }
    if (control.kind !== 'traffic-light') return;
    const lights = control.trafficLightIds
      .map((id) => this.lights.get(id)!)
      .filter((l) => l.laneIds.includes(lane))
      .map((light) => ({ light, red: this.ctx.network.controller(light.controllerId).stateAt(light.signalGroup, t) === 'red' }));
    if (lights.length === 0) return;
    if (lights.every((l) => l.red)) this.violations.push({ kind: 'red-light', time: t, stopLineId: line.d.id, lightId: lights[0]!.light.id });
    else if (lights.some((l) => l.red)) this.pending.push({ line, time: t, lights });
  }

  /** Decide mixed crossings by the movement the ego has taken. */
  private resolve(x: number, y: number): void {
    const net = this.ctx.network;
    this.pending = this.pending.filter((p) => {
      const on: string[] = [];
      for (const j of net.junctions) {
        for (const c of j.connections) {
          if (c.incomingRoad !== p.line.d.roadId) continue;
          const lp = net.road(c.connectingRoad).locate(x, y, _pos);
          if (lp.inRange && lp.laneId !== undefined && lp.laneId !== 0) on.push(c.id);
        }
      }
      if (on.length !== 1) return true;
      const decisive = p.lights.find((l) => l.light.connectionIds.includes(on[0]!));
      if (decisive?.red) this.violations.push({ kind: 'red-light', time: p.time, stopLineId: p.line.d.id, lightId: decisive.light.id });
      return false;
    });
  }
}
