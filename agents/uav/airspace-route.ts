/**
 * What `uav-pilot` needs of the airspace (issue #6 section 4), apart from
 * the flying: which zones matter to a leg flown in a given altitude band at a
 * given moment, how they enter the plan (go round, fly below, fly through),
 * the route round them (uav/airspace/planner.ts: visibility graph over the
 * buffered polygons and Dijkstra, as PX4's geofence avoidance and
 * ArduPilot's OADijkstra do), the nearest point outside them (to leave a zone
 * that switched on around the drone, or to stop at the boundary of a zone
 * that holds the destination), and a pure-pursuit follower of the route.
 *
 * Heights. The agent flies in the world frame (z up from the ground plane
 * at the origin); a zone's limits are AMSL (uav/airspace/zone.ts). The world
 * frame's z = 0 is the ground at the origin, so a height z is
 * `groundAmslM(0, 0) + z` AMSL (the knowledge's ground height at the origin
 * is the scenario origin's altitude; AirspaceKnowledge).
 *
 * Everything here runs once per plan or once per agent tick over the few
 * zones of a scenario; it allocates (plans are rare, the per-tick relevance
 * key is a short string compared with the last one).
 */
import type { AirspaceKnowledge } from '../../uav/airspace/knowledge.ts';
import { bufferFences, planPath } from '../../uav/airspace/planner.ts';
import { circleToPolygon, pointInPolygon, type Polygon, type Vec2 } from '../../uav/airspace/polygon.ts';
import { limitAmslM, type RestrictionClass, type VolumeDescriptor } from '../../uav/airspace/zone.ts';

/** How a zone enters a plan. */
export type ZoneTreatment = 'avoid' | 'below' | 'through';

/** Sides of the polygon a circle becomes (circumscribed: safe for an exclusion; polygon.ts circleToPolygon). */
const CIRCLE_SEGMENTS = 32;
/** Candidate exits within this of the nearest count as equally near, m (Skylane choice: a few per cent of a typical buffer). */
const TIE_M = 0.5;

/** A relevant zone volume in the plane, with how it is treated. */
export interface RelevantVolume {
  zone: number;
  volume: number;
  treatment: ZoneTreatment;
  /** The volume's horizontal outline (a circle as a circumscribed polygon). */
  polygon: Polygon;
  /** For 'below': the cap, world z, m (the volume's floor). */
  capZ: number;
}

export interface RelevanceQuery {
  /** Lowest and highest world z the leg is flown at, m (the vertical margin is added here). */
  loZ: number;
  hiZ: number;
  /** Vertical clearance kept from a zone's floor or ceiling, m. */
  verticalMarginM: number;
  /** Zone ids the mission is authorised to enter (REQ_AUTHORISATION). */
  authorisations: readonly string[];
  /** A cap lower than this (world z) cannot be flown below: the zone is gone round instead, m. */
  minCruiseZ: number;
  /**
   * Simulation time the leg is expected to end by, s (default: now only). A
   * zone inactive now whose published schedule (Zone.isActive on the UTC
   * instant) switches it on before then counts too, so the route avoids a
   * zone that will be active when the drone gets there. Only the schedule is
   * foreseen: a zone whose activity now differs from its schedule is under a
   * timeline override (a restriction announced in flight), which no one can
   * foresee; it counts only once active.
   */
  untilS?: number;
}

/** Step of the schedule look-ahead, s (Skylane choice: far shorter than any published window). */
const SCHEDULE_STEP_S = 5;

/** Whether zone i is active at t or, by its published schedule, at some time up to untilS. */
export function activeNowOrScheduled(k: AirspaceKnowledge, i: number, t: number, untilS = t): boolean {
  if (k.isActive(i, t)) return true;
  const z = k.zones[i]!;
  if (z.descriptor.applicability.kind !== 'periods' || z.isActive(k.utcMsAt(t))) return false; // overridden now: not foreseeable
  for (let s = t + SCHEDULE_STEP_S; s < untilS; s += SCHEDULE_STEP_S) if (z.isActive(k.utcMsAt(s))) return true;
  return untilS > t && z.isActive(k.utcMsAt(untilS));
}

/** The outline of a volume as a polygon, local ENU m. */
export function outlineOf(v: VolumeDescriptor): Polygon {
  const s = v.shape;
  if (s.kind !== 'circle') return s.vertices;
  // Cached per volume: the relevance check runs every agent tick.
  let poly = _outlines.get(v);
  if (!poly) _outlines.set(v, (poly = circleToPolygon(s.centre, s.radiusM, CIRCLE_SEGMENTS)));
  return poly;
}

const _outlines = new WeakMap<VolumeDescriptor, Polygon>();

/** A point of the volume's outline, where its AGL limits are evaluated (exact over flat ground). */
function anchorOf(v: VolumeDescriptor): Vec2 {
  return v.shape.kind === 'circle' ? v.shape.centre : v.shape.vertices[0]!;
}

/** The volume's floor and ceiling in world z, m (ceiling +Infinity without one). */
export function volumeBandZ(k: AirspaceKnowledge, v: VolumeDescriptor): [number, number] {
  const origin = k.groundAmslM(0, 0), [e, n] = anchorOf(v);
  const ground = (x: number, y: number) => k.groundAmslM(x, y);
  const lo = limitAmslM(v.lower, e, n, ground) - origin;
  const hi = v.upper === null ? Infinity : limitAmslM(v.upper, e, n, ground) - origin;
  return [lo, hi];
}

/** How a zone of this class is treated, with or without the authorisation. */
export function treatmentOf(restriction: RestrictionClass, authorised: boolean): ZoneTreatment {
  switch (restriction) {
    case 'PROHIBITED': return 'avoid';
    case 'REQ_AUTHORISATION': return authorised ? 'through' : 'avoid';
    case 'ALTITUDE_CAP': return 'below';
    default: return 'through'; // WARNING, CONDITIONAL, NO_RESTRICTION: flight allowed (noted by the caller)
  }
}

/**
 * The zone volumes that matter at simulation time `t` to a leg flown between
 * `loZ` and `hiZ`: active (or scheduled to be before `untilS`), and with a vertical band that overlaps the leg's
 * band widened by the vertical margin. A cap too low to fly under
 * (`minCruiseZ`) turns into 'avoid'.
 */
export function relevantVolumes(k: AirspaceKnowledge, t: number, q: RelevanceQuery): RelevantVolume[] {
  const out: RelevantVolume[] = [];
  k.zones.forEach((z, i) => {
    if (!activeNowOrScheduled(k, i, t, q.untilS)) return;
    const cls = treatmentOf(z.restriction, q.authorisations.includes(z.id));
    z.volumes.forEach((v, j) => {
      const [lo, hi] = volumeBandZ(k, v);
      if (lo > q.hiZ + q.verticalMarginM || hi < q.loZ - q.verticalMarginM) return;
      let treatment = cls;
      if (treatment === 'below' && lo - q.verticalMarginM < q.minCruiseZ) treatment = 'avoid';
      out.push({ zone: i, volume: j, treatment, polygon: outlineOf(v), capZ: lo });
    });
  });
  return out;
}

/** A key that changes when the set of relevant volumes or their treatment does (the re-plan trigger). */
export function relevanceKey(vs: readonly RelevantVolume[]): string {
  return vs.map((v) => `${v.zone}.${v.volume}${v.treatment[0]}`).join(',');
}

/** Whether (e, n) lies within `marginM` of, or inside, any polygon (horizontal). */
export function nearOrInside(polys: readonly Polygon[], marginM: number, p: Vec2): boolean {
  const f = bufferFences(polys, undefined, marginM);
  return f.obstacles.some((o) => pointInPolygon(p, o) === 'inside');
}

/** The point of segment a-b nearest p. */
function project(p: Vec2, a: Vec2, b: Vec2): Vec2 {
  const dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
  const s = l2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2)) : 0;
  return [a[0] + s * dx, a[1] + s * dy];
}

/**
 * The nearest point to p that lies outside every polygon buffered by
 * `marginM` (strictly, by a further `slackM`, so the planner accepts it as
 * an end point): p itself when it is already clear. Candidates are p's
 * projections onto the edges of the polygons buffered by margin + slack;
 * among those within TIE_M of the nearest, the one nearest `towards` wins
 * (a destination at a circle's centre has a whole ring of nearest points:
 * stop on the side the drone comes from). Undefined when no candidate is
 * clear (an enclosed pocket).
 */
export function nearestClearPoint(p: Vec2, polys: readonly Polygon[], marginM: number, towards?: Vec2, slackM = 0.2): Vec2 | undefined {
  if (polys.length === 0) return p;
  const hard = bufferFences(polys, undefined, marginM).obstacles;
  const clear = (x: Vec2) => !polys.some((o) => pointInPolygon(x, o) !== 'outside') && !hard.some((o) => pointInPolygon(x, o) !== 'outside');
  if (clear(p)) return p;
  const cands: { c: Vec2; d: number }[] = [];
  for (const o of bufferFences(polys, undefined, marginM + slackM).obstacles) {
    for (let i = 0; i < o.length; i++) {
      const c = project(p, o[i]!, o[(i + 1) % o.length]!);
      if (clear(c)) cands.push({ c, d: Math.hypot(c[0] - p[0], c[1] - p[1]) });
    }
  }
  if (cands.length === 0) return undefined;
  const dMin = Math.min(...cands.map((x) => x.d));
  let best: Vec2 | undefined, bestT = Infinity;
  for (const { c, d } of cands) {
    if (d > dMin + TIE_M) continue;
    const t = towards ? Math.hypot(c[0] - towards[0], c[1] - towards[1]) : d;
    if (t < bestT) {
      bestT = t;
      best = c;
    }
  }
  return best;
}

export type RoutePlan =
  | {
    ok: true;
    /** From the start (or the nearest clear point to it, first) to the destination or the nearest clear point to it. */
    path: Vec2[];
    /** The start was within the margin (or inside): the path leaves by the nearest clear point first. */
    leftZone: boolean;
    /** The destination was within the margin (or inside): the path ends at the nearest clear point to it. */
    truncated: boolean;
  }
  | { ok: false; detail: string };

/**
 * The route from start to destination round `polys`, keeping `marginM` from
 * each: the planner's shortest path, preceded by the way out when the start
 * is within the margin and ending at the boundary when the destination is.
 */
export function planRoute(start: Vec2, destination: Vec2, polys: readonly Polygon[], marginM: number): RoutePlan {
  const s = nearestClearPoint(start, polys, marginM, destination);
  const d = nearestClearPoint(destination, polys, marginM, start);
  if (!s) return { ok: false, detail: `no clear point near the start (${start[0].toFixed(1)}, ${start[1].toFixed(1)})` };
  if (!d) return { ok: false, detail: `no clear point near the destination (${destination[0].toFixed(1)}, ${destination[1].toFixed(1)})` };
  const r = planPath({ start: s, destination: d, exclusions: polys, marginM });
  if (!r.ok) return { ok: false, detail: r.detail };
  const leftZone = s !== start, truncated = d !== destination;
  return { ok: true, path: leftZone ? [start, ...r.path] : r.path, leftZone, truncated };
}

/**
 * Pure pursuit along a polyline: the carrot is `lookaheadM` further along
 * the route than the drone's projection onto it; the segment index only
 * moves forward. Corner cutting is bounded by half the lookahead (the chord
 * to the carrot), which the plan's margin allows for (uav-pilot).
 */
export class RouteFollower {
  private seg = 0;
  /** The carrot, local ENU m. */
  readonly carrot: [number, number] = [0, 0];
  /** Route length left from the drone's projection to the end, m. */
  remainingM = 0;

  constructor(readonly path: readonly Vec2[], readonly lookaheadM: number) {}

  /** Advance along the route from the drone's position (e, n); sets the carrot and the distance left. */
  update(e: number, n: number): void {
    const P = this.path;
    if (P.length === 1) {
      this.carrot[0] = P[0]![0];
      this.carrot[1] = P[0]![1];
      this.remainingM = Math.hypot(P[0]![0] - e, P[0]![1] - n);
      return;
    }
    // Move to a later segment when the drone's projection onto it is nearer than onto the current one.
    let bestD = Infinity, best = this.seg, proj: Vec2 = P[this.seg]!;
    for (let i = this.seg; i < Math.min(P.length - 1, this.seg + 3); i++) {
      const c = project([e, n], P[i]!, P[i + 1]!);
      const d = Math.hypot(c[0] - e, c[1] - n);
      if (d < bestD - 1e-9) {
        bestD = d;
        best = i;
        proj = c;
      }
    }
    this.seg = best;
    let left = this.lookaheadM, x = proj, i = best, found = false;
    this.remainingM = 0;
    for (let j = best; j < P.length - 1; j++) {
      const a = j === best ? proj : P[j]!, b = P[j + 1]!;
      this.remainingM += Math.hypot(b[0] - a[0], b[1] - a[1]);
    }
    while (!found && i < P.length - 1) {
      const b = P[i + 1]!, l = Math.hypot(b[0] - x[0], b[1] - x[1]);
      if (l >= left) {
        const s = l > 0 ? left / l : 0;
        x = [x[0] + s * (b[0] - x[0]), x[1] + s * (b[1] - x[1])];
        found = true;
      } else {
        left -= l;
        x = b;
        i++;
      }
    }
    this.carrot[0] = x[0];
    this.carrot[1] = x[1];
  }
}

/** The airspace buffer is never smaller than this, m (issue #6). */
export const MIN_AIRSPACE_BUFFER_M = 5;

/**
 * The horizontal safety buffer round a zone, m: the stopping distance at the
 * cruise speed (the reaction time times the speed, plus v^2 / 2a) plus the
 * position error allowed for, never under 5 m. uav-pilot and the swarm member
 * use the same rule.
 */
export function airspaceBufferM(cruiseSpeedMps: number, reactionS: number, brakeMps2: number, positionMarginM: number): number {
  const v = cruiseSpeedMps;
  return Math.max(MIN_AIRSPACE_BUFFER_M, v * reactionS + (v * v) / (2 * brakeMps2) + positionMarginM);
}

