/**
 * A drone's planned path as drawn (pure, runs in the sim worker): its agent's
 * latest airspace plan, else its waypoints.
 */

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

