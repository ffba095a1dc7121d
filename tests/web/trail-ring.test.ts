/** Trajectory trails: a fixed-size ring whose newest points are always one contiguous, ordered window. */
import { describe, expect, it } from 'vitest';
import { TrailRing } from '../../web/trail-ring.ts';

/** The window a line draws: `count` points from `start`, read straight out of the buffer. */
function window(r: TrailRing): number[] {
  return Array.from(r.positions.subarray(3 * r.start, 3 * (r.start + r.count))).filter((_, i) => i % 3 === 0);
}

describe('TrailRing', () => {
  it('keeps the newest `capacity` points in order, in one window of its buffer, without reallocating', () => {
    const r = new TrailRing(4, 0);
    const buffer = r.positions;
    for (let x = 1; x <= 3; x++) r.add(x, 0, 0);
    expect(window(r)).toEqual([1, 2, 3]);
    for (let x = 4; x <= 11; x++) {
      r.add(x, 0, 0);
      expect(window(r)).toEqual([x - 3, x - 2, x - 1, x]);
    }
    expect(r.count).toBe(4);
    expect(r.positions).toBe(buffer);
    expect(r.point(0, [0, 0, 0])).toEqual([8, 0, 0]);
  });

  it('keeps heights (a drone flies in 3D) and drops points closer than the spacing', () => {
    const r = new TrailRing(8, 0.5);
    expect(r.add(0, 0, 4)).toBe(0);
    expect(r.add(0.1, 0.1, 4.1)).toBe(-1);
    expect(r.add(0, 0, 4.6)).toBe(1);
    expect(r.count).toBe(2);
    expect(r.point(1, [0, 0, 0])).toEqual([0, 0, expect.closeTo(4.6, 5)]);
    r.clear();
    expect(r.count).toBe(0);
    expect(r.add(0, 0, 4.6)).toBe(0);
  });

  it('rejects a capacity below 2 and a negative spacing', () => {
    expect(() => new TrailRing(1, 0)).toThrow(/capacity/);
    expect(() => new TrailRing(4, -1)).toThrow(/spacing/);
  });
});
