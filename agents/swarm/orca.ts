/**
 * ORCA, optimal reciprocal collision avoidance, in the horizontal plane:
 * J. van den Berg, S. J. Guy, M. Lin, D. Manocha, "Reciprocal n-body
 * collision avoidance", Robotics Research (ISRR 2009), Springer 2011, and
 * its reference implementation RVO2 (UNC, Agent.cpp: computeNewVelocity,
 * linearProgram1/2/3), which this follows step for step, without static
 * obstacles. Each agent takes half the responsibility for avoiding each
 * neighbour: the velocity obstacle for a time horizon tau is cut by a
 * half-plane through the relative velocity's nearest escape, and the new
 * velocity is the one closest to the preferred velocity inside every
 * half-plane and the speed disc (a 2D linear program; when infeasible, the
 * one that violates the half-planes least, linearProgram3).
 *
 * For the `swarm` agent (issue #4 section 6): each UAV feeds its position,
 * velocity and preferred velocity, and flies the result through its flight
 * stack's velocity mode. Radii carry the minimum separation: two agents of
 * radius r keep 2 r between their centres (up to the time step's error,
 * which the margin covers).
 *
 * Defaults follow RVO2's Circle example (neighborDist 15 m, maxNeighbors 10,
 * timeHorizon 10 s) scaled to drones: timeHorizon 5 s at 2-5 m/s looks ~10-25
 * m ahead.
 */

const EPS = 1e-5;

export interface OrcaAgent {
  x: number;
  y: number;
  vx: number;
  vy: number;
  radiusM: number;
  maxSpeedMps: number;
  /** Preferred velocity (towards its goal), m/s. */
  prefVx: number;
  prefVy: number;
}

export interface OrcaParams {
  /** Time horizon of the velocity obstacles, s. */
  timeHorizonS: number;
  /** Neighbours farther than this are ignored, m. */
  neighborDistM: number;
  maxNeighbors: number;
}

export const ORCA_DEFAULTS: Readonly<OrcaParams> = { timeHorizonS: 5, neighborDistM: 15, maxNeighbors: 10 };

interface Line {
  px: number;
  py: number;
  dx: number;
  dy: number;
}

const det = (ax: number, ay: number, bx: number, by: number) => ax * by - ay * bx;

/**
 * New velocities for every agent (into `out` as [vx0, vy0, vx1, ...]), for a
 * control step `dtS` (used only when two agents already overlap).
 */
export function orcaVelocities(agents: readonly OrcaAgent[], p: Readonly<OrcaParams>, dtS: number, out: Float64Array): Float64Array {
  const res = { x: 0, y: 0 };
  for (let i = 0; i < agents.length; i++) {
    orcaVelocity(agents[i]!, agents, p, dtS, res);
    out[2 * i] = res.x;
    out[2 * i + 1] = res.y;
  }
  return out;
}

const _lines: Line[] = [];
const _near: { j: number; d2: number }[] = [];

/**
 * The new velocity of one agent `a` among `others` (which may contain `a`
 * itself: it is skipped by identity), into `res`; returns `res`. This is
 * what each swarm member computes on board, from its neighbours' broadcast
 * states.
 */
export function orcaVelocity(a: Readonly<OrcaAgent>, others: readonly OrcaAgent[], p: Readonly<OrcaParams>, dtS: number, res: { x: number; y: number }): { x: number; y: number } {
  const n = others.length;
  const lines = _lines;
  const near = _near;
  near.length = 0;
  const range2 = p.neighborDistM * p.neighborDistM;
  for (let j = 0; j < n; j++) {
    const b = others[j]!;
    if (b === a) continue;
    const d2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
    if (d2 < range2) near.push({ j, d2 });
  }
  near.sort((u, v) => u.d2 - v.d2 || u.j - v.j);
  if (near.length > p.maxNeighbors) near.length = p.maxNeighbors;
  lines.length = 0;
  const invTau = 1 / p.timeHorizonS;
  for (const { j } of near) {
    const b = others[j]!;
    const rpx = b.x - a.x, rpy = b.y - a.y;
    const rvx = a.vx - b.vx, rvy = a.vy - b.vy;
    const distSq = rpx * rpx + rpy * rpy;
    const R = a.radiusM + b.radiusM;
    const Rsq = R * R;
    let dx: number, dy: number, ux: number, uy: number;
    if (distSq > Rsq) {
      const wx = rvx - invTau * rpx, wy = rvy - invTau * rpy;
      const wLenSq = wx * wx + wy * wy;
      const dot1 = wx * rpx + wy * rpy;
      if (dot1 < 0 && dot1 * dot1 > Rsq * wLenSq) {
        // Project on the cut-off circle.
        const wLen = Math.sqrt(wLenSq);
        const nx = wx / wLen, ny = wy / wLen;
        dx = ny;
        dy = -nx;
        ux = (R * invTau - wLen) * nx;
        uy = (R * invTau - wLen) * ny;
      } else {
        // Project on a leg.
        const leg = Math.sqrt(distSq - Rsq);
        if (det(rpx, rpy, wx, wy) > 0) {
          dx = (rpx * leg - rpy * R) / distSq;
          dy = (rpx * R + rpy * leg) / distSq;
        } else {
          dx = -(rpx * leg + rpy * R) / distSq;
          dy = -(-rpx * R + rpy * leg) / distSq;
        }
        const dot2 = rvx * dx + rvy * dy;
        ux = dot2 * dx - rvx;
        uy = dot2 * dy - rvy;
      }
    } else {
      // Already overlapping: get out within one step.
      const invDt = 1 / dtS;
      const wx = rvx - invDt * rpx, wy = rvy - invDt * rpy;
      const wLen = Math.hypot(wx, wy);
      const nx = wx / wLen, ny = wy / wLen;
      dx = ny;
      dy = -nx;
      ux = (R * invDt - wLen) * nx;
      uy = (R * invDt - wLen) * ny;
    }
    lines.push({ px: a.vx + 0.5 * ux, py: a.vy + 0.5 * uy, dx, dy });
  }
  const fail = linearProgram2(lines, a.maxSpeedMps, a.prefVx, a.prefVy, false, res);
  if (fail < lines.length) linearProgram3(lines, fail, a.maxSpeedMps, res);
  return res;
}

function linearProgram1(lines: readonly Line[], k: number, radius: number, ox: number, oy: number, dirOpt: boolean, res: { x: number; y: number }): boolean {
  const L = lines[k]!;
  const dot = L.px * L.dx + L.py * L.dy;
  const disc = dot * dot + radius * radius - (L.px * L.px + L.py * L.py);
  if (disc < 0) return false;
  const sq = Math.sqrt(disc);
  let tLeft = -dot - sq, tRight = -dot + sq;
  for (let i = 0; i < k; i++) {
    const M = lines[i]!;
    const denom = det(L.dx, L.dy, M.dx, M.dy);
    const numer = det(M.dx, M.dy, L.px - M.px, L.py - M.py);
    if (Math.abs(denom) <= EPS) {
      if (numer < 0) return false;
      continue;
    }
    const t = numer / denom;
    if (denom >= 0) tRight = Math.min(tRight, t);
    else tLeft = Math.max(tLeft, t);
    if (tLeft > tRight) return false;
  }
  let t: number;
  if (dirOpt) t = ox * L.dx + oy * L.dy > 0 ? tRight : tLeft;
  else t = Math.min(Math.max(L.dx * (ox - L.px) + L.dy * (oy - L.py), tLeft), tRight);
  res.x = L.px + t * L.dx;
  res.y = L.py + t * L.dy;
  return true;
}

function linearProgram2(lines: readonly Line[], radius: number, ox: number, oy: number, dirOpt: boolean, res: { x: number; y: number }): number {
  if (dirOpt) {
    res.x = ox * radius;
    res.y = oy * radius;
  } else if (ox * ox + oy * oy > radius * radius) {
    const l = Math.hypot(ox, oy);
    res.x = (ox / l) * radius;
    res.y = (oy / l) * radius;
  } else {
    res.x = ox;
    res.y = oy;
  }
  for (let i = 0; i < lines.length; i++) {
    const L = lines[i]!;
    if (det(L.dx, L.dy, L.px - res.x, L.py - res.y) > 0) {
      const tx = res.x, ty = res.y;
      if (!linearProgram1(lines, i, radius, ox, oy, dirOpt, res)) {
        res.x = tx;
        res.y = ty;
        return i;
      }
    }
  }
  return lines.length;
}

function linearProgram3(lines: readonly Line[], begin: number, radius: number, res: { x: number; y: number }): void {
  let distance = 0;
  const proj: Line[] = [];
  for (let i = begin; i < lines.length; i++) {
    const L = lines[i]!;
    if (det(L.dx, L.dy, L.px - res.x, L.py - res.y) <= distance) continue;
    proj.length = 0;
    for (let j = 0; j < i; j++) {
      const M = lines[j]!;
      const d = det(L.dx, L.dy, M.dx, M.dy);
      let px: number, py: number;
      if (Math.abs(d) <= EPS) {
        if (L.dx * M.dx + L.dy * M.dy > 0) continue;
        px = 0.5 * (L.px + M.px);
        py = 0.5 * (L.py + M.py);
      } else {
        const t = det(M.dx, M.dy, L.px - M.px, L.py - M.py) / d;
        px = L.px + t * L.dx;
        py = L.py + t * L.dy;
      }
      const ddx = M.dx - L.dx, ddy = M.dy - L.dy, dl = Math.hypot(ddx, ddy);
      proj.push({ px, py, dx: ddx / dl, dy: ddy / dl });
    }
    const tx = res.x, ty = res.y;
    if (linearProgram2(proj, radius, -L.dy, L.dx, true, res) < proj.length) {
      // Cannot happen in principle (the result lies in the feasible region of this LP); keep the last one.
      res.x = tx;
      res.y = ty;
    }
    distance = det(L.dx, L.dy, L.px - res.x, L.py - res.y);
  }
}
