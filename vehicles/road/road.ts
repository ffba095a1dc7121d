/**
 * A road, as an OpenDRIVE `<road>`: a reference line, an optional lane
 * offset (which shifts the centre lane off the reference line), lane
 * sections in increasing s, and links to what comes before (at s = 0) and
 * after (at s = length). A road inside a junction (a connecting road) names
 * its junction.
 */
import { newRoadPose, type GeometryDescriptor, type RoadPose } from './geometry.ts';
import { LaneSection, type LaneSectionDescriptor } from './lane-section.ts';
import { checkSorted, cubicAt, cubicSlopeAt, type CubicRecord } from './polynomial.ts';
import { newFrenetPoint, ReferenceLine, ReferenceLineError, type FrenetPoint } from './reference-line.ts';

/** Which end of a road a link attaches to. */
export type ContactPoint = 'start' | 'end';

/** OpenDRIVE `<predecessor>`/`<successor>` of a road. */
export interface RoadLink {
  elementType: 'road' | 'junction';
  elementId: string;
  /** Required for a road element: which end of that road touches this one. */
  contactPoint?: ContactPoint;
}

export interface RoadDescriptor {
  id: string;
  name?: string;
  /** Id of the junction this road belongs to (a connecting road), if any. */
  junction?: string;
  planView: GeometryDescriptor[];
  /** OpenDRIVE `<laneOffset>`: here sOffset is the road coordinate s. */
  laneOffset?: CubicRecord[];
  laneSections: LaneSectionDescriptor[];
  predecessor?: RoadLink;
  successor?: RoadLink;
  /** Road-wide speed limit, m/s (OpenDRIVE `<type><speed>`), used where a lane has none. */
  speedLimitMps?: number;
}

/** Where a world point lies on a road. */
export interface LanePosition extends FrenetPoint {
  sectionIndex: number;
  /** Lane containing the point, or undefined off the road's outermost lanes. */
  laneId: number | undefined;
}

export function newLanePosition(): LanePosition {
  return { ...newFrenetPoint(), sectionIndex: 0, laneId: undefined };
}

/** A sample of a lane centre line, in the lane's driving direction. */
export interface LaneCenterPoint {
  s: number;
  x: number;
  y: number;
  /** Heading of the centre line in the driving direction, rad. */
  headingRad: number;
}

const _pose = newRoadPose();

export class Road {
  readonly id: string;
  readonly name: string | undefined;
  readonly junction: string | undefined;
  readonly referenceLine: ReferenceLine;
  readonly lengthM: number;
  readonly laneOffset: readonly CubicRecord[];
  readonly sections: readonly LaneSection[];
  readonly predecessor: RoadLink | undefined;
  readonly successor: RoadLink | undefined;
  readonly speedLimitMps: number | undefined;

  constructor(d: RoadDescriptor) {
    const where = `road ${d.id}`;
    try {
      this.referenceLine = ReferenceLine.fromDescriptors(d.planView);
    } catch (e) {
      // Name the road: a network has many reference lines.
      const message = `${where}: ${(e as Error).message}`;
      throw e instanceof ReferenceLineError ? new ReferenceLineError(message) : new RangeError(message);
    }
    this.id = d.id;
    this.name = d.name;
    this.junction = d.junction;
    this.lengthM = this.referenceLine.lengthM;
    this.laneOffset = d.laneOffset ?? [];
    checkSorted(this.laneOffset, `${where} lane offset`);
    if (d.laneSections.length === 0) throw new RangeError(`${where}: needs at least one lane section`);
    if (d.laneSections[0]!.s !== 0) throw new RangeError(`${where}: the first lane section must start at s=0, got ${d.laneSections[0]!.s}`);
    checkSorted(d.laneSections.map((ls) => ({ sOffset: ls.s })), `${where} lane sections`);
    const lastS = d.laneSections[d.laneSections.length - 1]!.s;
    if (!(lastS < this.lengthM)) throw new RangeError(`${where}: lane section at s=${lastS} starts beyond the road's length ${this.lengthM}`);
    this.sections = d.laneSections.map((ls) => new LaneSection(ls, where));
    this.predecessor = d.predecessor;
    this.successor = d.successor;
    this.speedLimitMps = d.speedLimitMps;
  }

  sectionIndexAt(s: number): number {
    let i = 0;
    for (let k = 1; k < this.sections.length; k++) {
      if (this.sections[k]!.s <= s) i = k;
      else break;
    }
    return i;
  }

  sectionStart(i: number): number {
    return this.sections[i]!.s;
  }

  sectionEnd(i: number): number {
    return i + 1 < this.sections.length ? this.sections[i + 1]!.s : this.lengthM;
  }

  laneOffsetAt(s: number): number {
    return cubicAt(this.laneOffset, s);
  }

  /** Lateral position of a lane's centre line at s, m (s inside section `sectionIndex`). */
  laneCenterT(sectionIndex: number, laneId: number, s: number): number {
    const sec = this.sections[sectionIndex]!;
    return sec.centerT(laneId, s - sec.s, this.laneOffsetAt(s));
  }

  /**
   * World pose of a lane's centre line at s. The heading is along +s (add pi
   * for a left lane's driving direction); it includes the turn from a
   * changing width: atan2(dt/ds, 1 - kappa t). Curvature is the reference
   * line's, scaled to the offset curve (exact where t is constant).
   */
  laneCenterAt(sectionIndex: number, laneId: number, s: number, out: RoadPose): RoadPose {
    const sec = this.sections[sectionIndex]!;
    const ds = s - sec.s;
    const t = sec.centerT(laneId, ds, this.laneOffsetAt(s));
    const slope = sec.centerSlope(laneId, ds) + cubicSlopeAt(this.laneOffset, s);
    this.referenceLine.poseAt(s, out);
    const k = out.curvature;
    const h = out.headingRad;
    out.x -= t * Math.sin(h);
    out.y += t * Math.cos(h);
    const stretch = 1 - k * t;
    out.headingRad = h + Math.atan2(slope, stretch);
    out.curvature = stretch !== 0 ? k / stretch : Infinity;
    return out;
  }

  /**
   * Samples of a lane's centre line over its section, at most `stepM` apart,
   * both ends included, ordered in the lane's driving direction (decreasing
   * s for left lanes) with the heading of that direction.
   */
  sampleLaneCenter(sectionIndex: number, laneId: number, stepM = 1): LaneCenterPoint[] {
    const a = this.sectionStart(sectionIndex);
    const b = this.sectionEnd(sectionIndex);
    const n = Math.max(1, Math.ceil((b - a) / stepM));
    const reverse = laneId > 0;
    const out: LaneCenterPoint[] = [];
    for (let k = 0; k <= n; k++) {
      const s = reverse ? b - ((b - a) * k) / n : a + ((b - a) * k) / n;
      this.laneCenterAt(sectionIndex, laneId, s, _pose);
      out.push({ s, x: _pose.x, y: _pose.y, headingRad: reverse ? _pose.headingRad + Math.PI : _pose.headingRad });
    }
    return out;
  }

  /** Speed limit of a lane at s, m/s: the lane's record, else the road's, else undefined. */
  speedLimitAt(sectionIndex: number, laneId: number, s: number): number | undefined {
    const sec = this.sections[sectionIndex]!;
    return sec.lane(laneId)?.speedLimitAt(s - sec.s) ?? this.speedLimitMps;
  }

  /**
   * Road coordinates, section and lane of world point (x, y). Allocates
   * nothing. `sHint`, optional, is a warm start for the projection (the
   * point's s at the last call): it makes the call cheaper and never changes
   * the result (`ReferenceLine.project`).
   */
  locate(x: number, y: number, out: LanePosition, sHint?: number): LanePosition {
    this.referenceLine.project(x, y, out, sHint);
    out.sectionIndex = this.sectionIndexAt(out.s);
    const sec = this.sections[out.sectionIndex]!;
    out.laneId = out.inRange ? sec.laneAtT(out.t, out.s - sec.s, this.laneOffsetAt(out.s)) : undefined;
    return out;
  }

  descriptor(): RoadDescriptor {
    const d: RoadDescriptor = {
      id: this.id,
      planView: this.referenceLine.descriptors(),
      laneSections: this.sections.map((s) => s.descriptor()),
    };
    if (this.name !== undefined) d.name = this.name;
    if (this.junction !== undefined) d.junction = this.junction;
    if (this.laneOffset.length) d.laneOffset = [...this.laneOffset];
    if (this.predecessor) d.predecessor = this.predecessor;
    if (this.successor) d.successor = this.successor;
    if (this.speedLimitMps !== undefined) d.speedLimitMps = this.speedLimitMps;
    return d;
  }
}
