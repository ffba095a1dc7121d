/**
 * The planned path of each drone, drawn beside its flown trail (issue #6
 * section 8). Two sources, read from the agent without changing it (in the
 * sim worker, web/planned-path-data.ts):
 * - uav-pilot with airspace: its latest airspace route (`plans`, public "for
 *   tests and views": a 2D polyline, local ENU m), drawn at the height of the
 *   leg it serves (the leg's waypoint; the return: the drone's height when the
 *   plan was made);
 * - otherwise, an agent with `p.waypoints` (straight-line, uav-pilot without
 *   a route yet): the mission's waypoints joined by straight lines.
 * A dashed line. Only in scenarios with airspace (where the plan is what the
 * zones are judged against); frames carry a drone's line only when it changed.
 */
import * as THREE from 'three';

export { plannedPolyline, type PlanSource } from './planned-path-data.ts';

const PATH_COLOR = '#7fe3ff';
const PATH_OPACITY = 0.85;
const DASH_M = 2;
const GAP_M = 1.2;

export class PlannedPathView {
  readonly group = new THREE.Group();
  private lines = new Map<string, THREE.Line>();
  private readonly material = new THREE.LineDashedMaterial({ color: PATH_COLOR, transparent: true, opacity: PATH_OPACITY, dashSize: DASH_M, gapSize: GAP_M });

  constructor() {
    this.group.name = 'planned-paths';
  }

  /** Drones with a planned path drawn. */
  get count(): number {
    return this.lines.size;
  }

  set visible(on: boolean) {
    this.group.visible = on;
  }

  /** Replace the lines of the drones in `plans` (null or fewer than 2 points: none); returns whether anything changed. */
  apply(plans: Readonly<Record<string, readonly (readonly [number, number, number])[] | null>>): boolean {
    let changed = false;
    for (const [id, pts] of Object.entries(plans)) {
      const old = this.lines.get(id);
      if (old) {
        this.group.remove(old);
        old.geometry.dispose();
        this.lines.delete(id);
      }
      if (pts && pts.length >= 2) {
        const line = new THREE.Line(new THREE.BufferGeometry().setFromPoints(pts.map((p) => new THREE.Vector3(p[0], p[1], p[2]))), this.material);
        line.computeLineDistances();
        this.lines.set(id, line);
        this.group.add(line);
      }
      changed = true;
    }
    return changed;
  }

  clear(): void {
    for (const l of this.lines.values()) l.geometry.dispose();
    this.group.clear();
    this.lines = new Map();
  }
}
