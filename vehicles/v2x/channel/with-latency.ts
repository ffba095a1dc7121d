import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Tolerance on "sim time >= send time + latency", s. Simulation time is
 * step * dt, so a send time of 0.30000000000000004 s plus 0.1 s must still be
 * due at step time 0.4 s; 1 ns is far below any simulation step and far above
 * the rounding of k * dt.
 */
export const LATENCY_TIME_EPSILON_S = 1e-9;

/**
 * Delays each item by `latencyS` of *simulation* time (never wall time, never
 * an rxjs scheduler): an item stamped `sentAtS` is emitted on the first
 * emission of `clock` (the simulation time, s) that is >= sentAtS + latencyS,
 * or immediately on arrival if the clock is already there.
 *
 * Works with a synchronous, stepped simulation: the operator only buffers, and
 * each tick's clock emission releases what is due. Items are released in order
 * of due time, and items due at the same time in the order they arrived, so the
 * output order is a pure function of the inputs. A clock value lower than one
 * already seen is ignored (time does not run back).
 *
 * Completes when the source has completed and the buffer is empty, or when the
 * clock completes (nothing buffered could ever be released then).
 */
export function withLatency<T extends { sentAtS: number }>(
  latencyS: number,
  clock: Observable<number>,
): MonoTypeOperatorFunction<T> {
  if (!(latencyS >= 0) || !Number.isFinite(latencyS)) {
    throw new RangeError(`latencyS must be a non-negative finite number of seconds, got ${latencyS}`);
  }
  return (source) =>
    new Observable<T>((subscriber) => {
      // Buffer sorted by due time, stable; [head, length) is still pending.
      const items: (T | undefined)[] = [];
      const due: number[] = [];
      let head = 0;
      let now = -Infinity;
      let sourceDone = false;

      const release = () => {
        while (head < items.length && due[head]! <= now + LATENCY_TIME_EPSILON_S) {
          const item = items[head] as T;
          items[head] = undefined;
          head++;
          subscriber.next(item);
        }
        if (head === items.length) {
          items.length = 0;
          due.length = 0;
          head = 0;
          if (sourceDone) subscriber.complete();
        } else if (head > 64 && head * 2 > items.length) {
          items.splice(0, head);
          due.splice(0, head);
          head = 0;
        }
      };

      const clockSub = clock.subscribe({
        next: (t) => {
          if (t > now) now = t;
          release();
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      const sourceSub = source.subscribe({
        next: (item) => {
          const d = item.sentAtS + latencyS;
          // Insert after every pending item due no later (stable); with one
          // latency and in-order send times this is an append.
          let i = items.length;
          while (i > head && due[i - 1]! > d) i--;
          if (i === items.length) {
            items.push(item);
            due.push(d);
          } else {
            items.splice(i, 0, item);
            due.splice(i, 0, d);
          }
          release();
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          sourceDone = true;
          release();
        },
      });
      return () => {
        clockSub.unsubscribe();
        sourceSub.unsubscribe();
      };
    });
}
