/**
 * Road works: a lane closed by a taper of traffic cones, and a road closed by
 * a barrier across its lanes. Plain descriptors in road coordinates, and the
 * world positions of their cones and barrier.
 *
 * They are recorded on the world's road scene (`RoadScene.closures`), not on
 * the `RoadNetwork`: the network is the HD map an agent under test is given,
 * and a real map does not know about fresh road works, so the agent must find
 * them with its sensors. NPC traffic, which reads ground truth, knows them.
 *
 * Taper length (MUTCD 2009, Table 6C-4, merging taper, verified): with W the
 * lateral offset in feet and S the speed limit in mph,
 *   L = W S^2 / 60  for S <= 40 mph,   L = W S  for S >= 45 mph
 * (between 40 and 45 mph Skylane takes the larger of the two).
 * Cone spacing: in a taper about S feet (S in mph), MUTCD 6F.63 guidance as
 * quoted by state manuals (verified); along the tangent 2 S feet (the usual
 * reading of the same guidance, from memory).
 * Cone: 28 in (0.71 m) tall, the MUTCD 6F.64 minimum for roads of 45 mph and
 * over or at night (verified); base 14 in (0.36 m) wide (typical of 28 in
 * cones, from memory), modelled as a cylinder of the base's diameter.
 * Barrier: a Type III barricade across the road, 1.5 m high (MUTCD 6F.68:
 * rails to about 5 ft, from memory), 0.3 m deep.
 */
import { newRoadPose } from './geometry.ts';
import type { RoadNetwork } from './road-network.ts';

const FT = 0.3048;
const MPH = 0.44704;

/** Cone height, m: 28 in, MUTCD 6F.64. */
export const CONE_HEIGHT_M = 28 * 0.0254;
/** Cone base diameter, m: 14 in (typical 28 in cone; from memory). */
export const CONE_BASE_DIAMETER_M = 14 * 0.0254;
/** Barrier height and depth, m (Type III barricade, see the file comment). */
export const BARRIER_HEIGHT_M = 1.5;
export const BARRIER_DEPTH_M = 0.3;
/** Cones stand this far inside the closed lane from its border with the open lane, m (Skylane's choice: base clear of the line). */
const CONE_INSET_M = 0.3;

export interface LaneClosureDescriptor {
  kind: 'lane';
  id: string;
  roadId: string;
  laneId: number;
  /** The closed stretch in road s, sStart < sEnd, taper included. */
  sStart: number;
  sEnd: number;
  /** Road s where the taper begins (upstream end in the lane's direction) and where it has crossed the lane. */
  taperStartS: number;
  taperEndS: number;
}

export interface RoadClosureDescriptor {
  kind: 'road';
  id: string;
  roadId: string;
  /** Road s of the barrier. */
  s: number;
}

export type ClosureDescriptor = LaneClosureDescriptor | RoadClosureDescriptor;

/** MUTCD Table 6C-4 merging taper length, m, for an offset of `widthM` at `speedMps`. */
export function mutcdTaperLengthM(widthM: number, speedMps: number): number {
  const w = widthM / FT;
  const s = speedMps / MPH;
  const low = (w * s * s) / 60;
  const high = w * s;
  const ft = s <= 40 ? low : s >= 45 ? high : Math.max(low, high);
  return ft * FT;
}

/** MUTCD taper cone spacing, m: about S feet at S mph. */
export function mutcdTaperSpacingM(speedMps: number): number {
  return Math.max(1, (speedMps / MPH) * FT);
}

export interface PlacedPart {
  x: number;
  y: number;
  yawRad: number;
}

const _p = newRoadPose();

/**
 * Work out a lane closure: taper at the upstream end of [fromS, toS] in the
 * lane's driving direction. Throws a RangeError naming what is wrong (no
 * such road or lane, outside the road, a taper longer than the closure).
 */
export function laneClosure(network: RoadNetwork, o: { id: string; roadId: string; laneId: number; fromS: number; toS: number; taperLengthM?: number }): LaneClosureDescriptor {
  const road = network.road(o.roadId);
  if (!(o.fromS < o.toS)) throw new RangeError(`fromS must be below toS (got ${o.fromS} and ${o.toS})`);
  if (o.toS > road.lengthM) throw new RangeError(`toS ${o.toS} m is off road "${o.roadId}", which is ${road.lengthM.toFixed(3)} m long`);
  for (const sAt of [o.fromS, o.toS]) {
    const sec = road.sections[road.sectionIndexAt(sAt)]!;
    const lane = sec.lane(o.laneId);
    if (!lane || !lane.drivable) throw new RangeError(`road "${o.roadId}" has no drivable lane ${o.laneId} at s=${sAt}`);
  }
  const sec = road.sections[road.sectionIndexAt(o.fromS)]!;
  const width = sec.lane(o.laneId)!.widthAt(o.fromS - sec.s);
  const limit = road.speedLimitAt(road.sectionIndexAt(o.fromS), o.laneId, o.fromS) ?? 50 / 3.6;
  const taper = o.taperLengthM ?? mutcdTaperLengthM(width, limit);
  if (taper > o.toS - o.fromS) throw new RangeError(`the ${taper.toFixed(1)} m taper is longer than the closure (${(o.toS - o.fromS).toFixed(1)} m); lengthen it or give a shorter taperLengthM`);
  const up = o.laneId < 0;
  return {
    kind: 'lane', id: o.id, roadId: o.roadId, laneId: o.laneId, sStart: o.fromS, sEnd: o.toS,
    taperStartS: up ? o.fromS : o.toS, taperEndS: up ? o.fromS + taper : o.toS - taper,
  };
}

/**
 * Cone positions of a lane closure: along the taper, from the lane's far
 * border (away from the open lane traffic moves to) to its near border, then
 * along the near border to the downstream end. The open side is the inner
 * neighbour (towards the centre line) when it is drivable, else the outer.
 */
export function laneClosureCones(network: RoadNetwork, c: LaneClosureDescriptor, spacingM?: number): PlacedPart[] {
  const road = network.road(c.roadId);
  const id = c.laneId;
  const inner = id > 0 ? id - 1 : id + 1;
  const sec0 = road.sections[road.sectionIndexAt(c.taperStartS)]!;
  const innerLane = inner !== 0 ? sec0.lane(inner) : undefined;
  const openInner = innerLane?.drivable === true;
  const borderT = (sAt: number, which: 'inner' | 'outer'): number => {
    const si = road.sectionIndexAt(sAt);
    const sec = road.sections[si]!;
    const off = road.laneOffsetAt(sAt);
    const tIn = sec.innerT(id, sAt - sec.s, off), tOut = sec.outerT(id, sAt - sec.s, off);
    const inward = Math.sign(tOut - tIn); // from the inner border towards the outer
    return which === 'inner' ? tIn + inward * CONE_INSET_M : tOut - inward * CONE_INSET_M;
  };
  const near: 'inner' | 'outer' = openInner ? 'inner' : 'outer';
  const far: 'inner' | 'outer' = openInner ? 'outer' : 'inner';
  const dir = Math.sign(c.taperEndS - c.taperStartS);
  const taperLen = Math.abs(c.taperEndS - c.taperStartS);
  const limit = road.speedLimitAt(road.sectionIndexAt(c.taperStartS), id, c.taperStartS) ?? 50 / 3.6;
  const taperSpacing = spacingM ?? mutcdTaperSpacingM(limit);
  const tangentSpacing = spacingM ?? 2 * taperSpacing;
  const out: PlacedPart[] = [];
  const put = (sAt: number, t: number) => {
    road.referenceLine.toWorld(sAt, t, _p);
    out.push({ x: _p.x, y: _p.y, yawRad: _p.headingRad });
  };
  const nTaper = Math.max(2, Math.ceil(taperLen / taperSpacing));
  for (let k = 0; k <= nTaper; k++) {
    const u = k / nTaper;
    const sAt = c.taperStartS + dir * u * taperLen;
    put(sAt, (1 - u) * borderT(sAt, far) + u * borderT(sAt, near));
  }
  const downstream = dir > 0 ? c.sEnd : c.sStart;
  const rest = Math.abs(downstream - c.taperEndS);
  const nTan = Math.ceil(rest / tangentSpacing);
  for (let k = 1; k <= nTan; k++) {
    const sAt = c.taperEndS + dir * Math.min(k * tangentSpacing, rest);
    put(sAt, borderT(sAt, near));
  }
  return out;
}

/** A road closure at s, checked to be on the road. */
export function roadClosure(network: RoadNetwork, o: { id: string; roadId: string; s: number }): RoadClosureDescriptor {
  const road = network.road(o.roadId);
  if (!(o.s >= 0 && o.s <= road.lengthM)) throw new RangeError(`s=${o.s} m is off road "${o.roadId}", which is ${road.lengthM.toFixed(3)} m long`);
  return { kind: 'road', id: o.id, roadId: o.roadId, s: o.s };
}

/** The barrier of a road closure: centre, heading across the road, and its width over every lane but sidewalks, m. */
export function roadClosureBarrier(network: RoadNetwork, c: RoadClosureDescriptor): PlacedPart & { widthM: number } {
  const road = network.road(c.roadId);
  const si = road.sectionIndexAt(c.s);
  const sec = road.sections[si]!;
  const off = road.laneOffsetAt(c.s);
  let lo = Infinity, hi = -Infinity;
  for (const l of sec.lanes()) {
    if (l.id === 0 || l.type === 'sidewalk') continue;
    for (const t of [sec.innerT(l.id, c.s - sec.s, off), sec.outerT(l.id, c.s - sec.s, off)]) {
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
  }
  road.referenceLine.toWorld(c.s, (lo + hi) / 2, _p);
  return { x: _p.x, y: _p.y, yawRad: _p.headingRad, widthM: hi - lo };
}
