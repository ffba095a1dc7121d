/** A constant-curvature reference-line primitive (OpenDRIVE `<arc curvature>`). */
import type { GeometryDescriptor, PlanGeometry, RoadPose } from './geometry.ts';

export class ArcGeometry implements PlanGeometry {
  readonly type = 'arc' as const;

  constructor(
    readonly s: number,
    readonly x: number,
    readonly y: number,
    readonly headingRad: number,
    readonly lengthM: number,
    /** 1/m, positive turning left. */
    readonly curvature: number,
  ) {
    if (!Number.isFinite(curvature)) throw new RangeError(`arc at s=${s}: curvature must be finite, got ${curvature}`);
  }

  poseAt(s: number, out: RoadPose): RoadPose {
    const u = s - this.s;
    const half = 0.5 * this.curvature * u;
    // The chord has length u*sin(half)/half and points along the mean
    // heading. Written this way the formula stays exact as curvature -> 0,
    // where (sin(h + k*u) - sin h)/k would cancel catastrophically.
    const chord = u * sinc(half);
    const mid = this.headingRad + half;
    out.x = this.x + chord * Math.cos(mid);
    out.y = this.y + chord * Math.sin(mid);
    out.headingRad = this.headingRad + 2 * half;
    out.curvature = this.curvature;
    return out;
  }

  descriptor(): GeometryDescriptor {
    return { type: 'arc', s: this.s, x: this.x, y: this.y, headingRad: this.headingRad, lengthM: this.lengthM, curvature: this.curvature };
  }
}

/** sin(a)/a, with its Taylor series near 0 (error below 1e-17 for |a| < 1e-3). */
function sinc(a: number): number {
  if (Math.abs(a) < 1e-3) {
    const a2 = a * a;
    return 1 - a2 / 6 + (a2 * a2) / 120;
  }
  return Math.sin(a) / a;
}
