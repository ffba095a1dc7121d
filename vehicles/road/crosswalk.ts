/**
 * A pedestrian crossing over a road: a band from sStart to sEnd across
 * lateral positions tMin to tMax (OpenDRIVE `<object type="crosswalk">`
 * with its outline in road coordinates). `crosswalkPolygon` gives its
 * outline in the world frame.
 */
import { newRoadPose } from './geometry.ts';
import type { Road } from './road.ts';

export interface CrosswalkDescriptor {
  id: string;
  roadId: string;
  sStart: number;
  sEnd: number;
  tMin: number;
  tMax: number;
}

const _p = newRoadPose();

/**
 * World outline: corners (sStart, tMin), (sEnd, tMin), (sEnd, tMax),
 * (sStart, tMax), counter-clockwise since t grows to the left of +s.
 */
export function crosswalkPolygon(road: Road, c: CrosswalkDescriptor): [number, number][] {
  const corners: [number, number][] = [[c.sStart, c.tMin], [c.sEnd, c.tMin], [c.sEnd, c.tMax], [c.sStart, c.tMax]];
  return corners.map(([s, t]) => {
    road.referenceLine.toWorld(s, t, _p);
    return [_p.x, _p.y];
  });
}
