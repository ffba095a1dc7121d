/**
 * What the pilot can take from its `v2x` sensor: the BSMs of equipped cars as
 * object tracks, and the signal state and time to change of a signal group
 * from SPaT.
 *
 * BSM tracks have the shape of the object-list tracks (./object-tracks.ts:
 * id, kind, x, y, vx, vy, lengthM, widthM, seenAt) in the world frame, so the
 * same leader query can run over them. Positions: Skylane's BSM carries the
 * J2735 position as local ENU metres (`positionM`, the scenario's world
 * frame), not latitude/longitude (see vehicles/v2x/messages.ts), so no
 * geodetic conversion is needed here; the sender's own GNSS error is in it.
 * Velocity is speed along the heading (negative in reverse gear). `seenAt` is
 * the BSM's generation time, not its arrival: a consumer that predicts at
 * constant velocity by `t - seenAt` (as ObjectTracks.leader does) thereby
 * compensates the radio latency.
 *
 * Track ids: BSM ids (J2735 TemporaryID) are strings; tracks get numbers from
 * `V2X_TRACK_ID_BASE` up, in order of first reception, kept per sender for
 * the run, so they never collide with the object list's small ids.
 *
 * SPaT: `SpatBook` keeps the latest SPaT per intersection (a lost message
 * leaves the previous one in place); `signal(group, t)` gives the group's
 * state, whether it is a go, and the seconds from t to its next change
 * (J2735 likelyTime, else minEndTime; absolute times, so latency does not
 * bias it).
 */
import type { Reading } from '../../sim/sensor.ts';
import type { V2xInbox } from '../../sim/sensors/v2x.ts';
import { isGo, type Bsm, type MovementPhaseState, type Spat } from '../../vehicles/v2x/messages.ts';
import { EXTERNAL_ID_BASE, type Track } from './object-tracks.ts';

/** First track id handed to a BSM sender. */
export const V2X_TRACK_ID_BASE = EXTERNAL_ID_BASE;
/**
 * A BSM track unheard this long is dropped, s: five BSM periods at 10 Hz, so
 * four losses in a row (under 1e-5 odds at 5 % independent loss) keep it.
 */
export const BSM_HOLD_S = 0.5;
const MAX_TRACKS = 64;

export type V2xReading = Reading<V2xInbox<Bsm, Spat>>;

export class BsmTracks {
  readonly tracks: Track[] = [];
  private readonly ids = new Map<string, number>();
  private lastReading = -Infinity;

  reset(): void {
    this.tracks.length = 0;
    this.ids.clear();
    this.lastReading = -Infinity;
  }

  /** The numeric track id of BSM sender `bsmId`, if it has been heard. */
  trackIdOf(bsmId: string): number | undefined {
    return this.ids.get(bsmId);
  }

  /** Take a fresh v2x reading (ignored when unhealthy or already taken) and drop stale tracks at time t. */
  update(reading: Reading | undefined, t: number): void {
    const r = reading as V2xReading | undefined;
    if (r && r.healthy && r.time > this.lastReading && r.value) {
      this.lastReading = r.time;
      for (const m of r.value.bsms) this.take(m);
    }
    for (let i = this.tracks.length - 1; i >= 0; i--) if (t - this.tracks[i]!.seenAt > BSM_HOLD_S) this.tracks.splice(i, 1);
  }

  private take(m: Bsm): void {
    let id = this.ids.get(m.id);
    if (id === undefined) {
      id = V2X_TRACK_ID_BASE + this.ids.size;
      this.ids.set(m.id, id);
    }
    let tr = this.tracks.find((k) => k.id === id);
    if (!tr) {
      if (this.tracks.length >= MAX_TRACKS) return;
      tr = { id, kind: 'car', x: 0, y: 0, vx: 0, vy: 0, lengthM: 0, widthM: 0, yawRad: 0, seenAt: -Infinity, movedSeen: false, firstSeenAt: m.timeS };
      this.tracks.push(tr);
    }
    if (m.timeS <= tr.seenAt) return; // an older message arriving late never overwrites a newer one
    const v = m.transmission === 'reverseGears' ? -m.speedMps : m.speedMps;
    tr.x = m.positionM[0];
    tr.y = m.positionM[1];
    tr.vx = v * Math.cos(m.headingRad);
    tr.vy = v * Math.sin(m.headingRad);
    tr.lengthM = m.size.lengthM;
    tr.widthM = m.size.widthM;
    tr.yawRad = m.headingRad;
    tr.seenAt = m.timeS;
    // A BSM sender is a vehicle: once it has moved, a stop is a stopped vehicle, not a standing object.
    if (Math.abs(v) > 1.5) tr.movedSeen = true;
  }
}

/** A signal group as the latest SPaT describes it. */
export interface SignalView {
  /** False when no SPaT received so far names this group (then the rest is meaningless). */
  found: boolean;
  state: MovementPhaseState;
  /** A green of either kind (J2735 permissive or protected movement allowed). */
  go: boolean;
  /**
   * Seconds from t to the group's next change: likelyTime, else minEndTime,
   * minus t. Infinity: never changes. Negative: the change is already due,
   * so the SPaT is stale and the state may no longer hold.
   */
  secondsToChange: number;
  /** Generation time of the SPaT this comes from, s. */
  spatTimeS: number;
  intersectionId: string;
}

export function newSignalView(): SignalView {
  return { found: false, state: 'unavailable', go: false, secondsToChange: NaN, spatTimeS: -Infinity, intersectionId: '' };
}

/** The latest SPaT of each intersection heard, and signal-group queries over them. */
export class SpatBook {
  private readonly latest = new Map<string, Spat>();
  private lastReading = -Infinity;

  reset(): void {
    this.latest.clear();
    this.lastReading = -Infinity;
  }

  /** Take a fresh v2x reading (ignored when unhealthy or already taken). */
  update(reading: Reading | undefined): void {
    const r = reading as V2xReading | undefined;
    if (!r || !r.healthy || !(r.time > this.lastReading) || !r.value) return;
    this.lastReading = r.time;
    for (const s of r.value.spats) {
      const prev = this.latest.get(s.intersectionId);
      if (!prev || s.timeS > prev.timeS) this.latest.set(s.intersectionId, s);
    }
  }

  /** The latest SPaT of an intersection, if heard. */
  spat(intersectionId: string): Spat | undefined {
    return this.latest.get(intersectionId);
  }

  /**
   * Signal group `group` (the J2735 number, or the road network's name of the
   * group, e.g. "x/west-through") at time t, into `out`. Without
   * `intersectionId`, the first intersection heard that has the group.
   */
  signal(group: number | string, t: number, out: SignalView = newSignalView(), intersectionId?: string): SignalView {
    out.found = false;
    out.state = 'unavailable';
    out.go = false;
    out.secondsToChange = NaN;
    out.spatTimeS = -Infinity;
    out.intersectionId = '';
    for (const spat of this.latest.values()) {
      if (intersectionId !== undefined && spat.intersectionId !== intersectionId) continue;
      const s = spat.states.find((x) => (typeof group === 'number' ? x.signalGroup === group : x.signalGroupName === group));
      if (!s) continue;
      out.found = true;
      out.state = s.eventState;
      out.go = isGo(s.eventState);
      out.secondsToChange = (s.likelyTimeS ?? s.minEndTimeS) - t;
      out.spatTimeS = spat.timeS;
      out.intersectionId = spat.intersectionId;
      return out;
    }
    return out;
  }
}
