import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { Rng } from '../../../sim/rng.ts';

/**
 * Drops each delivery independently with probability `loss` (a number in
 * [0, 1], or a function of the delivery, e.g. a packet-error-rate curve of the
 * link distance), drawing from the seeded stream `rng`.
 *
 * Exactly one uniform draw is taken per delivery, whatever its probability, so
 * the draws a receiver sees depend only on how many deliveries reached it, not
 * on the distances involved: changing a PER curve never reshuffles which later
 * messages are lost for other reasons. A probability that is NaN counts as 1.
 * Use one `rng` per receiver stream and subscribe once: two subscriptions would
 * share (and interleave) the generator.
 */
export function withPacketLoss<T>(
  loss: number | ((delivery: T) => number),
  rng: Rng,
  onDrop?: (dropped: T) => void,
): MonoTypeOperatorFunction<T> {
  if (typeof loss === 'number' && !(loss >= 0 && loss <= 1)) {
    throw new RangeError(`packet loss probability must be in [0, 1], got ${loss}`);
  }
  return filter((d: T) => {
    const p = typeof loss === 'number' ? loss : loss(d);
    const keep = rng.next() >= p; // u in [0, 1): p = 0 keeps all, p = 1 drops all
    if (!keep) onDrop?.(d);
    return keep;
  });
}

/**
 * A logistic packet-error-rate curve of distance:
 *   PER(d) = 1 / (1 + exp(-(d - halfLossDistanceM) / transitionWidthM)).
 * Field measurements of 5.9 GHz DSRC show delivery falling off gradually over
 * a "gray zone" of distances rather than at a sharp range edge (Bai, Stancil &
 * Krishnan 2010, "Toward understanding characteristics of dedicated short range
 * communications (DSRC) from a perspective of vehicular network engineers",
 * MobiCom '10); a logistic is Skylane's two-parameter stand-in for that shape.
 * It has no default: the numbers depend on environment, antenna and load, so a
 * scenario states its own and where they come from.
 */
export function logisticPer(halfLossDistanceM: number, transitionWidthM: number): (distanceM: number) => number {
  if (!(halfLossDistanceM >= 0) || !Number.isFinite(halfLossDistanceM)) {
    throw new RangeError(`halfLossDistanceM must be a non-negative finite number, got ${halfLossDistanceM}`);
  }
  if (!(transitionWidthM > 0) || !Number.isFinite(transitionWidthM)) {
    throw new RangeError(`transitionWidthM must be a positive finite number, got ${transitionWidthM}`);
  }
  return (distanceM) => 1 / (1 + Math.exp(-(distanceM - halfLossDistanceM) / transitionWidthM));
}
