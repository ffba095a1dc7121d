import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import type { Vec3 } from '../../../sim/math.ts';
import { Rng } from '../../../sim/rng.ts';
import { logisticPer, withPacketLoss } from '../../../vehicles/v2x/channel/with-packet-loss.ts';
import { withLatency } from '../../../vehicles/v2x/channel/with-latency.ts';
import { withinRange } from '../../../vehicles/v2x/channel/within-range.ts';
import { withLineOfSight } from '../../../vehicles/v2x/channel/with-line-of-sight.ts';
import type { Delivery } from '../../../vehicles/v2x/delivery.ts';

const msg = (senderId: string, sentAtS: number, message = 0): Delivery<number> => ({ senderId, receiverId: 'rx', sentAtS, message });

describe('withinRange', () => {
  it('keeps senders within range of the receiver and drops those beyond, or without a position', () => {
    const pos: Record<string, Vec3> = { rx: [0, 0, 0], near: [299, 0, 0], edge: [180, 240, 0], far: [300.5, 0, 0], high: [0, 0, 301] };
    const src = new Subject<Delivery<number>>();
    const got: string[] = [], dropped: string[] = [];
    src.pipe(withinRange(300, (id) => pos[id], (d) => dropped.push(d.senderId))).subscribe((d) => got.push(d.senderId));
    for (const id of ['near', 'edge', 'far', 'high', 'ghost']) src.next(msg(id, 0));
    expect(got).toEqual(['near', 'edge']); // edge is exactly 300 m away
    expect(dropped).toEqual(['far', 'high', 'ghost']);
  });
});

describe('withLatency', () => {
  it('releases each message at the first sim step with time >= send + latency, not a step early or late', () => {
    const dt = 0.01, latency = 0.1, steps = 2000;
    const clock = new Subject<number>();
    const src = new Subject<Delivery<number>>();
    const releasedAt = new Map<number, number>();
    let step = 0;
    src.pipe(withLatency(latency, clock)).subscribe((d) => releasedAt.set(d.message, step));
    let roundingCases = 0;
    for (step = 0; step < steps; step++) {
      const t = step * dt; // how World computes time
      clock.next(t);
      src.next(msg('a', t, step));
      // The float pitfall the operator must absorb: k*dt + L can exceed (k+10)*dt.
      if (t + latency > (step + 10) * dt) roundingCases++;
    }
    expect(roundingCases).toBeGreaterThan(0);
    for (let k = 0; k < steps - 10; k++) expect(releasedAt.get(k)).toBe(k + 10);
  });

  it('holds a message until its due time, releases it in the same call once due, and keeps arrival order for equal due times', () => {
    const clock = new Subject<number>();
    const src = new Subject<Delivery<number>>();
    const out: number[] = [];
    src.pipe(withLatency(0.5, clock)).subscribe((d) => out.push(d.message));
    clock.next(1);
    src.next(msg('a', 1, 1));
    src.next(msg('b', 1, 2));
    src.next(msg('c', 0.8, 3)); // sent earlier (e.g. delayed sender): due first
    clock.next(1.29);
    expect(out).toEqual([]);
    clock.next(1.3);
    expect(out).toEqual([3]);
    clock.next(1.49999);
    expect(out).toEqual([3]);
    clock.next(1.5);
    expect(out).toEqual([3, 1, 2]);
    // Already due on arrival (sent long ago): out at once, without a tick.
    src.next(msg('d', 0, 4));
    expect(out).toEqual([3, 1, 2, 4]);
    // The clock never runs back.
    clock.next(0);
    src.next(msg('e', 1.2, 5));
    expect(out).toEqual([3, 1, 2, 4]);
  });

  it('zero latency delivers on the tick it is sent, and uses no wall-clock time', () => {
    const clock = new Subject<number>();
    const src = new Subject<Delivery<number>>();
    const out: number[] = [];
    src.pipe(withLatency(0, clock)).subscribe((d) => out.push(d.message));
    clock.next(3);
    src.next(msg('a', 3, 7));
    expect(out).toEqual([7]);
  });

  it('completes after the source completes and the buffer is empty', () => {
    const clock = new Subject<number>();
    const src = new Subject<Delivery<number>>();
    let done = false;
    src.pipe(withLatency(1, clock)).subscribe({ complete: () => (done = true) });
    clock.next(0);
    src.next(msg('a', 0));
    src.complete();
    expect(done).toBe(false);
    clock.next(1);
    expect(done).toBe(true);
  });
});

describe('withPacketLoss', () => {
  const run = (p: number, seed: number, n: number) => {
    const src = new Subject<Delivery<number>>();
    const kept: number[] = [];
    src.pipe(withPacketLoss<Delivery<number>>(p, Rng.stream(seed, 'loss'))).subscribe((d) => kept.push(d.message));
    for (let i = 0; i < n; i++) src.next(msg('a', 0, i));
    return kept;
  };

  it('loses a fraction p of 100k messages, within 4 sigma', () => {
    const n = 100_000;
    for (const p of [0.05, 0.3, 0.9]) {
      const lost = n - run(p, 1, n).length;
      const sigma = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(lost - n * p)).toBeLessThan(4 * sigma);
    }
  });

  it('p = 0 loses nothing and p = 1 loses everything', () => {
    expect(run(0, 1, 1000)).toHaveLength(1000);
    expect(run(1, 1, 1000)).toHaveLength(0);
  });

  it('the same seed loses the same messages; another seed, others', () => {
    const a = run(0.3, 7, 5000), b = run(0.3, 7, 5000), c = run(0.3, 8, 5000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('a distance curve: half lost at the midpoint, fewer nearer, more farther', () => {
    const per = logisticPer(250, 25);
    expect(per(250)).toBeCloseTo(0.5, 12);
    expect(per(100)).toBeLessThan(0.01);
    expect(per(400)).toBeGreaterThan(0.99);
    expect(() => logisticPer(250, 0)).toThrow(RangeError);
    expect(() => withPacketLoss(1.5, Rng.stream(1, 'x'))).toThrow(RangeError);
  });
});

describe('withLineOfSight', () => {
  it('drops the deliveries whose link does not close, counting them, and draws nothing', () => {
    const src = new Subject<Delivery<number>>();
    const got: string[] = [], dropped: string[] = [];
    src.pipe(withLineOfSight((d) => d.senderId !== 'behind-building', (d) => dropped.push(d.senderId))).subscribe((d) => got.push(d.senderId));
    for (const id of ['open', 'behind-building', 'open-2']) src.next(msg(id, 0));
    expect(got).toEqual(['open', 'open-2']);
    expect(dropped).toEqual(['behind-building']);
  });
});
