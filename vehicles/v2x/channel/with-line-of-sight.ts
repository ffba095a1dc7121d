import { filter, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Drops each delivery whose link does not close because something solid
 * stands between sender and receiver: `linkCloses(d)` decides (e.g. a physics
 * raycast between the two antennas and a non-line-of-sight path-loss model,
 * see ../line-of-sight.ts). Judged at transmission, like range, where the two
 * were then. Draws nothing: blocking is geometry, not chance, so it never
 * shifts another receiver's or a later message's loss draws.
 *
 * `onDrop` is called for each dropped delivery (for counters), never for kept ones.
 */
export function withLineOfSight<T>(linkCloses: (delivery: T) => boolean, onDrop?: (dropped: T) => void): MonoTypeOperatorFunction<T> {
  return filter((d: T) => {
    const keep = linkCloses(d);
    if (!keep) onDrop?.(d);
    return keep;
  });
}
