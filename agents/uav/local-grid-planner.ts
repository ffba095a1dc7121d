/**
 * A short-horizon planner on an occupancy grid built from the drone's own
 * lidar returns (never ground truth): the local-minimum escape of `uav-pilot`.
 *
 * Each replan rasterises the recent obstacle points (world frame, from the
 * drone's own estimate) into a square grid centred on the drone, computes the
 * exact Euclidean distance of every cell to the nearest occupied one
 * (P. F. Felzenszwalb, D. P. Huttenlocher, "Distance transforms of sampled
 * functions", Theory of Computing 8, 2012: two 1D lower-envelope passes), and
 * runs A* (Hart, Nilsson, Raphael 1968) over the 8-connected cells whose
 * clearance exceeds the hard limit, with a step cost that grows as the
 * clearance falls below the preferred one (a soft margin, as the inflation
 * cost of ROS navigation's costmap_2d). Unknown space is free ("freespace
 * assumption", S. Koenig, M. Likhachev, "D* Lite", AAAI 2002): the goal, if
 * outside the grid, is reached through any border cell at the border cell's
 * cost plus its straight-line distance to the goal, which keeps A*'s
 * heuristic admissible and the first border cell popped optimal.
 *
 * The caller follows the path: `lookahead` gives the farthest path point in
 * line of sight within a distance, and the smallest clearance along the path
 * for speed scheduling. Scratch buffers are allocated once per grid size.
 */

import { OCC_LOGODDS, type OccupancyMap2D } from './occupancy-map.ts';

export interface GridPlannerOptions {
  /** Cell size, m. */
  resolutionM: number;
  /** Half-width of the square grid around the drone, m. */
  halfWidthM: number;
}

/** A binary min-heap of cell indices keyed by f. */
class CellHeap {
  private idx: Int32Array;
  private key: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.idx = new Int32Array(capacity);
    this.key = new Float64Array(capacity);
  }
  clear(): void {
    this.size = 0;
  }
  push(i: number, k: number): void {
    if (this.size >= this.idx.length) {
      const ni = new Int32Array(this.idx.length * 2), nk = new Float64Array(this.idx.length * 2);
      ni.set(this.idx);
      nk.set(this.key);
      this.idx = ni;
      this.key = nk;
    }
    let c = this.size++;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (this.key[p]! <= k) break;
      this.idx[c] = this.idx[p]!;
      this.key[c] = this.key[p]!;
      c = p;
    }
    this.idx[c] = i;
    this.key[c] = k;
  }
  /** Pops the index of least key (call only when size > 0). */
  pop(): number {
    const top = this.idx[0]!;
    const n = --this.size;
    if (n > 0) {
      const li = this.idx[n]!, lk = this.key[n]!;
      let c = 0;
      for (;;) {
        let m = 2 * c + 1;
        if (m >= n) break;
        if (m + 1 < n && this.key[m + 1]! < this.key[m]!) m++;
        if (this.key[m]! >= lk) break;
        this.idx[c] = this.idx[m]!;
        this.key[c] = this.key[m]!;
        c = m;
      }
      this.idx[c] = li;
      this.key[c] = lk;
    }
    return top;
  }
}

const SQRT2 = Math.SQRT2;
const NB_DX = [1, -1, 0, 0, 1, 1, -1, -1];
const NB_DY = [0, 0, 1, -1, 1, -1, 1, -1];
const NB_LEN = [1, 1, 1, 1, SQRT2, SQRT2, SQRT2, SQRT2];

export class LocalGridPlanner {
  readonly n: number;
  readonly res: number;
  /** World coordinates of cell (0, 0)'s centre at the last plan. */
  originX = 0;
  originY = 0;
  /** Clearance of each cell to the nearest occupied cell, m (Infinity: none in the grid). */
  readonly clearance: Float64Array;
  private readonly occ: Uint8Array;
  private readonly g: Float64Array;
  private readonly parent: Int32Array;
  private readonly closed: Uint8Array;
  private readonly heap: CellHeap;
  // Distance-transform scratch (one row or column).
  private readonly f1: Float64Array;
  private readonly d1: Float64Array;
  private readonly v1: Int32Array;
  private readonly z1: Float64Array;
  /** The last path, start to end, as world x, y pairs. */
  pathX: Float64Array;
  pathY: Float64Array;
  pathLen = 0;

  constructor(opts: GridPlannerOptions) {
    this.res = opts.resolutionM;
    this.n = 2 * Math.ceil(opts.halfWidthM / opts.resolutionM) + 1;
    const nn = this.n * this.n;
    this.clearance = new Float64Array(nn);
    this.occ = new Uint8Array(nn);
    this.g = new Float64Array(nn);
    this.parent = new Int32Array(nn);
    this.closed = new Uint8Array(nn);
    this.heap = new CellHeap(4096);
    this.f1 = new Float64Array(this.n);
    this.d1 = new Float64Array(this.n);
    this.v1 = new Int32Array(this.n);
    this.z1 = new Float64Array(this.n + 1);
    this.pathX = new Float64Array(nn);
    this.pathY = new Float64Array(nn);
  }

  /** Centres the grid on (x, y), snapped to the cell lattice, and clears it. */
  begin(x: number, y: number): void {
    const half = (this.n - 1) / 2;
    this.originX = (Math.round(x / this.res) - half) * this.res;
    this.originY = (Math.round(y / this.res) - half) * this.res;
    this.occ.fill(0);
  }

  /** Marks the cell holding world point (x, y) occupied (points outside the grid are ignored). */
  mark(x: number, y: number): void {
    const i = Math.round((x - this.originX) / this.res), j = Math.round((y - this.originY) / this.res);
    if (i < 0 || j < 0 || i >= this.n || j >= this.n) return;
    this.occ[j * this.n + i] = 1;
  }

  /** Marks every cell the persistent map holds occupied (the map must share the grid's cell size; both lie on the k * res lattice). */
  markMap(m: OccupancyMap2D): void {
    if (Math.abs(m.res - this.res) > 1e-12) throw new RangeError(`LocalGridPlanner.markMap: map cell ${m.res} m, grid cell ${this.res} m`);
    const n = this.n, oi = Math.round((this.originX - m.originX) / this.res), oj = Math.round((this.originY - m.originY) / this.res);
    const i0 = Math.max(0, -oi), i1 = Math.min(n, m.nx - oi);
    for (let j = 0; j < n; j++) {
      const mj = j + oj;
      if (mj < 0 || mj >= m.ny) continue;
      const row = mj * m.nx + oi;
      for (let i = i0; i < i1; i++) if (m.logOdds[row + i]! > OCC_LOGODDS) this.occ[j * n + i] = 1;
    }
  }

  /** Clearance of every cell to the nearest marked one (exact Euclidean distance transform). */
  computeClearance(): void {
    const n = this.n, c = this.clearance, BIG = 1e20;
    for (let k = 0; k < n * n; k++) c[k] = this.occ[k] ? 0 : BIG;
    for (let i = 0; i < n; i++) this.edt1d(c, i, n, n); // columns (stride n)
    for (let j = 0; j < n; j++) this.edt1d(c, j * n, 1, n); // rows
    const r = this.res;
    for (let k = 0; k < n * n; k++) c[k] = c[k]! >= BIG / 2 ? Infinity : Math.sqrt(c[k]!) * r;
  }

  /** Felzenszwalb-Huttenlocher squared distance transform of one line, in place. */
  private edt1d(a: Float64Array, start: number, stride: number, n: number): void {
    const f = this.f1, d = this.d1, v = this.v1, z = this.z1;
    for (let q = 0; q < n; q++) f[q] = a[start + q * stride]!;
    let k = 0;
    v[0] = 0;
    z[0] = -Infinity;
    z[1] = Infinity;
    for (let q = 1; q < n; q++) {
      let p = v[k]!;
      let s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * q - 2 * p);
      while (s <= z[k]!) {
        k--;
        p = v[k]!;
        s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * q - 2 * p);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Infinity;
    }
    k = 0;
    for (let q = 0; q < n; q++) {
      while (z[k + 1]! < q) k++;
      const p = v[k]!;
      d[q] = (q - p) * (q - p) + f[p]!;
    }
    for (let q = 0; q < n; q++) a[start + q * stride] = d[q]!;
  }

  /** Clearance at world point (x, y), m (Infinity outside the grid or with nothing in it). */
  clearanceAt(x: number, y: number): number {
    const i = Math.round((x - this.originX) / this.res), j = Math.round((y - this.originY) / this.res);
    if (i < 0 || j < 0 || i >= this.n || j >= this.n) return Infinity;
    return this.clearance[j * this.n + i]!;
  }

  /**
   * A* from (sx, sy) to (gx, gy). Cells with clearance below `hardM` are
   * walls (below the start cell's own clearance, when the drone is already
   * that close: it may then only move to cells no worse). Each step costs its
   * length times 1 + softWeight ((softM - c) / (softM - hardM))^2 where the
   * clearance c is below `softM`. Returns false when no path exists; else
   * the path is in pathX/pathY (start first).
   */
  plan(sx: number, sy: number, gx: number, gy: number, hardM: number, softM: number, softWeight: number): boolean {
    const n = this.n, res = this.res, c = this.clearance;
    const si = Math.round((sx - this.originX) / res), sj = Math.round((sy - this.originY) / res);
    const s = sj * n + si;
    const block = Math.min(hardM, c[s]! - 1e-9);
    const gi = Math.round((gx - this.originX) / res), gj = Math.round((gy - this.originY) / res);
    const goalInside = gi >= 0 && gj >= 0 && gi < n && gj < n;
    const goal = goalInside ? gj * n + gi : -1;
    const band = Math.max(softM - hardM, 1e-6);
    this.g.fill(Infinity);
    this.closed.fill(0);
    this.heap.clear();
    // h in cells: straight-line distance to the goal (admissible: every step costs at least its length).
    const h = (i: number, j: number): number => Math.hypot(gx - (this.originX + i * res), gy - (this.originY + j * res)) / res;
    this.g[s] = 0;
    this.parent[s] = -1;
    this.heap.push(s, h(si, sj));
    let end = -1;
    while (this.heap.size > 0) {
      const u = this.heap.pop();
      if (this.closed[u]) continue;
      this.closed[u] = 1;
      const ui = u % n, uj = (u - ui) / n;
      if (u === goal) {
        end = u;
        break;
      }
      // A border cell is an exit into unknown (free) space when the goal lies outside.
      if (!goalInside && (ui === 0 || uj === 0 || ui === n - 1 || uj === n - 1) && u !== s) {
        end = u;
        break;
      }
      const gu = this.g[u]!;
      for (let k = 0; k < 8; k++) {
        const vi = ui + NB_DX[k]!, vj = uj + NB_DY[k]!;
        if (vi < 0 || vj < 0 || vi >= n || vj >= n) continue;
        const v = vj * n + vi;
        if (this.closed[v]) continue;
        const cv = c[v]!;
        if (cv < block) continue;
        const pen = cv < softM ? softWeight * ((softM - cv) / band) ** 2 : 0;
        const gv = gu + NB_LEN[k]! * (1 + pen);
        if (gv < this.g[v]!) {
          this.g[v] = gv;
          this.parent[v] = u;
          this.heap.push(v, gv + h(vi, vj));
        }
      }
    }
    if (end < 0) {
      this.pathLen = 0;
      return false;
    }
    let len = 0;
    for (let u = end; u >= 0; u = this.parent[u]!) len++;
    this.pathLen = len;
    let k = len - 1;
    for (let u = end; u >= 0; u = this.parent[u]!, k--) {
      const ui = u % n;
      this.pathX[k] = this.originX + ui * res;
      this.pathY[k] = this.originY + ((u - ui) / n) * res;
    }
    return true;
  }

  /** True when every cell on the segment from (ax, ay) to (bx, by) has clearance >= minM. */
  lineClear(ax: number, ay: number, bx: number, by: number, minM: number): boolean {
    const d = Math.hypot(bx - ax, by - ay);
    const steps = Math.max(1, Math.ceil(d / (0.5 * this.res)));
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      if (this.clearanceAt(ax + t * (bx - ax), ay + t * (by - ay)) < minM) return false;
    }
    return true;
  }
}
