/**
 * OpenDRIVE's piecewise cubic: a list of records, each valid from its
 * `sOffset` until the next record's, with value a + b*ds + c*ds^2 + d*ds^3
 * where ds is the distance from the record's own start. Lane widths
 * (`<width sOffset a b c d>`), the road's lane offset (`<laneOffset s ...>`)
 * and, later, elevation share it.
 */
export interface CubicRecord {
  /** Start of this record, m, relative to the owner's start (a lane section, or the road for lane offsets). */
  sOffset: number;
  a: number;
  b: number;
  c: number;
  d: number;
}

/** A constant as a one-record cubic. */
export function constantCubic(value: number): CubicRecord[] {
  return [{ sOffset: 0, a: value, b: 0, c: 0, d: 0 }];
}

/** Index of the record in force at ds (records sorted by sOffset), or -1 before the first. */
export function cubicIndexAt(records: readonly CubicRecord[], ds: number): number {
  let i = -1;
  for (let k = 0; k < records.length; k++) {
    if (records[k]!.sOffset <= ds) i = k;
    else break;
  }
  return i;
}

/** Value at ds; 0 with no record in force (OpenDRIVE's default for a missing width or offset). */
export function cubicAt(records: readonly CubicRecord[], ds: number): number {
  const i = cubicIndexAt(records, ds);
  if (i < 0) return 0;
  const r = records[i]!;
  const u = ds - r.sOffset;
  return r.a + u * (r.b + u * (r.c + u * r.d));
}

/** Derivative d(value)/d(ds) at ds. */
export function cubicSlopeAt(records: readonly CubicRecord[], ds: number): number {
  const i = cubicIndexAt(records, ds);
  if (i < 0) return 0;
  const r = records[i]!;
  const u = ds - r.sOffset;
  return r.b + u * (2 * r.c + u * 3 * r.d);
}

export function checkSorted(records: readonly { sOffset: number }[], what: string): void {
  for (let k = 1; k < records.length; k++) {
    if (!(records[k]!.sOffset > records[k - 1]!.sOffset)) {
      throw new RangeError(`${what}: records must be in increasing sOffset, got ${records[k - 1]!.sOffset} then ${records[k]!.sOffset}`);
    }
  }
}
