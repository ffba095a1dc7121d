/**
 * A persistent 2D occupancy grid in the world frame, built from the drone's
 * own lidar returns (never ground truth): the memory of `uav-pilot`'s
 * planner when `persistentMap` is on.
 *
 * Each cell holds the log-odds of being occupied (the binary Bayes filter of
 * occupancy grid mapping: H. Moravec, A. Elfes, "High resolution maps from
 * wide angle sonar", ICRA 1985; A. Hornung et al., "OctoMap", Autonomous
 * Robots 34, 2013). A return adds the hit log-odds to its cell; every cell a
 * beam passes through before it reaches its return (ray casting, J.
 * Amanatides, A. Woo, "A fast voxel traversal algorithm for ray tracing",
 * Eurographics 1987) adds the miss log-odds, so a moving drone's stale cells
 * are cleared by the beams that later pass where it was, while a static
 * pillar, hit scan after scan, stays. Values are clamped (OctoMap's clamping
 * keeps the map able to change). The probabilities are EGO-Planner's grid
 * map defaults (ZJU-FAST-Lab ego-planner, plan_env/src/grid_map.cpp:
 * p_hit 0.70, p_miss 0.35, p_min 0.12, p_max 0.97, p_occ 0.80), the planner
 * whose forest this map is made for.
 *
 * Unknown cells (never seen) read free, as the planner's free-space
 * assumption wants (Koenig, Likhachev, "D* Lite", AAAI 2002).
 */

const logit = (p: number): number => Math.log(p / (1 - p));
/** EGO-Planner grid_map.cpp defaults (see the file comment). */
export const HIT_LOGODDS = logit(0.7);
export const MISS_LOGODDS = logit(0.35);
export const MIN_LOGODDS = logit(0.12);
export const MAX_LOGODDS = logit(0.97);
export const OCC_LOGODDS = logit(0.8);

export interface OccupancyMapOptions {
  resolutionM: number;
  /** World bounds the map covers, m (beyond them nothing is remembered). */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export class OccupancyMap2D {
  readonly res: number;
  /** World coordinates of cell (0, 0)'s centre (on the k * res lattice). */
  readonly originX: number;
  readonly originY: number;
  readonly nx: number;
  readonly ny: number;
  readonly logOdds: Float32Array;

  constructor(o: OccupancyMapOptions) {
    if (!(o.resolutionM > 0) || !(o.maxX > o.minX) || !(o.maxY > o.minY)) throw new RangeError('OccupancyMap2D: need resolutionM > 0 and max > min');
    this.res = o.resolutionM;
    this.originX = Math.floor(o.minX / this.res) * this.res;
    this.originY = Math.floor(o.minY / this.res) * this.res;
    this.nx = Math.ceil((o.maxX - this.originX) / this.res) + 1;
    this.ny = Math.ceil((o.maxY - this.originY) / this.res) + 1;
    if (this.nx * this.ny > 16_000_000) throw new RangeError(`OccupancyMap2D: ${this.nx} x ${this.ny} cells is too many (coarser resolution or smaller bounds)`);
    this.logOdds = new Float32Array(this.nx * this.ny);
  }

  clear(): void {
    this.logOdds.fill(0);
  }

  /** Cell index of world (x, y), or -1 outside the map. */
  index(x: number, y: number): number {
    const i = Math.round((x - this.originX) / this.res), j = Math.round((y - this.originY) / this.res);
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return -1;
    return j * this.nx + i;
  }

  occupied(x: number, y: number): boolean {
    const k = this.index(x, y);
    return k >= 0 && this.logOdds[k]! > OCC_LOGODDS;
  }

  /** A return at (x, y). */
  hit(x: number, y: number): void {
    const k = this.index(x, y);
    if (k >= 0) this.logOdds[k] = Math.min(MAX_LOGODDS, this.logOdds[k]! + HIT_LOGODDS);
  }

  /**
   * A beam from (ax, ay) that saw nothing before (bx, by): every cell it
   * crosses gets a miss, the one holding (bx, by) excluded (its return, if
   * any, is `hit`'s business; a beam ending in free space clears up to it).
   * Grid traversal after Amanatides and Woo.
   */
  free(ax: number, ay: number, bx: number, by: number): void {
    const r = this.res;
    let i = Math.round((ax - this.originX) / r), j = Math.round((ay - this.originY) / r);
    const ie = Math.round((bx - this.originX) / r), je = Math.round((by - this.originY) / r);
    const dx = bx - ax, dy = by - ay;
    const si = dx > 0 ? 1 : -1, sj = dy > 0 ? 1 : -1;
    // Parameter t along the segment (0..1) at the next cell boundary in x and in y, and per cell.
    const cx = this.originX + i * r, cy = this.originY + j * r;
    const tdx = dx !== 0 ? Math.abs(r / dx) : Infinity, tdy = dy !== 0 ? Math.abs(r / dy) : Infinity;
    let tx = dx !== 0 ? (cx + (si * r) / 2 - ax) / dx : Infinity;
    let ty = dy !== 0 ? (cy + (sj * r) / 2 - ay) / dy : Infinity;
    const nx = this.nx, ny = this.ny, lo = this.logOdds;
    for (let guard = 0; guard < 100000; guard++) {
      if (i === ie && j === je) return;
      if (i >= 0 && j >= 0 && i < nx && j < ny) {
        const k = j * nx + i;
        lo[k] = Math.max(MIN_LOGODDS, lo[k]! + MISS_LOGODDS);
      }
      if (tx < ty) {
        if (tx > 1) return;
        i += si;
        tx += tdx;
      } else {
        if (ty > 1) return;
        j += sj;
        ty += tdy;
      }
    }
  }
}
