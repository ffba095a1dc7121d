/**
 * The 3D view: a three.js scene built purely from the run's actor
 * descriptors (shape, offset, colour; a `ViewInit` from the sim worker) and
 * posed from the ground-truth poses of its frames (interpolated between two
 * frames by web/pose-buffer.ts). World frame is ENU with z up, as in the
 * simulation; nothing here knows what a rover or an obstacle is beyond its
 * descriptor, and nothing here touches the live World.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { roadNetworkOf } from '../scenarios/loader.ts';
import type { ActorDescriptor, ActorPart } from '../sim/actor.ts';
import type { ActorState } from '../sim/snapshot.ts';
import type { Gimbal } from '../uav/gimbal/gimbal.ts';
import { buildPedestrian, CarLamps, isCar, isPedestrian, isUav, RotorSpin } from './actor-look.ts';
import { threeCameraQuaternion, verticalFovDeg } from './gimbal-camera.ts';
import { GimbalLook } from './gimbal-look.ts';
import { parseDeepLink, type CameraMode, type RenderQuality } from './params.ts';
import { PerceptionView } from './perception-view.ts';
import { DetectionsView } from './detections-view.ts';
import { CriticalSpring } from './spring.ts';
import { TrailRing } from './trail-ring.ts';
import { V2X_ANTENNA_Z_M, V2xOverlay, type V2xLinks } from './v2x-overlay.ts';
import { arrowLengthM } from './wind-readout.ts';
import { AirspaceView, type AirspaceCounts, type ZoneLabel } from './airspace-view.ts';
import { ZONE_COLORS } from './zone-geometry.ts';
import { PlannedPathView } from './planned-path.ts';
import { MarkersView } from './markers-view.ts';
import type { PoseSample } from './pose-buffer.ts';
import { POSE_STRIDE, type ActorInit, type GimbalPoseFrame, type ViewFrame, type ViewInit } from './sim-protocol.ts';
import { newRoadPose } from '../vehicles/road/geometry.ts';
import type { RoadMark } from '../vehicles/road/lane.ts';
import type { Road } from '../vehicles/road/road.ts';
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import type { SignalState } from '../vehicles/road/signal-controller.ts';

const BACKGROUND = '#0e131a';
const DEFAULT_COLOR = '#8a8f98';
const GOAL_COLOR = '#3ecf8e';
const TRAIL_POINTS = 4096;
/** Beyond this many pending points a trail re-uploads whole (see Trail.add). */
const TRAIL_PENDING_MAX = 32;

/** Least distance between a drone's trail points, m (display convention: 4096 points hold 410 m of flight). */
const UAV_TRAIL_SPACING_M = 0.1;
const UAV_TRAIL_COLOR = '#f5b942';
/**
 * Chase camera for a drone: distance behind and height above, m, and how far
 * ahead of it the camera aims (display convention: a 0.5 m Iris stays
 * readable while the obstacles it is about to meet are in view).
 */
const UAV_CHASE_BACK_M = 7;
const UAV_CHASE_UP_M = 3;
const UAV_CHASE_AHEAD_M = 6;
/**
 * A drone faster than this over the ground is chased along its course (it
 * may fly sideways to its yaw); slower, the camera keeps the last course, so
 * a drone hovering or edging round an obstacle does not swing the view, m/s
 * (display convention).
 */
const UAV_COURSE_MIN_MPS = 1.5;
/** The wind arrow floats this far above the selected drone, m. */
const WIND_ARROW_UP_M = 0.9;
const WIND_ARROW_COLOR = '#9fe3ff';

/** Chase camera: natural frequency of the heading spring, rad/s (settles in ~1.5 s: follows a lane change without swinging). */
const CHASE_HEADING_OMEGA = 3;
/** Chase camera distance behind and height above the followed actor, in its lengths, with floors in metres. */
const CHASE_BACK_LENGTHS = 2.4;
const CHASE_BACK_MIN_M = 6;
const CHASE_UP_LENGTHS = 1.1;
const CHASE_UP_MIN_M = 2.6;
/** Chase camera aim point ahead of the followed actor, in its lengths (+2 m). */
const CHASE_AHEAD_LENGTHS = 2.5;
/** Top-down camera height, in the followed actor's lengths, with a floor, m (a car: ~90 m, about 70 m of road in view). */
const TOP_HEIGHT_LENGTHS = 20;
const TOP_HEIGHT_MIN_M = 30;
/** Largest half-size of the sun's shadow box, m; beyond it the box follows the view. */
const SHADOW_HALF_MAX_M = 90;
/**
 * Picture-in-picture from the selected drone's gimbal camera: inset size and
 * place in the viewport, CSS px (bottom-left, above the camera hint).
 */
export const PIP_WIDTH_PX = 320;
export const PIP_HEIGHT_PX = 180;
const PIP_LEFT_PX = 12;
const PIP_BOTTOM_PX = 34;
/**
 * Its horizontal field of view, deg. 90: near a GoPro's distortion-corrected
 * "linear" mode; its ~118 deg "wide" mode is a fisheye, which a pinhole
 * camera can only approach by stretching the corners.
 */
export const PIP_HFOV_DEG = 90;
/** Near plane of the gimbal camera, m (its lens is a few cm from anything of the drone, which the inset hides anyway). */
const PIP_NEAR_M = 0.03;
/** Onboard (driver's) eye height, as a share of the actor's height above its origin (display convention). */
const ONBOARD_EYE_HEIGHT_FRACTION = 0.85;
/** Near plane of the onboard camera, m (the windscreen is that close). */
const ONBOARD_NEAR_M = 0.02;
/** Scroll-wheel zoom range of the chase and top cameras (factor on their distance). */
const ZOOM_MIN = 0.35;
const ZOOM_MAX = 4;

interface ActorView {
  id: string;
  group: THREE.Group;
  isStatic: boolean;
  /** Index of the actor's state in the snapshot. */
  index: number;
  trail: Trail | null;
  /** A name tag over agent-driven actors (HTML, positioned each frame). */
  label: HTMLElement | null;
  /** Height of the label's anchor above the actor's origin, m. */
  labelZ: number;
  /** Brake and hazard lamps (cars only). */
  lamps: CarLamps | null;
  /** Spinning rotor blades (UAVs only). */
  rotors: RotorSpin | null;
  /** The drone's gimbal, drawn under it (UAVs with a gimbal only). */
  gimbal: GimbalLook | null;
  /** A drone (kind 'uav'): chased along its course, with a wind arrow when selected. */
  uav: boolean;
  /** What the looks read (brake, hazard lamps, rotor speeds), fed from the frames. */
  look: LookState;
  /** The gimbal's pose as the frames report it (GimbalLook reads it), or null. */
  gimbalPose: GimbalStandIn | null;
  /** The wind the drone feels, world ENU m/s (its `windMps`), or null if it exposes none. */
  wind: Readonly<[number, number, number]> | null;
  /** A drone's last course over the ground while it moved fast enough, rad (NaN: none yet). */
  courseRad: number;
  /** Length along body x, m (sizes the chase and top cameras). */
  lengthM: number;
  /** Last label position written, px (skip the style write when unchanged). */
  labelX: number;
  labelY: number;
}

/**
 * A line of where an actor has been: its newest TRAIL_POINTS positions in a
 * fixed-size ring (./trail-ring.ts), drawn in order from one contiguous
 * window of the buffer. Ground actors' trails lie on the ground; a UAV's
 * follows it in 3D.
 */
class Trail {
  readonly line: THREE.Line;
  private readonly ring: TrailRing;
  private readonly attr: THREE.BufferAttribute;
  /** Points written since the attribute was last uploaded. */
  private pending = 0;

  /** @param spacingM least distance between recorded points; `in3d`: keep the actor's height (UAVs) */
  constructor(color: string, spacingM: number, private readonly in3d: boolean) {
    this.ring = new TrailRing(TRAIL_POINTS, spacingM);
    const geometry = new THREE.BufferGeometry();
    this.attr = new THREE.BufferAttribute(this.ring.positions, 3).setUsage(THREE.DynamicDrawUsage);
    this.attr.onUpload(() => (this.pending = 0));
    geometry.setAttribute('position', this.attr);
    geometry.setDrawRange(0, 0);
    this.line = new THREE.Line(geometry, new THREE.LineBasicMaterial({ color, transparent: true, opacity: 0.85 }));
    this.line.frustumCulled = false;
  }

  add(x: number, y: number, z: number): void {
    const slot = this.ring.add(x, y, this.in3d ? z : 0.02);
    if (slot < 0) return;
    // Upload only the copies written since the last upload (the renderer merges
    // adjacent ranges); past TRAIL_PENDING_MAX of them (a hidden trail keeps
    // recording) one whole upload is cheaper than the list.
    if (this.pending < TRAIL_PENDING_MAX) {
      this.attr.addUpdateRange(3 * slot, 3);
      this.attr.addUpdateRange(3 * (slot + TRAIL_POINTS), 3);
    } else if (this.pending === TRAIL_PENDING_MAX) {
      this.attr.clearUpdateRanges();
    }
    this.pending++;
    this.attr.needsUpdate = true;
    // No bounding sphere to refresh: the line is never frustum-culled.
    this.line.geometry.setDrawRange(this.ring.start, this.ring.count);
  }
}

// ---------- roads ----------

/** Sample spacing along s for lane surfaces and markings, m. */
const ROAD_STEP_M = 1;
const ROAD_Z = 0.01;
const MARK_Z = 0.02;
/** Broken lane line: 6 m dash, 9 m gap (GB 5768.3-2009, roads at >= 60 km/h). */
const DASH_M = 6;
const DASH_PERIOD_M = 15;
/** Stop line width, m (GB 5768.3-2009: 20 to 40 cm). */
const STOP_LINE_WIDTH_M = 0.4;
/** Zebra stripes: 45 cm lines, 60 cm gaps (GB 5768.3-2009). */
const ZEBRA_LINE_M = 0.45;
const ZEBRA_GAP_M = 0.6;
const LANE_COLORS: Record<string, string> = {
  driving: '#3b4048', entry: '#3b4048', exit: '#3b4048', onRamp: '#3b4048', offRamp: '#3b4048', connectingRamp: '#3b4048',
  shoulder: '#4b5058', sidewalk: '#8b8d91', biking: '#5b4a46', parking: '#454a52',
};
const MARK_COLORS: Record<string, string> = { white: '#e8e8e2', standard: '#e8e8e2', yellow: '#e8b732', blue: '#3f7fd6', red: '#c94040' };
const SIGNAL_COLORS: Record<SignalState, string> = { green: '#35d07f', yellow: '#f2c230', red: '#ef4b4b' };

const _rp = newRoadPose();

/** Triangle soup builder: quads from pairs of ground points, grouped by colour. */
class Quads {
  readonly byColor = new Map<string, number[]>();
  add(color: string, a: [number, number], b: [number, number], c: [number, number], d: [number, number], z: number): void {
    let arr = this.byColor.get(color);
    if (!arr) this.byColor.set(color, (arr = []));
    // Triangles (a, b, c) and (a, c, d), wound counter-clockwise seen from above
    // (front faces up: three flips the normal of a back face, which would draw it dark).
    const ccw = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) >= 0;
    if (ccw) arr.push(a[0], a[1], z, b[0], b[1], z, c[0], c[1], z, a[0], a[1], z, c[0], c[1], z, d[0], d[1], z);
    else arr.push(a[0], a[1], z, c[0], c[1], z, b[0], b[1], z, a[0], a[1], z, d[0], d[1], z, c[0], c[1], z);
  }
  /**
   * One mesh per colour. Normals all point up (the quads' windings differ by
   * lane side). `layer` lifts the surface in depth by polygon offset: a few
   * centimetres in z are below the depth buffer's resolution at a distance.
   */
  meshes(layer: number): THREE.Mesh[] {
    const out: THREE.Mesh[] = [];
    for (const [color, arr] of this.byColor) {
      const g = new THREE.BufferGeometry();
      g.setAttribute('position', new THREE.Float32BufferAttribute(arr, 3));
      const normals = new Float32Array(arr.length);
      for (let i = 2; i < normals.length; i += 3) normals[i] = 1;
      g.setAttribute('normal', new THREE.BufferAttribute(normals, 3));
      const material = new THREE.MeshStandardMaterial({
        color, roughness: 0.92, metalness: 0, side: THREE.DoubleSide,
        polygonOffset: true, polygonOffsetFactor: -2 * layer, polygonOffsetUnits: -4 * layer,
      });
      const m = new THREE.Mesh(g, material);
      m.receiveShadow = true;
      m.renderOrder = layer;
      out.push(m);
    }
    return out;
  }
}

function roadPoint(road: Road, s: number, t: number): [number, number] {
  road.referenceLine.toWorld(s, t, _rp);
  return [_rp.x, _rp.y];
}

/** s samples over [a, b], at most ROAD_STEP_M apart, both ends included. */
function samples(a: number, b: number, step = ROAD_STEP_M): number[] {
  const n = Math.max(1, Math.ceil((b - a) / step));
  return Array.from({ length: n + 1 }, (_, k) => a + ((b - a) * k) / n);
}

/** Offsets across a mark's width for its lines: one line, or two 0.15 m apart for double marks. */
function markLines(m: RoadMark): { offset: number; broken: boolean }[] {
  const w = m.widthM || 0.15;
  switch (m.type) {
    case 'none': return [];
    case 'solid': return [{ offset: 0, broken: false }];
    case 'broken': return [{ offset: 0, broken: true }];
    default: {
      const [p, q] = m.type.split(' ');
      return [{ offset: w, broken: p === 'broken' }, { offset: -w, broken: q === 'broken' }];
    }
  }
}

/**
 * The static road drawing: lane surfaces as strips between their sampled
 * borders, lane markings (solid, broken, double), stop lines and zebra
 * crosswalks; plus the traffic lights, whose lamps are recoloured from their
 * controllers' state at the current simulation time.
 */
class RoadView {
  readonly group = new THREE.Group();
  private readonly lights: { lamp: THREE.MeshBasicMaterial; controller: { stateAt(g: string, t: number): SignalState }; group: string; state: SignalState | null }[] = [];

  constructor(private readonly road: { network: RoadNetwork }) {
    this.group.name = 'road';
    const surfaces = new Quads();
    const marks = new Quads();
    for (const r of road.network.roads) {
      r.sections.forEach((sec, i) => {
        const a = r.sectionStart(i), b = r.sectionEnd(i);
        const ss = samples(a, b);
        for (const lane of sec.lanes()) {
          const ds = (sAt: number) => sAt - sec.s;
          if (lane.id !== 0) {
            const color = LANE_COLORS[lane.type] ?? '#3b4048';
            for (let k = 0; k + 1 < ss.length; k++) {
              const s0 = ss[k]!, s1 = ss[k + 1]!;
              const in0 = sec.innerT(lane.id, ds(s0), r.laneOffsetAt(s0)), out0 = sec.outerT(lane.id, ds(s0), r.laneOffsetAt(s0));
              const in1 = sec.innerT(lane.id, ds(s1), r.laneOffsetAt(s1)), out1 = sec.outerT(lane.id, ds(s1), r.laneOffsetAt(s1));
              if (Math.abs(out0 - in0) < 1e-3 && Math.abs(out1 - in1) < 1e-3) continue;
              surfaces.add(color, roadPoint(r, s0, in0), roadPoint(r, s1, in1), roadPoint(r, s1, out1), roadPoint(r, s0, out0), ROAD_Z);
            }
          }
          // The lane's road mark lies on its outer border (the centre lane's on the centre line).
          for (let k = 0; k + 1 < ss.length; k++) {
            const s0 = ss[k]!, s1 = ss[k + 1]!;
            const m = lane.roadMarkAt(ds(s0));
            if (!m || m.type === 'none') continue;
            const color = MARK_COLORS[m.color] ?? MARK_COLORS.white!;
            const half = (m.widthM || 0.15) / 2;
            for (const line of markLines(m)) {
              if (line.broken && (s0 - a) % DASH_PERIOD_M >= DASH_M) continue;
              const t0 = sec.outerT(lane.id, ds(s0), r.laneOffsetAt(s0)) + line.offset;
              const t1 = sec.outerT(lane.id, ds(s1), r.laneOffsetAt(s1)) + line.offset;
              marks.add(color, roadPoint(r, s0, t0 - half), roadPoint(r, s1, t1 - half), roadPoint(r, s1, t1 + half), roadPoint(r, s0, t0 + half), MARK_Z);
            }
          }
        }
      });
    }
    const laneSpan = (r: Road, sAt: number, laneIds: readonly number[]): [number, number] => {
      const sec = r.sections[r.sectionIndexAt(sAt)]!;
      let lo = Infinity, hi = -Infinity;
      for (const id of laneIds) {
        for (const t of [sec.innerT(id, sAt - sec.s, r.laneOffsetAt(sAt)), sec.outerT(id, sAt - sec.s, r.laneOffsetAt(sAt))]) {
          lo = Math.min(lo, t);
          hi = Math.max(hi, t);
        }
      }
      return [lo, hi];
    };
    for (const sl of road.network.stopLines) {
      const r = road.network.road(sl.roadId);
      const [lo, hi] = laneSpan(r, sl.s, sl.laneIds);
      const h = STOP_LINE_WIDTH_M / 2;
      marks.add(MARK_COLORS.white!, roadPoint(r, sl.s - h, lo), roadPoint(r, sl.s + h, lo), roadPoint(r, sl.s + h, hi), roadPoint(r, sl.s - h, hi), MARK_Z);
    }
    for (const cw of road.network.crosswalks) {
      const r = road.network.road(cw.roadId);
      for (let t = cw.tMin + ZEBRA_GAP_M / 2; t + ZEBRA_LINE_M <= cw.tMax; t += ZEBRA_LINE_M + ZEBRA_GAP_M) {
        marks.add(MARK_COLORS.white!, roadPoint(r, cw.sStart, t), roadPoint(r, cw.sEnd, t), roadPoint(r, cw.sEnd, t + ZEBRA_LINE_M), roadPoint(r, cw.sStart, t + ZEBRA_LINE_M), MARK_Z);
      }
    }
    this.group.add(...surfaces.meshes(1), ...marks.meshes(2));

    // Traffic lights: an overhead head above the lanes each governs, 5 m up, lamp facing the approach.
    const housingGeom = new THREE.BoxGeometry(0.4, 0.4, 1.0);
    const lampGeom = new THREE.SphereGeometry(0.22, 16, 12);
    const housingMat = new THREE.MeshStandardMaterial({ color: '#1a1d22', roughness: 0.6 });
    for (const tl of road.network.trafficLights) {
      const r = road.network.road(tl.roadId);
      const [lo, hi] = laneSpan(r, tl.s, tl.laneIds);
      const [x, y] = roadPoint(r, tl.s, (lo + hi) / 2);
      const head = new THREE.Group();
      head.position.set(x, y, 5);
      const housing = new THREE.Mesh(housingGeom, housingMat);
      housing.castShadow = true;
      const lamp = new THREE.MeshBasicMaterial({ color: SIGNAL_COLORS.red });
      const bulb = new THREE.Mesh(lampGeom, lamp);
      // Face the drivers: towards -s for right lanes (driven towards +s), +s for left lanes.
      r.referenceLine.poseAt(tl.s, _rp);
      const dir = tl.laneIds[0]! < 0 ? -1 : 1;
      bulb.position.set(dir * 0.22 * Math.cos(_rp.headingRad), dir * 0.22 * Math.sin(_rp.headingRad), 0);
      head.add(housing, bulb);
      this.group.add(head);
      this.lights.push({ lamp, controller: road.network.controller(tl.controllerId), group: tl.signalGroup, state: null });
    }
  }

  /** Recolour the lamps for simulation time t; true if any changed. */
  update(t: number): boolean {
    let changed = false;
    for (const l of this.lights) {
      const st = l.controller.stateAt(l.group, t);
      if (st === l.state) continue;
      l.state = st;
      l.lamp.color.set(SIGNAL_COLORS[st]);
      changed = true;
    }
    return changed;
  }
}

/**
 * A drone's trail colour: its own colour when that is a colour, else amber (an
 * airframe's grey, such as the Iris's, vanishes against the ground and the sky).
 */
function uavTrailColor(color: string | undefined): string {
  if (color) {
    const hsl = new THREE.Color(color).getHSL({ h: 0, s: 0, l: 0 });
    if (hsl.s > 0.3 && hsl.l > 0.3) return color;
  }
  return UAV_TRAIL_COLOR;
}

/** An actor as its looks read it: the descriptor, and the state the frames carry (CarLamps, RotorSpin read these names). */
interface LookState {
  readonly descriptor: ActorDescriptor;
  brake?: number;
  hazardLights?: boolean;
  rotorSpeedsRadPerS?: Float64Array;
  spins?: readonly number[];
  /** The wind the drone feels, world ENU m/s, or null if it exposes none. */
  windMps: [number, number, number] | null;
}

function lookStateOf(a: ActorInit): LookState {
  return {
    descriptor: a.descriptor,
    ...(a.hasLamps ? { brake: 0, hazardLights: false } : {}),
    ...(a.rotorSpins ? { rotorSpeedsRadPerS: new Float64Array(a.rotorSpins.length), spins: a.rotorSpins } : {}),
    windMps: a.hasWind ? [0, 0, 0] : null,
  };
}

/** The part of a Gimbal its look and the inset read, fed from the frames. */
interface GimbalStandIn {
  dynamics: { spec: Gimbal['dynamics']['spec']; q: Float64Array; baseRotation: [number, number, number, number]; cameraRotation: [number, number, number, number] };
  cameraPosition: [number, number, number];
}

function setGimbalPose(g: GimbalStandIn, f: GimbalPoseFrame): void {
  const d = g.dynamics;
  for (let i = 0; i < 3; i++) {
    g.cameraPosition[i] = f.cameraPosition[i]!;
    d.q[i] = f.q[i]!;
  }
  for (let i = 0; i < 4; i++) {
    d.baseRotation[i] = f.baseRotation[i]!;
    d.cameraRotation[i] = f.cameraRotation[i]!;
  }
}

function geometryOf(part: ActorPart): THREE.BufferGeometry {
  const s = part.shape;
  switch (s.type) {
    case 'box':
      return new THREE.BoxGeometry(2 * s.halfExtents[0], 2 * s.halfExtents[1], 2 * s.halfExtents[2]);
    case 'cylinder':
      // Our cylinders are z-aligned; three's are y-aligned: +90 deg about x maps y onto z.
      return new THREE.CylinderGeometry(s.radius, s.radius, 2 * s.halfHeight, 40).rotateX(Math.PI / 2);
    case 'sphere':
      return new THREE.SphereGeometry(s.radius, 32, 16);
  }
}

function placePart(obj: THREE.Object3D, part: ActorPart): void {
  const p = part.offset.position;
  const q = part.offset.rotation;
  obj.position.set(p[0], p[1], p[2]);
  obj.quaternion.set(q[0], q[1], q[2], q[3]);
}

/** 1 m and 5 m grid lines on the top face of a terrain box, in the actor frame. */
function terrainGrid(part: ActorPart): THREE.Object3D | null {
  if (part.shape.type !== 'box') return null;
  const [hx, hy, hz] = part.shape.halfExtents;
  const minor: number[] = [];
  const major: number[] = [];
  const z = hz + 0.004;
  for (let x = Math.ceil(-hx); x <= Math.floor(hx); x++) (x % 5 === 0 ? major : minor).push(x, -hy, z, x, hy, z);
  for (let y = Math.ceil(-hy); y <= Math.floor(hy); y++) (y % 5 === 0 ? major : minor).push(-hx, y, z, hx, y, z);
  const group = new THREE.Group();
  const lines = (coords: number[], opacity: number) => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.Float32BufferAttribute(coords, 3));
    return new THREE.LineSegments(g, new THREE.LineBasicMaterial({ color: '#ffffff', transparent: true, opacity, depthWrite: false }));
  };
  group.add(lines(minor, 0.07), lines(major, 0.16));
  placePart(group, part);
  return group;
}

export class SceneView {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: THREE.WebGLRenderer;
  /** Drawn without MSAA and shadows (see the constructor). */
  readonly lite: boolean;
  /** The software rasteriser's name when WebGL is not hardware-accelerated (null: a GPU, or unknown). */
  readonly softwareGl: string | null;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(42, 1, 0.05, 2000);
  private readonly controls: OrbitControls;
  private readonly sun = new THREE.DirectionalLight('#ffffff', 2.2);
  private readonly content = new THREE.Group();
  private readonly labels: HTMLElement;
  private views: ActorView[] = [];
  private readonly viewById = new Map<string, ActorView>();
  private roadView: RoadView | null = null;
  private followView: ActorView | null = null;
  private defaultFollowId: string | null = null;
  private mode: CameraMode = 'orbit';
  private dirty = true;
  /** Jump the chase/top camera to its place on the next frame instead of easing there. */
  private followSnap = true;
  private readonly heading = new CriticalSpring(CHASE_HEADING_OMEGA);
  /** Simulated time since the chase camera last moved, s, and the sim time of the last snapshot. */
  private chaseDt = 0;
  private lastSimTime = NaN;
  /** The latest poses drawn (the pose buffer's object: read in the same frame only). */
  private lastPoses: PoseSample | null = null;
  /** Terrain actors (framing, collisions with the ground). */
  private terrainIds = new Set<string>();
  /** Static actors are posed from the first poses only. */
  private staticPosed = false;
  private readonly lampState: ActorState = { id: '', kind: '', position: [0, 0, 0], rotation: [0, 0, 0, 1], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
  private zoom = 1;
  private fog: THREE.Fog | null = null;
  private readonly v2x = new V2xOverlay();
  private readonly perception = new PerceptionView();
  /** The object lists' detected objects (with the rays). */
  private readonly detections = new DetectionsView();
  /** The scenario's airspace zones (issue #6), and the drones' planned paths. */
  private readonly airspace = new AirspaceView();
  private readonly plannedPaths = new PlannedPathView();
  /** TTC and clearance markers (web/markers-view.ts). */
  private readonly markers = new MarkersView();
  /** The zones' name tags (HTML, in the labels layer), with the last position written, px. */
  private zoneTags: { el: HTMLElement; label: ZoneLabel; x: number; y: number }[] = [];
  private trailsOn = true;
  private readonly pipCamera = new THREE.PerspectiveCamera(verticalFovDeg(PIP_HFOV_DEG, PIP_WIDTH_PX / PIP_HEIGHT_PX), PIP_WIDTH_PX / PIP_HEIGHT_PX, PIP_NEAR_M, 2000);
  private pipOn = true;
  /** The inset's frame and caption (HTML over the canvas; the picture itself is a scissored viewport of the canvas). */
  private readonly pipFrame: HTMLElement;
  private readonly pipCaption: HTMLElement;
  private pipCaptionId = '';
  private viewW = 1;
  private viewH = 1;
  private readonly windArrow = new THREE.ArrowHelper(new THREE.Vector3(1, 0, 0), new THREE.Vector3(), 1, WIND_ARROW_COLOR, 0.3, 0.18);
  private v2xLinks: () => V2xLinks = () => [];
  private readonly tmpV = new THREE.Vector3();
  private readonly tmpA = new THREE.Vector3();
  private readonly tmpB = new THREE.Vector3();
  private readonly tmpFwd = new THREE.Vector3();
  private readonly tmpQ = new THREE.Quaternion();
  private readonly tmpBox = new THREE.Box3();
  private readonly sunOffset = new THREE.Vector3();
  private shadowFollows = false;
  private shadowTexelM = 1;
  /** Radio nodes that are not actors (roadside units), by id: where their links end. */
  private readonly fixedRadios = new Map<string, THREE.Vector3>();
  private readonly positionOf = (id: string, out: THREE.Vector3): boolean => {
    const fixed = this.fixedRadios.get(id);
    if (fixed) {
      out.copy(fixed);
      return true;
    }
    const v = this.viewById.get(id);
    if (!v || !v.group.visible) return false;
    out.copy(v.group.position);
    return true;
  };

  /**
   * Throws if WebGL is unavailable; the caller shows that and runs without a view.
   * `quality` (the link's `render`): 'full' draws with MSAA and sun shadows;
   * 'lite' without either; 'auto' is lite on a software rasteriser
   * (SwiftShader, llvmpipe: headless Chromium, a VM without a GPU), where
   * every drawn pixel costs CPU the simulation worker needs (README,
   * Performance in the browser).
   */
  constructor(private readonly container: HTMLElement, quality: RenderQuality = parseDeepLink(window.location.search).render) {
    this.softwareGl = softwareRenderer();
    this.lite = quality === 'lite' || (quality === 'auto' && this.softwareGl !== null);
    this.renderer = new THREE.WebGLRenderer({ antialias: !this.lite, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.shadowMap.enabled = !this.lite;
    this.renderer.shadowMap.type = THREE.PCFShadowMap;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;
    this.renderer.toneMappingExposure = 1.05;
    this.canvas = this.renderer.domElement;
    this.canvas.className = 'scene-canvas';
    container.prepend(this.canvas);
    this.labels = document.createElement('div');
    this.labels.className = 'scene-labels';
    this.canvas.after(this.labels);
    this.pipFrame = document.createElement('div');
    this.pipFrame.className = 'pip-frame';
    this.pipFrame.dataset.testid = 'pip';
    this.pipFrame.hidden = true;
    Object.assign(this.pipFrame.style, { left: `${PIP_LEFT_PX}px`, bottom: `${PIP_BOTTOM_PX}px`, width: `${PIP_WIDTH_PX}px`, height: `${PIP_HEIGHT_PX}px` });
    this.pipCaption = document.createElement('span');
    this.pipCaption.className = 'pip-caption';
    this.pipFrame.append(this.pipCaption);
    this.labels.after(this.pipFrame);

    this.camera.up.set(0, 0, 1);
    this.camera.position.set(-10, -28, 18);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.maxPolarAngle = Math.PI / 2 - 0.03;
    this.controls.minDistance = 1.5;
    this.controls.maxDistance = 400;
    this.controls.addEventListener('change', () => (this.dirty = true));

    this.scene.background = new THREE.Color(BACKGROUND);
    this.scene.fog = new THREE.Fog(BACKGROUND, 80, 260);
    const hemi = new THREE.HemisphereLight('#d6e2f5', '#2a2f38', 1.35);
    hemi.position.set(0, 0, 1);
    this.scene.add(hemi);
    this.sun.castShadow = true;
    this.sun.shadow.mapSize.set(2048, 2048);
    this.sun.shadow.bias = -0.0004;
    this.sun.shadow.normalBias = 0.02;
    this.scene.add(this.sun, this.sun.target);

    // A faint endless floor grid beyond the scenario's ground, for scale.
    const floor = new THREE.GridHelper(600, 150, '#1d2531', '#161d27');
    floor.rotation.x = Math.PI / 2;
    floor.position.z = -0.03;
    this.scene.add(floor);
    this.scene.add(this.content);
    // The overlay outlives worlds (content is cleared on each), so it sits on the scene itself.
    this.scene.add(this.v2x.lines);
    this.scene.add(this.markers.lines);
    this.scene.add(this.perception.group, this.detections.group);
    this.scene.add(this.airspace.group, this.plannedPaths.group);
    this.windArrow.visible = false;
    this.windArrow.name = 'wind-arrow';
    this.scene.add(this.windArrow);
    this.canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });

    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
  }

  /** Replace the scene's content with the actors of a run (and its road, if it has one), posed from `first` if given. */
  setInit(init: ViewInit, first?: PoseSample): void {
    this.clear();
    const road = init.scenario.world.road;
    if (road) {
      this.roadView = new RoadView({ network: roadNetworkOf(road) });
      this.roadView.update(first?.time ?? 0);
      this.content.add(this.roadView.group);
    }
    const driven = new Set(init.agentDriven);
    const gimbals = new Map(init.gimbals.map((g) => [g.actorId, g]));
    this.terrainIds = new Set(init.actors.filter((a) => a.descriptor.isTerrain).map((a) => a.descriptor.id));
    for (const a of init.actors) {
      const d = a.descriptor;
      const look = lookStateOf(a);
      const group = this.buildActor(d, driven.has(d.id));
      const size = this.tmpBox.setFromObject(group);
      const lamps = isCar(d) ? CarLamps.build(look, group) : null;
      const rotors = isUav(d) ? RotorSpin.build(look, group) : null;
      const g = isUav(d) ? gimbals.get(d.id) : undefined;
      const gimbalPose: GimbalStandIn | null = g
        ? { dynamics: { spec: g.spec, q: new Float64Array(3), baseRotation: [0, 0, 0, 1], cameraRotation: [0, 0, 0, 1] }, cameraPosition: [0, 0, 0] }
        : null;
      const gl = gimbalPose ? new GimbalLook(gimbalPose as unknown as Gimbal, PIP_HFOV_DEG, this.pipCamera.aspect) : null;
      if (gl) this.content.add(gl.group);
      const view: ActorView = {
        id: d.id, group, isStatic: d.isStatic, index: a.index, trail: null, label: null, labelZ: 0, lamps, rotors, gimbal: gl, uav: isUav(d), wind: look.windMps, courseRad: NaN,
        lengthM: size.isEmpty() ? 1 : size.max.x - size.min.x, labelX: NaN, labelY: NaN, look, gimbalPose,
      };
      if (driven.has(d.id) || isUav(d)) {
        // A tenth of the actor's length between points: 5 cm for a rover, ~45 cm (1.8 km of trail) for a car;
        // 10 cm for a drone (410 m of trail in 3D).
        view.trail = isUav(d)
          ? new Trail(uavTrailColor(d.color), UAV_TRAIL_SPACING_M, true)
          : new Trail(d.color ?? DEFAULT_COLOR, Math.max(0.05, view.lengthM / 10), false);
        view.trail.line.visible = this.trailsOn;
        this.content.add(view.trail.line);
      }
      if (driven.has(d.id)) {
        view.label = document.createElement('div');
        view.label.className = 'scene-label';
        view.label.textContent = d.id;
        if (d.color) view.label.style.borderColor = d.color;
        this.labels.append(view.label);
        view.labelZ = new THREE.Box3().setFromObject(group).max.z + 0.25;
      }
      this.content.add(group);
      this.views.push(view);
      this.viewById.set(d.id, view);
      if (first) this.pose(view, first);
    }
    for (const c of init.scenario.criteria) {
      if (c.type === 'reach-goal') this.content.add(this.goalMarker(c.region.center, c.region.radiusM));
    }
    this.perception.attach(init.sensors);
    this.detections.attach(init.detectors ?? [], this.labels);
    this.markers.attach(init, this.labels);
    this.airspace.attach(init.airspace);
    for (const label of this.airspace.labels) {
      const el = document.createElement('div');
      el.className = 'scene-label zone-label';
      el.dataset.testid = 'zone-label';
      el.textContent = label.text;
      el.style.borderColor = ZONE_COLORS[label.restriction as keyof typeof ZONE_COLORS];
      this.labels.append(el);
      this.zoneTags.push({ el, label, x: NaN, y: NaN });
    }
    this.lastPoses = first ?? null;
    this.defaultFollowId = init.agentDriven[0] ?? this.views.find((v) => !v.isStatic)?.id ?? null;
    this.followView = this.defaultFollowId === null ? null : (this.viewById.get(this.defaultFollowId) ?? null);
    // Static actors are posed once, from the first poses; the orbit camera frames the scene then.
    this.staticPosed = first !== undefined;
    if (first) this.frameScene();
    this.followSnap = true;
    this.dirty = true;
  }

  /**
   * Take a frame's non-pose parts: looks (lamps, rotors, wind), gimbal poses,
   * new scans, zone activity, changed planned paths. Parts a frame lacks
   * (a recording) leave what is drawn as it was. Returns whether a zone
   * switched on or off (the legend shows it at once).
   */
  applyFrame(f: ViewFrame): boolean {
    let zones = false;
    if (f.looks) {
      for (const [id, l] of Object.entries(f.looks)) {
        const v = this.viewById.get(id);
        if (!v) continue;
        const s = v.look;
        if (l.brake !== undefined) s.brake = l.brake;
        if (l.hazard !== undefined) s.hazardLights = l.hazard;
        if (l.rotorSpeedsRadPerS && s.rotorSpeedsRadPerS) s.rotorSpeedsRadPerS.set(l.rotorSpeedsRadPerS.slice(0, s.rotorSpeedsRadPerS.length));
        if (l.windMps && s.windMps) {
          s.windMps[0] = l.windMps[0];
          s.windMps[1] = l.windMps[1];
          s.windMps[2] = l.windMps[2];
        }
      }
    }
    if (f.gimbals) {
      for (const [id, g] of Object.entries(f.gimbals)) {
        const v = this.viewById.get(id);
        if (v?.gimbalPose) setGimbalPose(v.gimbalPose, g);
        if (v?.gimbal && v.group.visible) v.gimbal.update();
      }
    }
    if (f.scans && this.perception.apply(f.scans)) this.dirty = true;
    if (f.detections && this.detections.apply(f.detections)) this.dirty = true;
    if (f.airspace && this.airspace.update(f.airspace.active)) zones = true;
    if (f.plans) this.plannedPaths.apply(f.plans);
    if (f.markers) this.markers.take(f.markers);
    this.dirty = true;
    return zones;
  }

  clear(): void {
    this.content.traverse((o) => {
      if (o instanceof THREE.Mesh || o instanceof THREE.Line) {
        o.geometry.dispose();
        const m = o.material as THREE.Material | THREE.Material[];
        for (const mat of Array.isArray(m) ? m : [m]) mat.dispose();
      }
    });
    for (const v of this.views) {
      v.lamps?.dispose();
      v.rotors?.dispose();
    }
    this.perception.clear();
    this.detections.clear();
    this.airspace.clear();
    this.plannedPaths.clear();
    this.content.clear();
    this.labels.replaceChildren();
    this.zoneTags = [];
    this.views = [];
    this.viewById.clear();
    this.roadView = null;
    this.followView = null;
    this.defaultFollowId = null;
    this.lastSimTime = NaN;
    this.lastPoses = null;
    this.terrainIds = new Set();
    this.chaseDt = 0;
    this.v2x.update([], this.positionOf, this.tmpA, this.tmpB);
    this.dirty = true;
  }

  /** Pose every moving actor (poses at sim time `p.time`, interpolated between frames). */
  update(p: PoseSample): void {
    const ls = this.lampState;
    const posingStatic = !this.staticPosed;
    for (let i = 0; i < this.views.length; i++) {
      const v = this.views[i]!;
      if (v.isStatic) {
        if (posingStatic) this.pose(v, p);
        continue;
      }
      this.pose(v, p);
      if (v.lamps) {
        const o = POSE_STRIDE * v.index;
        ls.linearVelocity[0] = p.pose[o + 7]!;
        ls.linearVelocity[1] = p.pose[o + 8]!;
        ls.linearVelocity[2] = p.pose[o + 9]!;
        ls.present = p.present[v.index] === 1;
        v.lamps.update(ls, p.time);
      }
      v.rotors?.update(p.time);
    }
    this.roadView?.update(p.time);
    if (this.detections.visible) this.detections.update(p.time);
    this.lastPoses = p;
    if (posingStatic) {
      this.staticPosed = true;
      this.frameScene();
      this.followSnap = true;
    }
    if (p.time > this.lastSimTime) this.chaseDt += p.time - this.lastSimTime;
    this.lastSimTime = p.time;
    this.dirty = true;
  }

  get canFollow(): boolean {
    return this.followView !== null;
  }

  /** The actor the chase and top cameras follow ('' if none). */
  get followedId(): string {
    return this.followView?.id ?? '';
  }

  /** Actors the cameras can follow: the moving ones, agent-driven first (as listed by the world). */
  followCandidates(): string[] {
    const moving = this.views.filter((v) => !v.isStatic).map((v) => v.id);
    const first = this.defaultFollowId;
    return first === null ? moving : [first, ...moving.filter((id) => id !== first)];
  }

  /** Follow another actor (unknown ids fall back to the default: the first agent-driven actor). */
  follow(id: string): void {
    const v = this.viewById.get(id) ?? (this.defaultFollowId === null ? null : this.viewById.get(this.defaultFollowId)) ?? null;
    if (v === this.followView) return;
    this.followView = v;
    this.followSnap = true;
    this.dirty = true;
  }

  /**
   * Where the V2X overlay gets its links each frame. The default draws
   * nothing: a run that exposes no deliveries shows no links.
   */
  setV2xSource(links: () => V2xLinks, fixedRadios: ReadonlyArray<{ id: string; positionM: readonly [number, number, number] }> = []): void {
    this.v2xLinks = links;
    this.fixedRadios.clear();
    // The overlay lifts every end to a car's antenna height; a roadside unit's mast is taller.
    for (const r of fixedRadios) this.fixedRadios.set(r.id, new THREE.Vector3(r.positionM[0], r.positionM[1], r.positionM[2] - V2X_ANTENNA_Z_M));
  }

  set showV2x(on: boolean) {
    this.v2x.visible = on;
    this.dirty = true;
  }

  /** Links drawn in the last frame with the overlay on, and links that named an actor not drawn. */
  get v2xCounts(): { drawn: number; skipped: number } {
    return { drawn: this.v2x.drawn, skipped: this.v2x.skipped };
  }

  /** Perception rays: each range sensor's last scan (what the agent received). */
  set showRays(on: boolean) {
    this.perception.visible = on;
    this.detections.visible = on;
    this.dirty = true;
  }

  /** Points and rays drawn for the last scans, the range sensors in the run, and the detected objects drawn (of how many object lists). */
  get rayCounts(): { points: number; rays: number; sensors: number; watched: number; detections: number; detectors: number } {
    return { ...this.perception.drawn, watched: this.perception.sensorCount, detections: this.detections.drawn, detectors: this.detections.sensorCount };
  }

  set showTrails(on: boolean) {
    this.trailsOn = on;
    for (const v of this.views) if (v.trail) v.trail.line.visible = on;
    this.plannedPaths.visible = on;
    this.dirty = true;
  }

  /** TTC and clearance markers: `markers=0` and the M key hide them. */
  set showMarkers(on: boolean) {
    this.markers.visible = on;
    this.dirty = true;
  }

  get markersShown(): boolean {
    return this.markers.visible;
  }

  /** The marker labels shown now (null: that marker is not drawn). */
  get markerState(): { ttc: string | null; clearance: string | null } {
    return this.markers.state;
  }

  /** The airspace zones (and nothing else): `zones=0` and the Z key hide them. */
  set showZones(on: boolean) {
    this.airspace.visible = on;
    this.dirty = true;
  }

  get zonesShown(): boolean {
    return this.airspace.visible;
  }

  /** Zones, volumes, active zones and ceiling-less volumes drawn; planned paths drawn. */
  get airspaceCounts(): AirspaceCounts & { planned: number } {
    return { ...this.airspace.counts, planned: this.plannedPaths.count };
  }

  /**
   * The drone whose wind is shown: the followed actor if it is a drone, else
   * the first drone (agent-driven first); '' without drones.
   */
  get windDroneId(): string {
    return this.windView()?.id ?? '';
  }

  /** The wind at the selected drone (the live array the drone reads; copy to keep), or null. */
  get windAtDrone(): Readonly<[number, number, number]> | null {
    return this.windView()?.wind ?? null;
  }

  /**
   * The ground direction that is up on the screen, ENU rad from east: the
   * camera's up axis projected on the ground (its forward for an oblique view,
   * north for the top view).
   */
  screenUpRad(): number {
    const e = this.camera.matrixWorld.elements;
    // Column 1: camera +y in world; column 2: camera +z (backwards).
    let x = e[4]!, y = e[5]!;
    if (x * x + y * y < 1e-8) {
      x = -e[8]!;
      y = -e[9]!;
    }
    return Math.atan2(y, x);
  }

  private windView(): ActorView | null {
    const f = this.followView;
    if (f?.uav) return f;
    const first = this.defaultFollowId === null ? undefined : this.viewById.get(this.defaultFollowId);
    if (first?.uav) return first;
    return this.views.find((v) => v.uav) ?? null;
  }

  /** Point the wind arrow over the selected drone where its air moves, sized by the speed. */
  private placeWindArrow(): void {
    const v = this.windView();
    const w = v?.wind;
    const speed = w ? Math.hypot(w[0], w[1], w[2]) : 0;
    const on = !!v && !!w && v.group.visible && speed > 0;
    if (this.windArrow.visible !== on) {
      this.windArrow.visible = on;
      this.dirty = true;
    }
    if (!on) return;
    const len = arrowLengthM(speed);
    const p = v.group.position;
    // The arrow's middle sits over the drone, so it reads as the air streaming past it.
    this.tmpFwd.set(w[0] / speed, w[1] / speed, w[2] / speed);
    this.windArrow.position.set(p.x - (this.tmpFwd.x * len) / 2, p.y - (this.tmpFwd.y * len) / 2, p.z + WIND_ARROW_UP_M - (this.tmpFwd.z * len) / 2);
    this.windArrow.setDirection(this.tmpFwd);
    this.windArrow.setLength(len, Math.min(0.35, 0.3 * len), Math.min(0.2, 0.18 * len));
    this.dirty = true;
  }

  setCameraMode(mode: CameraMode): void {
    if (mode === this.mode) return;
    const from = this.mode;
    this.mode = mode;
    this.controls.enabled = mode === 'orbit';
    // Top-down looks straight down: "up" on screen is north (+y); the others keep z up.
    this.camera.up.set(0, mode === 'top' ? 1 : 0, mode === 'top' ? 0 : 1);
    // Fog is tuned for oblique views; from straight above it would grey out the road.
    this.scene.fog = mode === 'top' ? null : this.fog;
    if (from === 'onboard') {
      this.camera.near = 0.05;
      this.camera.updateProjectionMatrix();
      const f = this.followView;
      if (f && this.lastPoses) this.pose(f, this.lastPoses);
    }
    if (mode === 'orbit') {
      // Hand over smoothly: orbit around where the followed actor is now, from where the camera is
      // (a drone itself, so it can be looked at from close by; a ground actor's foot point).
      const v = this.followView;
      if (v) this.controls.target.copy(v.group.position).setZ(v.uav ? v.group.position.z : 0);
      if (from === 'top') {
        // OrbitControls cannot start from straight above (its up is z): back off to an oblique view.
        this.camera.position.set(this.controls.target.x - 20, this.controls.target.y - 40, 35);
      }
      this.controls.update();
    } else {
      // Straight to the new view: the heading spring runs in sim time, so easing in would stall while paused.
      this.followSnap = true;
    }
    this.dirty = true;
  }

  /** Draw a frame if anything changed; `dt` is real seconds since the last call. */
  render(dt: number): void {
    if (this.mode === 'chase') this.chase();
    else if (this.mode === 'top') this.top();
    else if (this.mode === 'onboard') this.onboard();
    else this.controls.update(dt);
    this.moveShadow(this.mode !== 'orbit' && this.followView ? this.followView.group.position : this.controls.target);
    if (this.v2x.visible) {
      this.v2x.update(this.v2xLinks(), this.positionOf, this.tmpA, this.tmpB);
      this.dirty = true;
    }
    this.placeWindArrow();
    if (this.markers.visible) this.markers.update(this.positionOf);
    if (!this.dirty) return;
    this.dirty = false;
    this.renderer.render(this.scene, this.camera);
    this.renderPip();
    this.placeLabels();
  }

  /** Show the gimbal camera's inset (when the selected drone has a gimbal). */
  set showPip(on: boolean) {
    this.pipOn = on;
    this.dirty = true;
  }

  /** The selected drone (as for the wind) if it carries a gimbal, else null. */
  private gimbalView(): ActorView | null {
    const v = this.windView();
    return v?.gimbal ? v : null;
  }

  /**
   * The inset: the scene from the gimbal camera (at the simulation's
   * `cameraPosition`, with the camera's attitude), into a scissored corner of
   * the canvas after the main view. The carrying drone and its gimbal are
   * hidden for it: the airframe is drawn as its collision box, which is not
   * what a camera under a real Iris sees. The shadow map of the main pass is
   * reused (same frame, same sun).
   */
  private renderPip(): void {
    const v = this.pipOn ? this.gimbalView() : null;
    const look = v?.gimbal;
    const on = !!v && !!look && v.group.visible && this.viewW > PIP_WIDTH_PX + 2 * PIP_LEFT_PX && this.viewH > PIP_HEIGHT_PX + 2 * PIP_BOTTOM_PX;
    if (this.pipFrame.hidden === on) this.pipFrame.hidden = !on;
    if (!on) return;
    if (v.id !== this.pipCaptionId) {
      this.pipCaptionId = v.id;
      this.pipCaption.textContent = `${v.id} · gimbal camera · ${PIP_HFOV_DEG}° HFOV`;
      this.pipFrame.dataset.drone = v.id;
    }
    const g = look.gimbal;
    const p = g.cameraPosition;
    this.pipCamera.position.set(p[0], p[1], p[2]);
    threeCameraQuaternion(g.dynamics.cameraRotation, this.pipCamera.quaternion);
    this.pipCamera.updateMatrixWorld();
    const r = this.renderer;
    v.group.visible = false;
    look.visible = false;
    const trail = v.trail?.line.visible ?? false;
    if (v.trail) v.trail.line.visible = false;
    // A camera sees no airspace: the zones, planned paths and markers are left out of the inset.
    const zones = this.airspace.group.visible, paths = this.plannedPaths.group.visible, markers = this.markers.lines.visible;
    this.airspace.visible = false;
    this.plannedPaths.visible = false;
    this.markers.lines.visible = false;
    r.setViewport(PIP_LEFT_PX, PIP_BOTTOM_PX, PIP_WIDTH_PX, PIP_HEIGHT_PX);
    r.setScissor(PIP_LEFT_PX, PIP_BOTTOM_PX, PIP_WIDTH_PX, PIP_HEIGHT_PX);
    r.setScissorTest(true);
    r.shadowMap.autoUpdate = false;
    r.render(this.scene, this.pipCamera);
    r.shadowMap.autoUpdate = true;
    r.setScissorTest(false);
    r.setViewport(0, 0, this.viewW, this.viewH);
    v.group.visible = true;
    look.visible = true;
    if (v.trail) v.trail.line.visible = trail;
    this.airspace.visible = zones;
    this.plannedPaths.visible = paths;
    this.markers.lines.visible = markers;
  }

  private placeLabels(): void {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    for (let i = 0; i < this.views.length; i++) {
      const v = this.views[i]!;
      if (!v.label) continue;
      const p = this.tmpV.copy(v.group.position);
      p.z += v.labelZ;
      p.project(this.camera);
      const on = v.group.visible && p.z < 1 && Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1;
      if (v.label.hidden === on) v.label.hidden = !on;
      if (!on) continue;
      // Whole pixels, and only when moved: the style string is the one allocation here.
      const x = Math.round(((p.x + 1) / 2) * w), y = Math.round(((1 - p.y) / 2) * h);
      if (x === v.labelX && y === v.labelY) continue;
      v.labelX = x;
      v.labelY = y;
      v.label.style.transform = `translate(${x}px, ${y}px) translate(-50%, -100%)`;
    }
    this.markers.placeLabels(this.camera, w, h);
    this.detections.placeLabels(this.camera, w, h);
    const zonesOn = this.airspace.visible;
    for (const t of this.zoneTags) {
      const p = this.tmpV.copy(t.label.at).project(this.camera);
      const on = zonesOn && p.z < 1 && Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1;
      if (t.el.hidden === on) t.el.hidden = !on;
      if (!on) continue;
      if (t.el.classList.contains('zone-inactive') === t.label.active) t.el.classList.toggle('zone-inactive', !t.label.active);
      const x = Math.round(((p.x + 1) / 2) * w), y = Math.round(((1 - p.y) / 2) * h);
      if (x === t.x && y === t.y) continue;
      t.x = x;
      t.y = y;
      t.el.style.transform = `translate(${x}px, ${y}px) translate(-50%, -50%)`;
    }
  }

  private buildActor(d: ActorDescriptor, driven: boolean): THREE.Group {
    const group = new THREE.Group();
    group.name = d.id;
    if (isPedestrian(d)) {
      // A person, not its collision shape: the descriptor's parts give the size.
      group.add(buildPedestrian(d));
      return group;
    }
    const color = new THREE.Color(d.color ?? DEFAULT_COLOR);
    // Outline a car's chassis and cabin only: its wheels' rims add draw calls (36 cars on the dense highway) and little shape.
    const outlineParts = isCar(d) ? 2 : d.parts.length;
    for (const [k, part] of d.parts.entries()) {
      const geometry = geometryOf(part);
      const material = new THREE.MeshStandardMaterial({ color, roughness: d.isTerrain ? 0.95 : 0.7, metalness: d.isTerrain ? 0 : 0.05 });
      const mesh = new THREE.Mesh(geometry, material);
      placePart(mesh, part);
      mesh.receiveShadow = true;
      mesh.castShadow = !d.isTerrain;
      group.add(mesh);
      if (d.isTerrain) {
        const grid = terrainGrid(part);
        if (grid) group.add(grid);
      } else if (k < outlineParts) {
        const edges = new THREE.LineSegments(
          new THREE.EdgesGeometry(geometry, 30),
          new THREE.LineBasicMaterial({ color: '#05070a', transparent: true, opacity: 0.35 }),
        );
        placePart(edges, part);
        group.add(edges);
      }
    }
    if (driven) this.addHeadingMark(group);
    return group;
  }

  /** A flat arrow on top of an agent-driven actor pointing along body +x (its heading). */
  private addHeadingMark(group: THREE.Group): void {
    const box = new THREE.Box3().setFromObject(group);
    if (box.isEmpty()) return;
    const len = box.max.x - box.min.x;
    const wid = box.max.y - box.min.y;
    const cy = (box.max.y + box.min.y) / 2;
    const shape = new THREE.Shape();
    shape.moveTo(box.max.x - 0.1 * len, cy);
    shape.lineTo(box.min.x + 0.35 * len, cy + 0.3 * wid);
    shape.lineTo(box.min.x + 0.45 * len, cy);
    shape.lineTo(box.min.x + 0.35 * len, cy - 0.3 * wid);
    shape.closePath();
    const mark = new THREE.Mesh(new THREE.ShapeGeometry(shape), new THREE.MeshBasicMaterial({ color: '#12161c' }));
    mark.position.z = box.max.z + 0.003;
    group.add(mark);
  }

  private goalMarker(center: readonly number[], radius: number): THREE.Object3D {
    const [x = 0, y = 0] = center;
    const g = new THREE.Group();
    g.name = 'goal';
    g.position.set(x, y, 0);
    const disc = new THREE.Mesh(
      new THREE.CircleGeometry(radius, 64),
      new THREE.MeshBasicMaterial({ color: GOAL_COLOR, transparent: true, opacity: 0.14, depthWrite: false }),
    );
    disc.position.z = 0.008;
    const ring = new THREE.Mesh(
      new THREE.RingGeometry(Math.max(radius - 0.07, 0), radius, 96),
      new THREE.MeshBasicMaterial({ color: GOAL_COLOR, transparent: true, opacity: 0.9, depthWrite: false }),
    );
    ring.position.z = 0.01;
    const pole = new THREE.Mesh(
      new THREE.CylinderGeometry(0.03, 0.03, 1.6, 12).rotateX(Math.PI / 2),
      new THREE.MeshBasicMaterial({ color: GOAL_COLOR, transparent: true, opacity: 0.7 }),
    );
    pole.position.z = 0.8;
    g.add(disc, ring, pole);
    return g;
  }

  private pose(v: ActorView, p: PoseSample): void {
    const o = POSE_STRIDE * v.index;
    if (o + POSE_STRIDE > p.pose.length) return;
    const present = p.present[v.index] === 1;
    const x = p.pose[o]!, y = p.pose[o + 1]!, z = p.pose[o + 2]!;
    v.group.visible = present;
    v.group.position.set(x, y, z);
    v.group.quaternion.set(p.pose[o + 3]!, p.pose[o + 4]!, p.pose[o + 5]!, p.pose[o + 6]!);
    if (v.gimbal) v.gimbal.visible = present;
    if (v.trail && present) v.trail.add(x, y, z);
  }

  /** Frame the scene for the orbit camera and set its fog (none from straight above). */
  private frameScene(): void {
    this.frame();
    this.fog = this.scene.fog as THREE.Fog | null;
    if (this.mode === 'top') this.scene.fog = null;
  }

  /**
   * Orbit camera framing where things happen: the non-terrain actors and the
   * goal regions, padded by 2 m (the ground if there is nothing else). The
   * sun's shadow box and the fog cover the whole ground.
   */
  private frame(): void {
    const terrainIds = this.terrainIds;
    const ground = new THREE.Box3();
    for (const v of this.views) if (terrainIds.has(v.id)) ground.expandByObject(v.group);
    const focus = new THREE.Box3();
    for (const v of this.views) if (!terrainIds.has(v.id)) focus.expandByObject(v.group);
    for (const o of this.content.children) if (o.name === 'goal') focus.expandByObject(o);
    // The zones' footprints too (not their height: a 150 m column would push the camera far out).
    if (this.airspace.counts.volumes > 0) {
      const zones = new THREE.Box3().setFromObject(this.airspace.group);
      zones.min.z = 0;
      zones.max.z = Math.min(zones.max.z, 10);
      focus.union(zones);
    }
    if (!focus.isEmpty()) {
      focus.expandByVector(new THREE.Vector3(2, 2, 0));
      focus.min.z = Math.min(focus.min.z, 0);
    } else {
      focus.copy(ground);
    }
    if (focus.isEmpty()) focus.set(new THREE.Vector3(-10, -10, 0), new THREE.Vector3(10, 10, 1));
    if (ground.isEmpty()) ground.copy(focus);

    const c = focus.getCenter(new THREE.Vector3());
    const size = focus.getSize(new THREE.Vector3());
    // Look from the south, a little west, ~40 deg down; back off until every
    // corner of the focus box projects inside the view with a margin.
    const dir = new THREE.Vector3(-0.12, -0.76, 0.64).normalize();
    const corners: THREE.Vector3[] = [];
    for (const x of [focus.min.x, focus.max.x]) for (const y of [focus.min.y, focus.max.y]) for (const z of [focus.min.z, focus.max.z]) corners.push(new THREE.Vector3(x, y, z));
    this.controls.target.set(c.x, c.y, 0);
    const p = new THREE.Vector3();
    let d = 0.25 * Math.max(size.x, size.y, 4);
    for (let i = 0; i < 120; i++, d *= 1.03) {
      this.camera.position.set(c.x + dir.x * d, c.y + dir.y * d, dir.z * d);
      this.camera.lookAt(this.controls.target);
      this.camera.updateMatrixWorld();
      const fits = corners.every((k) => {
        p.copy(k).project(this.camera);
        return Math.abs(p.x) < 0.94 && Math.abs(p.y) < 0.84 && p.z < 1;
      });
      if (fits) break;
    }

    const gc = ground.getCenter(new THREE.Vector3());
    const gs = ground.getSize(new THREE.Vector3());
    const s = Math.max(gs.x, gs.y, 8);
    this.camera.far = Math.max(2000, 20 * s);
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.scene.fog = new THREE.Fog(BACKGROUND, d + s, d + 5 * s);
    // Sun from the south-east, high; the shadow box covers the ground, or on a
    // large ground (a 1.4 km motorway) a box around the view that moves with it:
    // sharper shadows, and only the nearby actors drawn into the shadow map.
    const half = Math.min(0.62 * s, SHADOW_HALF_MAX_M);
    this.shadowFollows = half < 0.62 * s;
    const k = half / 0.62;
    this.sunOffset.set(0.35 * k, -0.45 * k, 0.9 * k);
    this.sun.target.position.set(gc.x, gc.y, 0);
    this.sun.position.copy(this.sun.target.position).add(this.sunOffset);
    const cam = this.sun.shadow.camera;
    cam.left = -half;
    cam.right = half;
    cam.top = half;
    cam.bottom = -half;
    cam.near = 0.1;
    cam.far = 3 * k;
    cam.updateProjectionMatrix();
    this.shadowTexelM = (2 * half) / this.sun.shadow.mapSize.x;
  }

  /** Move a following shadow box over `p`, in whole shadow-map texels (a box sliding by fractions of a texel makes edges shimmer). */
  private moveShadow(p: THREE.Vector3): void {
    if (!this.shadowFollows) return;
    const t = this.shadowTexelM;
    const x = Math.round(p.x / t) * t, y = Math.round(p.y / t) * t;
    const st = this.sun.target.position;
    if (x === st.x && y === st.y) return;
    st.set(x, y, 0);
    this.sun.position.copy(st).add(this.sunOffset);
  }

  /**
   * Chase camera: behind and above the followed actor, looking ahead of it.
   * The camera moves with the actor rigidly and only its bearing is smoothed
   * (critically damped spring on the heading): a spring on the position would
   * lag by 2v/omega, tens of metres at highway speed. The spring runs in
   * simulated time, so it trails a turn by the same angle at any playback
   * speed or frame rate, and holds still while the run is paused.
   */
  private chase(): void {
    const v = this.followView;
    if (!v) return;
    const p = v.group.position;
    const target = this.headingOf(v);
    const yaw = this.followSnap ? (this.heading.reset(target), target) : this.heading.updateAngle(target, this.chaseDt);
    this.chaseDt = 0;
    this.followSnap = false;
    const c = Math.cos(yaw), s = Math.sin(yaw);
    const back = (v.uav ? UAV_CHASE_BACK_M : Math.max(CHASE_BACK_MIN_M, CHASE_BACK_LENGTHS * v.lengthM)) * this.zoom;
    const up = (v.uav ? UAV_CHASE_UP_M : Math.max(CHASE_UP_MIN_M, CHASE_UP_LENGTHS * v.lengthM)) * this.zoom;
    this.camera.position.set(p.x - back * c, p.y - back * s, p.z + up);
    // Aim well ahead of the actor, so the traffic it is about to meet is in view, not just its roof.
    const ahead = v.uav ? UAV_CHASE_AHEAD_M : CHASE_AHEAD_LENGTHS * v.lengthM + 2;
    this.camera.lookAt(p.x + ahead * c, p.y + ahead * s, p.z);
    this.dirty = true;
  }

  /**
   * Onboard camera: a drone with a gimbal is seen through its gimbal camera
   * (the attitude the simulation gives the camera); any other actor from the
   * driver's seat: on its body, a little left of centre (left-hand drive) and
   * back from the front, at eye height near the roof, looking along body +x.
   */
  private onboard(): void {
    const v = this.followView;
    if (!v) return;
    const g = v.gimbalPose;
    if (g) {
      const p = g.cameraPosition;
      this.camera.position.set(p[0], p[1], p[2]);
      threeCameraQuaternion(g.dynamics.cameraRotation, this.camera.quaternion);
    } else {
      const box = this.tmpBox.setFromObject(v.group);
      // The group's box is in world axes; the eye is placed in the body frame from its length and height.
      const h = box.isEmpty() ? 1.2 : box.max.z - v.group.position.z;
      const eye = this.tmpV.set(v.uav ? 0.3 * v.lengthM : 0.05 * v.lengthM, v.uav ? 0 : 0.35, Math.max(0.3, ONBOARD_EYE_HEIGHT_FRACTION * h));
      eye.applyQuaternion(v.group.quaternion).add(v.group.position);
      this.camera.position.copy(eye);
      // Body +x forward becomes three's camera -z: look at a point ahead along the body's x axis, level with the eye.
      const fwd = this.tmpFwd.set(1, 0, 0).applyQuaternion(v.group.quaternion);
      this.camera.up.set(0, 0, 1);
      this.camera.lookAt(eye.x + 10 * fwd.x, eye.y + 10 * fwd.y, eye.z + 10 * fwd.z);
    }
    this.camera.near = ONBOARD_NEAR_M;
    this.camera.updateProjectionMatrix();
    // The followed actor's own body would fill the view from inside: hidden for this camera (shown again by the next pose).
    v.group.visible = false;
    if (v.gimbal) v.gimbal.visible = false;
    this.followSnap = false;
    this.dirty = true;
  }

  /** Top-down camera straight over the followed actor (or the orbit target), north up. */
  private top(): void {
    const v = this.followView;
    const p = v ? v.group.position : this.controls.target;
    const h = Math.max(TOP_HEIGHT_MIN_M, TOP_HEIGHT_LENGTHS * (v?.lengthM ?? 1)) * this.zoom;
    this.camera.position.set(p.x, p.y, p.z + h);
    this.camera.lookAt(p.x, p.y, p.z);
    this.followSnap = false;
    this.dirty = true;
  }

  /**
   * Heading of an actor in the ground plane from its rotation (body x
   * forward), rad. A drone moving over the ground is chased along its course
   * instead: a multirotor may fly sideways to where its nose points.
   */
  private headingOf(v: ActorView): number {
    if (v.uav) {
      const p = this.lastPoses, o = POSE_STRIDE * v.index;
      if (p && o + POSE_STRIDE <= p.pose.length) {
        const vx = p.pose[o + 7]!, vy = p.pose[o + 8]!;
        if (Math.hypot(vx, vy) > UAV_COURSE_MIN_MPS) v.courseRad = Math.atan2(vy, vx);
      }
      if (!Number.isNaN(v.courseRad)) return v.courseRad;
    }
    const fwd = this.tmpFwd.set(1, 0, 0).applyQuaternion(this.tmpQ.copy(v.group.quaternion));
    return fwd.x * fwd.x + fwd.y * fwd.y < 1e-6 ? 0 : Math.atan2(fwd.y, fwd.x);
  }

  /** The scroll wheel zooms the chase and top cameras (orbit has its own zoom). */
  private onWheel(e: WheelEvent): void {
    if (this.mode === 'orbit') return;
    e.preventDefault();
    this.zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, this.zoom * Math.exp(e.deltaY * 0.001)));
    this.dirty = true;
  }

  private resize(): void {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, h, false);
    this.viewW = w;
    this.viewH = h;
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }
}

/** The renderer's name if WebGL here is a software rasteriser (SwiftShader, llvmpipe, ...), else null (a probe context, released at once). */
function softwareRenderer(): string | null {
  try {
    const c = document.createElement('canvas');
    const gl = c.getContext('webgl2') ?? c.getContext('webgl');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software|lavapipe/i.test(name) ? name : null;
  } catch {
    return null;
  }
}
