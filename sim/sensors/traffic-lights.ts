/**
 * A traffic-light recognition (TLR) camera: which signal heads the car can
 * see and what each shows. The state of a light is not map data; the map
 * says where the heads are (a prior an L4 system holds, as in Fairfield &
 * Urmson, "Traffic light mapping and detection", ICRA 2011, and Levinson et
 * al., "Traffic light mapping, localization, and state detection for
 * autonomous vehicles", ICRA 2011: the camera then only classifies the
 * state of each mapped head it looks at).
 *
 * The heads are handed in as plain data by the scene builder (sim/ knows no
 * roads): id, world position of the lamp, the yaw it faces, and its state as
 * a function of time (world-side ground truth from the signal controller,
 * read here only to generate the measurement).
 *
 * A head is reported when
 * - it is within `maxRangeM` and inside the horizontal field of view `fovRad`
 *   centred on the mount's x axis (the vertical field is not modelled: the
 *   camera is assumed to see overhead heads up to the stop line);
 * - the camera is in front of the lamp: within `visibilityHalfAngleRad` of
 *   the direction it faces (a lamp seen from the side or behind shows no
 *   colour);
 * - the line of sight is clear: a physics ray from the camera towards the
 *   lamp hits nothing before it (a truck ahead hides it);
 * - and a per-sample draw from the sensor's seeded stream keeps it
 *   (misdetection probability 1 - `detectionProbability`).
 * A misdetected or hidden head is simply absent from the reading: the agent
 * must treat an absent light as unknown, never as green.
 *
 * Default figures (`TLR_CAMERA`):
 * - range 100 m: Skylane assumption, of the order over which published
 *   camera TLR pipelines classify mapped heads (the ICRA 2011 papers above);
 *   enough to stop from 50 km/h at 3 m/s^2 (32 m) with a wide margin;
 * - horizontal FOV 60 deg: Skylane assumption for a narrow front camera
 *   (nuScenes CAM_FRONT is 70 deg);
 * - lamp visibility half-angle 60 deg: Skylane assumption (signal optics
 *   are designed for the approach they face);
 * - detection probability 0.95 per head per sample: Skylane assumption, the
 *   object list's figure;
 * - 10 Hz: the camera pipeline's rate (Skylane assumption).
 */
import type { Pose, Quat, Vec3 } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';
import { rotateVecInv, sensorPose } from './object-list.ts';

export type LightState = 'red' | 'yellow' | 'green';

/** One signal head, as the scene builder describes it. */
export interface SignalHead {
  readonly id: string;
  /** World position of the lamp, m. */
  readonly position: Readonly<Vec3>;
  /** World yaw the lamp faces (towards the drivers it governs), rad. */
  readonly facingRad: number;
  /** State at simulation time t (ground truth, world-side). */
  state(t: number): LightState;
}

export interface TrafficLightsParams {
  name: string;
  rateHz: number;
  mount: Pose;
  maxRangeM: number;
  fovRad: number;
  visibilityHalfAngleRad: number;
  detectionProbability: number;
  heads: readonly SignalHead[];
}

export interface TrafficLightObservation {
  lightId: string;
  state: LightState;
}

export interface TrafficLightReading {
  lights: TrafficLightObservation[];
}

const DEG = Math.PI / 180;

/** Defaults (sources and assumptions in the file header). */
export const TLR_CAMERA = {
  rateHz: 10, // Skylane assumption
  maxRangeM: 100, // Skylane assumption, order of published TLR (Fairfield & Urmson 2011)
  fovRad: 60 * DEG, // Skylane assumption, narrow front camera
  visibilityHalfAngleRad: 60 * DEG, // Skylane assumption
  detectionProbability: 0.95, // Skylane assumption
} as const;

const _origin: Vec3 = [0, 0, 0];
const _q: Quat = [0, 0, 0, 1];
const _dir: Vec3 = [0, 0, 0];
const _local: Vec3 = [0, 0, 0];

export class TrafficLightsSensor implements Sensor<TrafficLightReading> {
  readonly type = 'traffic-lights';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  private readonly p: TrafficLightsParams;
  private readonly cosHalfFov: number;
  private readonly cosVisibility: number;

  constructor(p: TrafficLightsParams) {
    if (!(p.maxRangeM > 0)) throw new RangeError(`traffic-lights '${p.name}': maxRangeM must be > 0`);
    if (!(p.fovRad > 0 && p.fovRad <= 2 * Math.PI)) throw new RangeError(`traffic-lights '${p.name}': fovRad must be in (0, 2 pi]`);
    if (!(p.detectionProbability >= 0 && p.detectionProbability <= 1)) throw new RangeError(`traffic-lights '${p.name}': detectionProbability must be in [0, 1]`);
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
    this.cosHalfFov = Math.cos(p.fovRad / 2);
    this.cosVisibility = Math.cos(p.visibilityHalfAngleRad);
  }

  sample(ctx: SenseContext, rng: Rng): TrafficLightReading {
    const p = this.p;
    sensorPose(ctx, this.mount, _origin, _q);
    const lights: TrafficLightObservation[] = [];
    for (const h of p.heads) {
      _dir[0] = h.position[0] - _origin[0];
      _dir[1] = h.position[1] - _origin[1];
      _dir[2] = h.position[2] - _origin[2];
      const d = Math.hypot(_dir[0], _dir[1], _dir[2]);
      if (d > p.maxRangeM || d < 1e-6) continue;
      _dir[0] /= d;
      _dir[1] /= d;
      _dir[2] /= d;
      // The camera must be in front of the lamp: the lamp faces back along the line of sight.
      const horiz = Math.hypot(_dir[0], _dir[1]);
      if (horiz > 1e-9 && -(_dir[0] * Math.cos(h.facingRad) + _dir[1] * Math.sin(h.facingRad)) / horiz < this.cosVisibility) continue;
      if (p.fovRad < 2 * Math.PI - 1e-9) {
        rotateVecInv(_q, _dir, _local);
        const hz = Math.hypot(_local[0], _local[1]);
        if (hz < 1e-9 || _local[0] / hz < this.cosHalfFov) continue;
      }
      // Line of sight: anything hit before the lamp hides it (heads have no bodies).
      if (ctx.physics.castRay(_origin, _dir, d - 0.05, ctx.selfBody)) continue;
      // Draw the miss after visibility, so hidden heads cost no randomness.
      if (rng.next() >= p.detectionProbability) continue;
      lights.push({ lightId: h.id, state: h.state(ctx.time) });
    }
    return { lights };
  }
}
