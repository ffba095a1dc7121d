/**
 * A lane section (OpenDRIVE `<laneSection s>`): from road coordinate `s`
 * until the next section, a fixed set of lanes stacked outwards from the
 * centre lane. Left lanes 1, 2, ... sit at t > 0, right lanes -1, -2, ... at
 * t < 0, each lane's inner border being the outer border of the lane with id
 * one closer to 0. The centre lane lies on the road's lane offset line.
 */
import { Lane, type LaneDescriptor } from './lane.ts';

export interface LaneSectionDescriptor {
  /** Road coordinate of the section start, m. */
  s: number;
  /** Left lanes, ids 1..n in any order. */
  left: LaneDescriptor[];
  /** The centre lane: id 0, no width, carries the centre road mark. */
  center?: LaneDescriptor;
  /** Right lanes, ids -1..-m in any order. */
  right: LaneDescriptor[];
}

export class LaneSection {
  readonly s: number;
  /** Left lanes by index |id| - 1. */
  readonly left: readonly Lane[];
  readonly center: Lane;
  /** Right lanes by index |id| - 1. */
  readonly right: readonly Lane[];

  constructor(d: LaneSectionDescriptor, where = 'lane section') {
    this.s = d.s;
    this.left = stack(d.left, 1, `${where} at s=${d.s}`);
    this.right = stack(d.right, -1, `${where} at s=${d.s}`);
    this.center = new Lane(d.center ?? { id: 0, type: 'none', width: [] });
    if (this.center.id !== 0) throw new RangeError(`${where} at s=${d.s}: the centre lane must have id 0, got ${this.center.id}`);
  }

  lane(id: number): Lane | undefined {
    if (id === 0) return this.center;
    return id > 0 ? this.left[id - 1] : this.right[-id - 1];
  }

  /** Every lane, from the outermost left to the outermost right (centre included). */
  lanes(): Lane[] {
    return [...[...this.left].reverse(), this.center, ...this.right];
  }

  /**
   * Lateral position of the outer border of lane `id` at `ds` metres into the
   * section, given the road's lane offset there. For id 0, the centre line.
   */
  outerT(id: number, ds: number, laneOffsetT: number): number {
    let t = laneOffsetT;
    if (id > 0) for (let k = 0; k < id; k++) t += this.left[k]!.widthAt(ds);
    else for (let k = 0; k < -id; k++) t -= this.right[k]!.widthAt(ds);
    return t;
  }

  /** Lateral position of the inner border (towards the centre lane). */
  innerT(id: number, ds: number, laneOffsetT: number): number {
    return id === 0 ? laneOffsetT : this.outerT(id > 0 ? id - 1 : id + 1, ds, laneOffsetT);
  }

  /** Lateral position of the lane's centre line. */
  centerT(id: number, ds: number, laneOffsetT: number): number {
    return 0.5 * (this.innerT(id, ds, laneOffsetT) + this.outerT(id, ds, laneOffsetT));
  }

  /** d(centre t)/d(ds) from the width slopes (the lane offset's slope is added by the road). */
  centerSlope(id: number, ds: number): number {
    if (id === 0) return 0;
    const side = id > 0 ? this.left : this.right;
    const n = Math.abs(id);
    let slope = 0;
    for (let k = 0; k < n - 1; k++) slope += side[k]!.widthSlopeAt(ds);
    slope += 0.5 * side[n - 1]!.widthSlopeAt(ds);
    return id > 0 ? slope : -slope;
  }

  /** Id of the lane that contains lateral position t, or undefined off the outermost lanes. */
  laneAtT(t: number, ds: number, laneOffsetT: number): number | undefined {
    if (t >= laneOffsetT) {
      let outer = laneOffsetT;
      for (let k = 0; k < this.left.length; k++) {
        outer += this.left[k]!.widthAt(ds);
        if (t <= outer) return k + 1;
      }
    } else {
      let outer = laneOffsetT;
      for (let k = 0; k < this.right.length; k++) {
        outer -= this.right[k]!.widthAt(ds);
        if (t >= outer) return -(k + 1);
      }
    }
    return undefined;
  }

  descriptor(): LaneSectionDescriptor {
    return {
      s: this.s,
      left: this.left.map((l) => l.descriptor()),
      center: this.center.descriptor(),
      right: this.right.map((l) => l.descriptor()),
    };
  }
}

function stack(lanes: readonly LaneDescriptor[], sign: 1 | -1, where: string): Lane[] {
  const out: Lane[] = [];
  for (const d of lanes) {
    const k = sign * d.id - 1;
    if (!(k >= 0) || !Number.isInteger(k)) {
      throw new RangeError(`${where}: a ${sign > 0 ? 'left' : 'right'} lane must have a ${sign > 0 ? 'positive' : 'negative'} id, got ${d.id}`);
    }
    if (out[k]) throw new RangeError(`${where}: duplicate lane id ${d.id}`);
    out[k] = new Lane(d);
  }
  for (let k = 0; k < out.length; k++) {
    if (!out[k]) throw new RangeError(`${where}: lane ids must be contiguous from ${sign}; ${sign * (k + 1)} is missing`);
  }
  return out;
}
