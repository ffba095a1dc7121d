/**
 * The speed the route allows ahead: at every path sample the lane's limit
 * (less a margin) and the curve bound v = sqrt(a_lat / |kappa|), each
 * reachable from the ego's position by braking at `decelMps2` over the
 * distance to it: v_target = min_j sqrt(v_j^2 + 2 b d_j) (the braking
 * parabola every speed planner puts under a speed limit ahead, e.g. Apollo's
 * speed bounds). The caller tracks v_target with its cruise law and adds the
 * planned deceleration as feed-forward while a constraint ahead binds.
 */
import type { RouteFrame } from './route-frame.ts';

export interface SpeedTarget {
  /** Highest speed from which every constraint ahead can still be met at the planned deceleration, m/s. */
  speedMps: number;
  /** True when a constraint ahead (not the one here) sets it: the caller then feeds the planned deceleration forward. */
  aheadBinds: boolean;
}

/** Extra look-ahead beyond the braking distance, m: one more second at 30 m/s. */
const EXTRA_HORIZON_M = 30;

export function routeSpeedTarget(route: RouteFrame, v: number, cap: number, marginMps: number, lateralAccelMps2: number, decelMps2: number, out: SpeedTarget): SpeedTarget {
  const horizon = (v * v) / (2 * decelMps2) + EXTRA_HORIZON_M;
  const i0 = route.egoIndex;
  let best = Infinity;
  let here = Infinity;
  for (let i = i0; i < route.n; i++) {
    const d = route.dist[i]! - route.egoM;
    if (d > horizon) break;
    const lim = route.limits[i]!;
    const k = Math.abs(route.curvatures[i]!);
    const allowed = Math.min(cap, Number.isFinite(lim) ? lim - marginMps : Infinity, k > 1e-6 ? Math.sqrt(lateralAccelMps2 / k) : Infinity);
    if (i === i0) here = allowed;
    const reach = Math.sqrt(allowed * allowed + 2 * decelMps2 * Math.max(d, 0));
    if (reach < best) best = reach;
  }
  out.speedMps = Math.min(best, here);
  out.aheadBinds = best < here;
  return out;
}
