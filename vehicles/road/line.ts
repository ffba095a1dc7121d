/** A straight reference-line primitive (OpenDRIVE `<line>`). */
import type { GeometryDescriptor, PlanGeometry, RoadPose } from './geometry.ts';

export class LineGeometry implements PlanGeometry {
  readonly type = 'line' as const;
  private readonly cos: number;
  private readonly sin: number;

  constructor(
    readonly s: number,
    readonly x: number,
    readonly y: number,
    readonly headingRad: number,
    readonly lengthM: number,
  ) {
    this.cos = Math.cos(headingRad);
    this.sin = Math.sin(headingRad);
  }

  poseAt(s: number, out: RoadPose): RoadPose {
    const u = s - this.s;
    out.x = this.x + u * this.cos;
    out.y = this.y + u * this.sin;
    out.headingRad = this.headingRad;
    out.curvature = 0;
    return out;
  }

  descriptor(): GeometryDescriptor {
    return { type: 'line', s: this.s, x: this.x, y: this.y, headingRad: this.headingRad, lengthM: this.lengthM };
  }
}
