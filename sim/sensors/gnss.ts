/**
 * GNSS position and velocity in the scenario's local ENU frame, and an
 * optional dual-antenna heading.
 *
 * Defaults: u-blox ZED-F9P data sheet (UBX-17051259): RTK horizontal position
 * accuracy 0.01 m + 1 ppm CEP, vertical 0.01 m + 1 ppm R50, velocity accuracy
 * 0.05 m/s, navigation rate up to 20 Hz in RTK. CEP is converted to a per-axis
 * sigma with CEP = 1.1774 sigma (circular normal). The heading sigma, 0.4 deg,
 * is Skylane's assumption for a ~0.5 m moving-base antenna baseline, not a
 * datasheet figure; scenarios can override it.
 */
import { isFiniteVec, type Pose, type Vec3, yawOf } from '../math.ts';
import type { Rng } from '../rng.ts';
import type { SenseContext, Sensor } from '../sensor.ts';

export interface GnssParams {
  name: string;
  rateHz: number;
  horizontalSigmaM: number;
  verticalSigmaM: number;
  velocitySigmaMps: number;
  /** NaN or undefined: no heading output. */
  headingSigmaRad?: number;
  mount: Pose;
}

export const ZED_F9P = {
  rateHz: 10,
  horizontalSigmaM: 0.01 / 1.1774,
  verticalSigmaM: 0.01 / 1.1774,
  velocitySigmaMps: 0.05,
  headingSigmaRad: (0.4 * Math.PI) / 180,
} as const;

export interface GnssFix {
  position: Vec3;
  velocity: Vec3;
  /** Yaw, radians, ENU (counter-clockwise from east); NaN without a heading antenna. */
  headingRad: number;
}

export class Gnss implements Sensor<GnssFix> {
  readonly type = 'gnss';
  readonly name: string;
  readonly rateHz: number;
  readonly mount: Pose;
  private readonly p: GnssParams;

  constructor(p: GnssParams) {
    if (!isFiniteVec([p.horizontalSigmaM, p.verticalSigmaM, p.velocitySigmaMps]) || p.horizontalSigmaM < 0) {
      throw new RangeError(`gnss '${p.name}': noise sigmas must be finite and >= 0`);
    }
    this.p = p;
    this.name = p.name;
    this.rateHz = p.rateHz;
    this.mount = p.mount;
  }

  sample(ctx: SenseContext, rng: Rng): GnssFix {
    const p = this.p;
    const s = ctx.self;
    const hs = p.horizontalSigmaM, vs = p.velocitySigmaMps;
    const hasHeading = p.headingSigmaRad !== undefined && Number.isFinite(p.headingSigmaRad);
    const hNoise = rng.normal(0, hasHeading ? p.headingSigmaRad! : 0);
    return {
      position: [s.position[0] + rng.normal(0, hs), s.position[1] + rng.normal(0, hs), s.position[2] + rng.normal(0, p.verticalSigmaM)],
      velocity: [s.linearVelocity[0] + rng.normal(0, vs), s.linearVelocity[1] + rng.normal(0, vs), s.linearVelocity[2] + rng.normal(0, vs)],
      headingRad: hasHeading ? yawOf(s.rotation) + hNoise : NaN,
    };
  }
}
