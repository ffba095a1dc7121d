/**
 * The planned path of each drone, drawn beside its flown trail (issue #6
 * section 8). Two sources, read from the agent without changing it:
 * - uav-pilot with airspace: its latest airspace route (`plans`, public "for
 *   tests and views": a 2D polyline, local ENU m), drawn at the height of the
 *   leg it serves (the leg's waypoint; the return: the drone's height when the
 *   plan was made);
 * - otherwise, an agent with `p.waypoints` (straight-line, uav-pilot without
 *   a route yet): the mission's waypoints joined by straight lines.
 * A dashed line. Only in scenarios with airspace (where the plan is what the
 * zones are judged against); other views are left as they were.
 */
import * as THREE from 'three';
import type { World } from '../sim/world.ts';
import { airspaceOf } from '../uav/airspace/service.ts';

const PATH_COLOR = '#7fe3ff';
const PATH_OPACITY = 0.85;
const DASH_M = 2;
const GAP_M = 1.2;

/** What this view reads of an agent (duck-typed: any agent may have neither). */
export interface PlanSource {
  readonly p?: { readonly waypoints?: readonly (readonly number[])[] };
  readonly plans?: readonly { readonly t: number; readonly path: readonly (readonly [number, number])[]; readonly leg: number }[];
}

/**
 * The polyline to draw for an agent, world m: its latest airspace plan at its
 * leg's height (`hereZ` for the return), else its waypoints; null if neither.
 */
export function plannedPolyline(agent: PlanSource, hereZ: number): [number, number, number][] | null {
  const plans = agent.plans;
  const wps = agent.p?.waypoints;
  if (plans && plans.length > 0) {
    const last = plans[plans.length - 1]!;
    const z = last.leg >= 0 && wps?.[last.leg] ? wps[last.leg]![2]! : hereZ;
    return last.path.map((q) => [q[0], q[1], z]);
  }
  if (wps && wps.length > 0 && wps.every((w) => w.length >= 3)) return wps.map((w) => [w[0]!, w[1]!, w[2]!]);
  return null;
}

interface PathLook {
  id: string;
  agent: PlanSource;
  line: THREE.Line | null;
  /** Plans seen when the line was last built (-1: waypoints or nothing yet). */
  plans: number;
}

export class PlannedPathView {
  readonly group = new THREE.Group();
  private looks: PathLook[] = [];
  private world: World | null = null;
  private readonly material = new THREE.LineDashedMaterial({ color: PATH_COLOR, transparent: true, opacity: PATH_OPACITY, dashSize: DASH_M, gapSize: GAP_M });

  constructor() {
    this.group.name = 'planned-paths';
  }

  /** Drones with a planned path drawn. */
  get count(): number {
    return this.looks.filter((l) => l.line !== null).length;
  }

  set visible(on: boolean) {
    this.group.visible = on;
  }

  attach(world: World): void {
    this.clear();
    if (!airspaceOf(world)) return;
    this.world = world;
    for (const a of world.actors()) {
      if (a.descriptor.kind !== 'uav') continue;
      const agent = world.agentOf(a.descriptor.id) as PlanSource | undefined;
      if (!agent) continue;
      this.looks.push({ id: a.descriptor.id, agent, line: null, plans: -2 });
    }
    this.update();
  }

  /** Rebuild a drone's line when its agent made a new plan; returns whether anything changed. */
  update(): boolean {
    const w = this.world;
    if (!w) return false;
    let changed = false;
    for (const l of this.looks) {
      const n = l.agent.plans?.length ?? -1;
      if (n === l.plans) continue;
      l.plans = n;
      const pts = plannedPolyline(l.agent, w.stateOf(l.id).position[2]);
      if (l.line) {
        this.group.remove(l.line);
        l.line.geometry.dispose();
        l.line = null;
      }
      if (pts && pts.length >= 2) {
        l.line = new THREE.Line(new THREE.BufferGeometry().setFromPoints(pts.map((p) => new THREE.Vector3(p[0], p[1], p[2]))), this.material);
        l.line.computeLineDistances();
        this.group.add(l.line);
      }
      changed = true;
    }
    return changed;
  }

  clear(): void {
    for (const l of this.looks) l.line?.geometry.dispose();
    this.group.clear();
    this.looks = [];
    this.world = null;
  }
}
