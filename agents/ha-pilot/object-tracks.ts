/**
 * The pilot's picture of the traffic around it, from the object-list sensor:
 * one track per sensor track id, in the world frame, held and predicted at
 * constant velocity between samples (the list arrives at 10 Hz and misses an
 * object in one sample of twenty), dropped when unseen for `HOLD_S`.
 *
 * Queries are in the ego's lane frame (./lane-frame.ts): the in-path leader
 * is the nearest track ahead whose footprint overlaps the ego's corridor now,
 * or will within `CUT_IN_HORIZON_S` at its current lateral speed (so a car
 * cutting in is followed before its wheels cross the line).
 */
import type { Reading } from '../../sim/sensor.ts';
import type { ObjectList } from '../../sim/sensors/object-list.ts';
import type { PathFrame } from './route-frame.ts';

/** A track unseen this long is dropped, s: three missed samples at 10 Hz, beyond 1e-4 odds at p_d = 0.95. */
const HOLD_S = 0.35;
/** Lateral prediction horizon for the corridor test, s. */
const CUT_IN_HORIZON_S = 1.0;
const MAX_TRACKS = 64;
/** Ids of tracks fused from other sources start here (./v2x-objects.ts numbers BSM senders from it). */
export const EXTERNAL_ID_BASE = 100_000;
/**
 * A BSM within this of an object-list track is the same vehicle, m: 2 sigma
 * of the sender's 1.5 m position error (SAE J2945/1) in each axis, about the
 * 95 % radius of a 2D Gaussian (2.45 sigma = 3.7 m), rounded to 4.
 */
const ASSOC_M = 4;

export interface Track {
  id: number;
  kind: string;
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** Box length along its heading `yawRad`, and width across it, m. */
  lengthM: number;
  widthM: number;
  /** Heading of the box's length axis, world frame, rad (the object list measures it). */
  yawRad: number;
  seenAt: number;
  /** Seen moving (faster than MOVING_MPS) in any sample: a vehicle that stopped, not a standing object. */
  movedSeen: boolean;
  /** Time of the first detection, s. */
  firstSeenAt: number;
}

/** Speed that marks a track as having moved, m/s: five sigma of the list's 0.3 m/s velocity noise. */
const MOVING_MPS = 1.5;

/** The in-path leader, in the ego's lane frame. */
export interface Leader {
  found: boolean;
  /** Bumper-to-bumper gap, m. */
  gapM: number;
  /** Leader speed along the lane, m/s. */
  speedMps: number;
  /** Track id, or -1 for a radar-only target. */
  trackId: number;
}

export function newLeader(): Leader {
  return { found: false, gapM: Infinity, speedMps: 0, trackId: -1 };
}

const _rel: [number, number] = [0, 0];
const _ext: [number, number] = [0, 0];

/**
 * Half extents of a track's box along and across a direction `headingRad`
 * (a lane's), into `out`: [along, across], m. The box's own axes are at the
 * track's `yawRad`.
 */
export function halfExtents(tr: Readonly<Track>, headingRad: number, out: [number, number]): [number, number] {
  const d = tr.yawRad - headingRad;
  const c = Math.abs(Math.cos(d)), s = Math.abs(Math.sin(d));
  out[0] = (c * tr.lengthM + s * tr.widthM) / 2;
  out[1] = (s * tr.lengthM + c * tr.widthM) / 2;
  return out;
}

export class ObjectTracks {
  readonly tracks: Track[] = [];
  private lastSample = -Infinity;

  reset(): void {
    this.tracks.length = 0;
    this.lastSample = -Infinity;
  }

  /**
   * Take a fresh object-list sample, given the ego pose (x, y, heading) the
   * sensor frame hangs off and the sensor's mount offset along body x.
   */
  update(reading: Reading | undefined, t: number, x: number, y: number, headingRad: number, mountXM: number): void {
    if (reading && reading.healthy && reading.time > this.lastSample) {
      this.lastSample = reading.time;
      const c = Math.cos(headingRad), s = Math.sin(headingRad);
      for (const d of (reading.value as ObjectList).detections) {
        const bx = mountXM + d.position[0], by = d.position[1];
        const wx = x + c * bx - s * by, wy = y + s * bx + c * by;
        const vx = c * d.velocity[0] - s * d.velocity[1], vy = s * d.velocity[0] + c * d.velocity[1];
        let tr = this.tracks.find((k) => k.id === d.trackId);
        if (!tr) {
          if (this.tracks.length >= MAX_TRACKS) continue;
          tr = { id: d.trackId, kind: d.kind, x: 0, y: 0, vx: 0, vy: 0, lengthM: 0, widthM: 0, yawRad: 0, seenAt: 0, movedSeen: false, firstSeenAt: reading.time };
          this.tracks.push(tr);
        }
        tr.x = wx;
        tr.y = wy;
        tr.vx = vx;
        tr.vy = vy;
        if (Math.hypot(vx, vy) > MOVING_MPS) tr.movedSeen = true;
        // The box along the target's own axes, and their heading (a barrier lies across the road: its long side is lateral).
        tr.lengthM = d.size[0];
        tr.widthM = d.size[1];
        tr.yawRad = headingRad + d.yawRad;
        tr.seenAt = reading.time;
      }
    }
    for (let i = this.tracks.length - 1; i >= 0; i--) if (t - this.tracks[i]!.seenAt > HOLD_S) this.tracks.splice(i, 1);
  }

  /**
   * Fuse tracks from another source (V2X BSM senders, ids from
   * `EXTERNAL_ID_BASE` up) into `tracks`, replacing the previous call's. A
   * sender the object list already tracks (within `ASSOC_M` of one of its
   * tracks, both predicted to t) is not added twice: the list's measurement
   * is the better one (0.03 m against the BSM's 1.5 m).
   */
  fuse(extra: readonly Track[], t: number): void {
    for (let i = this.tracks.length - 1; i >= 0; i--) if (this.tracks[i]!.id >= EXTERNAL_ID_BASE) this.tracks.splice(i, 1);
    const own = this.tracks.length;
    for (const e of extra) {
      const ex = e.x + e.vx * (t - e.seenAt), ey = e.y + e.vy * (t - e.seenAt);
      let seen = false;
      for (let i = 0; i < own && !seen; i++) {
        const o = this.tracks[i]!;
        if (o.kind === 'pedestrian') continue;
        seen = Math.hypot(o.x + o.vx * (t - o.seenAt) - ex, o.y + o.vy * (t - o.seenAt) - ey) < ASSOC_M;
      }
      if (!seen) this.tracks.push(e);
    }
  }

  /**
   * The nearest track ahead in the corridor of half-width `corridorHalfM`
   * (ego half width plus margin) around the lateral position `centerM` of
   * the ego's lane frame, into `out`.
   */
  leader(lane: PathFrame, t: number, egoFrontM: number, centerM: number, corridorHalfM: number, out: Leader): Leader {
    out.found = false;
    out.gapM = Infinity;
    out.speedMps = 0;
    out.trackId = -1;
    const h = lane.laneHeadingRad;
    const ch = Math.cos(h), sh = Math.sin(h);
    for (const tr of this.tracks) {
      const age = t - tr.seenAt;
      lane.relative(tr.x + tr.vx * age, tr.y + tr.vy * age, _rel);
      halfExtents(tr, h, _ext);
      const gap = _rel[0] - _ext[0] - egoFrontM;
      if (_rel[0] <= 0 || gap >= out.gapM) continue;
      const vAlong = tr.vx * ch + tr.vy * sh;
      const vLat = -tr.vx * sh + tr.vy * ch;
      const reach = corridorHalfM + _ext[1];
      const now = _rel[1] - centerM;
      const later = now + vLat * CUT_IN_HORIZON_S;
      // In the corridor now, or crossing into it (or through it) within the horizon.
      const inPath = Math.abs(now) < reach || Math.abs(later) < reach || Math.sign(now) !== Math.sign(later);
      if (!inPath) continue;
      out.found = true;
      out.gapM = Math.max(gap, 0);
      out.speedMps = vAlong;
      out.trackId = tr.id;
    }
    return out;
  }
}
