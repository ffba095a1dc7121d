import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { linkDistanceM, type PositionOf } from '../delivery.ts';

/**
 * Drops every delivery whose sender is farther than `rangeM` from its receiver
 * (3-D Euclidean distance between their ground-truth positions, looked up with
 * `positionOf` when the delivery passes, i.e. at send time in a synchronous
 * simulation: propagation over a few hundred metres takes about a microsecond,
 * so where the cars were at transmission is what decides). A delivery whose
 * sender or receiver has no position is dropped too. A hard disc is the
 * simplest range model; a soft edge is `withPacketLoss` with a distance curve.
 *
 * `onDrop` is called for each dropped delivery (for counters), never for kept ones.
 */
export function withinRange<T extends { senderId: string; receiverId: string }>(
  rangeM: number,
  positionOf: PositionOf,
  onDrop?: (dropped: T) => void,
): MonoTypeOperatorFunction<T> {
  if (!(rangeM >= 0)) throw new RangeError(`rangeM must be a non-negative number, got ${rangeM}`);
  return filter((d: T) => {
    const keep = linkDistanceM(d, positionOf) <= rangeM;
    if (!keep) onDrop?.(d);
    return keep;
  });
}
