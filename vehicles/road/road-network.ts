/**
 * A road network: roads, junctions, signal controllers, traffic lights, stop
 * lines and crosswalks. Its descriptor is plain data, the shape a procedural
 * builder or an OpenDRIVE importer produces and a scenario serialises.
 * Construction validates every cross-reference and throws one error listing
 * all that fail to resolve.
 */
import type { CrosswalkDescriptor } from './crosswalk.ts';
import type { JunctionDescriptor } from './junction.ts';
import { Road, type ContactPoint, type RoadDescriptor, type RoadLink } from './road.ts';
import { FixedTimeController, type FixedTimeControllerDescriptor } from './signal-controller.ts';
import type { StopLineDescriptor } from './stop-line.ts';
import type { TrafficLightDescriptor } from './traffic-light.ts';

export interface RoadNetworkDescriptor {
  roads: RoadDescriptor[];
  junctions?: JunctionDescriptor[];
  controllers?: FixedTimeControllerDescriptor[];
  trafficLights?: TrafficLightDescriptor[];
  stopLines?: StopLineDescriptor[];
  crosswalks?: CrosswalkDescriptor[];
}

export class RoadNetworkError extends Error {
  override name = 'RoadNetworkError';
  constructor(readonly problems: string[]) {
    super(`road network: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

export class RoadNetwork {
  readonly roads: readonly Road[];
  readonly junctions: readonly JunctionDescriptor[];
  readonly controllers: readonly FixedTimeController[];
  readonly trafficLights: readonly TrafficLightDescriptor[];
  readonly stopLines: readonly StopLineDescriptor[];
  readonly crosswalks: readonly CrosswalkDescriptor[];
  private readonly roadById = new Map<string, Road>();
  private readonly junctionById = new Map<string, JunctionDescriptor>();
  private readonly controllerById = new Map<string, FixedTimeController>();

  constructor(d: RoadNetworkDescriptor) {
    const problems: string[] = [];
    this.roads = d.roads.map((r) => new Road(r));
    this.junctions = d.junctions ?? [];
    this.controllers = (d.controllers ?? []).map((c) => new FixedTimeController(c));
    this.trafficLights = d.trafficLights ?? [];
    this.stopLines = d.stopLines ?? [];
    this.crosswalks = d.crosswalks ?? [];
    for (const r of this.roads) {
      if (this.roadById.has(r.id)) problems.push(`duplicate road id ${r.id}`);
      this.roadById.set(r.id, r);
    }
    for (const j of this.junctions) {
      if (this.junctionById.has(j.id)) problems.push(`duplicate junction id ${j.id}`);
      this.junctionById.set(j.id, j);
    }
    for (const c of this.controllers) {
      if (this.controllerById.has(c.id)) problems.push(`duplicate controller id ${c.id}`);
      this.controllerById.set(c.id, c);
    }
    problems.push(...this.check());
    if (problems.length) throw new RoadNetworkError(problems);
  }

  road(id: string): Road {
    const r = this.roadById.get(id);
    if (!r) throw new RangeError(`road network: no road ${id}`);
    return r;
  }

  hasRoad(id: string): boolean {
    return this.roadById.has(id);
  }

  junction(id: string): JunctionDescriptor {
    const j = this.junctionById.get(id);
    if (!j) throw new RangeError(`road network: no junction ${id}`);
    return j;
  }

  controller(id: string): FixedTimeController {
    const c = this.controllerById.get(id);
    if (!c) throw new RangeError(`road network: no signal controller ${id}`);
    return c;
  }

  descriptor(): RoadNetworkDescriptor {
    return {
      roads: this.roads.map((r) => r.descriptor()),
      junctions: [...this.junctions],
      controllers: this.controllers.map((c) => c.descriptor()),
      trafficLights: [...this.trafficLights],
      stopLines: [...this.stopLines],
      crosswalks: [...this.crosswalks],
    };
  }

  /** Every unresolved reference, as one line each. */
  private check(): string[] {
    const out: string[] = [];
    const laneExists = (roadId: string, contact: ContactPoint, laneId: number): boolean => {
      const r = this.roadById.get(roadId);
      if (!r) return false;
      const sec = r.sections[contact === 'start' ? 0 : r.sections.length - 1]!;
      return laneId !== 0 && sec.lane(laneId) !== undefined;
    };
    const checkLink = (r: Road, link: RoadLink | undefined, end: 'predecessor' | 'successor'): void => {
      if (!link) return;
      const where = `road ${r.id} ${end}`;
      if (link.elementType === 'junction') {
        if (!this.junctionById.has(link.elementId)) out.push(`${where}: no junction ${link.elementId}`);
        return;
      }
      if (!this.roadById.has(link.elementId)) {
        out.push(`${where}: no road ${link.elementId}`);
        return;
      }
      if (!link.contactPoint) {
        out.push(`${where}: a link to road ${link.elementId} needs a contactPoint`);
        return;
      }
      const sec = r.sections[end === 'predecessor' ? 0 : r.sections.length - 1]!;
      for (const lane of [...sec.left, ...sec.right]) {
        const to = end === 'predecessor' ? lane.predecessor : lane.successor;
        if (to !== undefined && !laneExists(link.elementId, link.contactPoint, to)) {
          out.push(`${where}: lane ${lane.id} links to lane ${to}, which road ${link.elementId} does not have at its ${link.contactPoint}`);
        }
      }
    };
    for (const r of this.roads) {
      checkLink(r, r.predecessor, 'predecessor');
      checkLink(r, r.successor, 'successor');
      if (r.junction !== undefined && !this.junctionById.has(r.junction)) out.push(`road ${r.id}: no junction ${r.junction}`);
      // Links between the sections of one road.
      for (let i = 0; i + 1 < r.sections.length; i++) {
        const a = r.sections[i]!;
        const b = r.sections[i + 1]!;
        for (const lane of [...a.left, ...a.right]) {
          if (lane.successor !== undefined && !b.lane(lane.successor)) {
            out.push(`road ${r.id} section ${i} lane ${lane.id}: successor lane ${lane.successor} is not in section ${i + 1}`);
          }
        }
        for (const lane of [...b.left, ...b.right]) {
          if (lane.predecessor !== undefined && !a.lane(lane.predecessor)) {
            out.push(`road ${r.id} section ${i + 1} lane ${lane.id}: predecessor lane ${lane.predecessor} is not in section ${i}`);
          }
        }
      }
    }
    for (const j of this.junctions) {
      for (const c of j.connections) {
        const where = `junction ${j.id} connection ${c.id}`;
        const inc = this.roadById.get(c.incomingRoad);
        const con = this.roadById.get(c.connectingRoad);
        if (!inc) out.push(`${where}: no incoming road ${c.incomingRoad}`);
        if (!con) out.push(`${where}: no connecting road ${c.connectingRoad}`);
        if (!inc || !con) continue;
        const incEnd = incomingEnd(inc, j.id);
        if (!incEnd) out.push(`${where}: incoming road ${inc.id} does not link to junction ${j.id}`);
        for (const ll of c.laneLinks) {
          if (incEnd && !laneExists(inc.id, incEnd, ll.from)) out.push(`${where}: incoming road ${inc.id} has no lane ${ll.from} at its ${incEnd}`);
          if (!laneExists(con.id, c.contactPoint, ll.to)) out.push(`${where}: road ${con.id} has no lane ${ll.to} at its ${c.contactPoint}`);
        }
      }
      for (const id of j.controllers ?? []) if (!this.controllerById.has(id)) out.push(`junction ${j.id}: no controller ${id}`);
    }
    const connectionIds = new Set(this.junctions.flatMap((j) => j.connections.map((c) => c.id)));
    for (const tl of this.trafficLights) {
      const c = this.controllerById.get(tl.controllerId);
      if (!c) out.push(`traffic light ${tl.id}: no controller ${tl.controllerId}`);
      else if (!c.signalGroups.includes(tl.signalGroup)) out.push(`traffic light ${tl.id}: controller ${c.id} has no signal group ${tl.signalGroup}`);
      out.push(...this.checkOnRoad(`traffic light ${tl.id}`, tl.roadId, tl.s, tl.laneIds));
      for (const id of tl.connectionIds) if (!connectionIds.has(id)) out.push(`traffic light ${tl.id}: no junction connection ${id}`);
    }
    const lightIds = new Set(this.trafficLights.map((t) => t.id));
    for (const sl of this.stopLines) {
      out.push(...this.checkOnRoad(`stop line ${sl.id}`, sl.roadId, sl.s, sl.laneIds));
      if (sl.control.kind === 'traffic-light') {
        for (const id of sl.control.trafficLightIds) if (!lightIds.has(id)) out.push(`stop line ${sl.id}: no traffic light ${id}`);
      }
    }
    for (const cw of this.crosswalks) {
      out.push(...this.checkOnRoad(`crosswalk ${cw.id}`, cw.roadId, cw.sStart, []));
      if (!(cw.sEnd > cw.sStart) || !(cw.tMax > cw.tMin)) out.push(`crosswalk ${cw.id}: needs sEnd > sStart and tMax > tMin`);
    }
    return out;
  }

  private checkOnRoad(what: string, roadId: string, s: number, laneIds: number[]): string[] {
    const r = this.roadById.get(roadId);
    if (!r) return [`${what}: no road ${roadId}`];
    if (!(s >= 0 && s <= r.lengthM)) return [`${what}: s=${s} is off road ${roadId} (length ${r.lengthM})`];
    const sec = r.sections[r.sectionIndexAt(s)]!;
    return laneIds.filter((id) => !sec.lane(id) || id === 0).map((id) => `${what}: road ${roadId} has no lane ${id} at s=${s}`);
  }
}

/** The end of `road` that links to junction `junctionId`, if any. */
export function incomingEnd(road: Road, junctionId: string): ContactPoint | undefined {
  if (road.successor?.elementType === 'junction' && road.successor.elementId === junctionId) return 'end';
  if (road.predecessor?.elementType === 'junction' && road.predecessor.elementId === junctionId) return 'start';
  return undefined;
}
