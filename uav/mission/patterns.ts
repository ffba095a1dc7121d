/**
 * Mission geometry for UAVs (issue #4 section 5): waypoint routes in local
 * ENU or in WGS84 latitude/longitude/altitude (through uav/geo/local-frame.ts,
 * GeographicLib), survey patterns and loiter circles. Pure functions of
 * their parameters: the flight stack's waypoint mode flies the result.
 *
 * Survey: the boustrophedon ("lawnmower") pattern of coverage path planning
 * (H. Choset, "Coverage of known spaces: the boustrophedon cellular
 * decomposition", Autonomous Robots 9, 2000; the pattern QGroundControl's
 * Survey item lays over a polygon): parallel legs `spacingM` apart across a
 * rectangle, joined at alternate ends. For a camera, spacing = footprint
 * width x (1 - side overlap).
 */
import type { Vec3 } from '../../sim/math.ts';
import { LocalFrame, type GeoPoint } from '../geo/local-frame.ts';

export type WaypointSpec = { enuM: Vec3 } | { geo: GeoPoint };

/** Waypoints in the local ENU frame; geodetic ones through `frame` (required if any is geodetic). */
export function waypointsEnu(points: readonly WaypointSpec[], frame?: LocalFrame): Vec3[] {
  return points.map((p, i) => {
    if ('enuM' in p) return [p.enuM[0], p.enuM[1], p.enuM[2]];
    if (!frame) throw new Error(`waypoint ${i} is geodetic (lat/lon/alt) and no local frame origin was given`);
    return frame.toEnu(p.geo);
  });
}

export interface SurveyArea {
  /** Rectangle in the local frame, before rotation: [x, y] corners, m. */
  min: readonly [number, number];
  max: readonly [number, number];
  altitudeM: number;
  /** Distance between neighbouring legs, m. */
  spacingM: number;
  /** Legs run along x (0) or along y (90), degrees. */
  legHeadingDeg?: 0 | 90;
}

/**
 * The lawnmower over a rectangle: legs along x (or y) at every `spacingM`
 * from one edge, half a spacing in from both edges so the outer swaths end
 * at the border, alternating direction.
 */
export function surveyPattern(a: SurveyArea): Vec3[] {
  const [x0, y0] = a.min, [x1, y1] = a.max;
  if (!(x1 > x0 && y1 > y0)) throw new RangeError('survey: max must exceed min on both axes');
  if (!(a.spacingM > 0)) throw new RangeError('survey: spacingM must be > 0');
  const alongX = (a.legHeadingDeg ?? 0) === 0;
  const across = alongX ? y1 - y0 : x1 - x0;
  const n = Math.max(1, Math.ceil(across / a.spacingM));
  // n legs cover n x spacing; centre them on the rectangle.
  const first = (alongX ? y0 : x0) + (across - (n - 1) * a.spacingM) / 2;
  const out: Vec3[] = [];
  for (let k = 0; k < n; k++) {
    const c = first + k * a.spacingM;
    const forward = k % 2 === 0;
    const [s, e] = forward ? [alongX ? x0 : y0, alongX ? x1 : y1] : [alongX ? x1 : y1, alongX ? x0 : y0];
    out.push(alongX ? [s, c, a.altitudeM] : [c, s, a.altitudeM], alongX ? [e, c, a.altitudeM] : [c, e, a.altitudeM]);
  }
  return out;
}

/** Total length of a polyline, m. */
export function pathLengthM(points: readonly Vec3[]): number {
  let L = 0;
  for (let i = 1; i < points.length; i++) L += Math.hypot(points[i]![0] - points[i - 1]![0], points[i]![1] - points[i - 1]![1], points[i]![2] - points[i - 1]![2]);
  return L;
}

/**
 * A loiter circle as `segments` waypoints counter-clockwise (positive
 * `turns`) or clockwise, starting east of the centre. The chord error of a
 * polygon of n sides on radius r is r (1 - cos(pi / n)): 32 sides keep it
 * under 0.5 % of the radius.
 */
export function loiterCircle(center: readonly [number, number], radiusM: number, altitudeM: number, turns = 1, segments = 32): Vec3[] {
  if (!(radiusM > 0) || !(segments >= 3) || turns === 0) throw new RangeError('loiter: need radius > 0, segments >= 3 and turns != 0');
  const n = Math.ceil(Math.abs(turns) * segments);
  const dir = Math.sign(turns);
  const out: Vec3[] = [];
  for (let k = 0; k <= n; k++) {
    const a = (dir * 2 * Math.PI * k) / segments;
    out.push([center[0] + radiusM * Math.cos(a), center[1] + radiusM * Math.sin(a), altitudeM]);
  }
  return out;
}
