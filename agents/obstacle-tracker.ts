/**
 * Moving-obstacle tracker for a 2D range ring, for agents that know their own
 * pose (GNSS) and nothing else about the world.
 *
 * Each scan is turned into world-frame points with the agent's pose, the
 * points are split into clusters (runs of neighbouring beams whose returns are
 * close together: the classic range-jump segmentation of 2D lidar scans, e.g.
 * Premebida & Nunes 2005), and each cluster's centroid is associated with the
 * nearest predicted track (global nearest neighbour inside a gate). Every
 * track runs a constant-velocity Kalman filter on its centroid (the white-
 * noise-acceleration model of Bar-Shalom, Li & Kirubarajan, "Estimation with
 * Applications to Tracking and Navigation", 2001, sec. 6.3), whose
 * measurement noise is set from the beam spacing at the cluster's range: with
 * few beams on a small object, the centroid jumps by up to a beam gap as beams
 * land on it or slip off, and that, not the 1-2.5 % range noise, dominates.
 *
 * A track is reported as moving only once its velocity is both fast enough
 * and outside its own uncertainty (a chi-square style test on the filter
 * covariance) AND some of its returns lie where an earlier scan saw free space
 * (see countViolations). The velocity test alone is not enough: as the rover
 * drives, a single return sliding along a wall seen at a grazing angle, or the
 * centroid of a pillar's visible face turning with the viewpoint, "moves" at
 * up to several m/s; neither ever enters space seen free before. Large
 * clusters (walls, long crates) are never tracked as movers at all.
 *
 * Limits, by design: an object narrower than the beam gap at its range gives
 * no motion evidence (one return cannot be told from aliasing); objects seen
 * only near the maximum range are not classified; the pose slack assumes
 * RTK-grade GNSS. Velocity lags a sudden reversal by about half a second.
 *
 * Everything is preallocated: `update` allocates nothing once the buffers have
 * grown to the scan's size, and is O(beams + clusters x tracks).
 */
import type { RangeScan } from '../sim/sensors/range-ring.ts';

/** One tracked object, in the world (local ENU) frame. Read-only for callers. */
export interface Track {
  /** Stable id, for debugging views. */
  id: number;
  /** Filtered centroid of the object's returns, m. */
  x: number;
  y: number;
  /** Filtered velocity, m/s. */
  vx: number;
  vy: number;
  /** Covariance of one axis, shared by x and y: [pos var, pos-vel cov, vel var]. */
  p11: number;
  p12: number;
  p22: number;
  /** Radius of the returns around the centroid at the last update, m. */
  radius: number;
  /** Updates received (associations). */
  hits: number;
  /** Time of the last association, s. */
  lastSeen: number;
  /** Confirmed moving (sticky: see update). */
  moving: boolean;
  /** Cluster index in the current scan, -1 if not seen in it. */
  cluster: number;
  /** Decayed count of its returns that lay in space an earlier scan saw as free. */
  evidence: number;
}

/** Clusters spanning more than this are structure (walls), never movers. m. */
const MAX_MOVER_SPAN_M = 2.0;
/** Neighbouring returns closer than base + k * (beam gap) belong to the same cluster. */
const GAP_BASE_M = 0.25;
const GAP_BEAMS = 1.8;
/** White-noise acceleration spectral density of the CV filter, (m/s^2)^2 / Hz. */
const ACCEL_PSD = 0.15;
/** Initial velocity variance of a new track, (m/s)^2. */
const INIT_VEL_VAR = 1.0;
/** Association gate: base + k * (beam gap at the cluster's range), m. */
const GATE_BASE_M = 0.5;
const GATE_BEAMS = 1.5;
/** A track that has not been seen for this long is dropped, s. */
const COAST_S = 1.0;
/** Moving test: speed above V_ON and speed^2 > CHI_ON * velocity variance (2 sigma). */
const V_ON = 0.3;
const CHI_ON = 4;
/** Updates before a track may be called moving. */
const MIN_HITS = 6;
const MAX_TRACKS = 48;
/**
 * Free-space test against the scan this many scans back (1.5 s at 10 Hz): a
 * cart crossing at 0.8 m/s moves 1.2 m meanwhile, well over the beam gap plus
 * the pose slack below at the 5-8 m where it must be recognised.
 */
const LAG_SCANS = 15;
/** Evidence of motion: decayed count of free-space violations; a track needs this much to be called moving. */
const EVIDENCE_DECAY = 0.85;
const EVIDENCE_ON = 1.5;
/**
 * Pose error allowed between the old and the new fix, for the default RTK GNSS
 * (0.4 deg heading, ~1 cm position, 1 sigma each): heading 0.025 rad is 2.5
 * sigma of the difference of two fixes; position 6 cm is generous on purpose.
 */
const POSE_SLACK_RAD = 0.025;
const POSE_SLACK_M = 0.06;

export class ObstacleTracker {
  /** Live tracks; the first `count` entries are valid. */
  readonly tracks: Track[] = [];
  count = 0;
  /** Per beam of the last scan: 1 when the return belongs to a track reported as moving. */
  moverBeam = new Uint8Array(0);

  private nextId = 1;
  private lastTime = NaN;
  // Per-beam scratch, grown to the scan size.
  private wx = new Float64Array(0);
  private wy = new Float64Array(0);
  private beamCluster = new Int32Array(0);
  // Per-cluster scratch.
  private cx = new Float64Array(0);
  private cy = new Float64Array(0);
  private cn = new Int32Array(0);
  private cRange = new Float64Array(0);
  private cRadius = new Float64Array(0);
  private cSpan = new Float64Array(0);
  private cTrack = new Int32Array(0);
  private cFirst = new Int32Array(0);
  private cLast = new Int32Array(0);
  private clusters = 0;
  private cViol = new Int32Array(0);
  // Ring buffer of past scans (ranges and the pose they were taken from) for the free-space test.
  private histRanges: Float64Array[] = [];
  private histPose = new Float64Array(3 * (LAG_SCANS + 1));
  private histCount = 0;
  private histHead = 0;

  constructor() {
    for (let i = 0; i < MAX_TRACKS; i++) {
      this.tracks.push({ id: 0, x: 0, y: 0, vx: 0, vy: 0, p11: 0, p12: 0, p22: 0, radius: 0, hits: 0, lastSeen: 0, moving: false, cluster: -1, evidence: 0 });
    }
  }

  reset(): void {
    this.count = 0;
    this.nextId = 1;
    this.lastTime = NaN;
    this.histCount = 0;
    this.histHead = 0;
  }

  /**
   * Fold in one scan taken at `time` from pose (x, y, yaw). Call once per new
   * scan; calling again with the same time does nothing.
   */
  update(scan: RangeScan, x: number, y: number, yaw: number, time: number): void {
    if (time === this.lastTime) return;
    const dt = Number.isFinite(this.lastTime) ? time - this.lastTime : 0;
    this.lastTime = time;
    const n = scan.ranges.length;
    this.grow(n);
    const beamGap = n > 1 ? Math.abs(scan.angles[1]! - scan.angles[0]!) : 2 * Math.PI;

    // 1. Returns to world-frame points.
    const c = Math.cos(yaw), s = Math.sin(yaw);
    for (let i = 0; i < n; i++) {
      const r = scan.ranges[i]!;
      if (!Number.isFinite(r)) {
        this.wx[i] = NaN;
        continue;
      }
      const a = scan.angles[i]!;
      const bx = r * Math.cos(a), by = r * Math.sin(a);
      this.wx[i] = x + c * bx - s * by;
      this.wy[i] = y + s * bx + c * by;
    }

    // 2. Range-jump segmentation, around the ring.
    this.segment(scan, beamGap, x, y);
    this.countViolations(scan, beamGap);

    // 3. Predict every track to now.
    const q = ACCEL_PSD;
    for (let k = 0; k < this.count; k++) {
      const t = this.tracks[k]!;
      t.cluster = -1;
      if (dt > 0) {
        t.x += t.vx * dt;
        t.y += t.vy * dt;
        const p11 = t.p11 + 2 * dt * t.p12 + dt * dt * t.p22 + (q * dt * dt * dt) / 3;
        const p12 = t.p12 + dt * t.p22 + (q * dt * dt) / 2;
        t.p22 += q * dt;
        t.p11 = p11;
        t.p12 = p12;
      }
    }

    // 4. Global nearest neighbour: repeatedly take the closest (cluster, track)
    //    pair inside its gate. Clusters and tracks are few (tens), so the
    //    quadratic loop is cheaper than sorting a pair list.
    const C = this.clusters;
    for (let j = 0; j < C; j++) this.cTrack[j] = -1;
    for (;;) {
      let bestD = Infinity, bj = -1, bk = -1;
      for (let j = 0; j < C; j++) {
        if (this.cTrack[j]! >= 0 || this.cSpan[j]! > MAX_MOVER_SPAN_M) continue;
        const gate = GATE_BASE_M + GATE_BEAMS * this.cRange[j]! * beamGap;
        for (let k = 0; k < this.count; k++) {
          const t = this.tracks[k]!;
          if (t.cluster >= 0) continue;
          const d = Math.hypot(this.cx[j]! - t.x, this.cy[j]! - t.y);
          if (d < gate && d < bestD) {
            bestD = d;
            bj = j;
            bk = k;
          }
        }
      }
      if (bj < 0) break;
      this.cTrack[bj] = bk;
      this.tracks[bk]!.cluster = bj;
    }

    // 5. Kalman update of matched tracks; new tracks for unmatched compact clusters.
    for (let j = 0; j < C; j++) {
      if (this.cSpan[j]! > MAX_MOVER_SPAN_M) continue;
      const k = this.cTrack[j]!;
      // Centroid noise: a share of the beam gap at this range (beams landing on
      // or slipping off the object), plus the range noise and viewpoint drift.
      const sig = 0.05 + 0.35 * this.cRange[j]! * beamGap;
      const R = sig * sig;
      if (k < 0) {
        if (this.count >= MAX_TRACKS) continue;
        const t = this.tracks[this.count++]!;
        t.id = this.nextId++;
        t.x = this.cx[j]!;
        t.y = this.cy[j]!;
        t.vx = 0;
        t.vy = 0;
        t.p11 = R;
        t.p12 = 0;
        t.p22 = INIT_VEL_VAR;
        t.radius = this.cRadius[j]!;
        t.hits = 1;
        t.lastSeen = time;
        t.moving = false;
        t.evidence = this.cViol[j]!;
        t.cluster = j;
        this.cTrack[j] = this.count - 1;
        continue;
      }
      const t = this.tracks[k]!;
      const S = t.p11 + R;
      const k1 = t.p11 / S, k2 = t.p12 / S;
      const ex = this.cx[j]! - t.x, ey = this.cy[j]! - t.y;
      t.x += k1 * ex;
      t.y += k1 * ey;
      t.vx += k2 * ex;
      t.vy += k2 * ey;
      const p11 = (1 - k1) * t.p11, p12 = (1 - k1) * t.p12, p22 = t.p22 - k2 * t.p12;
      t.p11 = p11;
      t.p12 = p12;
      t.p22 = p22;
      t.radius = this.cRadius[j]!;
      t.hits++;
      t.lastSeen = time;
      t.evidence = EVIDENCE_DECAY * t.evidence + this.cViol[j]!;
      // Moving needs three things: enough history, a velocity that is both
      // fast and well outside the filter's own uncertainty, and returns in
      // space seen free before (a wall sliding past passes the first two).
      // Once moving, always moving (for the life of the track): a thing seen
      // to move may move again, and it stops or turns round exactly when its
      // velocity estimate is least trustworthy. A stopped mover is simply
      // predicted to stay put, with its uncertainty growing.
      const v2 = t.vx * t.vx + t.vy * t.vy;
      if (!t.moving) t.moving = t.hits >= MIN_HITS && v2 > V_ON * V_ON && v2 > CHI_ON * t.p22 && t.evidence >= EVIDENCE_ON;
    }

    // 6. Drop stale tracks (swap-remove; ids keep them recognisable).
    for (let k = 0; k < this.count; ) {
      const t = this.tracks[k]!;
      if (time - t.lastSeen > COAST_S) {
        const last = this.tracks[this.count - 1]!;
        this.tracks[k] = last;
        this.tracks[this.count - 1] = t;
        this.count--;
        if (last.cluster >= 0) this.cTrack[last.cluster] = k;
      } else k++;
    }

    // 7. Flag the beams of moving tracks, so that callers can treat them apart from static returns.
    for (let i = 0; i < n; i++) {
      const j = this.beamCluster[i]!;
      const k = j >= 0 ? this.cTrack[j]! : -1;
      this.moverBeam[i] = k >= 0 && this.tracks[k]!.moving ? 1 : 0;
    }

    // 8. Remember this scan for the free-space test of later ones.
    const h = this.histHead;
    this.histRanges[h]!.set(scan.ranges);
    this.histPose[3 * h] = x;
    this.histPose[3 * h + 1] = y;
    this.histPose[3 * h + 2] = yaw;
    this.histHead = (h + 1) % (LAG_SCANS + 1);
    if (this.histCount < LAG_SCANS + 1) this.histCount++;
  }

  /**
   * Count, per cluster, the returns that lie in space the scan LAG_SCANS ago
   * saw as free: from that scan's pose, both beams bracketing the point's
   * bearing passed beyond it. Static surfaces never do this (occlusion only
   * shortens old ranges; a surface seen at a grazing angle is bracketed by a
   * shorter and a longer beam); an object that moved into the space does.
   * Detection of moving objects by free-space violation, as in DATMO (Wang,
   * Thorpe, Thrun, Hebert & Durrant-Whyte 2007, IJRR 26(9)).
   */
  private countViolations(scan: RangeScan, beamGap: number): void {
    const C = this.clusters;
    for (let j = 0; j < C; j++) this.cViol[j] = 0;
    if (this.histCount < LAG_SCANS + 1) return;
    // The oldest entry is the one about to be overwritten.
    const h = this.histHead;
    const old = this.histRanges[h]!;
    const ox = this.histPose[3 * h]!, oy = this.histPose[3 * h + 1]!, oyaw = this.histPose[3 * h + 2]!;
    const n = scan.ranges.length;
    const a0 = scan.angles[0]!;
    const fullRing = n * beamGap > 2 * Math.PI - 1e-6;
    // Returns near the maximum range flicker in and out with the range noise: no evidence there.
    const maxD = scan.maxRangeM - 2;
    for (let i = 0; i < n; i++) {
      const j = this.beamCluster[i]!;
      // A single return may be an object narrower than the beam gap, which
      // the old scan's beams could simply have straddled (aliasing).
      if (j < 0 || this.cSpan[j]! > MAX_MOVER_SPAN_M || this.cn[j]! < 2 || scan.ranges[i]! > maxD) continue;
      const dx = this.wx[i]! - ox, dy = this.wy[i]! - oy;
      const d = Math.hypot(dx, dy);
      if (d > maxD) continue;
      // Fractional beam index of the point's bearing in the old scan, and how
      // far (in beams) the two fixes' pose errors can move it at range d.
      const f = wrapTwoPi(Math.atan2(dy, dx) - oyaw - a0) / beamGap;
      const slack = (POSE_SLACK_RAD + POSE_SLACK_M / d) / beamGap;
      const lo = Math.floor(f - slack), hi = Math.ceil(f + slack);
      if (!fullRing && (lo < 0 || hi > n - 1)) continue; // outside the old field of view
      // The space is known free up to the shortest of the old beams around that bearing.
      let free = Infinity;
      for (let b = lo; b <= hi; b++) free = Math.min(free, old[((b % n) + n) % n]!);
      // Range noise is at most 2.5 % (1 sigma) on the RPLIDAR: 3 sigma of both scans, plus a floor.
      if (d < free - (0.1 + 0.1 * d)) this.cViol[j] = this.cViol[j]! + 1;
    }
  }

  /**
   * Split the ring into clusters of neighbouring returns and compute each
   * cluster's centroid, farthest range, radius around the centroid and span
   * (first to last return). Two passes over the beams, no allocation.
   */
  private segment(scan: RangeScan, beamGap: number, ox: number, oy: number): void {
    const n = scan.ranges.length;
    const wx = this.wx, wy = this.wy;
    // Start right after a break so that no cluster straddles the start of the ring.
    let start = 0;
    for (let i = 0; i < n; i++) {
      if (!this.linked(scan, beamGap, (i + n - 1) % n, i)) {
        start = i;
        break;
      }
    }
    let C = 0;
    let cur = -1;
    for (let m = 0; m < n; m++) {
      const i = (start + m) % n;
      if (Number.isNaN(wx[i]!)) {
        this.beamCluster[i] = -1;
        cur = -1;
        continue;
      }
      if (cur < 0 || !this.linked(scan, beamGap, (i + n - 1) % n, i)) {
        cur = C++;
        this.cx[cur] = 0;
        this.cy[cur] = 0;
        this.cn[cur] = 0;
        this.cRange[cur] = 0;
        this.cFirst[cur] = i;
      }
      this.beamCluster[i] = cur;
      this.cLast[cur] = i;
      this.cx[cur] = this.cx[cur]! + wx[i]!;
      this.cy[cur] = this.cy[cur]! + wy[i]!;
      this.cn[cur] = this.cn[cur]! + 1;
      this.cRange[cur] = Math.max(this.cRange[cur]!, Math.hypot(wx[i]! - ox, wy[i]! - oy));
    }
    this.clusters = C;
    for (let j = 0; j < C; j++) {
      this.cx[j] = this.cx[j]! / this.cn[j]!;
      this.cy[j] = this.cy[j]! / this.cn[j]!;
      this.cRadius[j] = 0;
      const f = this.cFirst[j]!, l = this.cLast[j]!;
      this.cSpan[j] = Math.hypot(wx[f]! - wx[l]!, wy[f]! - wy[l]!);
    }
    for (let i = 0; i < n; i++) {
      const j = this.beamCluster[i]!;
      if (j < 0) continue;
      const d = Math.hypot(wx[i]! - this.cx[j]!, wy[i]! - this.cy[j]!);
      if (d > this.cRadius[j]!) this.cRadius[j] = d;
    }
    for (let j = 0; j < C; j++) this.cSpan[j] = Math.max(this.cSpan[j]!, 2 * this.cRadius[j]!);
  }

  /** Whether the returns of beams i and j belong to the same surface (range-jump test). */
  private linked(scan: RangeScan, beamGap: number, i: number, j: number): boolean {
    const wx = this.wx, wy = this.wy;
    if (Number.isNaN(wx[i]!) || Number.isNaN(wx[j]!)) return false;
    const r = Math.min(scan.ranges[i]!, scan.ranges[j]!);
    return Math.hypot(wx[i]! - wx[j]!, wy[i]! - wy[j]!) < GAP_BASE_M + GAP_BEAMS * r * beamGap;
  }

  private grow(n: number): void {
    if (this.wx.length >= n) return;
    this.wx = new Float64Array(n);
    this.wy = new Float64Array(n);
    this.beamCluster = new Int32Array(n);
    this.moverBeam = new Uint8Array(n);
    this.cx = new Float64Array(n);
    this.cy = new Float64Array(n);
    this.cn = new Int32Array(n);
    this.cRange = new Float64Array(n);
    this.cRadius = new Float64Array(n);
    this.cSpan = new Float64Array(n);
    this.cTrack = new Int32Array(n);
    this.cFirst = new Int32Array(n);
    this.cLast = new Int32Array(n);
    this.cViol = new Int32Array(n);
    this.histRanges = [];
    for (let k = 0; k <= LAG_SCANS; k++) this.histRanges.push(new Float64Array(n));
    this.histCount = 0;
    this.histHead = 0;
  }
}

/** Angle in [0, 2 pi). */
function wrapTwoPi(a: number): number {
  return a - 2 * Math.PI * Math.floor(a / (2 * Math.PI));
}
