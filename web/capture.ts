/**
 * Capture: turns a live `Run` into the plain data the views draw
 * (web/sim-protocol.ts): one `ViewInit` when the run is built, then a
 * `ViewFrame` whenever the caller asks (the sim worker: at most ~60 per second
 * of wall time). Between frames it listens to every tick, so that what
 * happens per tick (events, gimbal error samples, sensor scans latched with
 * the pose they were taken from) is not lost however many steps a frame
 * spans.
 *
 * No DOM, no three: the sim worker, Node tests and a CLI recorder use it.
 * It only reads the run: capturing never changes a state hash.
 */
import type { Subscription } from 'rxjs';
import type { Run } from '../scenarios/runner.ts';
import { quatMulInto, rotateVec, wrapAngle, yawOf, type Pose, type Quat, type Vec3 } from '../sim/math.ts';
import type { Sensor } from '../sim/sensor.ts';
import type { Detection } from '../sim/sensors/object-list.ts';
import type { ActorState, SimEvent, TickSnapshot } from '../sim/snapshot.ts';
import type { Gimbal } from '../uav/gimbal/gimbal.ts';
import { gimbalOf } from '../uav/gimbal/service.ts';
import { airspaceOf, type AirspaceService } from '../uav/airspace/service.ts';
import { V2xService } from '../vehicles/v2x/v2x-service.ts';
import { LiveMetrics, type MetricSample } from '../scenarios/metrics/live.ts';
import { readAirspace } from './airspace-readout.ts';
import { DrivingReadout } from './driving-readout.ts';
import { plannedPolyline, type PlanSource } from './planned-path-data.ts';
import { beamDirections, hitPoints, isRadarReturn, isScan, radarAsScan, rayStride, ScanPoseLatch, type ScanLike, type ScanPose } from './scan-points.ts';
import {
  POSE_STRIDE, type ActorInit, type ActorLook, type AirspaceReadout, type CriterionRowData, type DetectionFrame, type DetectionListFrame, type FrameLayers, type GimbalPoseFrame,
  type GimbalSamples, type MarkerFrame, type ScanFrame, type ViewFrame, type ViewInit,
} from './sim-protocol.ts';
import { RecentV2xLinks } from './v2x-links.ts';

/** Sensor types the Rays overlay draws. */
export const DRAWN_SENSOR_TYPES: ReadonlySet<string> = new Set(['lidar-3d', 'range-ring', 'radar']);
/** Sensor types whose detected objects the Rays overlay draws (an object list: what the agent believes is around it). */
export const DETECTOR_SENSOR_TYPES: ReadonlySet<string> = new Set(['object-list']);
/** Most rays drawn per sensor (a VLP-16 scan has 28,800 beams: all of them would be a solid disc). */
export const MAX_RAYS_PER_SENSOR = 240;
/** Live metric samples per second of sim time (the recordings' rate, scenarios/record/format.ts DEFAULT_RECORD_HZ; quantised to whole steps). */
export const METRICS_HZ = 20;

/** What the capture reads of an actor beyond its descriptor (duck-typed: a dynamic Car, a Multirotor). */
interface LookSource {
  readonly brake?: unknown;
  readonly hazardLights?: unknown;
  readonly rotorSpeedsRadPerS?: ArrayLike<number>;
  readonly spins?: ArrayLike<number>;
  readonly windMps?: unknown;
}

interface ProgressSource {
  readonly progress?: { phase?: string; waypoint?: number; airspace?: { status: string; notes: string[] } };
}

interface ExplainSource {
  explain?: () => string | null;
}

interface ScanEntry {
  actorId: string;
  index: number;
  sensor: Sensor;
  latch: ScanPoseLatch;
  dirs: Float64Array | null;
  radar: { angles: Float64Array; ranges: Float64Array } | null;
  fresh: boolean;
}

interface DetectorEntry {
  actorId: string;
  index: number;
  sensor: Sensor;
  latch: ScanPoseLatch;
  fresh: boolean;
}

/** True for a reading value shaped like an object list (`{ detections: Detection[] }`). */
export function isObjectList(v: unknown): v is { detections: readonly Detection[] } {
  if (typeof v !== 'object' || v === null) return false;
  const d = (v as { detections?: unknown }).detections;
  return Array.isArray(d);
}

const _sensorO: Vec3 = [0, 0, 0];
const _sensorQ: Quat = [0, 0, 0, 1];
const _w: Vec3 = [0, 0, 0];

/**
 * An object-list reading's detections in the world: each box centre and
 * velocity rotated out of the sensor frame (mount composed with the actor's
 * pose when the reading was taken, the inverse of what the sensor applied),
 * its heading shifted by the sensor's yaw. Kind, size and track id are the
 * reading's, unchanged.
 */
export function detectionsToWorld(detections: readonly Detection[], mount: Pose, pose: ScanPose): DetectionFrame[] {
  const q = pose.rotation;
  rotateVec(q, mount.position, _sensorO);
  _sensorO[0] += pose.position[0];
  _sensorO[1] += pose.position[1];
  _sensorO[2] += pose.position[2];
  quatMulInto(q, mount.rotation, _sensorQ);
  const sensorYaw = yawOf(_sensorQ);
  const out: DetectionFrame[] = [];
  for (const d of detections) {
    rotateVec(_sensorQ, d.position, _w);
    const position: [number, number, number] = [_w[0] + _sensorO[0], _w[1] + _sensorO[1], _w[2] + _sensorO[2]];
    rotateVec(_sensorQ, d.velocity, _w);
    out.push({
      trackId: d.trackId,
      kind: d.kind,
      position,
      velocity: [_w[0], _w[1], _w[2]],
      size: [d.size[0], d.size[1], d.size[2]],
      yawRad: wrapAngle(d.yawRad + sensorYaw),
    });
  }
  return out;
}


interface GimbalEntry {
  id: string;
  gimbal: Gimbal;
  lastTime: number;
  log: number[];
  lastTimes: number[];
}

interface PlanEntry {
  id: string;
  index: number;
  agent: PlanSource;
  plans: number;
}

/** A criteria row from a live criterion's status. */
function rowsOf(run: Run): CriterionRowData[] {
  const live = run.liveCriteria();
  return live.map((result, i) => {
    const s = run.criteria[i]?.status ?? 'running';
    return { result, status: s === 'passed' ? 'pass' : s === 'failed' ? 'fail' : 'running' };
  });
}

export class Capture {
  readonly init: ViewInit;
  /** Costlier parts the viewer shows (scans are latched only while wanted). */
  layers: FrameLayers = { scans: false };
  private readonly subs: Subscription[] = [];
  private readonly lookIds: { id: string; actor: LookSource; init: ActorInit }[] = [];
  private readonly scans: ScanEntry[] = [];
  private readonly detectors: DetectorEntry[] = [];
  private readonly gimbals: GimbalEntry[] = [];
  private readonly plans: PlanEntry[] = [];
  private readonly uavIds: string[] = [];
  private readonly explainers: { id: string; agent: ExplainSource }[] = [];
  private readonly v2x: RecentV2xLinks | null;
  private readonly airspace: AirspaceService | null;
  private readonly driving: DrivingReadout | null;
  private events: SimEvent[] = [];
  /** The capture's own sampler (its gimbal channels are peaks since its previous sample). */
  private readonly metrics: LiveMetrics;
  private readonly metricsPeriodSteps: number;
  private samples: MetricSample[] = [];
  /** Partners of the latest sample not yet sent (null: no sample since the last frame). */
  private markers: MarkerFrame | null = null;
  /** The first failure while sampling (a throw inside an rxjs subscriber would escape asynchronously): the next frame throws it. */
  private failure: string | null = null;

  constructor(private readonly run: Run, scenarioId: string) {
    const world = run.world;
    const snap = world.snapshot;
    const indexOf = new Map(snap.actors.map((s, i) => [s.id, i]));
    const actors: ActorInit[] = [];
    for (const a of world.actors()) {
      const index = indexOf.get(a.id);
      if (index === undefined) continue;
      const src = a as unknown as LookSource;
      const init: ActorInit = {
        descriptor: structuredCloneSafe(a.descriptor),
        index,
        hasLamps: typeof src.brake === 'number',
        rotorSpins: src.rotorSpeedsRadPerS ? Array.from(src.rotorSpeedsRadPerS, (_w, i) => (src.spins && src.spins[i] !== undefined ? Math.sign(src.spins[i]!) || 1 : 1)) : null,
        hasWind: Array.isArray(src.windMps) && src.windMps.length === 3,
      };
      actors.push(init);
      if (init.hasLamps || init.rotorSpins || init.hasWind) this.lookIds.push({ id: a.id, actor: src, init });
      if (a.descriptor.kind === 'uav') this.uavIds.push(a.id);
      const agent = world.agentOf(a.id);
      if (agent && typeof (agent as ExplainSource).explain === 'function') this.explainers.push({ id: a.id, agent: agent as ExplainSource });
    }
    const agentDriven = world.agentDriven();

    // Range sensors of moving actors.
    for (const a of world.actors()) {
      const index = indexOf.get(a.id);
      if (index === undefined || a.descriptor.isStatic) continue;
      for (const sensor of world.sensorsOf(a.id)) {
        const detector = DETECTOR_SENSOR_TYPES.has(sensor.type);
        if (!DRAWN_SENSOR_TYPES.has(sensor.type) && !detector) continue;
        const latch = new ScanPoseLatch();
        const s = snap.actors[index]!;
        latch.seed(snap.time, s.position, s.rotation);
        if (detector) {
          this.detectors.push({ actorId: a.id, index, sensor, latch, fresh: false });
          continue;
        }
        this.scans.push({ actorId: a.id, index, sensor, latch, dirs: null, fresh: false,
          radar: sensor.type === 'radar' ? { angles: new Float64Array(1), ranges: new Float64Array(1) } : null });
      }
    }

    // Gimbals.
    for (const a of world.actors()) {
      if (a.descriptor.kind !== 'uav') continue;
      const g = gimbalOf(a);
      if (g) this.gimbals.push({ id: a.id, gimbal: g, lastTime: NaN, log: [], lastTimes: [] });
    }

    const service = V2xService.of(world);
    this.v2x = service ? new RecentV2xLinks(service) : null;
    this.airspace = airspaceOf(world) ?? null;
    if (this.airspace) {
      for (const id of this.uavIds) {
        const agent = world.agentOf(id) as PlanSource | undefined;
        if (agent) this.plans.push({ id, index: indexOf.get(id)!, agent, plans: -2 });
      }
    }
    this.driving = DrivingReadout.of(run.criteria);

    this.metrics = new LiveMetrics(run);
    this.metricsPeriodSteps = Math.max(1, Math.round(1 / (METRICS_HZ * world.dt)));
    if (this.metrics.channels.length > 0) this.sampleMetrics();

    this.init = {
      scenario: structuredCloneSafe(run.scenario),
      scenarioId,
      file: run.loaded.file,
      seed: run.seed,
      backend: run.backend,
      dt: world.dt,
      actors,
      agentDriven,
      sensors: this.scans.map((e) => ({ actorId: e.actorId, name: e.sensor.name, type: e.sensor.type })),
      detectors: this.detectors.map((e) => ({ actorId: e.actorId, name: e.sensor.name, type: e.sensor.type })),
      gimbals: this.gimbals.map((g) => ({ actorId: g.id, spec: structuredCloneSafe(g.gimbal.dynamics.spec), logHz: g.gimbal.logHz })),
      v2x: service ? { rsus: service.rsus.map((r) => ({ id: r.id, positionM: [r.positionM[0], r.positionM[1], r.positionM[2]] })) } : null,
      airspace: this.airspace ? { zones: this.airspace.zones.map((z) => structuredCloneSafe(z.descriptor)), originAmslM: this.airspace.originAmslM, uavIds: this.airspace.uavIds(), active: this.airspace.zones.map((_z, i) => this.airspace!.isActive(i, snap.time)) } : null,
      driving: this.driving?.init ?? null,
      criteria: rowsOf(run),
      metrics: { channels: [...this.metrics.channels], rateHz: 1 / (this.metricsPeriodSteps * world.dt) },
    };

    this.subs.push(world.tick$.subscribe((s) => this.tick(s)));
    this.subs.push(world.events$.subscribe((e) => this.events.push(e)));
  }

  /**
   * A frame of the run as it is now, with what happened since the last one.
   * `panels`: include the slower panel parts (criteria, driving readout,
   * mission progress, explanations); the worker asks for them ~10 times a
   * second, and always for the last frame.
   */
  frame(panels = true): ViewFrame {
    const world = this.run.world;
    const snap = world.snapshot;
    const n = snap.actors.length;
    const pose = new Float64Array(POSE_STRIDE * n);
    const present = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const s = snap.actors[i]!;
      const o = POSE_STRIDE * i;
      pose[o] = s.position[0]; pose[o + 1] = s.position[1]; pose[o + 2] = s.position[2];
      pose[o + 3] = s.rotation[0]; pose[o + 4] = s.rotation[1]; pose[o + 5] = s.rotation[2]; pose[o + 6] = s.rotation[3];
      pose[o + 7] = s.linearVelocity[0]; pose[o + 8] = s.linearVelocity[1]; pose[o + 9] = s.linearVelocity[2];
      present[i] = s.present ? 1 : 0;
    }
    const f: ViewFrame = { time: snap.time, step: snap.step, actors: { pose, present } };

    if (this.lookIds.length > 0) {
      const looks: Record<string, ActorLook> = {};
      for (const { id, actor, init } of this.lookIds) {
        const l: ActorLook = {};
        if (init.hasLamps) {
          l.brake = actor.brake as number;
          l.hazard = actor.hazardLights === true;
        }
        if (init.rotorSpins && actor.rotorSpeedsRadPerS) l.rotorSpeedsRadPerS = Array.from(actor.rotorSpeedsRadPerS);
        if (init.hasWind) {
          const w = actor.windMps as number[];
          l.windMps = [w[0]!, w[1]!, w[2]!];
        }
        looks[id] = l;
      }
      f.looks = looks;
    }

    if (this.layers.scans && this.scans.length > 0) {
      const scans: ScanFrame[] = [];
      for (const e of this.scans) {
        if (!e.fresh) continue;
        e.fresh = false;
        const s = this.scanOf(e);
        if (s) scans.push(s);
      }
      if (scans.length > 0) f.scans = scans;
    }

    if (this.layers.scans && this.detectors.length > 0) {
      const lists: DetectionListFrame[] = [];
      for (const e of this.detectors) {
        if (!e.fresh) continue;
        e.fresh = false;
        const value = e.latch.value;
        if (!isObjectList(value)) continue;
        lists.push({ actorId: e.actorId, sensor: e.sensor.name, time: e.latch.latchedTime, detections: detectionsToWorld(value.detections, e.sensor.mount, e.latch.pose) });
      }
      if (lists.length > 0) f.detections = lists;
    }

    if (this.v2x) f.v2xLinks = this.v2x.current(snap.time).map(([a, b]) => [a, b]);

    if (this.gimbals.length > 0) {
      const poses: Record<string, GimbalPoseFrame> = {};
      const samples: Record<string, GimbalSamples> = {};
      for (const g of this.gimbals) {
        const d = g.gimbal.dynamics, p = g.gimbal.cameraPosition;
        poses[g.id] = {
          cameraPosition: [p[0], p[1], p[2]],
          baseRotation: [d.baseRotation[0], d.baseRotation[1], d.baseRotation[2], d.baseRotation[3]],
          cameraRotation: [d.cameraRotation[0], d.cameraRotation[1], d.cameraRotation[2], d.cameraRotation[3]],
          q: [d.q[0]!, d.q[1]!, d.q[2]!],
        };
        if (g.lastTimes.length > 0) {
          samples[g.id] = { log: Float64Array.from(g.log), samplesPerTick: g.gimbal.substeps, lastTimes: Float64Array.from(g.lastTimes) };
          g.log = [];
          g.lastTimes = [];
        }
      }
      f.gimbals = poses;
      if (Object.keys(samples).length > 0) f.gimbalSamples = samples;
    }

    if (this.plans.length > 0) {
      let plans: Record<string, [number, number, number][] | null> | undefined;
      for (const p of this.plans) {
        const count = p.agent.plans?.length ?? -1;
        if (count === p.plans) continue;
        p.plans = count;
        (plans ??= {})[p.id] = plannedPolyline(p.agent, snap.actors[p.index]!.position[2]);
      }
      if (plans) f.plans = plans;
    }

    if (this.events.length > 0) {
      f.events = this.events;
      this.events = [];
    }

    if (this.failure !== null) throw new Error(`live metrics failed ${this.failure}`);
    if (this.samples.length > 0) {
      f.metrics = this.samples;
      this.samples = [];
    }
    if (this.markers) {
      f.markers = this.markers;
      this.markers = null;
    }

    // Every frame: a zone's switch and a short-lived breach warning must not fall between two panel frames.
    if (this.airspace) f.airspace = this.airspaceFrame(snap);

    if (panels) {
      f.criteria = rowsOf(this.run);
      if (this.driving) f.driving = this.driving.read();
      const progress: Record<string, { phase: string; waypoint: number }> = {};
      for (const id of this.uavIds) {
        const p = (world.agentOf(id) as ProgressSource | undefined)?.progress;
        if (p && typeof p.phase === 'string') progress[id] = { phase: p.phase, waypoint: p.waypoint ?? 0 };
      }
      if (Object.keys(progress).length > 0) f.progress = progress;
      if (this.explainers.length > 0) {
        const explain: Record<string, string> = {};
        for (const { id, agent } of this.explainers) {
          try {
            const text = agent.explain!();
            if (typeof text === 'string') explain[id] = text;
          } catch (err) {
            explain[id] = `explain() threw: ${err instanceof Error ? err.message : String(err)}`;
          }
        }
        f.explain = explain;
      }
    }
    return f;
  }

  /** Stop listening to the run (the run itself is the caller's to dispose). */
  dispose(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs.length = 0;
    this.v2x?.dispose();
  }

  private airspaceFrame(snap: TickSnapshot): NonNullable<ViewFrame['airspace']> {
    const svc = this.airspace!;
    const active = svc.zones.map((_z, i) => svc.isActive(i, snap.time));
    const readouts: Record<string, AirspaceReadout> = {};
    const world = this.run.world;
    for (const id of this.uavIds) {
      const s: ActorState = world.stateOf(id);
      const r = s.present ? readAirspace(svc, id, s.position, snap.time) : { state: 'clear' as const, text: 'removed' };
      const agent = (world.agentOf(id) as ProgressSource | undefined)?.progress?.airspace;
      readouts[id] = agent ? { ...r, agent: { status: agent.status, notes: [...agent.notes] } } : r;
    }
    return { active, readouts };
  }

  /** One live metric sample now, and who sets its TTC and clearance. */
  private sampleMetrics(): void {
    try {
      const m = this.metrics.sample();
      this.samples.push(m);
      const ttc = m.values.ttcS, clr = m.values.clearanceM, ttcWith = this.metrics.ttcWith, pair = this.metrics.clearancePair;
      this.markers = {
        ttc: typeof ttc === 'number' && ttcWith !== null && this.metrics.egoId !== undefined ? { actorId: this.metrics.egoId, otherId: ttcWith, valueS: ttc } : null,
        clearance: typeof clr === 'number' && pair ? { actorId: pair.actorId, otherId: pair.otherId, valueM: clr } : null,
      };
    } catch (err) {
      this.failure ??= `at t=${this.run.world.time.toFixed(2)} s: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private tick(snap: TickSnapshot): void {
    if (this.metrics.channels.length > 0 && this.failure === null && snap.step % this.metricsPeriodSteps === 0) this.sampleMetrics();
    for (const g of this.gimbals) {
      const gm = g.gimbal;
      // A removed drone's gimbal is not advanced: its log is stale.
      if (gm.lastTime === g.lastTime) continue;
      g.lastTime = gm.lastTime;
      const n = 3 * gm.substeps;
      for (let i = 0; i < n; i++) g.log.push(gm.errorLog[i]!);
      g.lastTimes.push(gm.lastTime);
    }
    if (!this.layers.scans) return;
    const world = this.run.world;
    for (const list of [this.scans, this.detectors]) {
      for (const e of list) {
        const s = snap.actors[e.index];
        if (!s) continue;
        const r = s.present ? world.readingOf(e.actorId, e.sensor.name) : undefined;
        // A failed sensor's reading is unhealthy: draw nothing new from it.
        const t = r && r.healthy ? r.time : NaN;
        if (e.latch.tick(t, r?.value, snap.time, s.position, s.rotation)) e.fresh = true;
      }
    }
  }

  /** A latched scan as world points and subsampled rays, or null when its reading is not a scan. */
  private scanOf(e: ScanEntry): ScanFrame | null {
    const value = e.latch.value;
    let scan: ScanLike;
    if (e.radar) {
      if (!isRadarReturn(value)) return null;
      scan = radarAsScan(value, e.radar);
      // One beam along the measured azimuth: its direction changes with every reading.
      e.dirs = beamDirections(scan, e.sensor.mount.rotation, e.dirs ?? undefined);
    } else {
      if (!isScan(value)) return null;
      scan = value;
      e.dirs ??= beamDirections(scan, e.sensor.mount.rotation);
    }
    const beams = scan.ranges.length;
    const stride = rayStride(beams, MAX_RAYS_PER_SENSOR);
    const points = new Float32Array(3 * beams);
    const rays = new Float32Array(6 * Math.min(beams, MAX_RAYS_PER_SENSOR));
    const n = hitPoints(scan.ranges, e.dirs, e.sensor.mount, e.latch.pose, { points, rays, rayEvery: stride });
    const o = e.latch.pose.position;
    return { actorId: e.actorId, sensor: e.sensor.name, origin: [o[0], o[1], o[2]], points: points.slice(0, 3 * n.points), rays: rays.slice(0, 6 * n.rays) };
  }
}

/**
 * A deep copy of plain data that survives postMessage (functions and class
 * prototypes do not cross it): JSON-safe objects pass through structuredClone.
 */
function structuredCloneSafe<T>(x: T): T {
  return structuredClone(x);
}
