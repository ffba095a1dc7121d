/**
 * An object-list sensor: the tracked-object output of an automotive
 * perception stack (camera for the class, lidar for position and size),
 * generated from ground truth with occlusion, field of view, range, noise and
 * missed detections.
 *
 * What exists comes from `SenseContext.others` (ground truth, read here only
 * to generate the measurement). Whether it is seen comes from physics
 * raycasts: from the sensor origin to the target's box centre and to the four
 * corners of its footprint (inset 10 % so that a ray does not graze past the
 * edge), each at the sensor's height clamped into the target's vertical
 * extent. The target is visible if any of those points lies inside the field
 * of view and range and its ray reaches one of the target's bodies before any
 * other body. A pedestrian fully behind a parked car is therefore hidden; one
 * whose shoulder shows past the car's corner is detected.
 *
 * Output per detection, in the sensor frame (mount pose applied): box-centre
 * position, velocity relative to the ground (not to the ego: a parked car
 * reads ~0), size, kind and a track id. Track ids are the sensor's own: small
 * integers handed out in order of first detection and kept for that actor for
 * the whole run. They are NOT the actor ids, so an agent cannot read ground
 * truth through them. Id switches and misclassification are not modelled
 * (the kind is the actor's kind); false positives are not modelled.
 *
 * Default figures (`LIDAR_CAMERA_FUSION`), each a 1-sigma Gaussian:
 * - position along the line of sight: 0.03 m, Velodyne VLP-16 datasheet range
 *   accuracy "+-3 cm (typical)", read as 1 sigma (the range ring's convention);
 * - position across the line of sight: range x 0.2 deg, the VLP-16's
 *   horizontal angular resolution at 10 Hz (datasheet: 0.1-0.4 deg), so the
 *   lateral error grows linearly with range;
 * - velocity: 0.3 m/s per horizontal axis, the order of the mean velocity
 *   error (mAVE) of lidar detectors on the nuScenes detection benchmark
 *   (Caesar et al., CVPR 2020; e.g. CenterPoint, Yin et al., CVPR 2021);
 * - size: 0.1 m per dimension, Skylane assumption (no public 1-sigma figure);
 * - range 50 m: the nuScenes detection evaluation range for cars; horizontal
 *   FOV 70 deg: nuScenes CAM_FRONT (the camera that supplies the class);
 * - 10 Hz: the VLP-16's default 600 rpm;
 * - detection probability 0.95 per visible object per sample: Skylane
 *   assumption; misses are drawn from the sensor's seeded stream.
 */
import type { Pose, Quat, Vec3 } from '../math.ts';
import { quatMulInto, rotateVec, rotateVecInv, wrapAngle, yawOf } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { OtherActor, SenseContext, Sensor } from '../sensor.ts';

export interface ObjectListParams {
  name: string;
  rateHz: number;
  mount: Pose;
  maxRangeM: number;
  /** Horizontal field of view, centred on the mount's x axis. */
  fovRad: number;
  /** Probability that a visible object is reported in one sample. */
  detectionProbability: number;
  /** Position sigma along the line of sight, metres. */
  radialSigmaM: number;
  /** Bearing sigma: position sigma across the line of sight is range x this, metres. */
  bearingSigmaRad: number;
  /** Velocity sigma per horizontal axis (sensor frame), m/s; z gets none (ground objects). */
  velocitySigmaMps: number;
  /** Sigma per box dimension, metres. */
  sizeSigmaM: number;
  /** Sigma of the reported heading (box yaw), rad. */
  yawSigmaRad: number;
  /** Line of sight by raycast (default true); false only for a ground-truth oracle the scenario grants. */
  occlusion?: boolean;
}

const DEG = Math.PI / 180;

/** Lidar/camera fusion defaults (sources in the file header). */
export const LIDAR_CAMERA_FUSION = {
  rateHz: 10, // VLP-16 default 600 rpm
  maxRangeM: 50, // nuScenes detection evaluation range, car class
  fovRad: 70 * DEG, // nuScenes CAM_FRONT horizontal FOV
  detectionProbability: 0.95, // Skylane assumption
  radialSigmaM: 0.03, // VLP-16 range accuracy +-3 cm typical, as 1 sigma
  bearingSigmaRad: 0.2 * DEG, // VLP-16 horizontal resolution at 10 Hz
  velocitySigmaMps: 0.3, // order of nuScenes mAVE of lidar detectors
  sizeSigmaM: 0.1, // Skylane assumption
  // Skylane assumption, 0.1 rad (5.7 deg): nuScenes' mean orientation error (mAOE) of lidar detectors is
  // ~0.25-0.3 rad (CenterPoint, Yin et al. CVPR 2021), but that figure is dominated by 180 deg flips, which
  // leave a box's footprint unchanged; the footprint is what the pilot uses.
  yawSigmaRad: 0.1,
} as const;

export interface Detection {
  /** The sensor's track id (not the actor id), stable for one actor over the run. */
  trackId: number;
  /** Object class; the actor's kind (classification errors not modelled). */
  kind: string;
  /** Box centre in the sensor frame, metres. */
  position: Vec3;
  /** Ground velocity expressed in the sensor frame, m/s. */
  velocity: Vec3;
  /** Box length (body x), width (y), height (z), metres. */
  size: Vec3;
  /** Heading of the box's x axis in the sensor frame, rad (counter-clockwise from the sensor's x). */
  yawRad: number;
}

export interface ObjectList {
  detections: Detection[];
}

const _origin: Vec3 = [0, 0, 0];
const _sensorQ: Quat = [0, 0, 0, 1];
const _centre: Vec3 = [0, 0, 0];
const _local: Vec3 = [0, 0, 0];
const _point: Vec3 = [0, 0, 0];
const _dir: Vec3 = [0, 0, 0];
const _v: Vec3 = [0, 0, 0];

/** Footprint sample points in units of the half extents: centre, then the corners inset 10 %. */
const SAMPLES: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.9, 0.9],
  [0.9, -0.9],
  [-0.9, 0.9],
  [-0.9, -0.9],
];


export { rotateVecInv };

/** World pose of a sensor: origin and orientation (actor pose composed with the mount). */
export function sensorPose(ctx: SenseContext, mount: Pose, origin: Vec3, q: Quat): void {
  const s = ctx.self;
  rotateVec(s.rotation, mount.position, origin);
  origin[0] += s.position[0];
  origin[1] += s.position[1];
  origin[2] += s.position[2];
  quatMulInto(s.rotation, mount.rotation, q);
}

/** True if `body` is one of `a`'s bodies. */
export function ownsBody(a: OtherActor, body: number): boolean {
  const b = a.bodies;
  for (let i = 0; i < b.length; i++) if (b[i] === body) return true;
  return false;
}

export class ObjectListSensor implements Sensor<ObjectList> {
  readonly type = 'object-list';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  private readonly p: ObjectListParams;
  private readonly trackIds = new Map<string, number>();
  private nextTrackId = 1;
  private readonly cosHalfFov: number;

  constructor(p: ObjectListParams) {
    if (!(p.maxRangeM > 0)) throw new RangeError(`object-list '${p.name}': maxRangeM must be > 0`);
    if (!(p.fovRad > 0 && p.fovRad <= 2 * Math.PI)) throw new RangeError(`object-list '${p.name}': fovRad must be in (0, 2 pi]`);
    if (!(p.detectionProbability >= 0 && p.detectionProbability <= 1)) throw new RangeError(`object-list '${p.name}': detectionProbability must be in [0, 1]`);
    for (const k of ['radialSigmaM', 'bearingSigmaRad', 'velocitySigmaMps', 'sizeSigmaM', 'yawSigmaRad'] as const) {
      if (!(p[k] >= 0) || !Number.isFinite(p[k])) throw new RangeError(`object-list '${p.name}': ${k} must be finite and >= 0`);
    }
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
    this.cosHalfFov = Math.cos(p.fovRad / 2);
  }

  sample(ctx: SenseContext, rng: Rng): ObjectList {
    const p = this.p;
    sensorPose(ctx, this.mount, _origin, _sensorQ);
    const detections: Detection[] = [];
    const others = ctx.others;
    for (let i = 0; i < others.length; i++) {
      const o = others[i]!;
      if (!o.state.present || !this.visible(ctx, o)) continue;
      // Draw the miss after the visibility test so hidden objects cost no randomness.
      if (rng.next() >= p.detectionProbability) continue;
      detections.push(this.measure(o, rng));
    }
    return { detections };
  }

  /** Line of sight to any in-view sample point of the target's footprint. */
  private visible(ctx: SenseContext, o: OtherActor): boolean {
    const p = this.p;
    const s = o.state;
    const h = o.halfExtents;
    rotateVec(s.rotation, o.boxCenter, _centre);
    _centre[0] += s.position[0];
    _centre[1] += s.position[1];
    _centre[2] += s.position[2];
    // Cheap reject: the whole box is beyond range.
    const bound = Math.hypot(h[0], h[1], h[2]);
    if (Math.hypot(_centre[0] - _origin[0], _centre[1] - _origin[1], _centre[2] - _origin[2]) - bound > p.maxRangeM) return false;
    // Sample height: the sensor's, clamped into the target's box (in the target frame, 5 % inset).
    const zLocal = Math.min(Math.max(_origin[2] - s.position[2] - o.boxCenter[2], -0.95 * h[2]), 0.95 * h[2]);
    for (let k = 0; k < SAMPLES.length; k++) {
      const [fx, fy] = SAMPLES[k]!;
      _local[0] = o.boxCenter[0] + fx * h[0];
      _local[1] = o.boxCenter[1] + fy * h[1];
      _local[2] = o.boxCenter[2] + zLocal;
      rotateVec(s.rotation, _local, _point);
      _point[0] += s.position[0];
      _point[1] += s.position[1];
      _point[2] += s.position[2];
      _dir[0] = _point[0] - _origin[0];
      _dir[1] = _point[1] - _origin[1];
      _dir[2] = _point[2] - _origin[2];
      const d = Math.hypot(_dir[0], _dir[1], _dir[2]);
      if (d > p.maxRangeM || d < 1e-6) continue;
      _dir[0] /= d;
      _dir[1] /= d;
      _dir[2] /= d;
      if (!this.inFov(_dir)) continue;
      if (p.occlusion === false) return true;
      // A little past the point: the ray must be able to reach the target's surface behind a corner sample.
      const hit = ctx.physics.castRay(_origin, _dir, Math.min(d + 0.05, p.maxRangeM), ctx.selfBody);
      if (hit && ownsBody(o, hit.body)) return true;
    }
    return false;
  }

  /** Horizontal FOV test of a world direction, in the sensor frame. */
  private inFov(dirWorld: Readonly<Vec3>): boolean {
    if (this.p.fovRad >= 2 * Math.PI - 1e-9) return true;
    rotateVecInv(_sensorQ, dirWorld, _v);
    const horiz = Math.hypot(_v[0], _v[1]);
    if (horiz < 1e-9) return false;
    return _v[0] / horiz >= this.cosHalfFov;
  }

  private measure(o: OtherActor, rng: Rng): Detection {
    const p = this.p;
    let trackId = this.trackIds.get(o.id);
    if (trackId === undefined) {
      trackId = this.nextTrackId++;
      this.trackIds.set(o.id, trackId);
    }
    // True box centre in the sensor frame (visible() left it in _centre, world frame).
    _v[0] = _centre[0] - _origin[0];
    _v[1] = _centre[1] - _origin[1];
    _v[2] = _centre[2] - _origin[2];
    const pos: Vec3 = [0, 0, 0];
    rotateVecInv(_sensorQ, _v, pos);
    // Noise along and across the horizontal line of sight.
    const r = Math.hypot(pos[0], pos[1]);
    const ux = r > 1e-9 ? pos[0] / r : 1, uy = r > 1e-9 ? pos[1] / r : 0;
    const eR = rng.normal(0, p.radialSigmaM);
    const eT = rng.normal(0, p.bearingSigmaRad * r);
    pos[0] += eR * ux - eT * uy;
    pos[1] += eR * uy + eT * ux;
    const vel: Vec3 = [0, 0, 0];
    rotateVecInv(_sensorQ, o.state.linearVelocity, vel);
    vel[0] += rng.normal(0, p.velocitySigmaMps);
    vel[1] += rng.normal(0, p.velocitySigmaMps);
    const h = o.halfExtents;
    const size: Vec3 = [
      Math.max(0, 2 * h[0] + rng.normal(0, p.sizeSigmaM)),
      Math.max(0, 2 * h[1] + rng.normal(0, p.sizeSigmaM)),
      Math.max(0, 2 * h[2] + rng.normal(0, p.sizeSigmaM)),
    ];
    // Drawn last, so that adding it left every earlier draw of the stream unchanged.
    const yawRad = wrapAngle(yawOf(o.state.rotation) - yawOf(_sensorQ) + rng.normal(0, p.yawSigmaRad));
    return { trackId, kind: o.kind, position: pos, velocity: vel, size, yawRad };
  }
}
