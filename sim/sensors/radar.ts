/**
 * A forward radar-like range sensor: a narrow horizontal fan of rays cast
 * against the physics world; it reports the nearest return in the beam with
 * its range, range rate (Doppler) and azimuth.
 *
 * Range comes from the ray. Range rate is the closing speed along the ray,
 * (v_target - v_sensor) . u, positive when the target recedes; v_target is
 * the ground-truth velocity of the actor owning the hit body (from
 * `SenseContext.others`), zero for anything not listed there (terrain, or an
 * actor already removed); v_sensor is the mount point's velocity, including
 * the ego's rotation (omega x r). A real radar resolves several targets
 * and tracks them; this one reports only the nearest return, which is what a
 * forward-collision or ACC function consumes first. Because the rays are
 * planar at the mount height, objects lower than the mount are not seen.
 *
 * Defaults (`ARS_408_21_FAR`): Continental ARS 408-21 long-range radar
 * technical data sheet, far-range scan: range 0.20-250 m, azimuth field of
 * view -9..+9 deg, distance accuracy +-0.40 m, velocity accuracy 0.1 km/h,
 * azimuth accuracy +-0.1 deg, cycle time about 72 ms. Accuracies are read as
 * 1 sigma of a zero-mean Gaussian (as the range ring reads the RPLIDAR's).
 * The beam is sampled by 19 rays, 1 deg apart: Skylane's choice, so that a
 * 0.5 m wide pedestrian is crossed by a ray out to ~28 m; beyond that a slim
 * target can fall between rays.
 */
import type { Pose, Quat, Vec3 } from '../math.ts';
import { rotateVec } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';
import { ownsBody, sensorPose } from './object-list.ts';

export interface RadarParams {
  name: string;
  rateHz: number;
  mount: Pose;
  minRangeM: number;
  maxRangeM: number;
  /** Horizontal field of view, centred on the mount's x axis. */
  fovRad: number;
  /** Number of rays across the field of view (>= 1). */
  rays: number;
  rangeSigmaM: number;
  rangeRateSigmaMps: number;
  azimuthSigmaRad: number;
}

const DEG = Math.PI / 180;

/** Continental ARS 408-21, far-range scan (see the file header). */
export const ARS_408_21_FAR = {
  rateHz: 1 / 0.072, // cycle time ~72 ms
  minRangeM: 0.2,
  maxRangeM: 250,
  fovRad: 18 * DEG, // -9..+9 deg
  rays: 19, // Skylane: 1 deg spacing
  rangeSigmaM: 0.4, // +-0.40 m far range
  rangeRateSigmaMps: 0.1 / 3.6, // 0.1 km/h
  azimuthSigmaRad: 0.1 * DEG, // +-0.1 deg far range
} as const;

export interface RadarReturn {
  /** True if any ray returned within range; the other fields are NaN otherwise. */
  detected: boolean;
  rangeM: number;
  /** d(range)/dt, m/s; negative when closing. */
  rangeRateMps: number;
  /** Counter-clockwise from the sensor's x axis, radians. */
  azimuthRad: number;
}

const _origin: Vec3 = [0, 0, 0];
const _q: Quat = [0, 0, 0, 1];
const _dirWorld: Vec3 = [0, 0, 0];
const _dirLocal: Vec3 = [0, 0, 0];
const _r: Vec3 = [0, 0, 0];
const _vs: Vec3 = [0, 0, 0];

export class Radar implements Sensor<RadarReturn> {
  readonly type = 'radar';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  private readonly p: RadarParams;
  /** Ray azimuths in the sensor frame. */
  private readonly azimuths: Float64Array;

  constructor(p: RadarParams) {
    if (!(p.rays >= 1) || !Number.isInteger(p.rays)) throw new RangeError(`radar '${p.name}': rays must be an integer >= 1`);
    if (!(p.maxRangeM > p.minRangeM) || !(p.minRangeM >= 0)) throw new RangeError(`radar '${p.name}': need 0 <= minRangeM < maxRangeM`);
    for (const k of ['rangeSigmaM', 'rangeRateSigmaMps', 'azimuthSigmaRad'] as const) {
      if (!(p[k] >= 0) || !Number.isFinite(p[k])) throw new RangeError(`radar '${p.name}': ${k} must be finite and >= 0`);
    }
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
    this.azimuths = new Float64Array(p.rays);
    for (let i = 0; i < p.rays; i++) this.azimuths[i] = p.rays === 1 ? 0 : -p.fovRad / 2 + (i * p.fovRad) / (p.rays - 1);
  }

  sample(ctx: SenseContext, rng: Rng): RadarReturn {
    const p = this.p;
    sensorPose(ctx, this.mount, _origin, _q);
    let best = Infinity, bestBody = -1, bestAz = 0;
    let bx = 0, by = 0, bz = 0;
    for (let i = 0; i < this.azimuths.length; i++) {
      const a = this.azimuths[i]!;
      _dirLocal[0] = Math.cos(a);
      _dirLocal[1] = Math.sin(a);
      _dirLocal[2] = 0;
      rotateVec(_q, _dirLocal, _dirWorld);
      const hit = ctx.physics.castRay(_origin, _dirWorld, p.maxRangeM, ctx.selfBody);
      if (!hit || hit.distance < p.minRangeM || hit.distance >= best) continue;
      best = hit.distance;
      bestBody = hit.body;
      bestAz = a;
      bx = _dirWorld[0];
      by = _dirWorld[1];
      bz = _dirWorld[2];
    }
    // Always draw the three normals, so the stream stays aligned whether or not there is a return.
    const eR = rng.normal(0, p.rangeSigmaM);
    const eV = rng.normal(0, p.rangeRateSigmaMps);
    const eA = rng.normal(0, p.azimuthSigmaRad);
    if (bestBody < 0) return { detected: false, rangeM: NaN, rangeRateMps: NaN, azimuthRad: NaN };

    // Sensor velocity at the mount: v + omega x r (r = mount offset in world axes).
    const s = ctx.self;
    rotateVec(s.rotation, this.mount.position, _r);
    const w = s.angularVelocity;
    _vs[0] = s.linearVelocity[0] + (w[1] * _r[2] - w[2] * _r[1]);
    _vs[1] = s.linearVelocity[1] + (w[2] * _r[0] - w[0] * _r[2]);
    _vs[2] = s.linearVelocity[2] + (w[0] * _r[1] - w[1] * _r[0]);
    let tvx = 0, tvy = 0, tvz = 0;
    const others = ctx.others;
    for (let i = 0; i < others.length; i++) {
      const o = others[i]!;
      if (ownsBody(o, bestBody)) {
        const v = o.state.linearVelocity;
        tvx = v[0];
        tvy = v[1];
        tvz = v[2];
        break;
      }
    }
    const rangeRate = (tvx - _vs[0]) * bx + (tvy - _vs[1]) * by + (tvz - _vs[2]) * bz;
    return {
      detected: true,
      rangeM: Math.max(p.minRangeM, best + eR),
      rangeRateMps: rangeRate + eV,
      azimuthRad: bestAz + eA,
    };
  }
}
