/**
 * A scenario's thumbnail for the gallery (issue #7 section 1): a small
 * top-down SVG schematic of the world at its start, drawn from the scenario
 * alone (no World, no physics, no DOM): the ground, the road's lanes, static
 * obstacles and scatter fields, road works, the actors (coloured by kind, a
 * wedge for the heading), airspace zones (ZONE_COLORS) and goals.
 *
 * Deterministic: the same scenario gives the same string. The view frames
 * what matters (actors, zones, goals) rather than the whole ground, so a car
 * on a 2 km motorway is still visible; actor marks are inflated to stay
 * readable at thumbnail size. Every actor gets one mark carrying
 * `data-actor="<id>"`, every zone one carrying `data-zone="<id>"`.
 */
import { resolvedAirspaceOf } from '../scenarios/airspace-resolve.ts';
import { carStart, groundOf, roadNetworkOf } from '../scenarios/loader.ts';
import type { ActorSpec, Scenario } from '../scenarios/schema.ts';
import { pedestrianPath } from '../scenarios/traffic-features.ts';
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import type { HorizontalShape } from '../uav/airspace/zone.ts';
import { ZONE_COLORS } from './zone-colors.ts';

/** Colours of the schematic (the web view's palette: web/actor-look.ts and web/zone-geometry.ts ZONE_COLORS). */
export const THUMB_COLORS = {
  ground: '#2b3a2e',
  lane: '#4a4f57',
  sidewalk: '#7d838c',
  laneEdge: '#d8dde3',
  obstacle: '#8c7a66',
  scatter: '#6b5a49',
  roadWork: '#ff7a1a',
  car: '#3d7be8',
  npcCar: '#b8bec6',
  rover: '#33c07a',
  pedestrian: '#ffd23f',
  uav: '#e84d8a',
  goal: '#4dffb8',
  route: '#4dffb8',
} as const;


export interface ThumbnailOptions {
  /** Rendered width and height in CSS pixels (the viewBox is in metres); default 160 x 120. */
  widthPx?: number;
  heightPx?: number;
}

type Pt = [number, number];

interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const emptyBox = (): Box => ({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity });
function grow(b: Box, x: number, y: number, r = 0): void {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  b.minX = Math.min(b.minX, x - r);
  b.minY = Math.min(b.minY, y - r);
  b.maxX = Math.max(b.maxX, x + r);
  b.maxY = Math.max(b.maxY, y + r);
}
const boxEmpty = (b: Box) => !(b.maxX >= b.minX && b.maxY >= b.minY);

/** A number for SVG: 2 decimals, no "-0". */
function n(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Escape text for XML attribute and element content. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** An actor's start: position and heading (rad), or undefined when it cannot be placed (a broken lane reference). */
function actorStart(a: ActorSpec, network: RoadNetwork | undefined): { x: number; y: number; yawRad: number; path?: Pt[] } | undefined {
  try {
    switch (a.kind) {
      case 'car': {
        const p = carStart(a, network);
        return { x: p.x, y: p.y, yawRad: p.yawRad };
      }
      case 'pedestrian': {
        const path = pedestrianPath(a, network);
        const [p0, p1] = [path[0]!, path[1] ?? path[0]!];
        return { x: p0[0], y: p0[1], yawRad: Math.atan2(p1[1] - p0[1], p1[0] - p0[0]), path };
      }
      default:
        return { x: a.pose.position[0], y: a.pose.position[1], yawRad: (a.pose.yawDeg * Math.PI) / 180 };
    }
  } catch {
    return undefined;
  }
}

/** Waypoints an actor's agent or mission names (x, y), for the dashed route and the goal. */
function routeOf(a: ActorSpec): Pt[] {
  if (!('agent' in a) || a.agent === undefined || typeof a.agent === 'string') {
    if (a.kind === 'rover' && a.mission) return [[a.mission.goal[0], a.mission.goal[1]]];
    return [];
  }
  const p = a.agent.params as Record<string, unknown>;
  const pts: Pt[] = [];
  const wp = p.waypoints;
  if (Array.isArray(wp)) for (const w of wp) if (Array.isArray(w) && typeof w[0] === 'number' && typeof w[1] === 'number') pts.push([w[0], w[1]]);
  const goal = p.goal;
  if (Array.isArray(goal) && typeof goal[0] === 'number' && typeof goal[1] === 'number') pts.push([goal[0], goal[1]]);
  if (a.kind === 'rover' && a.mission) pts.push([a.mission.goal[0], a.mission.goal[1]]);
  return pts;
}

/** Goals the criteria judge (a point or a disc), in the scenario's order. */
function criterionGoals(s: Scenario): { x: number; y: number; r: number }[] {
  const out: { x: number; y: number; r: number }[] = [];
  for (const c of s.criteria) {
    const o = c as Record<string, unknown>;
    const region = o.region as { center?: number[]; radiusM?: number } | undefined;
    if (region?.center) out.push({ x: region.center[0]!, y: region.center[1]!, r: region.radiusM ?? 1.5 });
    const goal = o.goal as number[] | { center: number[]; radiusM: number } | undefined;
    if (Array.isArray(goal)) out.push({ x: goal[0]!, y: goal[1]!, r: typeof o.radiusM === 'number' ? o.radiusM : 1.5 });
    else if (goal && Array.isArray(goal.center)) out.push({ x: goal.center[0]!, y: goal.center[1]!, r: goal.radiusM });
  }
  // One mark per distinct goal (swarm members' reach-goal criteria and a mission-completion may repeat one).
  const seen = new Set<string>();
  return out.filter((g) => {
    const k = `${n(g.x)},${n(g.y)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function kindColor(a: ActorSpec): string {
  if ('color' in a && a.color) return a.color;
  switch (a.kind) {
    case 'car':
      return a.agent !== undefined ? THUMB_COLORS.car : THUMB_COLORS.npcCar;
    case 'rover':
      return THUMB_COLORS.rover;
    case 'pedestrian':
      return THUMB_COLORS.pedestrian;
    case 'uav':
      return THUMB_COLORS.uav;
    case 'obstacle':
      return THUMB_COLORS.obstacle;
  }
}

function shapePath(shape: HorizontalShape): { tag: string; pts: Pt[] } {
  if (shape.kind === 'circle') return { tag: `<circle cx="${n(shape.centre[0])}" cy="${n(-shape.centre[1])}" r="${n(shape.radiusM)}"`, pts: [] };
  return { tag: `<polygon points="${shape.vertices.map((v) => `${n(v[0])},${n(-v[1])}`).join(' ')}"`, pts: shape.vertices.map((v) => [v[0], v[1]]) };
}

/**
 * The thumbnail of `scenario` as a standalone SVG document string
 * (`<svg xmlns=...>`), world x to the right and world y up.
 */
export function thumbnailSvg(scenario: Scenario, opts: ThumbnailOptions = {}): string {
  const widthPx = opts.widthPx ?? 160, heightPx = opts.heightPx ?? 120;
  let network: RoadNetwork | undefined;
  try {
    network = scenario.world.road ? roadNetworkOf(scenario.world.road) : undefined;
  } catch {
    network = undefined;
  }
  let ground: { centerM: number[]; sizeM: number[] } | undefined;
  try {
    ground = groundOf(scenario, network);
  } catch {
    ground = undefined;
  }

  // ---- what to frame: actors, zones, goals, routes (the ground and roads only when nothing else is there).
  const focus = emptyBox();
  const starts = scenario.actors.map((a) => actorStart(a, network));
  scenario.actors.forEach((a, i) => {
    const p = starts[i];
    if (p) grow(focus, p.x, p.y, 3);
    for (const q of routeOf(a)) grow(focus, q[0], q[1], 3);
    if (a.kind === 'obstacle' && a.motion) for (const q of a.motion.waypoints) grow(focus, q[0], q[1], 1);
  });
  const goals = criterionGoals(scenario);
  for (const g of goals) grow(focus, g.x, g.y, g.r);
  const zones = resolvedAirspaceOf(scenario)?.zones ?? [];
  for (const z of zones) for (const v of z.volumes) {
    if (v.shape.kind === 'circle') grow(focus, v.shape.centre[0], v.shape.centre[1], v.shape.radiusM);
    else for (const p of v.shape.vertices) grow(focus, p[0], p[1]);
  }
  if (network) {
    const rp = { x: 0, y: 0, headingRad: 0, curvature: 0 };
    for (const rw of scenario.world.roadWorks) {
      if (!network.hasRoad(rw.road)) continue;
      const road = network.road(rw.road);
      for (const sAt of rw.type === 'lane-closure' ? [rw.fromS, rw.toS] : [rw.s]) {
        road.referenceLine.poseAt(Math.min(Math.max(sAt, 0), road.lengthM), rp);
        grow(focus, rp.x, rp.y, 8);
      }
    }
  }
  for (const sc of scenario.world.scatter) {
    grow(focus, sc.region.min[0], sc.region.min[1]);
    grow(focus, sc.region.max[0], sc.region.max[1]);
  }
  const groundBox = emptyBox();
  if (ground) {
    grow(groundBox, ground.centerM[0]! - ground.sizeM[0]! / 2, ground.centerM[1]! - ground.sizeM[1]! / 2);
    grow(groundBox, ground.centerM[0]! + ground.sizeM[0]! / 2, ground.centerM[1]! + ground.sizeM[1]! / 2);
  }
  let view = boxEmpty(focus) ? groundBox : focus;
  if (boxEmpty(view)) view = { minX: -10, minY: -10, maxX: 10, maxY: 10 };
  // A margin, at least 30 m across, and the thumbnail's aspect ratio.
  const cx = (view.minX + view.maxX) / 2, cy = (view.minY + view.maxY) / 2;
  let w = Math.max(view.maxX - view.minX, 30) * 1.15, h = Math.max(view.maxY - view.minY, 30) * 1.15;
  const aspect = widthPx / heightPx;
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  // Actor marks stay at least ~1/25 of the view wide.
  const markScale = Math.max(1, w / 25 / 4.6);
  // SVG y runs down: world (x, y) is drawn at (x, -y).
  const vb = `${n(cx - w / 2)} ${n(-cy - h / 2)} ${n(w)} ${n(h)}`;
  const hair = n(w / 200);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${vb}" width="${widthPx}" height="${heightPx}" role="img" aria-label="${xmlEscape(`top-down schematic of ${scenario.name}`)}" data-thumbnail="${xmlEscape(scenario.name)}">`);
  out.push(`<title>${xmlEscape(scenario.name)}</title>`);
  out.push(`<rect x="${n(cx - w / 2)}" y="${n(-cy - h / 2)}" width="${n(w)}" height="${n(h)}" fill="#1b2220"/>`);
  if (ground) {
    out.push(`<rect data-layer="ground" x="${n(groundBox.minX)}" y="${n(-groundBox.maxY)}" width="${n(groundBox.maxX - groundBox.minX)}" height="${n(groundBox.maxY - groundBox.minY)}" fill="${THUMB_COLORS.ground}"/>`);
  }

  // ---- roads: each lane's centre line stroked at the lane's width (sidewalks lighter; shoulders and borders skipped).
  if (network) {
    out.push('<g data-layer="road" fill="none" stroke-linejoin="round">');
    for (const road of network.roads) {
      road.sections.forEach((sec, i) => {
        const step = Math.max(1, (road.sectionEnd(i) - road.sectionStart(i)) / 40);
        const off = road.laneOffsetAt(road.sectionStart(i));
        for (const lane of sec.lanes()) {
          if (lane.id === 0) continue;
          const isWalk = lane.type === 'sidewalk';
          if (!isWalk && !['driving', 'entry', 'exit', 'onRamp', 'offRamp', 'connectingRamp', 'biking', 'parking', 'stop'].includes(lane.type)) continue;
          const width = Math.abs(sec.outerT(lane.id, 0, off) - sec.innerT(lane.id, 0, off));
          if (!(width > 0.05)) continue;
          const pts = road.sampleLaneCenter(i, lane.id, step);
          out.push(`<polyline points="${pts.map((p) => `${n(p.x)},${n(-p.y)}`).join(' ')}" stroke="${isWalk ? THUMB_COLORS.sidewalk : THUMB_COLORS.lane}" stroke-width="${n(width * 1.02)}"/>`);
        }
      });
    }
    out.push('</g>');
  }

  // ---- scatter fields (their seeded layout is the builder's: the field is drawn as an area) and road works.
  for (const sc of scenario.world.scatter) {
    const { min, max } = sc.region;
    out.push(`<rect data-layer="scatter" x="${n(min[0])}" y="${n(-max[1])}" width="${n(max[0] - min[0])}" height="${n(max[1] - min[1])}" fill="${THUMB_COLORS.scatter}" fill-opacity="0.45" stroke="${THUMB_COLORS.scatter}" stroke-width="${hair}"><title>${xmlEscape(`${sc.count} scattered obstacles`)}</title></rect>`);
  }
  if (network) {
    const rp = { x: 0, y: 0, headingRad: 0, curvature: 0 };
    for (const rw of scenario.world.roadWorks) {
      if (!network.hasRoad(rw.road)) continue;
      const road = network.road(rw.road);
      const clampS = (x: number) => Math.min(Math.max(x, 0), road.lengthM);
      if (rw.type === 'lane-closure') {
        const a = clampS(Math.min(rw.fromS, rw.toS)), b = clampS(Math.max(rw.fromS, rw.toS));
        const pts: string[] = [];
        for (let k = 0; k <= 12; k++) {
          const sAt = a + ((b - a) * k) / 12;
          try {
            road.laneCenterAt(road.sectionIndexAt(sAt), rw.lane, sAt, rp);
          } catch {
            continue;
          }
          pts.push(`${n(rp.x)},${n(-rp.y)}`);
        }
        if (pts.length > 1) out.push(`<polyline data-layer="road-works" points="${pts.join(' ')}" fill="none" stroke="${THUMB_COLORS.roadWork}" stroke-width="${n(2.5 * markScale)}" stroke-dasharray="${n(w / 60)} ${n(w / 120)}"/>`);
      } else {
        road.referenceLine.poseAt(clampS(rw.s), rp);
        const half = 8, dx = -Math.sin(rp.headingRad) * half, dy = Math.cos(rp.headingRad) * half;
        out.push(`<line data-layer="road-works" x1="${n(rp.x - dx)}" y1="${n(-(rp.y - dy))}" x2="${n(rp.x + dx)}" y2="${n(-(rp.y + dy))}" stroke="${THUMB_COLORS.roadWork}" stroke-width="${n(1.5 * markScale)}"/>`);
      }
    }
  }

  // ---- airspace zones, under the actors.
  if (zones.length > 0) {
    out.push('<g data-layer="airspace">');
    for (const z of zones) {
      const color = ZONE_COLORS[z.restriction];
      out.push(`<g data-zone="${xmlEscape(z.id)}" fill="${color}" fill-opacity="0.22" stroke="${color}" stroke-width="${hair}"><title>${xmlEscape(`${z.id} (${z.restriction})`)}</title>`);
      for (const v of z.volumes) out.push(`${shapePath(v.shape).tag}/>`);
      out.push('</g>');
    }
    out.push('</g>');
  }

  // ---- routes and goals.
  for (const a of scenario.actors) {
    const route = routeOf(a);
    const i = scenario.actors.indexOf(a);
    const p = starts[i];
    if (route.length === 0 || !p) continue;
    const pts: Pt[] = [[p.x, p.y], ...route];
    out.push(`<polyline data-layer="route" points="${pts.map((q) => `${n(q[0])},${n(-q[1])}`).join(' ')}" fill="none" stroke="${THUMB_COLORS.route}" stroke-opacity="0.6" stroke-width="${hair}" stroke-dasharray="${n(w / 80)} ${n(w / 120)}"/>`);
  }
  for (const g of goals) {
    out.push(`<circle data-goal="" cx="${n(g.x)}" cy="${n(-g.y)}" r="${n(Math.max(g.r, 1.2 * markScale))}" fill="none" stroke="${THUMB_COLORS.goal}" stroke-width="${n(w / 120)}"/>`);
  }

  // ---- actors, one mark each.
  out.push('<g data-layer="actors">');
  scenario.actors.forEach((a, i) => {
    const p = starts[i];
    const color = xmlEscape(kindColor(a));
    const id = xmlEscape(a.id);
    const title = `<title>${xmlEscape(`${a.id} (${a.kind})`)}</title>`;
    if (!p) {
      // Unplaceable (bad lane reference): still one mark, off to the corner, so the count holds and the eye sees it.
      out.push(`<g data-actor="${id}" data-kind="${a.kind}" data-unplaced=""><circle cx="${n(cx - w / 2 + w / 30)}" cy="${n(-cy - h / 2 + h / 30)}" r="${n(w / 60)}" fill="none" stroke="${color}"/>${title}</g>`);
      return;
    }
    const deg = (-p.yawRad * 180) / Math.PI;
    const tf = `translate(${n(p.x)} ${n(-p.y)}) rotate(${n(deg)})`;
    switch (a.kind) {
      case 'car': {
        const L = 4.6 * markScale, W = 1.9 * markScale;
        out.push(`<g data-actor="${id}" data-kind="car" transform="${tf}"><rect x="${n(-L / 2)}" y="${n(-W / 2)}" width="${n(L)}" height="${n(W)}" rx="${n(W / 4)}" fill="${color}"/><polygon points="${n(L / 2)},0 ${n(L / 6)},${n(-W / 2.5)} ${n(L / 6)},${n(W / 2.5)}" fill="#ffffff" fill-opacity="0.8"/>${title}</g>`);
        break;
      }
      case 'rover': {
        const r = 0.5 * markScale * 1.6;
        out.push(`<g data-actor="${id}" data-kind="rover" transform="${tf}"><circle r="${n(r)}" fill="${color}"/><line x1="0" y1="0" x2="${n(r * 1.6)}" y2="0" stroke="${color}" stroke-width="${n(r / 3)}"/>${title}</g>`);
        break;
      }
      case 'pedestrian': {
        const r = 1.0 * markScale;
        const path = p.path && p.path.length > 1 ? `<polyline points="${p.path.map((q) => `${n(q[0])},${n(-q[1])}`).join(' ')}" fill="none" stroke="${color}" stroke-opacity="0.5" stroke-width="${hair}" stroke-dasharray="${n(w / 100)} ${n(w / 100)}"/>` : '';
        out.push(`<g data-actor="${id}" data-kind="pedestrian">${path}<circle cx="${n(p.x)}" cy="${n(-p.y)}" r="${n(r)}" fill="${color}"/>${title}</g>`);
        break;
      }
      case 'uav': {
        const r = 1.4 * markScale;
        out.push(`<g data-actor="${id}" data-kind="uav" transform="${tf}"><line x1="${n(-r)}" y1="${n(-r)}" x2="${n(r)}" y2="${n(r)}" stroke="${color}" stroke-width="${n(r / 3)}"/><line x1="${n(-r)}" y1="${n(r)}" x2="${n(r)}" y2="${n(-r)}" stroke="${color}" stroke-width="${n(r / 3)}"/><polygon points="${n(r * 1.4)},0 ${n(r * 0.5)},${n(-r / 2)} ${n(r * 0.5)},${n(r / 2)}" fill="${color}"/>${title}</g>`);
        break;
      }
      case 'obstacle': {
        const s = a.shape;
        const body = s.type === 'box'
          ? `<rect x="${n(-s.sizeM[0] / 2)}" y="${n(-s.sizeM[1] / 2)}" width="${n(s.sizeM[0])}" height="${n(s.sizeM[1])}" fill="${color}"/>`
          : `<circle r="${n(s.radiusM)}" fill="${color}"/>`;
        out.push(`<g data-actor="${id}" data-kind="obstacle" transform="${tf}">${body}${title}</g>`);
        break;
      }
    }
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('');
}
