/**
 * The poses the view draws between two frames from the sim worker: frames
 * arrive at most ~60 times a second and not in step with the display, so the
 * view renders one frame interval behind the latest frame and interpolates
 * between the two latest (positions lerped, rotations slerped). The sim time
 * shown is interpolated the same way, so trails, rotor blades and the chase
 * camera's spring move smoothly too.
 *
 * Pure (no DOM, no three): tested in Node.
 */
import { interpolatePoses, interpolationAlpha, type PoseBlock } from './sim-protocol.ts';

/** The poses at one instant of the view. */
export interface PoseSample {
  time: number;
  pose: Float64Array;
  present: Uint8Array;
}

/** Frame interval assumed until two frames have arrived, s (the worker posts at most 60 a second). */
const DEFAULT_INTERVAL_S = 1 / 60;
/** A gap longer than this (pause, step, a stall) is not interpolated across: the view jumps, s. */
const MAX_INTERVAL_S = 0.25;

export class PoseBuffer {
  private prev: { time: number; block: PoseBlock; atS: number } | null = null;
  private latest: { time: number; block: PoseBlock; atS: number } | null = null;
  private intervalS = DEFAULT_INTERVAL_S;
  private out: PoseSample | null = null;

  /** A frame's poses arrived at wall time `atS` (seconds). */
  push(time: number, block: PoseBlock, atS: number): void {
    this.prev = this.latest;
    this.latest = { time, block, atS };
    if (this.prev) {
      const gap = atS - this.prev.atS;
      // Jumps (a step while paused, a resumed run) are drawn at once, not slid over.
      if (gap > MAX_INTERVAL_S || this.prev.block.pose.length !== block.pose.length || time < this.prev.time) this.prev = null;
      else this.intervalS = Math.max(1e-3, gap);
    }
  }

  /** Forget every frame (a new run). */
  clear(): void {
    this.prev = this.latest = this.out = null;
    this.intervalS = DEFAULT_INTERVAL_S;
  }

  get latestTime(): number {
    return this.latest?.time ?? NaN;
  }

  /**
   * The poses to draw at wall time `nowS`: between the two latest frames,
   * one interval behind the latest; the latest alone when there is no pair.
   * Null before the first frame. The returned object is reused.
   */
  sample(nowS: number): PoseSample | null {
    const b = this.latest;
    if (!b) return null;
    const n = b.block.pose.length;
    if (!this.out || this.out.pose.length !== n) this.out = { time: 0, pose: new Float64Array(n), present: new Uint8Array(b.block.present.length) };
    const out = this.out;
    const a = this.prev;
    if (!a) {
      out.time = b.time;
      out.pose.set(b.block.pose);
      out.present.set(b.block.present);
      return out;
    }
    const alpha = interpolationAlpha(nowS - b.atS, this.intervalS);
    out.time = a.time + (b.time - a.time) * alpha;
    interpolatePoses(a.block.pose, b.block.pose, alpha, out.pose);
    // Presence switches with the frame that reports it, not halfway.
    out.present.set(alpha >= 1 ? b.block.present : a.block.present);
    return out;
  }
}
