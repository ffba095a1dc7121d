/**
 * One lane of a lane section, as an OpenDRIVE `<lane>`: a signed id (left of
 * the reference line positive, counted outwards from 1; right negative; the
 * centre lane 0 has no width), a type, width records, road marks on its
 * outer border, speed records, and links to the lane that comes before and
 * after it along the reference line.
 *
 * Right-hand traffic: right lanes (id < 0) are driven towards +s, left lanes
 * towards -s (OpenDRIVE's default for `rule="RHT"`).
 */
import { checkSorted, cubicAt, cubicSlopeAt, type CubicRecord } from './polynomial.ts';

/** OpenDRIVE 1.8 e_laneType, the subset Skylane uses. */
export type LaneType =
  | 'driving' | 'entry' | 'exit' | 'onRamp' | 'offRamp' | 'connectingRamp'
  | 'shoulder' | 'border' | 'sidewalk' | 'biking' | 'parking' | 'median' | 'restricted' | 'stop' | 'none';

/** Lane types a car may be routed along. */
export const DRIVABLE_LANE_TYPES: ReadonlySet<LaneType> = new Set<LaneType>([
  'driving', 'entry', 'exit', 'onRamp', 'offRamp', 'connectingRamp',
]);

/** OpenDRIVE e_roadMarkType, the subset Skylane draws and judges. */
export type RoadMarkType = 'none' | 'solid' | 'broken' | 'solid solid' | 'solid broken' | 'broken solid' | 'broken broken';
/** OpenDRIVE e_roadMarkColor (subset). `standard` is white in most countries. */
export type RoadMarkColor = 'standard' | 'white' | 'yellow' | 'blue' | 'red';

export interface RoadMark {
  /** Start, m, relative to the lane section. */
  sOffset: number;
  type: RoadMarkType;
  color: RoadMarkColor;
  widthM: number;
}

export interface LaneSpeed {
  /** Start, m, relative to the lane section. */
  sOffset: number;
  maxMps: number;
}

/** Plain-data lane, one to one with OpenDRIVE's `<lane>`. */
export interface LaneDescriptor {
  id: number;
  type: LaneType;
  /** Width records; sOffset relative to the section start. Empty for the centre lane. */
  width: CubicRecord[];
  roadMarks?: RoadMark[];
  speed?: LaneSpeed[];
  /** Lane id in the previous section (or the predecessor road at the first section). */
  predecessor?: number;
  /** Lane id in the next section (or the successor road at the last section). */
  successor?: number;
}

/** May a road mark be crossed by a lane change? Only broken and absent marks permit it. */
export function markPermitsLaneChange(type: RoadMarkType): boolean {
  // A double mark with one solid side can be crossed from one side only;
  // until that side is modelled, Skylane treats it as uncrossable.
  return type === 'none' || type === 'broken' || type === 'broken broken';
}

export class Lane {
  readonly id: number;
  readonly type: LaneType;
  readonly width: readonly CubicRecord[];
  readonly roadMarks: readonly RoadMark[];
  readonly speed: readonly LaneSpeed[];
  readonly predecessor: number | undefined;
  readonly successor: number | undefined;

  constructor(d: LaneDescriptor) {
    if (!Number.isInteger(d.id)) throw new RangeError(`lane id must be an integer, got ${d.id}`);
    if (d.id === 0 && d.width.length > 0) throw new RangeError('the centre lane (id 0) has no width');
    checkSorted(d.width, `lane ${d.id} width`);
    checkSorted(d.roadMarks ?? [], `lane ${d.id} road marks`);
    checkSorted(d.speed ?? [], `lane ${d.id} speed`);
    this.id = d.id;
    this.type = d.type;
    this.width = d.width;
    this.roadMarks = d.roadMarks ?? [];
    this.speed = d.speed ?? [];
    this.predecessor = d.predecessor;
    this.successor = d.successor;
  }

  /** +1 when driven towards +s (right lanes), -1 towards -s (left lanes), 0 for the centre lane. */
  get direction(): 1 | -1 | 0 {
    return this.id < 0 ? 1 : this.id > 0 ? -1 : 0;
  }

  get drivable(): boolean {
    return DRIVABLE_LANE_TYPES.has(this.type);
  }

  /** Width at ds (m from the section start), m. */
  widthAt(ds: number): number {
    return cubicAt(this.width, ds);
  }

  /** d(width)/d(ds). */
  widthSlopeAt(ds: number): number {
    return cubicSlopeAt(this.width, ds);
  }

  /** Road mark on the outer border at ds, or undefined where none is recorded. */
  roadMarkAt(ds: number): RoadMark | undefined {
    let m: RoadMark | undefined;
    for (const r of this.roadMarks) {
      if (r.sOffset <= ds) m = r;
      else break;
    }
    return m;
  }

  /** Speed limit at ds, m/s, or undefined where the lane has none. */
  speedLimitAt(ds: number): number | undefined {
    let v: number | undefined;
    for (const r of this.speed) {
      if (r.sOffset <= ds) v = r.maxMps;
      else break;
    }
    return v;
  }

  descriptor(): LaneDescriptor {
    const d: LaneDescriptor = { id: this.id, type: this.type, width: [...this.width] };
    if (this.roadMarks.length) d.roadMarks = [...this.roadMarks];
    if (this.speed.length) d.speed = [...this.speed];
    if (this.predecessor !== undefined) d.predecessor = this.predecessor;
    if (this.successor !== undefined) d.successor = this.successor;
    return d;
  }
}
