/**
 * A fixed-size ring of 3D points that a line can draw in order without
 * copying: every point is written twice, at slot i and slot i + capacity of a
 * buffer twice the capacity, so the newest `capacity` points are always one
 * contiguous window `[start, start + count)`. Adding a point costs two
 * writes; nothing is ever reallocated or shifted. (The same trick as a
 * "double-mapped" ring buffer.)
 *
 * Points closer than `spacingM` to the last one are dropped, so a hovering
 * drone does not fill its trail with one spot.
 */
export class TrailRing {
  /** xyz of 2 x capacity points; draw `count` points from point index `start`. */
  readonly positions: Float32Array;
  private head = 0;
  private n = 0;
  private lastX = NaN;
  private lastY = NaN;
  private lastZ = NaN;

  constructor(readonly capacity: number, readonly spacingM: number) {
    if (!(Number.isInteger(capacity) && capacity >= 2)) throw new RangeError(`trail: capacity must be an integer >= 2, got ${capacity}`);
    if (!(spacingM >= 0)) throw new RangeError(`trail: spacingM must be >= 0, got ${spacingM}`);
    this.positions = new Float32Array(2 * capacity * 3);
  }

  /** Points held (at most `capacity`). */
  get count(): number {
    return this.n;
  }

  /** Index (in points) of the oldest point held in `positions`. */
  get start(): number {
    return this.n < this.capacity ? 0 : this.head;
  }

  /**
   * Append a point unless it is within `spacingM` of the last one; returns the
   * slot written (its copy is at slot + capacity), or -1 if dropped.
   */
  add(x: number, y: number, z: number): number {
    if (this.n > 0) {
      const dx = x - this.lastX, dy = y - this.lastY, dz = z - this.lastZ;
      if (dx * dx + dy * dy + dz * dz < this.spacingM * this.spacingM) return -1;
    }
    const slot = this.head;
    const p = this.positions;
    const a = 3 * slot, b = 3 * (slot + this.capacity);
    p[a] = p[b] = x;
    p[a + 1] = p[b + 1] = y;
    p[a + 2] = p[b + 2] = z;
    this.head = (slot + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
    this.lastX = x;
    this.lastY = y;
    this.lastZ = z;
    return slot;
  }

  /** The i-th held point, oldest first (for tests and read-outs). */
  point(i: number, out: [number, number, number]): [number, number, number] {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`trail: point ${i} of ${this.n}`);
    const k = 3 * (this.start + i);
    out[0] = this.positions[k]!;
    out[1] = this.positions[k + 1]!;
    out[2] = this.positions[k + 2]!;
    return out;
  }

  clear(): void {
    this.head = 0;
    this.n = 0;
    this.lastX = this.lastY = this.lastZ = NaN;
  }
}
