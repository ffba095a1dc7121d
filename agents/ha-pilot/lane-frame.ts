/**
 * Where the ego is on the map, in lane terms: the road and lane it drives,
 * its road coordinate s, its lateral offset from the lane centre, and points
 * of that lane's centre line ahead (the lateral controller's reference).
 *
 * v1 drives one road of the network (the one it starts on) in the lane it
 * starts in (lane changes come in v2); following a route across junctions (LaneGraph.route)
 * comes with routes in the mission.
 */
import { newRoadPose, type RoadPose } from '../../vehicles/road/geometry.ts';
import { newLanePosition, type Road } from '../../vehicles/road/road.ts';
import type { RoadNetwork } from '../../vehicles/road/road-network.ts';

const _pos = newLanePosition();
const _pose = newRoadPose();

export class LaneFrame {
  road: Road | undefined;
  laneId = 0;
  /** +1 when the lane is driven towards +s (right lanes, id < 0), -1 otherwise. */
  direction: 1 | -1 = 1;
  /** Ego road coordinate, m. */
  s = 0;
  /** Ego lateral offset from the lane centre, + to the driver's left, m. */
  offsetM = 0;
  /** Lane width at the ego, m. */
  laneWidthM = 3.75;
  /** Speed limit of the lane at the ego, m/s (NaN when the map has none). */
  speedLimitMps = NaN;
  /** Heading of the lane centre at the ego, in the driving direction, rad. */
  laneHeadingRad = 0;

  constructor(readonly network: RoadNetwork) {}

  /** Find the road and drivable lane under (x, y); false when the point is on no drivable lane. */
  bind(x: number, y: number): boolean {
    let best: Road | undefined, bestLane = 0, bestD = Infinity;
    for (const road of this.network.roads) {
      road.locate(x, y, _pos);
      if (!_pos.inRange || _pos.laneId === undefined || _pos.laneId === 0) continue;
      const lane = road.sections[_pos.sectionIndex]!.lane(_pos.laneId);
      if (!lane?.drivable) continue;
      if (_pos.distanceM < bestD) {
        bestD = _pos.distanceM;
        best = road;
        bestLane = _pos.laneId;
      }
    }
    if (!best) return false;
    this.road = best;
    this.setLane(bestLane);
    return true;
  }

  setLane(laneId: number): void {
    this.laneId = laneId;
    this.direction = laneId < 0 ? 1 : -1;
  }

  /** Update s, the lateral offset, width, limit and heading for the ego at (x, y). */
  locate(x: number, y: number): void {
    const road = this.road!;
    road.locate(x, y, _pos, this.s);
    this.s = _pos.s;
    const i = _pos.sectionIndex;
    const sec = road.sections[i]!;
    const ds = _pos.s - sec.s;
    const lo = road.laneOffsetAt(_pos.s);
    this.offsetM = this.direction * (_pos.t - sec.centerT(this.laneId, ds, lo));
    const lane = sec.lane(this.laneId);
    this.laneWidthM = lane ? lane.widthAt(ds) : this.laneWidthM;
    this.speedLimitMps = road.speedLimitAt(i, this.laneId, _pos.s) ?? NaN;
    road.laneCenterAt(i, this.laneId, _pos.s, _pose);
    this.laneHeadingRad = this.direction > 0 ? _pose.headingRad : _pose.headingRad + Math.PI;
  }

  /**
   * The lane centre `aheadM` along the driving direction from the ego's s
   * (clamped to the road), into `out`; heading in the driving direction.
   * `laneId` defaults to the current lane.
   */
  pointAhead(aheadM: number, out: RoadPose, laneId = this.laneId): RoadPose {
    const road = this.road!;
    const s = Math.min(Math.max(this.s + this.direction * aheadM, 0), road.lengthM);
    road.laneCenterAt(road.sectionIndexAt(s), laneId, s, out);
    if (this.direction < 0) out.headingRad += Math.PI;
    return out;
  }

  /**
   * A world point in the ego's lane frame: `out[0]` the distance ahead of
   * the ego along the road (driving direction), `out[1]` the lateral offset
   * from the ego lane's centre, + to the driver's left.
   */
  relative(x: number, y: number, out: [number, number]): [number, number] {
    const road = this.road!;
    road.locate(x, y, _pos);
    const sec = road.sections[_pos.sectionIndex]!;
    out[0] = this.direction * (_pos.s - this.s);
    out[1] = this.direction * (_pos.t - sec.centerT(this.laneId, _pos.s - sec.s, road.laneOffsetAt(_pos.s)));
    return out;
  }
}

