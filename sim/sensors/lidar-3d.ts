/**
 * A 3D spinning lidar (or a depth ring): `layers` rows of `beams` returns
 * each, cast through the fast perception caster (sim/perception/ray-caster.ts)
 * when one is given, else through `ctx.physics.castRay`.
 *
 * The scan is instantaneous (no rolling-shutter motion within a revolution)
 * and every beam returns the first surface, with zero-mean Gaussian range
 * noise and optional seeded dropouts (a return lost with a fixed
 * probability: dark or specular surfaces, which the geometry does not model).
 * A beam with no valid return reads `Infinity` (ROS's convention for "no
 * return", as the range ring).
 *
 * Default figures: Velodyne VLP-16 (Puck) datasheet, 63-9229 Rev-H: 16
 * channels, vertical field of view +15 to -15 deg (2 deg apart), horizontal
 * resolution 0.1-0.4 deg at 5-20 Hz (0.2 deg at the 10 Hz default), range up
 * to 100 m, range accuracy "up to +-3 cm (typical)", which we take as one
 * standard deviation (the datasheet does not name the statistic). The
 * datasheet gives no minimum range; 0.5 m here is an assumption.
 */
import { rotateVec, type Pose, type Vec3 } from '../math.ts';
import type { BodyHandle } from '../physics/backend.ts';
import type { SceneHit } from '../perception/static-scene.ts';
import { newSceneHit } from '../perception/static-scene.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';

/** What the sensor needs of a fast caster (RayCaster satisfies it). */
export interface LidarCaster {
  refresh(): void;
  cast(origin: Readonly<Vec3>, dir: Readonly<Vec3>, maxDistance: number, out: SceneHit, exclude?: BodyHandle): boolean;
  /** The hit distance only (Infinity for none), when the caster offers it: the scan keeps nothing else. */
  castDistance?(origin: Readonly<Vec3>, dir: Readonly<Vec3>, maxDistance: number, exclude?: BodyHandle): number;
}

export interface Lidar3DParams {
  name: string;
  /** Returns per layer (azimuth steps). */
  beams: number;
  /** Elevation of each layer, radians, positive up; or a field of view spread evenly over `layers`. */
  layers: number;
  minElevationRad: number;
  maxElevationRad: number;
  /** Horizontal field of view centred on the mount's x axis; 2*pi for a full revolution. */
  horizontalFovRad: number;
  minRangeM: number;
  maxRangeM: number;
  rateHz: number;
  /** Range noise, one standard deviation, metres. */
  rangeSigmaM: number;
  /** Probability that a return is lost (0 for none). */
  dropoutProbability: number;
  mount: Pose;
}

/** Velodyne VLP-16 datasheet figures (see the file header). */
export const VLP_16 = {
  layers: 16,
  minElevationRad: (-15 * Math.PI) / 180,
  maxElevationRad: (15 * Math.PI) / 180,
  /** 0.2 deg at 10 Hz. */
  beams: 1800,
  horizontalFovRad: 2 * Math.PI,
  minRangeM: 0.5,
  maxRangeM: 100,
  rateHz: 10,
  rangeSigmaM: 0.03,
  dropoutProbability: 0,
} as const;

export interface LidarScan {
  /** Layer elevations, radians, lowest first. Shared between scans. */
  elevations: Float64Array;
  /** Azimuths in the sensor frame, radians, counter-clockwise from x. Shared between scans. */
  azimuths: Float64Array;
  /** Ranges, metres, layer-major: ranges[layer * azimuths.length + beam]; Infinity where there is no valid return. */
  ranges: Float32Array;
  maxRangeM: number;
}

const _dirBody: Vec3 = [0, 0, 0];
const _dirWorld: Vec3 = [0, 0, 0];
const _origin: Vec3 = [0, 0, 0];

export class Lidar3D implements Sensor<LidarScan> {
  readonly type = 'lidar-3d';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  readonly elevations: Float64Array;
  readonly azimuths: Float64Array;
  private readonly params: Lidar3DParams;
  /** Beam directions in the actor body frame (mount rotation applied once), layer-major. */
  private readonly dirs: Float64Array;
  private caster: LidarCaster | undefined;
  private readonly hit = newSceneHit();

  /**
   * Cast through `caster` from now on (the scenario builder hands every lidar
   * one caster once the world's actors are placed; see scenarios/build.ts).
   */
  useCaster(caster: LidarCaster): void {
    this.caster = caster;
  }

  /** `caster`: the fast caster over the sensor's world; without it the sensor casts through `ctx.physics`. */
  constructor(p: Lidar3DParams, caster?: LidarCaster) {
    const what = `lidar-3d '${p.name}'`;
    if (!(Number.isInteger(p.beams) && p.beams >= 1)) throw new RangeError(`${what}: beams must be an integer >= 1`);
    if (!(Number.isInteger(p.layers) && p.layers >= 1)) throw new RangeError(`${what}: layers must be an integer >= 1`);
    if (!(p.maxElevationRad >= p.minElevationRad) || p.maxElevationRad > Math.PI / 2 || p.minElevationRad < -Math.PI / 2) throw new RangeError(`${what}: elevations must satisfy -pi/2 <= min <= max <= pi/2`);
    if (!(p.maxRangeM > p.minRangeM && p.minRangeM >= 0)) throw new RangeError(`${what}: need 0 <= minRangeM < maxRangeM`);
    if (!(p.rangeSigmaM >= 0)) throw new RangeError(`${what}: rangeSigmaM must be >= 0`);
    if (!(p.dropoutProbability >= 0 && p.dropoutProbability <= 1)) throw new RangeError(`${what}: dropoutProbability must be in [0, 1]`);
    this.params = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
    this.caster = caster;
    this.elevations = new Float64Array(p.layers);
    for (let l = 0; l < p.layers; l++) {
      this.elevations[l] = p.layers > 1 ? p.minElevationRad + ((p.maxElevationRad - p.minElevationRad) * l) / (p.layers - 1) : (p.minElevationRad + p.maxElevationRad) / 2;
    }
    const full = p.horizontalFovRad >= 2 * Math.PI - 1e-9;
    const stepRad = full ? p.horizontalFovRad / p.beams : p.beams > 1 ? p.horizontalFovRad / (p.beams - 1) : 0;
    const start = full ? 0 : -p.horizontalFovRad / 2;
    this.azimuths = new Float64Array(p.beams);
    for (let b = 0; b < p.beams; b++) this.azimuths[b] = start + b * stepRad;
    this.dirs = new Float64Array(p.layers * p.beams * 3);
    for (let l = 0; l < p.layers; l++) {
      const ce = Math.cos(this.elevations[l]!), se = Math.sin(this.elevations[l]!);
      for (let b = 0; b < p.beams; b++) {
        const a = this.azimuths[b]!;
        _dirBody[0] = ce * Math.cos(a);
        _dirBody[1] = ce * Math.sin(a);
        _dirBody[2] = se;
        rotateVec(p.mount.rotation, _dirBody, _dirBody);
        const k = 3 * (l * p.beams + b);
        this.dirs[k] = _dirBody[0];
        this.dirs[k + 1] = _dirBody[1];
        this.dirs[k + 2] = _dirBody[2];
      }
    }
  }

  /** One scan: one Float32Array allocated per scan, nothing per ray. */
  sample(ctx: SenseContext, rng: Rng): LidarScan {
    const p = this.params;
    const q = ctx.self.rotation;
    rotateVec(q, p.mount.position, _origin);
    _origin[0] += ctx.self.position[0];
    _origin[1] += ctx.self.position[1];
    _origin[2] += ctx.self.position[2];
    const n = p.layers * p.beams;
    const ranges = new Float32Array(n);
    const caster = this.caster;
    caster?.refresh();
    const hit = this.hit, dirs = this.dirs;
    const dropout = p.dropoutProbability;
    const castDistance = caster?.castDistance;
    for (let i = 0; i < n; i++) {
      _dirBody[0] = dirs[3 * i]!;
      _dirBody[1] = dirs[3 * i + 1]!;
      _dirBody[2] = dirs[3 * i + 2]!;
      rotateVec(q, _dirBody, _dirWorld);
      let d = Infinity;
      if (castDistance) d = castDistance.call(caster, _origin, _dirWorld, p.maxRangeM, ctx.selfBody);
      else if (caster) {
        if (caster.cast(_origin, _dirWorld, p.maxRangeM, hit, ctx.selfBody)) d = hit.distance;
      } else {
        const h = ctx.physics.castRay(_origin, _dirWorld, p.maxRangeM, ctx.selfBody);
        if (h) d = h.distance;
      }
      // Draw noise (and the dropout) for every beam, hit or not, so the stream stays aligned across scans.
      const z = rng.normal();
      const lost = dropout > 0 && rng.next() < dropout;
      if (lost || d < p.minRangeM || d === Infinity) {
        ranges[i] = Infinity;
        continue;
      }
      const measured = d + z * p.rangeSigmaM;
      ranges[i] = measured > p.maxRangeM ? Infinity : Math.max(p.minRangeM, measured);
    }
    return { elevations: this.elevations, azimuths: this.azimuths, ranges, maxRangeM: p.maxRangeM };
  }
}
