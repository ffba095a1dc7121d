/**
 * Plan-view geometry of a road's reference line, shaped after OpenDRIVE 1.8
 * `<planView><geometry s x y hdg length>` with its `<line>`, `<arc>` and
 * `<spiral>` children, so that an importer maps each record one to one.
 *
 * A primitive starts at road coordinate `s` (metres along the reference line),
 * at world position (x, y) (ENU metres) with heading `headingRad`
 * (counter-clockwise from east), and runs `lengthM` metres. Curvature is
 * 1/m, positive turning left (counter-clockwise), as in OpenDRIVE.
 */
import { ArcGeometry } from './arc.ts';
import { LineGeometry } from './line.ts';
import { SpiralGeometry } from './spiral.ts';

/** A point of a plane curve: where, which way, and how sharply it turns. */
export interface RoadPose {
  x: number;
  y: number;
  headingRad: number;
  /** 1/m, positive to the left. */
  curvature: number;
}

export function newRoadPose(): RoadPose {
  return { x: 0, y: 0, headingRad: 0, curvature: 0 };
}

interface GeometryStart {
  /** Road coordinate at the start of the primitive, m. */
  s: number;
  x: number;
  y: number;
  headingRad: number;
  lengthM: number;
}

/** Plain-data primitive, as an OpenDRIVE `<geometry>` record carries it. */
export type GeometryDescriptor =
  | (GeometryStart & { type: 'line' })
  | (GeometryStart & { type: 'arc'; curvature: number })
  | (GeometryStart & { type: 'spiral'; curvStart: number; curvEnd: number });

export interface PlanGeometry {
  readonly type: GeometryDescriptor['type'];
  readonly s: number;
  readonly x: number;
  readonly y: number;
  readonly headingRad: number;
  readonly lengthM: number;
  /**
   * The pose at road coordinate `s` (not local: `s - this.s` is the distance
   * along this primitive). Valid on [this.s, this.s + lengthM]; slightly
   * outside it, the curve is extended with the same law. Writes into `out`.
   */
  poseAt(s: number, out: RoadPose): RoadPose;
  descriptor(): GeometryDescriptor;
}

export function geometryFrom(d: GeometryDescriptor): PlanGeometry {
  if (!(d.lengthM > 0) || !Number.isFinite(d.lengthM)) {
    throw new RangeError(`${d.type} geometry at s=${d.s}: length must be positive and finite, got ${d.lengthM}`);
  }
  switch (d.type) {
    case 'line':
      return new LineGeometry(d.s, d.x, d.y, d.headingRad, d.lengthM);
    case 'arc':
      return new ArcGeometry(d.s, d.x, d.y, d.headingRad, d.lengthM, d.curvature);
    case 'spiral':
      return new SpiralGeometry(d.s, d.x, d.y, d.headingRad, d.lengthM, d.curvStart, d.curvEnd);
  }
}
