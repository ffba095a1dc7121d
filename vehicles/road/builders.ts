/**
 * Procedural road networks from plain parameter objects (the scenario
 * schema wraps them later): a multi-lane highway, an on-ramp merge, a
 * signalised four-way intersection and an urban grid of them. Each returns a
 * `RoadNetworkDescriptor`, the same plain data an OpenDRIVE importer will
 * produce; `new RoadNetwork(descriptor)` validates it.
 *
 * Geometry is chained primitive by primitive from each one's exact end
 * pose, so joints meet to rounding. Right-hand traffic throughout.
 */
import type { CrosswalkDescriptor } from './crosswalk.ts';
import { geometryFrom, newRoadPose, type GeometryDescriptor } from './geometry.ts';
import type { JunctionConnection, JunctionDescriptor } from './junction.ts';
import type { LaneDescriptor, LaneType, RoadMark, RoadMarkColor, RoadMarkType } from './lane.ts';
import type { LaneSectionDescriptor } from './lane-section.ts';
import { constantCubic, type CubicRecord } from './polynomial.ts';
import type { ContactPoint, RoadDescriptor } from './road.ts';
import type { RoadNetworkDescriptor } from './road-network.ts';
import type { FixedTimeControllerDescriptor, SignalPhase } from './signal-controller.ts';
import type { StopLineDescriptor } from './stop-line.ts';
import type { TrafficLightDescriptor } from './traffic-light.ts';

const KMH = 1 / 3.6;

/** Expressway lane width, m: JTG B01-2014 (Technical Standard of Highway Engineering), design speed >= 80 km/h. */
export const HIGHWAY_LANE_WIDTH_M = 3.75;
/** Expressway right hard shoulder, m: JTG B01-2014, 120 km/h expressway (general value). */
export const HIGHWAY_SHOULDER_WIDTH_M = 3.0;
/** Expressway speed limit, m/s: 120 km/h, Regulations for the Implementation of the PRC Road Traffic Safety Law, art. 78. */
export const HIGHWAY_SPEED_LIMIT_MPS = 120 * KMH;
/** Urban lane width, m: CJJ 37-2012 (Code for Design of Urban Road Engineering), mixed traffic, design speed <= 60 km/h. */
export const URBAN_LANE_WIDTH_M = 3.5;
/** Urban speed limit, m/s: 50 km/h, Implementing Regulations art. 45 (urban road, one motor lane each way); used for every urban lane. */
export const URBAN_SPEED_LIMIT_MPS = 50 * KMH;
/** Sidewalk width, m: CJJ 37-2012 minimum sidewalk width (general value). */
export const SIDEWALK_WIDTH_M = 2.0;
/** Crosswalk width along the road, m: GB 5768.3-2009, minimum 3 m (widened in 1 m steps). */
export const CROSSWALK_WIDTH_M = 3.0;
/** Gap from the crosswalk to the stop line, m: Skylane's choice inside the 1-3 m of common practice (GB 5768.3-2009 marking drawings). */
export const STOP_LINE_GAP_M = 2.0;
/** Yellow interval, s: 3 s, GB 14886-2016 (Specifications for setting and installation of road traffic signals). */
export const YELLOW_S = 3;
/** All-red clearance, s: Skylane's choice in the 1-2 s range of ITE practice (ITE, Traffic Signal Timing Manual, 2nd ed.). */
export const ALL_RED_S = 2;

/** A segment of a reference line, without its start pose (chained from the previous end). */
export type PlanSegment =
  | { type: 'line'; lengthM: number }
  | { type: 'arc'; lengthM: number; curvature: number }
  | { type: 'spiral'; lengthM: number; curvStart: number; curvEnd: number };

export interface PlanStart {
  x: number;
  y: number;
  headingRad: number;
}

const _end = newRoadPose();

/** Chain segments from a start pose into geometry records, each starting at the exact end of the previous one. */
export function chainPlan(start: PlanStart, segments: readonly PlanSegment[]): GeometryDescriptor[] {
  const out: GeometryDescriptor[] = [];
  let s = 0;
  let { x, y, headingRad } = start;
  for (const seg of segments) {
    const g: GeometryDescriptor = { ...seg, s, x, y, headingRad };
    out.push(g);
    geometryFrom(g).poseAt(s + seg.lengthM, _end);
    s += seg.lengthM;
    x = _end.x;
    y = _end.y;
    headingRad = _end.headingRad;
  }
  return out;
}

/** End pose of a chained plan. */
export function planEnd(plan: readonly GeometryDescriptor[]): PlanStart {
  const last = plan[plan.length - 1]!;
  geometryFrom(last).poseAt(last.s + last.lengthM, _end);
  return { x: _end.x, y: _end.y, headingRad: _end.headingRad };
}

function mark(type: RoadMarkType, color: RoadMarkColor = 'white'): RoadMark[] {
  // Lane line width 0.15 m: GB 5768.3-2009 (lane dividing lines 10-15 cm).
  return [{ sOffset: 0, type, color, widthM: type === 'none' ? 0 : 0.15 }];
}

function lane(id: number, type: LaneType, width: CubicRecord[], marks: RoadMark[], speedMps: number | undefined, link?: { predecessor?: number; successor?: number }): LaneDescriptor {
  const d: LaneDescriptor = { id, type, width, roadMarks: marks };
  if (speedMps !== undefined && type !== 'sidewalk' && type !== 'shoulder') d.speed = [{ sOffset: 0, maxMps: speedMps }];
  if (link?.predecessor !== undefined) d.predecessor = link.predecessor;
  if (link?.successor !== undefined) d.successor = link.successor;
  return d;
}

interface CarriagewayOptions {
  lanes: number;
  laneWidthM: number;
  /** Outermost lane on each side, if any. */
  edge?: { type: LaneType; widthM: number };
  speedMps: number;
}

/** n lanes each way, an optional edge lane (shoulder, sidewalk), centre double yellow. */
function carriageway(o: CarriagewayOptions): Omit<LaneSectionDescriptor, 's'> {
  const side = (sign: 1 | -1): LaneDescriptor[] => {
    const out: LaneDescriptor[] = [];
    const n = o.lanes + (o.edge ? 1 : 0);
    for (let k = 1; k <= n; k++) {
      const id = sign * k;
      if (k <= o.lanes) out.push(lane(id, 'driving', constantCubic(o.laneWidthM), mark(k < o.lanes ? 'broken' : 'solid'), o.speedMps));
      else out.push(lane(id, o.edge!.type, constantCubic(o.edge!.widthM), mark('none'), undefined));
    }
    return out;
  };
  return { left: side(1), center: { id: 0, type: 'none', width: [], roadMarks: mark('solid solid', 'yellow') }, right: side(-1) };
}

/** Rotate about the origin by `headingRad` and shift by `origin`: places a network built in a local frame. */
function place(plan: GeometryDescriptor[], origin: readonly [number, number], headingRad: number): GeometryDescriptor[] {
  const c = Math.cos(headingRad);
  const s = Math.sin(headingRad);
  return plan.map((g) => ({ ...g, x: origin[0] + c * g.x - s * g.y, y: origin[1] + s * g.x + c * g.y, headingRad: g.headingRad + headingRad }));
}

// ---------------------------------------------------------------- highway

export interface HighwayCurve {
  /** Where the curve's entry spiral begins, m along the road. */
  startS: number;
  radiusM: number;
  /** Total heading change, rad; positive turns left. */
  angleRad: number;
  /** Length of each of the entry and exit spirals, m (0: the arc meets the lines directly, as in CARLA's maps). */
  spiralLengthM?: number;
}

export interface HighwayParams {
  roadId?: string;
  lanesPerDirection: number;
  lengthM: number;
  laneWidthM?: number;
  shoulderWidthM?: number;
  speedLimitMps?: number;
  origin?: [number, number];
  headingRad?: number;
  curve?: HighwayCurve;
}

/** The reference-line segments of a straight road with an optional spiral-arc-spiral curve. */
function curvedPlan(lengthM: number, curve: HighwayCurve | undefined): PlanSegment[] {
  if (!curve) return [{ type: 'line', lengthM }];
  const ls = curve.spiralLengthM ?? 0;
  const k = Math.sign(curve.angleRad) / curve.radiusM;
  // Each spiral turns ls / (2R); the arc turns the rest.
  const arcAngle = Math.abs(curve.angleRad) - ls / curve.radiusM;
  if (!(curve.radiusM > 0) || arcAngle < 0) throw new RangeError(`highway curve: radius must be > 0 and the spirals (${ls} m) must turn less than the angle`);
  const arcLength = arcAngle * curve.radiusM;
  const rest = lengthM - curve.startS - 2 * ls - arcLength;
  if (!(curve.startS >= 0) || rest < 0) throw new RangeError(`highway curve: does not fit in ${lengthM} m (needs ${curve.startS + 2 * ls + arcLength} m)`);
  const segs: PlanSegment[] = [];
  if (curve.startS > 0) segs.push({ type: 'line', lengthM: curve.startS });
  if (ls > 0) segs.push({ type: 'spiral', lengthM: ls, curvStart: 0, curvEnd: k });
  if (arcLength > 0) segs.push({ type: 'arc', lengthM: arcLength, curvature: k });
  if (ls > 0) segs.push({ type: 'spiral', lengthM: ls, curvStart: k, curvEnd: 0 });
  if (rest > 0) segs.push({ type: 'line', lengthM: rest });
  return segs;
}

/** One road, n lanes each way with hard shoulders, straight or with one curve. */
export function buildHighway(p: HighwayParams): RoadNetworkDescriptor {
  requireLanes(p.lanesPerDirection);
  const plan = place(chainPlan({ x: 0, y: 0, headingRad: 0 }, curvedPlan(p.lengthM, p.curve)), p.origin ?? [0, 0], p.headingRad ?? 0);
  const lanes = carriageway({
    lanes: p.lanesPerDirection,
    laneWidthM: p.laneWidthM ?? HIGHWAY_LANE_WIDTH_M,
    edge: { type: 'shoulder', widthM: p.shoulderWidthM ?? HIGHWAY_SHOULDER_WIDTH_M },
    speedMps: p.speedLimitMps ?? HIGHWAY_SPEED_LIMIT_MPS,
  });
  return { roads: [{ id: p.roadId ?? 'highway', planView: plan, laneSections: [{ s: 0, ...lanes }] }] };
}

// ---------------------------------------------------------------- on-ramp

export interface OnRampParams {
  lanesPerDirection: number;
  /** Mainline before the merge point, m. */
  upstreamLengthM: number;
  /** Mainline from the merge point on, m (must hold the acceleration lane and taper). */
  downstreamLengthM: number;
  laneWidthM?: number;
  shoulderWidthM?: number;
  speedLimitMps?: number;
  /** Ramp speed limit, m/s. Skylane default 60 km/h, a common ramp design speed. */
  rampSpeedLimitMps?: number;
  /** Parallel acceleration lane, m. Skylane default 200 m (assumption, not from a standard). */
  accelerationLaneLengthM?: number;
  /** Taper at its end, m. Skylane default 80 m (assumption). */
  taperLengthM?: number;
  /** Ramp curve radius, m. Skylane default 150 m (assumption). */
  rampRadiusM?: number;
  /** Spirals into and out of the ramp curve, m. Default 40 m. */
  rampSpiralLengthM?: number;
  /** Heading of the ramp's approach relative to the mainline, rad. Default 0.5 rad. */
  rampAngleRad?: number;
  /** Straight approach before the ramp curve, m. Default 50 m. */
  rampApproachLengthM?: number;
  origin?: [number, number];
  headingRad?: number;
}

/**
 * A mainline (roads `main-in` and `main-out`) and a one-lane ramp (road
 * `ramp`) that joins it through a direct junction `merge` as a parallel
 * acceleration lane, id -(n+1) on `main-out`, which then tapers to zero
 * width by a smooth cubic. The ramp curve is spiral-arc-spiral. At the merge
 * the right shoulder of `main-in` ends and `main-out`'s shoulder starts
 * outside the acceleration lane (shoulders are not linked across it).
 */
export function buildOnRamp(p: OnRampParams): RoadNetworkDescriptor {
  const n = p.lanesPerDirection;
  requireLanes(n);
  const w = p.laneWidthM ?? HIGHWAY_LANE_WIDTH_M;
  const sw = p.shoulderWidthM ?? HIGHWAY_SHOULDER_WIDTH_M;
  const v = p.speedLimitMps ?? HIGHWAY_SPEED_LIMIT_MPS;
  const vRamp = p.rampSpeedLimitMps ?? 60 * KMH;
  const accel = p.accelerationLaneLengthM ?? 200;
  const taper = p.taperLengthM ?? 80;
  const radius = p.rampRadiusM ?? 150;
  const ls = p.rampSpiralLengthM ?? 40;
  const angle = p.rampAngleRad ?? 0.5;
  const approach = p.rampApproachLengthM ?? 50;
  if (!(p.downstreamLengthM > accel + taper)) throw new RangeError(`on-ramp: downstreamLengthM must exceed acceleration lane + taper (${accel + taper} m)`);
  const origin = p.origin ?? [0, 0];
  const heading = p.headingRad ?? 0;
  const x0 = p.upstreamLengthM;

  // Lanes cross the merge by the junction's lane links (lane-level links are
  // not used at a road end that meets a junction).
  const mainIn = carriageway({ lanes: n, laneWidthM: w, edge: { type: 'shoulder', widthM: sw }, speedMps: v });

  const side = (sign: 1 | -1, k: number, type: LaneType, width: CubicRecord[], m: RoadMarkType, link: { predecessor?: number; successor?: number }) =>
    lane(sign * k, type, width, mark(m), type === 'shoulder' ? undefined : v, link);
  const leftLanes = (pred: boolean, succ: boolean): LaneDescriptor[] => {
    const out: LaneDescriptor[] = [];
    for (let k = 1; k <= n + 1; k++) {
      const link = { ...(pred ? { predecessor: k } : {}), ...(succ ? { successor: k } : {}) };
      out.push(k <= n ? side(1, k, 'driving', constantCubic(w), k < n ? 'broken' : 'solid', link) : side(1, k, 'shoulder', constantCubic(sw), 'none', link));
    }
    return out;
  };
  const center = { id: 0, type: 'none' as const, width: [], roadMarks: mark('solid solid', 'yellow') };
  // Section 0: the acceleration lane beside the mainline, a broken line between them.
  const rightAccel: LaneDescriptor[] = [];
  for (let k = 1; k <= n; k++) {
    rightAccel.push(side(-1, k, 'driving', constantCubic(w), 'broken', { successor: -k }));
  }
  rightAccel.push(side(-1, n + 1, 'entry', constantCubic(w), 'solid', { successor: -(n + 1) }));
  rightAccel.push(side(-1, n + 2, 'shoulder', constantCubic(sw), 'none', { successor: -(n + 2) }));
  // Section 1: the taper, width w -> 0 with zero slope at both ends: w*(1 - 3u^2 + 2u^3), u = ds/taper.
  const taperWidth: CubicRecord[] = [{ sOffset: 0, a: w, b: 0, c: (-3 * w) / taper ** 2, d: (2 * w) / taper ** 3 }];
  const rightTaper: LaneDescriptor[] = [];
  for (let k = 1; k <= n; k++) rightTaper.push(side(-1, k, 'driving', constantCubic(w), 'broken', { predecessor: -k, successor: -k }));
  rightTaper.push(side(-1, n + 1, 'entry', taperWidth, 'solid', { predecessor: -(n + 1) }));
  rightTaper.push(side(-1, n + 2, 'shoulder', constantCubic(sw), 'none', { predecessor: -(n + 2), successor: -(n + 1) }));
  // Section 2: the mainline alone.
  const rightAfter: LaneDescriptor[] = [];
  for (let k = 1; k <= n; k++) rightAfter.push(side(-1, k, 'driving', constantCubic(w), k < n ? 'broken' : 'solid', { predecessor: -k }));
  rightAfter.push(side(-1, n + 1, 'shoulder', constantCubic(sw), 'none', { predecessor: -(n + 2) }));
  const mainOut: RoadDescriptor = {
    id: 'main-out',
    planView: place(chainPlan({ x: x0, y: 0, headingRad: 0 }, [{ type: 'line', lengthM: p.downstreamLengthM }]), origin, heading),
    laneSections: [
      { s: 0, left: leftLanes(false, true), center, right: rightAccel },
      { s: accel, left: leftLanes(true, true), center, right: rightTaper },
      { s: accel + taper, left: leftLanes(true, false), center, right: rightAfter },
    ],
    predecessor: { elementType: 'junction', elementId: 'merge' },
  };

  // The ramp, built at the origin and then moved so that its reference line
  // ends on the inner border of the acceleration lane, tangent to the mainline.
  const k = -1 / radius;
  const arcAngle = angle - ls / radius;
  if (arcAngle < 0) throw new RangeError('on-ramp: the ramp spirals turn more than rampAngleRad');
  const rampLocal = chainPlan({ x: 0, y: 0, headingRad: angle }, [
    { type: 'line', lengthM: approach },
    { type: 'spiral', lengthM: ls, curvStart: 0, curvEnd: k },
    ...(arcAngle > 0 ? [{ type: 'arc' as const, lengthM: arcAngle * radius, curvature: k }] : []),
    { type: 'spiral', lengthM: ls, curvStart: k, curvEnd: 0 },
  ]);
  const end = planEnd(rampLocal);
  const dx = x0 - end.x;
  const dy = -n * w - end.y;
  const ramp: RoadDescriptor = {
    id: 'ramp',
    planView: place(rampLocal.map((g) => ({ ...g, x: g.x + dx, y: g.y + dy })), origin, heading),
    laneSections: [{
      s: 0,
      left: [],
      center: { id: 0, type: 'none', width: [], roadMarks: mark('solid') },
      right: [lane(-1, 'onRamp', constantCubic(w), mark('solid'), vRamp)],
    }],
    successor: { elementType: 'junction', elementId: 'merge' },
  };
  const links = (from: (k: number) => number, to: (k: number) => number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ from: from(i + 1), to: to(i + 1) }));
  const junction: JunctionDescriptor = {
    id: 'merge',
    type: 'direct',
    connections: [
      { id: 'merge:main', incomingRoad: 'main-in', connectingRoad: 'main-out', contactPoint: 'start', laneLinks: links((k) => -k, (k) => -k, n) },
      { id: 'merge:ramp', incomingRoad: 'ramp', connectingRoad: 'main-out', contactPoint: 'start', laneLinks: [{ from: -1, to: -(n + 1) }] },
      { id: 'merge:opposite', incomingRoad: 'main-out', connectingRoad: 'main-in', contactPoint: 'end', laneLinks: links((k) => k, (k) => k, n + 1) },
    ],
  };
  return {
    roads: [
      {
        id: 'main-in',
        planView: place(chainPlan({ x: 0, y: 0, headingRad: 0 }, [{ type: 'line', lengthM: x0 }]), origin, heading),
        laneSections: [{ s: 0, ...mainIn }],
        successor: { elementType: 'junction', elementId: 'merge' },
      },
      mainOut,
      ramp,
    ],
    junctions: [junction],
  };
}

// ---------------------------------------------------------------- intersections

/**
 * How a four-way junction is controlled:
 * - `signal`: fixed-time traffic lights (the default);
 * - `all-way-stop`: a stop sign on every arm (MUTCD 2B.07 multi-way stop);
 * - `two-way-stop`: stop signs on the minor arms (north and south); the
 *   east-west road is the major road and runs free.
 * Stop-sign arms get a `StopLineDescriptor` with `control: { kind: 'stop-sign' }`;
 * free arms get one with `control: { kind: 'none' }` (the edge of the junction
 * approach, no rule). No controller or traffic lights are made for stops.
 */
export type JunctionControl = 'signal' | 'all-way-stop' | 'two-way-stop';

/** Arms of a two-way stop that carry stop signs: north (1) and south (3). */
export const TWO_WAY_STOP_MINOR_ARMS: readonly number[] = [1, 3];

export interface SignalTimingParams {
  /** Green of each through (and right-turn) phase, s. Skylane default 30 s (assumption). */
  throughGreenS?: number;
  /** Green of each protected left-turn phase, s. Skylane default 12 s (assumption). */
  leftGreenS?: number;
  yellowS?: number;
  allRedS?: number;
  offsetS?: number;
  /**
   * 'protected' (default): four phases, left turns in their own phases.
   * 'permitted': two phases, each axis's left turns green with its through
   * movements, so a left turner must yield to oncoming traffic (leftGreenS unused).
   */
  leftTurns?: 'protected' | 'permitted';
}

export interface UrbanRoadParams {
  lanesPerDirection?: number;
  laneWidthM?: number;
  sidewalkWidthM?: number;
  speedLimitMps?: number;
  /** Clearance from the sidewalk edge to the junction box edge, m; sets the turn radii. Default 3 m. */
  cornerMarginM?: number;
  signal?: SignalTimingParams;
  /** Junction control; default 'signal'. */
  control?: JunctionControl;
}

export interface IntersectionParams extends UrbanRoadParams {
  id?: string;
  center?: [number, number];
  /** Length of each of the four approach roads, from the junction box edge, m. */
  armLengthM: number;
}

export interface UrbanGridParams extends UrbanRoadParams {
  /** Intersections per column (north-south) and per row (east-west). */
  rows: number;
  cols: number;
  /** Distance between neighbouring intersection centres, m. */
  blockLengthM: number;
  /** Length of the open roads that lead out of the grid's edge, m. Default half a block. */
  stubLengthM?: number;
  origin?: [number, number];
}

/** Arm directions of a four-way junction: 0 east, 1 north, 2 west, 3 south. */
const ARM_NAMES = ['east', 'north', 'west', 'south'] as const;

interface ArmRef {
  roadId: string;
  /** The end of the arm road at the junction. */
  contact: ContactPoint;
  lengthM: number;
}

interface NetworkParts {
  roads: RoadDescriptor[];
  junctions: JunctionDescriptor[];
  controllers: FixedTimeControllerDescriptor[];
  trafficLights: TrafficLightDescriptor[];
  stopLines: StopLineDescriptor[];
  crosswalks: CrosswalkDescriptor[];
}

interface UrbanDims {
  n: number;
  w: number;
  sw: number;
  v: number;
  /** Half size of the junction box, m. */
  half: number;
}

function urbanDims(p: UrbanRoadParams): UrbanDims {
  const n = p.lanesPerDirection ?? 1;
  requireLanes(n);
  const w = p.laneWidthM ?? URBAN_LANE_WIDTH_M;
  const sw = p.sidewalkWidthM ?? SIDEWALK_WIDTH_M;
  return { n, w, sw, v: p.speedLimitMps ?? URBAN_SPEED_LIMIT_MPS, half: n * w + sw + (p.cornerMarginM ?? 3) };
}

/** An urban road between a start pose and a length, n lanes each way plus sidewalks. */
function urbanRoad(id: string, start: PlanStart, lengthM: number, d: UrbanDims): RoadDescriptor {
  return {
    id,
    planView: chainPlan(start, [{ type: 'line', lengthM }]),
    laneSections: [{ s: 0, ...carriageway({ lanes: d.n, laneWidthM: d.w, edge: { type: 'sidewalk', widthM: d.sw }, speedMps: d.v }) }],
  };
}

/** Clearance of the stop line and crosswalk from the junction box edge, m (Skylane's choice). */
const CROSSWALK_SETBACK_M = 1;

/**
 * Connecting roads, junction, fixed-time controller, traffic lights, stop
 * lines and crosswalks of one four-way junction at `center`, joining four
 * arm roads that touch its box edges (arm d at center + half*(cos, sin)(d*pi/2)).
 *
 * Movements: straight from every lane k to lane k opposite; right turns
 * from the outermost lane, left turns from the innermost, each into the
 * matching lane. Turns are quarter arcs. The controller runs four protected
 * phases: east-west through+right, east-west left, north-south
 * through+right, north-south left.
 */
function addFourWayJunction(parts: NetworkParts, id: string, center: readonly [number, number], arms: readonly ArmRef[], d: UrbanDims, timing: SignalTimingParams, control: JunctionControl = 'signal'): void {
  const signalised = control === 'signal';
  const { n, w, half: H } = d;
  const incomingId = (a: ArmRef, k: number) => (a.contact === 'start' ? k : -k);
  const outgoingId = (a: ArmRef, k: number) => (a.contact === 'start' ? -k : k);
  const connections: JunctionConnection[] = [];
  const groupOf = (arm: number, movement: string) => `${id}/${ARM_NAMES[arm]}-${movement === 'left' ? 'left' : 'through'}`;
  const byGroup = new Map<string, { connections: string[]; lanes: Set<number> }>();
  const movements: { arm: number; to: number; movement: 'straight' | 'right' | 'left'; k: number }[] = [];
  for (let arm = 0; arm < 4; arm++) {
    for (let k = 1; k <= n; k++) movements.push({ arm, to: (arm + 2) % 4, movement: 'straight', k });
    movements.push({ arm, to: (arm + 1) % 4, movement: 'right', k: n });
    movements.push({ arm, to: (arm + 3) % 4, movement: 'left', k: 1 });
  }
  for (const m of movements) {
    const from = arms[m.arm]!;
    const to = arms[m.to]!;
    const phi = (m.arm * Math.PI) / 2;
    const psi = phi + Math.PI;
    const off = (m.k - 0.5) * w;
    // Lane centre where the incoming lane meets the box, then the reference
    // line half a lane to its left (the connecting road's lane is -1).
    const cx = center[0] + H * Math.cos(phi) + off * Math.cos(phi + Math.PI / 2) + (w / 2) * Math.cos(psi + Math.PI / 2);
    const cy = center[1] + H * Math.sin(phi) + off * Math.sin(phi + Math.PI / 2) + (w / 2) * Math.sin(psi + Math.PI / 2);
    let seg: PlanSegment;
    if (m.movement === 'straight') seg = { type: 'line', lengthM: 2 * H };
    else if (m.movement === 'right') {
      const r = H - off + w / 2;
      seg = { type: 'arc', lengthM: (Math.PI / 2) * r, curvature: -1 / r };
    } else {
      const r = H + off - w / 2;
      seg = { type: 'arc', lengthM: (Math.PI / 2) * r, curvature: 1 / r };
    }
    const roadId = `${id}/${ARM_NAMES[m.arm]}-${m.movement}-${m.k}`;
    const fromLane = incomingId(from, m.k);
    parts.roads.push({
      id: roadId,
      junction: id,
      planView: chainPlan({ x: cx, y: cy, headingRad: psi }, [seg]),
      laneSections: [{
        s: 0,
        left: [],
        center: { id: 0, type: 'none', width: [], roadMarks: mark('none') },
        right: [lane(-1, 'driving', constantCubic(w), mark('none'), d.v, { predecessor: fromLane, successor: outgoingId(to, m.k) })],
      }],
      predecessor: { elementType: 'road', elementId: from.roadId, contactPoint: from.contact },
      successor: { elementType: 'road', elementId: to.roadId, contactPoint: to.contact },
    });
    const group = groupOf(m.arm, m.movement);
    const connId = `${roadId}:c`;
    connections.push({ id: connId, incomingRoad: from.roadId, connectingRoad: roadId, contactPoint: 'start', laneLinks: [{ from: fromLane, to: -1 }], ...(signalised ? { signalGroup: group } : {}) });
    const g = byGroup.get(group) ?? { connections: [], lanes: new Set<number>() };
    g.connections.push(connId);
    g.lanes.add(fromLane);
    byGroup.set(group, g);
  }

  if (!signalised) {
    parts.junctions.push({ id, connections });
    addCrosswalksAndStopLines(parts, id, arms, d, (arm) => {
      const stop = control === 'all-way-stop' || TWO_WAY_STOP_MINOR_ARMS.includes(arm);
      return stop ? { kind: 'stop-sign' } : { kind: 'none' };
    });
    return;
  }
  const controllerId = `${id}/signals`;
  const tg = timing.throughGreenS ?? 30;
  const lg = timing.leftGreenS ?? 12;
  const y = timing.yellowS ?? YELLOW_S;
  const ar = timing.allRedS ?? ALL_RED_S;
  const phase = (a: number, b: number, movement: string, greenS: number): SignalPhase => ({
    signalGroups: [groupOf(a, movement), groupOf(b, movement)], greenS, yellowS: y, allRedS: ar,
  });
  parts.controllers.push({
    id: controllerId,
    offsetS: timing.offsetS ?? 0,
    phases: timing.leftTurns === 'permitted'
      ? [0, 1].map((a): SignalPhase => ({ signalGroups: [groupOf(a, 'straight'), groupOf(a + 2, 'straight'), groupOf(a, 'left'), groupOf(a + 2, 'left')], greenS: tg, yellowS: y, allRedS: ar }))
      : [phase(0, 2, 'straight', tg), phase(0, 2, 'left', lg), phase(1, 3, 'straight', tg), phase(1, 3, 'left', lg)],
  });
  parts.junctions.push({ id, connections, controllers: [controllerId] });

  addCrosswalksAndStopLines(parts, id, arms, d, (arm, stopS) => {
    const a = arms[arm]!;
    const lights: string[] = [];
    for (const movement of ['straight', 'left'] as const) {
      const group = groupOf(arm, movement);
      const g = byGroup.get(group)!;
      const lightId = `${group}-light`;
      lights.push(lightId);
      parts.trafficLights.push({
        id: lightId, controllerId, signalGroup: group, roadId: a.roadId, s: stopS,
        laneIds: [...g.lanes].sort((p, q) => Math.abs(p) - Math.abs(q)), connectionIds: g.connections,
      });
    }
    return { kind: 'traffic-light', trafficLightIds: lights };
  });
}

/**
 * The crosswalk across each arm and the stop line before it (covering the
 * arm's incoming lanes), with the control `controlOf(arm, stopS)` returns.
 */
function addCrosswalksAndStopLines(parts: NetworkParts, id: string, arms: readonly ArmRef[], d: UrbanDims, controlOf: (arm: number, stopS: number) => StopLineDescriptor['control']): void {
  const roadHalfWidth = d.n * d.w + d.sw;
  for (let arm = 0; arm < 4; arm++) {
    const a = arms[arm]!;
    const at = (dist: number) => (a.contact === 'start' ? dist : a.lengthM - dist);
    const cwNear = at(CROSSWALK_SETBACK_M);
    const cwFar = at(CROSSWALK_SETBACK_M + CROSSWALK_WIDTH_M);
    parts.crosswalks.push({
      id: `${id}/${ARM_NAMES[arm]}-crosswalk`, roadId: a.roadId,
      sStart: Math.min(cwNear, cwFar), sEnd: Math.max(cwNear, cwFar), tMin: -roadHalfWidth, tMax: roadHalfWidth,
    });
    const stopS = at(CROSSWALK_SETBACK_M + CROSSWALK_WIDTH_M + STOP_LINE_GAP_M);
    parts.stopLines.push({
      id: `${id}/${ARM_NAMES[arm]}-stop`, roadId: a.roadId, s: stopS,
      laneIds: Array.from({ length: d.n }, (_, i) => (a.contact === 'start' ? i + 1 : -(i + 1))),
      control: controlOf(arm, stopS),
    });
  }
}

/** One signalised four-way intersection with four approach roads `<id>/east` ... `<id>/south`. */
export function buildIntersection(p: IntersectionParams): RoadNetworkDescriptor {
  return buildGrid({ ...p, rows: 1, cols: 1, blockLengthM: 0, stubLengthM: p.armLengthM, origin: p.center ?? [0, 0] }, p.id ?? 'x');
}

/**
 * rows x cols signalised four-way intersections `j<row>-<col>`, centres
 * `blockLengthM` apart (row 0 south, col 0 west), joined by roads
 * `h<row>-<col>` (east from j<row>-<col>) and `v<row>-<col>` (north from
 * it); open stub roads lead out of the edge. Every junction is a full
 * four-way one.
 */
export function buildUrbanGrid(p: UrbanGridParams): RoadNetworkDescriptor {
  return buildGrid(p, undefined);
}

/** The grid; a single intersection (`singleId` set) names its junction and arms after it. */
function buildGrid(p: UrbanGridParams, singleId: string | undefined): RoadNetworkDescriptor {
  const d = urbanDims(p);
  if (!(Number.isInteger(p.rows) && p.rows >= 1 && Number.isInteger(p.cols) && p.cols >= 1)) throw new RangeError('urban grid: rows and cols must be integers >= 1');
  const minBlock = 2 * d.half + 2 * (CROSSWALK_SETBACK_M + CROSSWALK_WIDTH_M + STOP_LINE_GAP_M) + 1;
  if ((p.rows > 1 || p.cols > 1) && !(p.blockLengthM >= minBlock)) throw new RangeError(`urban grid: blockLengthM must be at least ${minBlock.toFixed(2)} m for these lanes`);
  const stub = p.stubLengthM ?? p.blockLengthM / 2;
  const minStub = CROSSWALK_SETBACK_M + CROSSWALK_WIDTH_M + STOP_LINE_GAP_M + 1;
  if (!(stub >= minStub) || !Number.isFinite(stub)) throw new RangeError(`urban grid: stub/arm length must be finite and at least ${minStub} m`);
  const [ox, oy] = p.origin ?? [0, 0];
  const H = d.half;
  const parts: NetworkParts = { roads: [], junctions: [], controllers: [], trafficLights: [], stopLines: [], crosswalks: [] };
  const jid = (i: number, j: number) => singleId ?? `j${i}-${j}`;
  const centre = (i: number, j: number): [number, number] => [ox + j * p.blockLengthM, oy + i * p.blockLengthM];
  const armsOf: ArmRef[][][] = [];
  for (let i = 0; i < p.rows; i++) {
    armsOf.push([]);
    for (let j = 0; j < p.cols; j++) armsOf[i]!.push([]);
  }
  const link = (r: RoadDescriptor, end: 'predecessor' | 'successor', junction: string) => {
    r[end] = { elementType: 'junction', elementId: junction };
  };
  const between = p.blockLengthM - 2 * H;
  for (let i = 0; i < p.rows; i++) {
    for (let j = 0; j < p.cols; j++) {
      const [cx, cy] = centre(i, j);
      for (let arm = 0; arm < 4; arm++) {
        const phi = (arm * Math.PI) / 2;
        const inner = arm === 0 ? j + 1 < p.cols : arm === 1 ? i + 1 < p.rows : arm === 2 ? j > 0 : i > 0;
        if (arm < 2 && inner) {
          // A road to the next junction east (arm 0) or north (arm 1).
          const id = `${arm === 0 ? 'h' : 'v'}${i}-${j}`;
          const r = urbanRoad(id, { x: cx + H * Math.cos(phi), y: cy + H * Math.sin(phi), headingRad: phi }, between, d);
          link(r, 'predecessor', jid(i, j));
          link(r, 'successor', arm === 0 ? jid(i, j + 1) : jid(i + 1, j));
          parts.roads.push(r);
          armsOf[i]![j]![arm] = { roadId: id, contact: 'start', lengthM: between };
          if (arm === 0) armsOf[i]![j + 1]![2] = { roadId: id, contact: 'end', lengthM: between };
          else armsOf[i + 1]![j]![3] = { roadId: id, contact: 'end', lengthM: between };
        } else if (!inner) {
          const id = singleId !== undefined ? `${singleId}/${ARM_NAMES[arm]}` : `${jid(i, j)}/${ARM_NAMES[arm]}-stub`;
          const r = urbanRoad(id, { x: cx + H * Math.cos(phi), y: cy + H * Math.sin(phi), headingRad: phi }, stub, d);
          link(r, 'predecessor', jid(i, j));
          parts.roads.push(r);
          armsOf[i]![j]![arm] = { roadId: id, contact: 'start', lengthM: stub };
        }
      }
    }
  }
  for (let i = 0; i < p.rows; i++) {
    for (let j = 0; j < p.cols; j++) {
      const timing = p.signal ?? {};
      addFourWayJunction(parts, jid(i, j), centre(i, j), armsOf[i]![j]!, d, timing, p.control);
    }
  }
  return parts;
}

function requireLanes(n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`lanesPerDirection must be an integer >= 1, got ${n}`);
}
