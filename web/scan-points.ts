/**
 * What a range sensor returned, as points in the world: the pure part of the
 * perception-ray view. It reads a sensor's own reading (the scan the agent
 * received: noisy ranges, `Infinity` for no return), never the geometry the
 * sensor looked at, so the points show what the agent saw, dropouts and
 * noise included.
 *
 * Two scan shapes are understood, both from `sim/sensors/`:
 * - `lidar-3d` (`LidarScan`): `elevations` x `azimuths`, ranges layer-major;
 * - `range-ring` (`RangeScan`): `angles` in the sensor's x-y plane;
 * and a car's `radar` (`RadarReturn`: its nearest return, range and azimuth)
 * is read as a one-beam ring (`radarAsScan`).
 * A beam's direction is fixed in the sensor frame; the mount rotation takes
 * it to the body frame once (`beamDirections`), and each scan is placed with
 * the actor's ground-truth pose at the time the scan was taken (the sensor
 * casts from there), so the points land where the beams hit.
 */
import { rotateVec, type Pose, type Quat, type Vec3 } from '../sim/math.ts';

/** The part of a lidar-3d or range-ring reading the view needs. */
export interface ScanLike {
  ranges: ArrayLike<number>;
  /** lidar-3d: layer elevations and azimuths, radians. */
  elevations?: ArrayLike<number>;
  azimuths?: ArrayLike<number>;
  /** range-ring: beam angles in the sensor's x-y plane, radians. */
  angles?: ArrayLike<number>;
}

/** True for a reading value the ray view can draw (a lidar-3d or range-ring scan). */
export function isScan(v: unknown): v is ScanLike {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<ScanLike>;
  if (!s.ranges || typeof s.ranges.length !== 'number') return false;
  if (s.elevations && s.azimuths) return s.elevations.length * s.azimuths.length === s.ranges.length;
  return !!s.angles && s.angles.length === s.ranges.length;
}

/**
 * Unit beam directions in the actor's body frame (mount rotation applied),
 * flattened xyz, in the order of the scan's `ranges`. Computed once per sensor.
 */
export function beamDirections(scan: ScanLike, mountRotation: Readonly<Quat>, into?: Float64Array): Float64Array {
  const n = scan.ranges.length;
  const out = into && into.length === 3 * n ? into : new Float64Array(3 * n);
  const d: Vec3 = [0, 0, 0];
  const put = (i: number) => {
    rotateVec(mountRotation, d, d);
    out[3 * i] = d[0];
    out[3 * i + 1] = d[1];
    out[3 * i + 2] = d[2];
  };
  if (scan.elevations && scan.azimuths) {
    const nb = scan.azimuths.length;
    for (let l = 0; l < scan.elevations.length; l++) {
      const ce = Math.cos(scan.elevations[l]!), se = Math.sin(scan.elevations[l]!);
      for (let b = 0; b < nb; b++) {
        const a = scan.azimuths[b]!;
        d[0] = ce * Math.cos(a);
        d[1] = ce * Math.sin(a);
        d[2] = se;
        put(l * nb + b);
      }
    }
  } else if (scan.angles) {
    for (let i = 0; i < n; i++) {
      d[0] = Math.cos(scan.angles[i]!);
      d[1] = Math.sin(scan.angles[i]!);
      d[2] = 0;
      put(i);
    }
  } else {
    throw new TypeError('scan has neither elevations x azimuths (lidar-3d) nor angles (range-ring)');
  }
  return out;
}

/** A radar reading as the view reads it: its nearest return. */
export interface RadarLike {
  detected: boolean;
  rangeM: number;
  azimuthRad: number;
}

export function isRadarReturn(v: unknown): v is RadarLike {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<RadarLike>;
  return typeof r.detected === 'boolean' && typeof r.rangeM === 'number' && typeof r.azimuthRad === 'number';
}

/**
 * A radar return as a one-beam scan, written into `out` (reused per sensor):
 * the beam along the measured azimuth, its range, or no return.
 */
export function radarAsScan(r: RadarLike, out: { angles: Float64Array; ranges: Float64Array }): { angles: Float64Array; ranges: Float64Array } {
  const ok = r.detected && Number.isFinite(r.rangeM) && Number.isFinite(r.azimuthRad);
  out.angles[0] = ok ? r.azimuthRad : 0;
  out.ranges[0] = ok ? r.rangeM : Infinity;
  return out;
}

/** The actor's pose when the scan was taken (ground truth: where the sensor cast from). */
export interface ScanPose {
  position: Readonly<Vec3>;
  rotation: Readonly<Quat>;
}

export interface HitPointsOut {
  /** Hit points, world xyz, flattened; capacity = length / 3. */
  points: Float32Array;
  /** Optional ray segments (sensor origin, hit), world xyz, flattened; capacity = length / 6 rays. */
  rays?: Float32Array;
  /** Draw a ray for every `rayEvery`-th hit (>= 1). */
  rayEvery?: number;
}

const _o: Vec3 = [0, 0, 0];
const _d: Vec3 = [0, 0, 0];

/**
 * Write the scan's returns (finite ranges) as world points into `out.points`,
 * and every `rayEvery`-th of them as a segment from the sensor's origin into
 * `out.rays`. Beams without a return are skipped. Allocation-free. Returns
 * the number of points and of rays written (each capped by its buffer).
 */
export function hitPoints(
  ranges: ArrayLike<number>,
  bodyDirs: Float64Array,
  mount: Pose,
  pose: ScanPose,
  out: HitPointsOut,
): { points: number; rays: number } {
  const q = pose.rotation;
  rotateVec(q, mount.position, _o);
  _o[0] += pose.position[0];
  _o[1] += pose.position[1];
  _o[2] += pose.position[2];
  const pts = out.points, rays = out.rays;
  const capP = Math.floor(pts.length / 3), capR = rays ? Math.floor(rays.length / 6) : 0;
  const every = Math.max(1, Math.floor(out.rayEvery ?? 1));
  let np = 0, nr = 0;
  const n = Math.min(ranges.length, bodyDirs.length / 3);
  for (let i = 0; i < n && np < capP; i++) {
    const r = ranges[i]!;
    if (!Number.isFinite(r)) continue;
    _d[0] = bodyDirs[3 * i]!;
    _d[1] = bodyDirs[3 * i + 1]!;
    _d[2] = bodyDirs[3 * i + 2]!;
    rotateVec(q, _d, _d);
    const x = _o[0] + r * _d[0], y = _o[1] + r * _d[1], z = _o[2] + r * _d[2];
    pts[3 * np] = x;
    pts[3 * np + 1] = y;
    pts[3 * np + 2] = z;
    if (rays && nr < capR && np % every === 0) {
      const k = 6 * nr;
      rays[k] = _o[0];
      rays[k + 1] = _o[1];
      rays[k + 2] = _o[2];
      rays[k + 3] = x;
      rays[k + 4] = y;
      rays[k + 5] = z;
      nr++;
    }
    np++;
  }
  return { points: np, rays: nr };
}

/** How many hits to skip between drawn rays so that at most `maxRays` of `beams` returns get one. */
export function rayStride(beams: number, maxRays: number): number {
  return maxRays <= 0 ? Infinity : Math.max(1, Math.ceil(beams / maxRays));
}

/**
 * The pose an actor had when a sensor's reading was taken. The world senses
 * at the start of a step, from the ground truth published at the end of the
 * previous one (sim/world.ts: sense, decide, act, physics, publish), so a
 * reading stamped t was taken from the pose of the snapshot stamped t. Feed
 * `tick` every snapshot (after the step); it keeps the previous pose and, when
 * the reading's time moves on, latches the pose that matches its stamp.
 */
export class ScanPoseLatch {
  /** Pose of the previous snapshot, and its time. */
  private readonly prev: { position: Vec3; rotation: Quat } = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
  private prevTime = NaN;
  /** The latched pose of the latest reading, and that reading's time (NaN: none yet). */
  readonly pose: { position: Vec3; rotation: Quat } = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };
  latchedTime = NaN;
  /** The reading value latched with `pose`. */
  value: unknown = null;

  /** Start from a snapshot (the world's state before its first step). */
  seed(time: number, position: Readonly<Vec3>, rotation: Readonly<Quat>): void {
    copyPose(this.prev, position, rotation);
    this.prevTime = time;
    this.latchedTime = NaN;
    this.value = null;
  }

  /**
   * After a step: `readingTime`/`value` are the sensor's latest reading (NaN if
   * none), `time`/`position`/`rotation` the new snapshot's. True when a new
   * reading was latched.
   */
  tick(readingTime: number, value: unknown, time: number, position: Readonly<Vec3>, rotation: Readonly<Quat>): boolean {
    let latched = false;
    if (readingTime === this.prevTime && readingTime !== this.latchedTime) {
      copyPose(this.pose, this.prev.position, this.prev.rotation);
      this.latchedTime = readingTime;
      this.value = value;
      latched = true;
    }
    copyPose(this.prev, position, rotation);
    this.prevTime = time;
    return latched;
  }
}

function copyPose(to: { position: Vec3; rotation: Quat }, p: Readonly<Vec3>, q: Readonly<Quat>): void {
  to.position[0] = p[0];
  to.position[1] = p[1];
  to.position[2] = p[2];
  to.rotation[0] = q[0];
  to.rotation[1] = q[1];
  to.rotation[2] = q[2];
  to.rotation[3] = q[3];
}
