/**
 * The simulated V2X radio: broadcast with range, latency and seeded packet loss.
 *
 * Every transmission is fanned out to each registered receiver except the
 * sender (a radio does not hear itself), and each receiver's copy runs through
 * the channel operators in this order:
 *
 *   withinRange -> withLineOfSight (optional) -> withPacketLoss -> withLatency -> the receiver's inbox
 *
 * Range, blocking and loss are decided at transmission, where the sender and receiver
 * were then; latency last, so a message in flight is never re-judged. An agent
 * drains its inbox once per tick with `drain(receiverId, t)`.
 *
 * Determinism: there is no wall-clock time and no rxjs scheduler; the clock is
 * simulation time pushed by `send`/`advance`/`drain`. Each receiver draws its
 * losses from its own stream, `Rng.stream(seed, streamName).fork(receiverId)`,
 * so adding a receiver never changes what another one receives.
 *
 * Within one tick, a message sent with zero latency reaches a receiver that
 * drains later in the same tick, and one that drained earlier at its next
 * drain: deterministic, set by the order agents run in. With the default
 * latency (longer than a simulation step) the order does not matter.
 */
import { Subject, filter, identity, map, type Subscription } from 'rxjs';
import { Rng } from '../../sim/rng.ts';
import { withinRange } from './channel/within-range.ts';
import { withPacketLoss, logisticPer } from './channel/with-packet-loss.ts';
import { withLatency, LATENCY_TIME_EPSILON_S } from './channel/with-latency.ts';
import { withLineOfSight } from './channel/with-line-of-sight.ts';
import { linkDistanceM, type Delivery, type PositionOf } from './delivery.ts';
import type { V2xMessage } from './messages.ts';

export { withinRange } from './channel/within-range.ts';
export { withPacketLoss, logisticPer } from './channel/with-packet-loss.ts';
export { withLatency, LATENCY_TIME_EPSILON_S } from './channel/with-latency.ts';
export { withLineOfSight } from './channel/with-line-of-sight.ts';
export type { Delivery, PositionOf } from './delivery.ts';

/** Loss as a logistic curve of link distance (see logisticPer). */
export interface DistanceLoss {
  halfLossDistanceM: number;
  transitionWidthM: number;
}

export interface RadioOptions {
  /** The scenario seed. */
  seed: number;
  /** Ground-truth position lookup, evaluated when a message is sent. */
  positionOf: PositionOf;
  /** Hard range, m. Default RADIO_DEFAULTS.rangeM. */
  rangeM?: number;
  /** Latency, s of sim time. Default RADIO_DEFAULTS.latencyS. */
  latencyS?: number;
  /** Packet loss: a probability, or a logistic curve of distance. Default 0. */
  loss?: number | DistanceLoss;
  /** Random stream name under the seed. Default 'v2x/radio'. */
  streamName?: string;
  /**
   * Optional obstruction test, evaluated at transmission after the range
   * check: false drops the copy (counted in `stats.blocked`). Default: every
   * link in range closes (no obstacles).
   */
  linkCloses?: (senderId: string, receiverId: string) => boolean;
}

export const RADIO_DEFAULTS = Object.freeze({
  /**
   * 300 m: Skylane's assumption, the line-of-sight V2V range usually quoted
   * for 5.9 GHz DSRC and LTE-V2X sidelink; set it per scenario when it matters.
   */
  rangeM: 300,
  /**
   * 100 ms: the maximum end-to-end latency 3GPP TS 22.185 (Service
   * requirements for V2X services, sec. 5) sets for V2V/V2I messages. A worst
   * case on purpose: an agent that copes with it copes with a real stack.
   */
  latencyS: 0.1,
  /** 0: no loss unless the scenario states a probability or curve and its source. */
  loss: 0,
});

export interface RadioStats {
  /** Transmissions (one per `send`, not per receiver). */
  sent: number;
  /** Receiver copies dropped for range. */
  outOfRange: number;
  /** Receiver copies dropped because an obstacle blocked the link (see `linkCloses`). */
  blocked: number;
  /** Receiver copies lost to packet errors. */
  lost: number;
  /** Receiver copies placed in an inbox. */
  delivered: number;
}

interface ReceiverSlot<M> {
  inbox: Delivery<M>[];
  subscription: Subscription;
}

export class Radio<M = V2xMessage> {
  readonly rangeM: number;
  readonly latencyS: number;
  readonly stats: RadioStats = { sent: 0, outOfRange: 0, blocked: 0, lost: 0, delivered: 0 };
  /** Every copy as it reaches an inbox (e.g. for drawing V2X links); synchronous. */
  readonly delivered$ = new Subject<Delivery<M>>();

  private readonly positionOf: PositionOf;
  private readonly linkCloses: ((senderId: string, receiverId: string) => boolean) | undefined;
  private readonly loss: number | ((d: Delivery<M>) => number);
  private readonly rng: Rng;
  private readonly air$ = new Subject<{ senderId: string; sentAtS: number; message: M }>();
  private readonly clock$ = new Subject<number>();
  private readonly receivers = new Map<string, ReceiverSlot<M>>();
  private now = -Infinity;

  constructor(opts: RadioOptions) {
    this.positionOf = opts.positionOf;
    this.linkCloses = opts.linkCloses;
    this.rangeM = opts.rangeM ?? RADIO_DEFAULTS.rangeM;
    this.latencyS = opts.latencyS ?? RADIO_DEFAULTS.latencyS;
    if (!(this.rangeM >= 0)) throw new RangeError(`radio rangeM must be non-negative, got ${this.rangeM}`);
    if (!(this.latencyS >= 0) || !Number.isFinite(this.latencyS)) {
      throw new RangeError(`radio latencyS must be a non-negative finite number, got ${this.latencyS}`);
    }
    const loss = opts.loss ?? RADIO_DEFAULTS.loss;
    if (typeof loss === 'number') {
      if (!(loss >= 0 && loss <= 1)) throw new RangeError(`radio loss probability must be in [0, 1], got ${loss}`);
      this.loss = loss;
    } else {
      const per = logisticPer(loss.halfLossDistanceM, loss.transitionWidthM);
      this.loss = (d) => per(linkDistanceM(d, this.positionOf));
    }
    this.rng = Rng.stream(opts.seed, opts.streamName ?? 'v2x/radio');
  }

  /** The latest simulation time the radio has been advanced to, s. */
  get time(): number {
    return this.now;
  }

  /** Receiver ids in registration order. */
  get receiverIds(): string[] {
    return [...this.receivers.keys()];
  }

  /** Give `id` an inbox. It hears transmissions sent from now on. */
  addReceiver(id: string): void {
    if (this.receivers.has(id)) throw new Error(`radio receiver '${id}' already exists`);
    const slot: ReceiverSlot<M> = { inbox: [], subscription: undefined as unknown as Subscription };
    const closes = this.linkCloses;
    slot.subscription = this.air$
      .pipe(
        filter((tx) => tx.senderId !== id),
        map((tx): Delivery<M> => ({ senderId: tx.senderId, receiverId: id, sentAtS: tx.sentAtS, message: tx.message })),
        withinRange<Delivery<M>>(this.rangeM, this.positionOf, () => this.stats.outOfRange++),
        closes ? withLineOfSight<Delivery<M>>((d) => closes(d.senderId, d.receiverId), () => this.stats.blocked++) : identity,
        withPacketLoss<Delivery<M>>(this.loss, this.rng.fork(id), () => this.stats.lost++),
        withLatency<Delivery<M>>(this.latencyS, this.clock$),
      )
      .subscribe((d) => {
        slot.inbox.push(d);
        this.stats.delivered++;
        this.delivered$.next(d);
      });
    this.receivers.set(id, slot);
  }

  /** Remove `id`'s inbox; messages in flight to it are discarded. */
  removeReceiver(id: string): void {
    const slot = this.receivers.get(id);
    if (slot === undefined) return;
    slot.subscription.unsubscribe();
    this.receivers.delete(id);
  }

  /** Move simulation time to `t` (s), releasing every message now due. Time never runs back. */
  advance(t: number): void {
    if (!Number.isFinite(t)) throw new RangeError(`radio time must be finite, got ${t}`);
    if (t < this.now - LATENCY_TIME_EPSILON_S) throw new RangeError(`radio time ran back from ${this.now} s to ${t} s`);
    if (t > this.now) {
      this.now = t;
      this.clock$.next(t);
    }
  }

  /** Broadcast `message` from `senderId` at simulation time `t` (s). */
  send(senderId: string, message: M, t: number): void {
    if (this.positionOf(senderId) === undefined) throw new Error(`radio sender '${senderId}' has no position`);
    this.advance(t);
    this.stats.sent++;
    this.air$.next({ senderId, sentAtS: t, message });
  }

  /**
   * Everything delivered to `receiverId` up to simulation time `t` (s) and not
   * yet drained, in delivery order; empties the inbox. Advances the clock to `t`.
   */
  drain(receiverId: string, t: number): Delivery<M>[] {
    const slot = this.receivers.get(receiverId);
    if (slot === undefined) throw new Error(`radio has no receiver '${receiverId}'`);
    this.advance(t);
    const out = slot.inbox;
    slot.inbox = [];
    return out;
  }

  dispose(): void {
    for (const slot of this.receivers.values()) slot.subscription.unsubscribe();
    this.receivers.clear();
    this.air$.complete();
    this.clock$.complete();
    this.delivered$.complete();
  }
}
