/**
 * A V2X receiver as a sensor: each sample is the messages the world's radio
 * delivered to this actor since the sensor's previous sample, split into
 * BSMs and SPaTs. Range, latency, packet loss and line-of-sight blocking are
 * already applied by the radio (vehicles/v2x/radio.ts); this sensor adds no
 * noise of its own (the content's errors are the senders', e.g. a BSM's
 * GNSS error).
 *
 * `sim/` knows nothing of V2X message types (it may not import vehicles/), so
 * the sensor is generic over them and reads from a `V2xInboxSource` that the
 * scenario builder wires to the radio (vehicles/v2x/v2x-service.ts).
 *
 * Health: the reading is `healthy: false` while the source is unavailable
 * (the scenario switched V2X off with `world.v2x.enabled: false`), and,
 * through the world, while a `sensor-fault` event has the sensor failed (the
 * radio then drops what reaches this receiver: messages are not stored for
 * later).
 */
import type { Pose } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';

/** What a V2X reading holds: the messages received since the previous reading, in delivery order. */
export interface V2xInbox<B = unknown, S = unknown, U = unknown> {
  bsms: B[];
  spats: S[];
  /** UAV state messages (drones broadcasting their own estimate), when the source carries them. */
  uavStates?: U[];
}

/** Where a V2X sensor gets its messages (the world's radio, through the V2X service). */
export interface V2xInboxSource<B = unknown, S = unknown> {
  /** False when the world's V2X is switched off: every reading is then empty and unhealthy. */
  readonly available: boolean;
  /** Move everything delivered to `receiverId` up to time `t`, s, into `out` (cleared first). */
  drainInto(receiverId: string, t: number, out: V2xInbox<B, S>): void;
}

export interface V2xSensorParams {
  name: string;
  /** How often the inbox is read, Hz: the BSM/SPaT rate (10 Hz) by default. */
  rateHz: number;
  /** Antenna mount in the body frame (informational: the radio links actor reference points). */
  mount: Pose;
}

export class V2xSensor<B = unknown, S = unknown> implements Sensor<V2xInbox<B, S>> {
  readonly type = 'v2x';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;

  constructor(
    p: V2xSensorParams,
    /** Actor id this receiver belongs to (the radio's receiver id). */
    readonly receiverId: string,
    private readonly source: V2xInboxSource<B, S>,
  ) {
    if (!(p.rateHz > 0) || !Number.isFinite(p.rateHz)) throw new RangeError(`v2x sensor '${p.name}': rateHz must be > 0, got ${p.rateHz}`);
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
  }

  /**
   * A fresh inbox object per sample: a reading's value is kept by the agent
   * until the next sample, and the arrays are small (a few messages per
   * 100 ms), so this is one allocation per sample, not per message.
   */
  sample(ctx: SenseContext, _rng: Rng): V2xInbox<B, S> {
    const out: V2xInbox<B, S> = { bsms: [], spats: [], uavStates: [] };
    this.source.drainInto(this.receiverId, ctx.time, out);
    return out;
  }

  healthy(): boolean {
    return this.source.available;
  }
}
