/**
 * Where a world point lies on a road network: the road, section, lane and
 * road coordinates. Roads overlap inside junctions, so a lookup first tries
 * the road of the previous hit (temporal coherence, as the traffic lane index
 * does) and then every road in network order; the first road whose lane at
 * the point passes `accept` wins. Allocates nothing per lookup.
 */
import type { Lane } from '../../../vehicles/road/lane.ts';
import { newLanePosition, type LanePosition, type Road } from '../../../vehicles/road/road.ts';
import type { RoadNetwork } from '../../../vehicles/road/road-network.ts';

export interface NetworkHit {
  road: Road;
  sectionIndex: number;
  laneId: number;
  lane: Lane;
  s: number;
  t: number;
}

export class NetworkLocator {
  private readonly pos: LanePosition = newLanePosition();
  private readonly hit: NetworkHit;
  private lastRoad = -1;

  constructor(readonly network: RoadNetwork) {
    const r = network.roads[0];
    if (!r) throw new Error('network locator: the network has no roads');
    this.hit = { road: r, sectionIndex: 0, laneId: 0, lane: r.sections[0]!.center, s: 0, t: 0 };
  }

  /** The lane at (x, y) accepted by `accept`, or null. The returned object is reused by the next call. */
  locate(x: number, y: number, accept: (lane: Lane) => boolean = () => true): NetworkHit | null {
    const roads = this.network.roads;
    if (this.lastRoad >= 0 && this.tryRoad(this.lastRoad, x, y, accept)) return this.hit;
    for (let i = 0; i < roads.length; i++) {
      if (i !== this.lastRoad && this.tryRoad(i, x, y, accept)) {
        this.lastRoad = i;
        return this.hit;
      }
    }
    return null;
  }

  private tryRoad(i: number, x: number, y: number, accept: (lane: Lane) => boolean): boolean {
    const road = this.network.roads[i]!;
    const p = road.locate(x, y, this.pos);
    if (p.laneId === undefined || p.laneId === 0) return false;
    const lane = road.sections[p.sectionIndex]!.lane(p.laneId);
    if (!lane || !accept(lane)) return false;
    const h = this.hit;
    h.road = road;
    h.sectionIndex = p.sectionIndex;
    h.laneId = p.laneId;
    h.lane = lane;
    h.s = p.s;
    h.t = p.t;
    return true;
  }
}
