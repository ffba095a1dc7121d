/**
 * A planar ring of range beams (a 2D scanning lidar or a ring of rangefinders),
 * cast against the physics world.
 *
 * Default noise follows the Slamtec RPLIDAR A2M8 datasheet (LD208, v1.0):
 * range 0.15-12 m, accuracy 1 % of range up to 3 m, 2 % from 3 to 5 m, 2.5 %
 * beyond, 10 Hz scan. We treat the quoted accuracy as one standard deviation
 * of a zero-mean Gaussian (the datasheet does not say which statistic it is).
 * A beam with no return within range, or a return closer than the minimum
 * range, reads `Infinity` (ROS LaserScan's convention for "no valid return").
 */
import { rotateVec, type Pose, type Vec3 } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';

export interface RangeRingParams {
  name: string;
  beams: number;
  /** Field of view centred on the mount's x axis; 2*pi for a full ring. */
  fovRad: number;
  minRangeM: number;
  maxRangeM: number;
  rateHz: number;
  /** Range noise: sigma = fraction * range, piecewise by range (RPLIDAR A2M8 accuracy table). */
  noise: { upToM: number; sigmaFraction: number }[];
  mount: Pose;
}

/** RPLIDAR A2M8 datasheet figures (see file header). */
export const RPLIDAR_A2M8 = {
  minRangeM: 0.15,
  maxRangeM: 12,
  rateHz: 10,
  noise: [
    { upToM: 3, sigmaFraction: 0.01 },
    { upToM: 5, sigmaFraction: 0.02 },
    { upToM: Infinity, sigmaFraction: 0.025 },
  ],
} as const;

export interface RangeScan {
  /** Beam angles in the sensor frame, radians, counter-clockwise from x. Shared between scans. */
  angles: Float64Array;
  /** Measured ranges, metres; Infinity where there is no valid return. */
  ranges: Float64Array;
  maxRangeM: number;
}

const _dirBody: Vec3 = [0, 0, 0];
const _dirWorld: Vec3 = [0, 0, 0];
const _origin: Vec3 = [0, 0, 0];

export class RangeRing implements Sensor<RangeScan> {
  readonly type = 'range-ring';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  readonly angles: Float64Array;
  private readonly params: RangeRingParams;
  /** Beam directions in the actor body frame (mount rotation applied once). */
  private readonly dirs: Float64Array;

  constructor(p: RangeRingParams) {
    if (!(p.beams >= 1)) throw new RangeError(`range-ring '${p.name}': beams must be >= 1`);
    if (!(p.maxRangeM > p.minRangeM)) throw new RangeError(`range-ring '${p.name}': maxRangeM must exceed minRangeM`);
    this.params = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
    this.angles = new Float64Array(p.beams);
    this.dirs = new Float64Array(p.beams * 3);
    const full = p.fovRad >= 2 * Math.PI - 1e-9;
    const stepRad = full ? p.fovRad / p.beams : p.beams > 1 ? p.fovRad / (p.beams - 1) : 0;
    const start = full ? 0 : -p.fovRad / 2;
    for (let i = 0; i < p.beams; i++) {
      const a = start + i * stepRad;
      this.angles[i] = a;
      _dirBody[0] = Math.cos(a);
      _dirBody[1] = Math.sin(a);
      _dirBody[2] = 0;
      rotateVec(p.mount.rotation, _dirBody, _dirBody);
      this.dirs[3 * i] = _dirBody[0];
      this.dirs[3 * i + 1] = _dirBody[1];
      this.dirs[3 * i + 2] = _dirBody[2];
    }
  }

  sample(ctx: SenseContext, rng: Rng): RangeScan {
    const p = this.params;
    const q = ctx.self.rotation;
    rotateVec(q, p.mount.position, _origin);
    _origin[0] += ctx.self.position[0];
    _origin[1] += ctx.self.position[1];
    _origin[2] += ctx.self.position[2];
    const ranges = new Float64Array(p.beams);
    for (let i = 0; i < p.beams; i++) {
      _dirBody[0] = this.dirs[3 * i]!;
      _dirBody[1] = this.dirs[3 * i + 1]!;
      _dirBody[2] = this.dirs[3 * i + 2]!;
      rotateVec(q, _dirBody, _dirWorld);
      const hit = ctx.physics.castRay(_origin, _dirWorld, p.maxRangeM, ctx.selfBody);
      // Draw the noise for every beam, hit or not, so the stream stays aligned across scans.
      const z = rng.normal();
      if (!hit || hit.distance < p.minRangeM) {
        ranges[i] = Infinity;
        continue;
      }
      const d = hit.distance;
      let frac = p.noise[p.noise.length - 1]?.sigmaFraction ?? 0;
      for (const band of p.noise) {
        if (d <= band.upToM) {
          frac = band.sigmaFraction;
          break;
        }
      }
      const measured = d + z * frac * d;
      ranges[i] = measured > p.maxRangeM ? Infinity : Math.max(p.minRangeM, measured);
    }
    return { angles: this.angles, ranges, maxRangeM: p.maxRangeM };
  }
}
