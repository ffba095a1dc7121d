/**
 * What the driving criteria need to know beyond ground truth: the road
 * network, which actors are pedestrians, vehicles or static objects, which
 * one is the ego, its footprint and its route. The scenario builder fills
 * one `DrivingContext` per scenario and hands it to each driving criterion's
 * constructor; the criteria read everything else from the world's ground
 * truth (`world.stateOf`), never from an agent.
 */
import type { ActorDescriptor } from '../../../sim/actor.ts';
import { yawOf } from '../../../sim/math.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { newRoadPose } from '../../../vehicles/road/geometry.ts';
import type { RouteStep } from '../../../vehicles/road/lane-graph.ts';
import type { RoadNetwork } from '../../../vehicles/road/road-network.ts';

/** The three collision classes of the CARLA Leaderboard (COLLISION_PEDESTRIAN, COLLISION_VEHICLE, COLLISION_STATIC). */
export type DrivingCategory = 'pedestrian' | 'vehicle' | 'static';
export const DRIVING_CATEGORIES: readonly DrivingCategory[] = ['pedestrian', 'vehicle', 'static'];

/** An upright rectangle centred on the actor's origin, along its heading. */
export interface Footprint {
  lengthM: number;
  widthM: number;
}

export interface DrivingActor extends Footprint {
  id: string;
  category: DrivingCategory;
}

/** A world polyline in driving order: [x, y] points, m. */
export type Polyline = readonly (readonly [number, number])[];

export interface DrivingContext {
  network: RoadNetwork;
  egoId: string;
  egoFootprint: Footprint;
  /** Every other actor a criterion may judge against. Actors not listed (terrain, scenery) are ignored. */
  others: readonly DrivingActor[];
  /** The ego's route, if it has one: a polyline from the start to the goal (`routePolyline` turns a lane-graph route into one). */
  route?: Polyline;
}

/**
 * The footprint of an actor's main part (its first), which is the chassis
 * box of `Car` and `KinematicBicycle` and the shape of a `Prop`: a box's
 * length and width, a cylinder's or sphere's diameter both ways.
 */
export function footprintOf(d: ActorDescriptor): Footprint {
  const shape = d.parts[0]?.shape;
  if (!shape) throw new Error(`actor '${d.id}' has no parts, so no footprint`);
  if (shape.type === 'box') return { lengthM: 2 * shape.halfExtents[0], widthM: 2 * shape.halfExtents[1] };
  return { lengthM: 2 * shape.radius, widthM: 2 * shape.radius };
}

/** Planar speed, m/s. */
export function speedOf(s: Readonly<ActorState>): number {
  return Math.hypot(s.linearVelocity[0], s.linearVelocity[1]);
}

/** Heading (yaw), rad. */
export function headingOf(s: Readonly<ActorState>): number {
  return yawOf(s.rotation);
}

/** Category lookup, built once per criterion. */
export function categoryMap(ctx: DrivingContext): Map<string, DrivingActor> {
  const m = new Map<string, DrivingActor>();
  for (const a of ctx.others) {
    if (a.id === ctx.egoId) throw new Error(`driving context: the ego '${a.id}' is also listed among the others`);
    if (m.has(a.id)) throw new Error(`driving context: actor '${a.id}' is listed twice`);
    m.set(a.id, a);
  }
  return m;
}

const _p = newRoadPose();

/**
 * A lane-graph route as a world polyline along the lane centres, points at
 * most `stepM` apart. A lane change appears as the jump from one lane's
 * centre to the next at the change point (the route's length then counts the
 * diagonal, a few per cent more than the lane graph's along-road measure).
 */
export function routePolyline(network: RoadNetwork, steps: readonly RouteStep[], stepM = 1): [number, number][] {
  const out: [number, number][] = [];
  for (const st of steps) {
    const road = network.road(st.lane.roadId);
    const n = Math.max(1, Math.ceil(Math.abs(st.sTo - st.sFrom) / stepM));
    for (let k = 0; k <= n; k++) {
      const s = st.sFrom + ((st.sTo - st.sFrom) * k) / n;
      road.laneCenterAt(st.lane.sectionIndex, st.lane.laneId, s, _p);
      const last = out[out.length - 1];
      if (last && Math.hypot(last[0] - _p.x, last[1] - _p.y) < 1e-6) continue;
      out.push([_p.x, _p.y]);
    }
  }
  return out;
}

/** Front-left, rear-left, rear-right, front-right, as (sign of x, sign of y). */
const CORNER_SIGNS = [1, 1, -1, 1, -1, -1, 1, -1];

/**
 * Corners of a footprint at (x, y, yaw), counter-clockwise from front-left,
 * written into `out` as x0, y0, x1, y1, ... (8 numbers).
 */
export function footprintCorners(x: number, y: number, yawRad: number, fp: Footprint, out: Float64Array): Float64Array {
  const c = Math.cos(yawRad), s = Math.sin(yawRad);
  const hl = fp.lengthM / 2, hw = fp.widthM / 2;
  for (let i = 0; i < 4; i++) {
    const ax = CORNER_SIGNS[2 * i]! * hl, ay = CORNER_SIGNS[2 * i + 1]! * hw;
    out[2 * i] = x + c * ax - s * ay;
    out[2 * i + 1] = y + s * ax + c * ay;
  }
  return out;
}

/**
 * Do two oriented rectangles overlap? Separating-axis test on the four edge
 * normals (exact for rectangles; touching counts as overlap).
 */
export function rectanglesOverlap(
  ax: number, ay: number, ayaw: number, a: Footprint,
  bx: number, by: number, byaw: number, b: Footprint,
): boolean {
  const dx = bx - ax, dy = by - ay;
  const ac = Math.cos(ayaw), as = Math.sin(ayaw), bc = Math.cos(byaw), bs = Math.sin(byaw);
  const ahl = a.lengthM / 2, ahw = a.widthM / 2, bhl = b.lengthM / 2, bhw = b.widthM / 2;
  // Axes: a's x, a's y, b's x, b's y. Projected half extents of each rectangle on an axis (ux, uy).
  for (let k = 0; k < 4; k++) {
    const ux = k === 0 ? ac : k === 1 ? -as : k === 2 ? bc : -bs;
    const uy = k === 0 ? as : k === 1 ? ac : k === 2 ? bs : bc;
    const ra = ahl * Math.abs(ac * ux + as * uy) + ahw * Math.abs(-as * ux + ac * uy);
    const rb = bhl * Math.abs(bc * ux + bs * uy) + bhw * Math.abs(-bs * ux + bc * uy);
    if (Math.abs(dx * ux + dy * uy) > ra + rb) return false;
  }
  return true;
}
