/**
 * Airspace zones: the volumes a UAV must keep out of (or may enter only on
 * conditions), when they apply, and the geometry queries the compliance
 * engine, the planner and the criteria ask of them.
 *
 * A zone is plain data (`ZoneDescriptor`: it validates, serialises and
 * crosses the worker boundary) wrapped by `Zone`, which checks its invariants
 * once and answers the per-tick queries without allocating.
 *
 * Frames and units. Horizontal geometry is in the scenario's local ENU frame
 * (metres east, north of the origin; uav/geo/local-frame.ts does the WGS84
 * conversion at import). Heights are metres above mean sea level: a point at
 * world height z over a scenario origin at `originAltitudeAmslM` is at
 * `originAltitudeAmslM + z` AMSL (as sim/sensors/barometer.ts has it). A limit
 * referenced to AGL is turned into AMSL through a ground height function
 * `groundAmslM(e, n)`; the default is flat ground at 0 m AMSL, where AGL and
 * AMSL coincide.
 *
 * Boundaries. A volume is a closed set: a point exactly on its side, floor or
 * ceiling is inside. The signed horizontal distance is 0 there, negative
 * inside, positive outside.
 *
 * Restriction classes. EUROCAE ED-269's four (PROHIBITED, REQ_AUTHORISATION,
 * CONDITIONAL, NO_RESTRICTION; spelled as in interuss/uas_standards
 * src/uas_standards/eurocae_ed269.py `Restriction`), and two after DJI's GEO
 * zones: WARNING (flight allowed, the pilot is told) and ALTITUDE_CAP (flight
 * allowed below a cap). An ALTITUDE_CAP zone's volume is the forbidden
 * airspace above the cap: its lower limit is the cap (e.g. 120 m AGL) and its
 * upper limit is usually none, so for every class "inside the volume" means
 * "in the zone's airspace".
 *
 * Time. A zone applies permanently, or during any of its periods: a period is
 * a window of instants [start, end) (start inclusive, end exclusive, either
 * end open), optionally narrowed to weekly schedules (days of the week, a UTC
 * start and end time of day, [start, end) again; an end at or before the
 * start runs past midnight into the next day; an end equal to the start is a
 * full 24 h). ED-269's `applicability[]` maps onto this one to one. A dynamic
 * zone (one that appears or disappears mid-flight) is just a window.
 */
import { findDuplicateConsecutiveVertex, findSelfIntersection, segmentDistanceXY } from './polygon.ts';

/** One foot in metres (international foot, exact). */
export const FOOT_M = 0.3048;

/** Feet to metres. */
export function feetToMetres(ft: number): number {
  return ft * FOOT_M;
}

export const RESTRICTION_CLASSES = [
  'PROHIBITED',
  'REQ_AUTHORISATION',
  'CONDITIONAL',
  'NO_RESTRICTION',
  'WARNING',
  'ALTITUDE_CAP',
] as const;
export type RestrictionClass = (typeof RESTRICTION_CLASSES)[number];

/** The classes ED-269 itself defines (the rest are Skylane's DJI-GEO-like additions). */
export const ED269_RESTRICTIONS = ['PROHIBITED', 'REQ_AUTHORISATION', 'CONDITIONAL', 'NO_RESTRICTION'] as const;

export type VerticalReference = 'AGL' | 'AMSL';

export interface VerticalLimit {
  /** Height above the reference surface, m. */
  valueM: number;
  reference: VerticalReference;
}

/** Local ENU east, north, m. */
export type EnuXY = readonly [number, number];

export type HorizontalShape =
  /** A simple polygon (no self-intersection), its vertices in order, not closed (the last is not a copy of the first). */
  | { kind: 'polygon'; vertices: readonly EnuXY[] }
  | { kind: 'circle'; centre: EnuXY; radiusM: number };

export interface VolumeDescriptor {
  shape: HorizontalShape;
  lower: VerticalLimit;
  /** null: no ceiling. */
  upper: VerticalLimit | null;
}

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly schedule: on each of `days`, from `startS` to `endS` seconds after 00:00 UTC. */
export interface WeeklyPeriod {
  days: readonly Weekday[];
  /** Start, s after 00:00 UTC of each listed day, in [0, 86400). Inclusive. */
  startS: number;
  /** End, s after 00:00 UTC, in [0, 86400]. Exclusive. At or before `startS`: the period runs past midnight (equal: 24 h). */
  endS: number;
}

/** One applicability period: a window of instants, optionally narrowed to weekly schedules. */
export interface ApplicabilityPeriod {
  /** UTC epoch ms, inclusive; null: since ever. */
  startMs: number | null;
  /** UTC epoch ms, exclusive; null: for ever. */
  endMs: number | null;
  /** Empty: the whole window. Otherwise active only inside one of these too. */
  schedule: readonly WeeklyPeriod[];
}

export type Applicability = { kind: 'permanent' } | { kind: 'periods'; periods: readonly ApplicabilityPeriod[] };

export interface ZoneDescriptor {
  /** ED-269 identifier (or the importer's stand-in). */
  id: string;
  name?: string;
  restriction: RestrictionClass;
  /** The union of these is the zone's airspace (ED-269 `geometry[]`: e.g. the tiers of a wedding cake). */
  volumes: readonly VolumeDescriptor[];
  applicability: Applicability;
  message?: string;
}

/** Ground height AMSL at a local ENU point, m. */
export type GroundHeightFn = (e: number, n: number) => number;

/** Flat ground at 0 m AMSL: AGL and AMSL coincide. */
export const FLAT_GROUND: GroundHeightFn = () => 0;

/** Vertical margins of a point to a volume; both positive when the point is between floor and ceiling. */
export interface VerticalMargins {
  /** Height above the floor, m (negative: below it). */
  aboveLowerM: number;
  /** Depth below the ceiling, m (negative: above it; +Infinity without a ceiling). */
  belowUpperM: number;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: Monday-based weekday index 3. */
const EPOCH_WEEKDAY = 3;

// ---------------------------------------------------------------------------
// Plane geometry (allocation-free, for the per-tick checks; the import-time checks are polygon.ts's)
// ---------------------------------------------------------------------------

/** Even-odd (crossing number) test; boundary points may go either way, callers treat distance 0 as inside. */
function polygonCrosses(vs: readonly EnuXY[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = vs.length - 1; i < vs.length; j = i++) {
    const xi = vs[i]![0], yi = vs[i]![1], xj = vs[j]![0], yj = vs[j]![1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Signed horizontal distance from (e, n) to the boundary of a shape, m: negative inside, 0 on it, positive outside. */
export function signedHorizontalDistanceM(shape: HorizontalShape, e: number, n: number): number {
  if (shape.kind === 'circle') return Math.hypot(e - shape.centre[0], n - shape.centre[1]) - shape.radiusM;
  const vs = shape.vertices;
  let d = Infinity;
  for (let i = 0, j = vs.length - 1; i < vs.length; j = i++) {
    const s = segmentDistanceXY(e, n, vs[j]![0], vs[j]![1], vs[i]![0], vs[i]![1]);
    if (s < d) d = s;
  }
  if (d === 0) return 0;
  return polygonCrosses(vs, e, n) ? -d : d;
}

// ---------------------------------------------------------------------------
// Volumes
// ---------------------------------------------------------------------------

/** A limit's height AMSL at (e, n), m. */
export function limitAmslM(limit: VerticalLimit, e: number, n: number, groundAmslM: GroundHeightFn): number {
  return limit.reference === 'AGL' ? groundAmslM(e, n) + limit.valueM : limit.valueM;
}

/** Vertical margins of a point at `amslM` over (e, n) to a volume's floor and ceiling, into `out`. */
export function verticalMargins(
  v: VolumeDescriptor,
  e: number,
  n: number,
  amslM: number,
  groundAmslM: GroundHeightFn = FLAT_GROUND,
  out: VerticalMargins = { aboveLowerM: 0, belowUpperM: 0 },
): VerticalMargins {
  out.aboveLowerM = amslM - limitAmslM(v.lower, e, n, groundAmslM);
  out.belowUpperM = v.upper === null ? Infinity : limitAmslM(v.upper, e, n, groundAmslM) - amslM;
  return out;
}

const _vm: VerticalMargins = { aboveLowerM: 0, belowUpperM: 0 };

/** Whether the point is in the volume (closed: the boundary is inside). */
export function volumeContains(v: VolumeDescriptor, e: number, n: number, amslM: number, groundAmslM: GroundHeightFn = FLAT_GROUND): boolean {
  if (signedHorizontalDistanceM(v.shape, e, n) > 0) return false;
  verticalMargins(v, e, n, amslM, groundAmslM, _vm);
  return _vm.aboveLowerM >= 0 && _vm.belowUpperM >= 0;
}

/**
 * Signed distance from the point to the volume, m: negative inside (minus the
 * depth, the distance to the nearest side, floor or ceiling), positive
 * outside. Exact for a right prism (limits at the same height everywhere, as
 * AMSL limits or AGL limits over flat ground are); over uneven ground the
 * vertical part uses the floor and ceiling straight above/below the point.
 */
export function volumeSignedDistanceM(v: VolumeDescriptor, e: number, n: number, amslM: number, groundAmslM: GroundHeightFn = FLAT_GROUND): number {
  const h = signedHorizontalDistanceM(v.shape, e, n);
  verticalMargins(v, e, n, amslM, groundAmslM, _vm);
  // Vertical signed distance to the slab between floor and ceiling.
  const vert = -Math.min(_vm.aboveLowerM, _vm.belowUpperM);
  if (h <= 0 && vert <= 0) return Math.max(h, vert);
  if (h > 0 && vert > 0) return Math.hypot(h, vert);
  return Math.max(h, vert);
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

/** Monday-based weekday index (MON = 0) of a UTC instant. */
export function weekdayIndexUtc(utcMs: number): number {
  const day = Math.floor(utcMs / DAY_MS);
  return (((day + EPOCH_WEEKDAY) % 7) + 7) % 7;
}

/** ms since Monday 00:00 UTC of the instant's week. */
function msOfWeek(utcMs: number): number {
  const day = Math.floor(utcMs / DAY_MS);
  const msOfDay = utcMs - day * DAY_MS;
  return weekdayIndexUtc(utcMs) * DAY_MS + msOfDay;
}

/** Whether a weekly schedule is on at `utcMs`: [start, end) on a listed day, running past midnight when end <= start. */
export function weeklyPeriodActive(p: WeeklyPeriod, utcMs: number): boolean {
  const startMs = p.startS * 1000;
  const endMs = p.endS * 1000;
  const durMs = endMs > startMs ? endMs - startMs : endMs - startMs + DAY_MS;
  const now = msOfWeek(utcMs);
  for (const d of p.days) {
    const since = (((now - (WEEKDAYS.indexOf(d) * DAY_MS + startMs)) % WEEK_MS) + WEEK_MS) % WEEK_MS;
    if (since < durMs) return true;
  }
  return false;
}

/** Whether one applicability period is on at `utcMs`. */
export function periodActive(p: ApplicabilityPeriod, utcMs: number): boolean {
  if (p.startMs !== null && utcMs < p.startMs) return false;
  if (p.endMs !== null && utcMs >= p.endMs) return false;
  if (p.schedule.length === 0) return true;
  for (const s of p.schedule) if (weeklyPeriodActive(s, utcMs)) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Zone
// ---------------------------------------------------------------------------

function assert(ok: boolean, zoneId: string, what: string): asserts ok {
  if (!ok) throw new RangeError(`zone "${zoneId}": ${what}`);
}

function checkLimit(l: VerticalLimit, id: string, where: string): void {
  assert(Number.isFinite(l.valueM), id, `${where} must be a finite height in metres, got ${l.valueM}`);
  assert(l.reference === 'AGL' || l.reference === 'AMSL', id, `${where} reference must be AGL or AMSL, got ${String(l.reference)}`);
}

/** A validated zone and its queries. Hot-path methods allocate nothing. */
export class Zone {
  readonly id: string;
  readonly restriction: RestrictionClass;
  readonly volumes: readonly VolumeDescriptor[];

  constructor(readonly descriptor: Readonly<ZoneDescriptor>) {
    const d = descriptor;
    this.id = d.id;
    this.restriction = d.restriction;
    this.volumes = d.volumes;
    assert(typeof d.id === 'string' && d.id.length > 0, String(d.id), 'id must be a non-empty string');
    assert((RESTRICTION_CLASSES as readonly string[]).includes(d.restriction), d.id, `restriction must be one of ${RESTRICTION_CLASSES.join(', ')}, got ${String(d.restriction)}`);
    assert(d.volumes.length > 0, d.id, 'needs at least one volume');
    d.volumes.forEach((v, i) => {
      const s = v.shape;
      if (s.kind === 'circle') {
        assert(Number.isFinite(s.centre[0]) && Number.isFinite(s.centre[1]), d.id, `volume ${i}: circle centre must be finite`);
        assert(Number.isFinite(s.radiusM) && s.radiusM > 0, d.id, `volume ${i}: circle radius must be a positive finite length, got ${s.radiusM}`);
      } else {
        assert(s.vertices.length >= 3, d.id, `volume ${i}: polygon needs at least 3 vertices, got ${s.vertices.length}`);
        assert(s.vertices.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])), d.id, `volume ${i}: polygon vertices must be finite`);
        assert(findDuplicateConsecutiveVertex(s.vertices) < 0, d.id, `volume ${i}: polygon has duplicate consecutive vertices`);
        assert(findSelfIntersection(s.vertices) === null, d.id, `volume ${i}: polygon intersects itself`);
      }
      checkLimit(v.lower, d.id, `volume ${i}: lower limit`);
      if (v.upper) {
        checkLimit(v.upper, d.id, `volume ${i}: upper limit`);
        if (v.upper.reference === v.lower.reference) {
          assert(v.lower.valueM <= v.upper.valueM, d.id, `volume ${i}: lower limit ${v.lower.valueM} m is above upper limit ${v.upper.valueM} m`);
        }
      }
    });
    const a = d.applicability;
    if (a.kind === 'periods') {
      a.periods.forEach((p, i) => {
        if (p.startMs !== null && p.endMs !== null) assert(p.startMs < p.endMs, d.id, `period ${i}: start must be before end`);
        for (const w of p.schedule) {
          assert(w.days.length > 0 && w.days.every((x) => (WEEKDAYS as readonly string[]).includes(x)), d.id, `period ${i}: schedule days must be from ${WEEKDAYS.join(', ')}`);
          assert(w.startS >= 0 && w.startS < 86_400 && w.endS >= 0 && w.endS <= 86_400, d.id, `period ${i}: schedule times must be within the day`);
        }
      });
    } else {
      assert(a.kind === 'permanent', d.id, 'applicability must be permanent or periods');
    }
  }

  /** Whether the zone applies at the UTC instant (epoch ms). Window starts are inclusive, ends exclusive. */
  isActive(utcMs: number): boolean {
    const a = this.descriptor.applicability;
    if (a.kind === 'permanent') return true;
    for (const p of a.periods) if (periodActive(p, utcMs)) return true;
    return false;
  }

  /** Whether the point (local ENU e, n; height AMSL) is in the zone's airspace (any volume; boundaries inside). Ignores time. */
  contains(e: number, n: number, amslM: number, groundAmslM: GroundHeightFn = FLAT_GROUND): boolean {
    for (const v of this.volumes) if (volumeContains(v, e, n, amslM, groundAmslM)) return true;
    return false;
  }

  /** Signed horizontal distance to the nearest volume's horizontal boundary, m (negative inside one). Ignores height. */
  horizontalDistanceM(e: number, n: number): number {
    let d = Infinity;
    for (const v of this.volumes) {
      const s = signedHorizontalDistanceM(v.shape, e, n);
      if (s < d) d = s;
    }
    return d;
  }

  /**
   * Signed 3D distance to the zone's airspace, m: the minimum over its volumes
   * of `volumeSignedDistanceM` (exact outside; inside, minus the depth in the
   * volume the point is deepest in).
   */
  signedDistanceM(e: number, n: number, amslM: number, groundAmslM: GroundHeightFn = FLAT_GROUND): number {
    let d = Infinity;
    for (const v of this.volumes) {
      const s = volumeSignedDistanceM(v, e, n, amslM, groundAmslM);
      if (s < d) d = s;
    }
    return d;
  }
}
