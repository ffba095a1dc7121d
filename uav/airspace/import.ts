/**
 * Airspace files to the zone model (uav/airspace/zone.ts): EUROCAE ED-269
 * JSON, EUROCAE ED-318 GeoJSON and plain GeoJSON, converted from WGS84 to the
 * scenario's local ENU frame through GeographicLib (uav/geo/local-frame.ts).
 *
 * Each importer returns `{ zones, warnings }` or throws one
 * `AirspaceImportError` whose message names the file, the zone (its
 * identifier, or its index when it has none yet), the field path and what was
 * expected:
 *
 *   bad.json: zone "SKY0001": features[0].geometry[0].horizontalProjection.coordinates[0][3]: duplicate consecutive vertex ...
 *
 * Shapes followed (no code taken from them):
 * - ED-269: interuss/uas_standards src/uas_standards/eurocae_ed269.py
 *   (`ED269Schema` = { title, description, features: UASZoneVersion[] };
 *   `UASZoneVersion` with identifier "max length: 7", restriction,
 *   applicability[] of { permanent YES|NO, startDateTime, endDateTime,
 *   schedule[] of { day[], startTime, endTime } }, geometry[] of
 *   { uomDimensions M|FT, lowerLimit, lowerVerticalReference, upperLimit,
 *   upperVerticalReference, horizontalProjection { type Circle|Polygon,
 *   center, radius, coordinates } }; times "HH:mm:ss.SSZ" or "HH:mmZ" with an
 *   offset), and InterUSS's Swiss sample
 *   interuss/monitoring monitoring/uss_qualifier/test_data/che/geoawareness/cis_source_sample_ed269.json
 *   (which lists its zones under `UASZoneList`, calls the schedule
 *   `dailyPeriod`, writes `"lowerLimit": "0"` as a string and
 *   `"upperLimit": null`: the quirks below).
 * - ED-318: the JSON schemas and sample in the same InterUSS folder
 *   (Schema_GeoZoneProperties.json, Schema_LayeredGeoJSON.json,
 *   Schema_GeoJSONGeometries.json, cis_source_sample_ed318.json): a GeoJSON
 *   FeatureCollection; `geometry.layer` { upper, upperReference, lower,
 *   lowerReference, uom m|ft (default m) }; a circle is a Point with
 *   `extent` { subType: "Circle", radius } (radius in metres: `uom` covers
 *   only the layer's limits); `properties.type` is USPACE | PROHIBITED |
 *   REQ_AUTHORIZATION | CONDITIONAL | NO_RESTRICTION (ED-318 spells it with a
 *   Z); `limitedApplicability[]` of { startDateTime, endDateTime, schedule[] };
 *   identifier maxLength 7; the sample's upper limits are 99999 m ("no
 *   ceiling").
 * - Plain GeoJSON (RFC 7946): Polygon / MultiPolygon features whose
 *   `properties` carry restriction, lower, upper, reference (or
 *   lowerReference / upperReference), uom, and optionally an ED-269-shaped
 *   `applicability`.
 *
 * Units: ED-269's `uomDimensions` is taken to apply to every dimension of
 * the volume, the circle radius included (it is the unit of the
 * *dimensions*, not only of the limits). Parsers differ here: Flight
 * Blender's takes the radius as metres whatever the unit; a file in feet
 * with a radius meant in metres would come out 3.3 times too small. Feet are
 * converted with the international foot, 0.3048 m.
 *
 * Quirks tolerated, each with one warning naming file, zone and field:
 * - an identifier longer than the 7 characters ED-269 and ED-318 allow;
 * - a circle centre written [lat, lon] instead of [lon, lat]. Rule: the
 *   centre is swapped when, as written, its latitude is out of [-90, 90] but
 *   swapped it is valid; or when, as written, it lies more than
 *   `SWAP_DETECT_RADIUS_M` (100 km) from the scenario origin and swapped it
 *   lies within that distance. A scenario's zones sit within tens of km of
 *   its origin, and swapping lat and lon moves a point by thousands of km
 *   everywhere except near the lat = lon diagonal, where both readings lie
 *   within 100 km and the centre is read as written. A first value out of
 *   [-180, 180] fits neither reading and is rejected. (The confusion is
 *   real: uas_standards' `CircleOrPolygonType.center` is commented
 *   "Coordinates: lat, lng", while Flight Blender's ED-269 geo-zone parser
 *   (`GeoZoneParser.parse_validate_geozone`) reads center[0] as the
 *   longitude, as GeoJSON order has it);
 * - limits (and radii) given as numeric strings ("120");
 * - a null or missing upper limit, and an upper limit of 99999 or more: no
 *   ceiling;
 * - a null or missing lower limit: the ground (0 m AGL);
 * - an ED-269 file listing its zones under `UASZoneList` instead of
 *   `features`, or its schedule under `dailyPeriod` instead of `schedule`;
 * - the other spelling of REQ_AUTHORISATION / REQ_AUTHORIZATION;
 * - a polygon ring not closed (it is closed), and holes (inner rings; they
 *   are ignored, so the zone grows: the safe side);
 * - a time of day or date-time without a time zone (read as UTC);
 * - an identifier used by two zones (both kept);
 * - a WGS84 (ellipsoidal) vertical reference: turned into AMSL with the
 *   geoid undulation the caller gives (`geoidUndulationM`, warned when it had
 *   to be taken as 0).
 *
 * Rejected: JSON syntax errors, a missing or non-array `features`, wrong
 * types, an unknown restriction, unit or reference, NaN / out-of-range
 * latitude or longitude, polygons with fewer than 3 vertices, duplicate
 * consecutive vertices or self-intersections, a non-positive radius, a lower
 * limit above the upper limit (compared when both use the same reference),
 * malformed dates and times, an empty schedule day list.
 */
import { findDuplicateConsecutiveVertex, findSelfIntersection } from './polygon.ts';
import type { LocalFrame } from '../geo/local-frame.ts';
import {
  ED269_RESTRICTIONS,
  FOOT_M,
  RESTRICTION_CLASSES,
  WEEKDAYS,
  Zone,
  type Applicability,
  type ApplicabilityPeriod,
  type EnuXY,
  type HorizontalShape,
  type RestrictionClass,
  type VerticalLimit,
  type VerticalReference,
  type VolumeDescriptor,
  type WeeklyPeriod,
  type Weekday,
  type ZoneDescriptor,
} from './zone.ts';

/** ED-269 and ED-318 identifier length limit (uas_standards eurocae_ed269.py "max length: 7"; ED-318 Schema_GeoZoneProperties.json maxLength 7). */
export const MAX_IDENTIFIER_LENGTH = 7;
/** Upper limits at or above this mean "no ceiling" (ED-318 CHE sample: `"upper" : 99999`). */
export const NO_CEILING_VALUE = 99_999;
/** A circle centre further than this from the origin, whose swap is within it, was written [lat, lon]. */
export const SWAP_DETECT_RADIUS_M = 100_000;

export interface ImportOptions {
  /** The scenario's local frame (its origin): every vertex and centre is converted into it. */
  frame: LocalFrame;
  /** Geoid undulation N at the site (ellipsoid height minus AMSL height), m, for WGS84-referenced limits. Default 0, with a warning. */
  geoidUndulationM?: number;
}

export interface AirspaceImportWarning {
  file: string;
  /** `zone "ID"` or `zone #i`. */
  zone: string;
  fieldPath: string;
  message: string;
  /** One line: file, zone, field path, message. */
  text: string;
}

export interface AirspaceImportResult {
  zones: Zone[];
  warnings: AirspaceImportWarning[];
}

export type AirspaceFormat = 'ed269' | 'ed318' | 'geojson';

export class AirspaceImportError extends Error {
  constructor(
    readonly file: string,
    /** `zone "ID"`, `zone #i`, or '' for a file-level error. */
    readonly zone: string,
    /** Field path such as `features[2].geometry[0].lowerLimit`. */
    readonly fieldPath: string,
    /** What was expected, and what was found. */
    readonly expected: string,
  ) {
    super(`${file}: ${zone ? `${zone}: ` : ''}${fieldPath}: ${expected}`);
    this.name = 'AirspaceImportError';
  }
}

// ---------------------------------------------------------------------------
// Context and small readers
// ---------------------------------------------------------------------------

type Json = unknown;
type Obj = Record<string, Json>;

class Ctx {
  zone = '';
  readonly warnings: AirspaceImportWarning[] = [];
  private wgs84Warned = false;
  constructor(
    readonly file: string,
    readonly opts: ImportOptions,
  ) {}

  fail(path: string, expected: string): never {
    throw new AirspaceImportError(this.file, this.zone, path, expected);
  }

  warn(path: string, message: string): void {
    const text = `${this.file}: ${this.zone ? `${this.zone}: ` : ''}${path}: ${message}`;
    this.warnings.push({ file: this.file, zone: this.zone, fieldPath: path, message, text });
  }

  geoidUndulation(path: string): number {
    const n = this.opts.geoidUndulationM;
    if (n !== undefined) return n;
    if (!this.wgs84Warned) this.warn(path, 'WGS84 (ellipsoidal) height read as AMSL with a geoid undulation of 0 m; pass geoidUndulationM for the site');
    this.wgs84Warned = true;
    return 0;
  }
}

function found(v: Json): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'number') return String(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(c: Ctx, v: Json, path: string, what = 'an object'): Obj {
  if (!isObj(v)) c.fail(path, `expected ${what}, got ${found(v)}`);
  return v;
}

function arr(c: Ctx, v: Json, path: string, what = 'an array'): Json[] {
  if (!Array.isArray(v)) c.fail(path, `expected ${what}, got ${found(v)}`);
  return v;
}

function str(c: Ctx, v: Json, path: string, what = 'a string'): string {
  if (typeof v !== 'string') c.fail(path, `expected ${what}, got ${found(v)}`);
  return v;
}

function oneOf<T extends string>(c: Ctx, v: Json, path: string, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    c.fail(path, `expected one of ${options.map((o) => `"${o}"`).join(', ')}, got ${found(v)}`);
  }
  return v as T;
}

const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A finite number, or a numeric string (with a warning). */
function numberLike(c: Ctx, v: Json, path: string, what: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) c.fail(path, `expected ${what} as a finite number, got ${v}`);
    return v;
  }
  if (typeof v === 'string' && NUMERIC.test(v)) {
    c.warn(path, `${what} given as a string (${JSON.stringify(v)}); read as ${Number(v)}`);
    return Number(v);
  }
  return c.fail(path, `expected ${what} as a number, got ${found(v)}`);
}

function identifierOf(c: Ctx, v: Json, path: string): string {
  const id = str(c, v, path, 'an identifier string');
  if (id.trim().length === 0) c.fail(path, 'expected a non-empty identifier');
  return id;
}

function setZone(c: Ctx, id: string): void {
  c.zone = `zone "${id}"`;
}

function checkIdLength(c: Ctx, id: string, path: string): void {
  if (id.length > MAX_IDENTIFIER_LENGTH) {
    c.warn(path, `identifier "${id}" is ${id.length} characters; the format allows ${MAX_IDENTIFIER_LENGTH}. Kept as is`);
  }
}

// ---------------------------------------------------------------------------
// Positions and shapes
// ---------------------------------------------------------------------------

/** [lon, lat] degrees, checked (extra members such as an altitude are ignored). */
function lonLat(c: Ctx, v: Json, path: string): [number, number] {
  const a = arr(c, v, path, 'a position [longitude, latitude]');
  if (a.length < 2) c.fail(path, `expected a position [longitude, latitude], got ${a.length} number${a.length === 1 ? '' : 's'}`);
  const lon = a[0], lat = a[1];
  if (typeof lon !== 'number' || !Number.isFinite(lon)) c.fail(`${path}[0]`, `expected a longitude in degrees, got ${found(lon)}`);
  if (typeof lat !== 'number' || !Number.isFinite(lat)) c.fail(`${path}[1]`, `expected a latitude in degrees, got ${found(lat)}`);
  return [lon, lat];
}

function checkRange(c: Ctx, p: readonly [number, number], path: string): void {
  if (!(Math.abs(p[0]) <= 180)) c.fail(`${path}[0]`, `expected a longitude in [-180, 180], got ${p[0]}`);
  if (!(Math.abs(p[1]) <= 90)) c.fail(`${path}[1]`, `expected a latitude in [-90, 90], got ${p[1]}`);
}

function toEnu(c: Ctx, lon: number, lat: number): EnuXY {
  const r = c.opts.frame.toEnu({ latDeg: lat, lonDeg: lon, altM: c.opts.frame.origin.altM });
  return [r[0], r[1]];
}

/** A circle centre [lon, lat], detecting [lat, lon] by the rule in the header. */
function circleCentre(c: Ctx, v: Json, path: string): EnuXY {
  const [a, b] = lonLat(c, v, path);
  const asWritten = Math.abs(a) <= 180 && Math.abs(b) <= 90;
  const swappedOk = Math.abs(b) <= 180 && Math.abs(a) <= 90;
  if (!asWritten && swappedOk) {
    c.warn(path, `circle centre [${a}, ${b}] has no valid [longitude, latitude] reading; read as [latitude, longitude] (longitude ${b}, latitude ${a})`);
    return toEnu(c, b, a);
  }
  checkRange(c, [a, b], path);
  if (swappedOk) {
    const p = toEnu(c, a, b), q = toEnu(c, b, a);
    const dp = Math.hypot(p[0], p[1]), dq = Math.hypot(q[0], q[1]);
    if (dp > SWAP_DETECT_RADIUS_M && dq <= SWAP_DETECT_RADIUS_M) {
      c.warn(path, `circle centre [${a}, ${b}] lies ${(dp / 1000).toFixed(0)} km from the scenario origin, but ${(dq / 1000).toFixed(1)} km when read as [latitude, longitude]; read as longitude ${b}, latitude ${a}`);
      return q;
    }
  }
  return toEnu(c, a, b);
}

/** A GeoJSON linear ring (closed, [lon, lat] positions) to a polygon shape in local ENU. */
function ring(c: Ctx, v: Json, path: string): HorizontalShape {
  const positions = arr(c, v, path, 'a ring: an array of [longitude, latitude] positions');
  const pts = positions.map((p, k) => {
    const ll = lonLat(c, p, `${path}[${k}]`);
    checkRange(c, ll, `${path}[${k}]`);
    return ll;
  });
  const closed = pts.length > 1 && pts[0]![0] === pts[pts.length - 1]![0] && pts[0]![1] === pts[pts.length - 1]![1];
  if (closed) pts.pop();
  else if (pts.length >= 3) c.warn(path, 'ring is not closed (its last position differs from its first); closed it');
  if (pts.length < 3) {
    c.fail(path, `expected a polygon of at least 3 vertices (a closed ring of at least 4 positions), got ${pts.length} distinct vertex position${pts.length === 1 ? '' : 's'}`);
  }
  const dup = findDuplicateConsecutiveVertex(pts);
  if (dup >= 0) {
    const next = (dup + 1) % pts.length;
    c.fail(`${path}[${next === 0 ? pts.length : next}]`, `duplicate consecutive vertex: [${pts[dup]![0]}, ${pts[dup]![1]}] repeats position ${dup}`);
  }
  const vertices = pts.map(([lon, lat]) => toEnu(c, lon, lat));
  const x = findSelfIntersection(vertices);
  if (x) {
    const [i, j] = x;
    const n = vertices.length;
    c.fail(path, `expected a simple polygon, but it intersects itself: the edge from position ${i} to ${(i + 1) % n} meets the edge from position ${j} to ${(j + 1) % n}`);
  }
  return { kind: 'polygon', vertices };
}

/** GeoJSON Polygon coordinates (rings): the outer ring; holes ignored with a warning. */
function polygonCoordinates(c: Ctx, v: Json, path: string): HorizontalShape {
  const rings = arr(c, v, path, 'polygon coordinates: an array of rings');
  if (rings.length === 0) c.fail(path, 'expected at least one ring, got none');
  if (rings.length > 1) c.warn(path, `${rings.length - 1} inner ring(s) (holes) ignored: the zone is taken as its outer ring, the safe side`);
  return ring(c, rings[0], `${path}[0]`);
}

function positiveLength(c: Ctx, v: Json, path: string, scale: number): number {
  const r = numberLike(c, v, path, 'a radius') * scale;
  if (!(r > 0)) c.fail(path, `expected a positive radius, got ${r / scale}`);
  return r;
}

// ---------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------

type RefIn = 'AGL' | 'AMSL' | 'WGS84';

function reference(c: Ctx, v: Json, path: string): RefIn {
  return oneOf(c, v, path, ['AGL', 'AMSL', 'WGS84'] as const);
}

function limitOf(c: Ctx, valueM: number, ref: RefIn, refPath: string): VerticalLimit {
  if (ref === 'WGS84') return { valueM: valueM - c.geoidUndulation(refPath), reference: 'AMSL' };
  return { valueM, reference: ref as VerticalReference };
}

function describeLimit(l: VerticalLimit): string {
  return `${+l.valueM.toFixed(3)} m ${l.reference}`;
}

interface RawLimits {
  lower: Json;
  lowerPath: string;
  lowerRef: Json;
  lowerRefPath: string;
  upper: Json;
  upperPath: string;
  upperRef: Json;
  upperRefPath: string;
  scale: number;
}

function limits(c: Ctx, r: RawLimits): { lower: VerticalLimit; upper: VerticalLimit | null } {
  let lowerVal: number;
  if (r.lower === null || r.lower === undefined) {
    c.warn(r.lowerPath, `no lower limit (${found(r.lower)}); taken as the ground, 0 m AGL`);
    lowerVal = 0;
  } else {
    lowerVal = numberLike(c, r.lower, r.lowerPath, 'a lower limit') * r.scale;
  }
  const lowerRef: RefIn = r.lower === null || r.lower === undefined ? 'AGL' : reference(c, r.lowerRef, r.lowerRefPath);
  const lower = limitOf(c, lowerVal, lowerRef, r.lowerRefPath);

  let upper: VerticalLimit | null = null;
  if (r.upper === null || r.upper === undefined) {
    c.warn(r.upperPath, `no upper limit (${found(r.upper)}); the zone has no ceiling`);
  } else {
    const raw = numberLike(c, r.upper, r.upperPath, 'an upper limit');
    if (raw >= NO_CEILING_VALUE) {
      c.warn(r.upperPath, `upper limit ${raw} read as "no ceiling"`);
    } else {
      upper = limitOf(c, raw * r.scale, reference(c, r.upperRef, r.upperRefPath), r.upperRefPath);
    }
  }
  if (upper && upper.reference === lower.reference && lower.valueM > upper.valueM) {
    c.fail(r.lowerPath, `expected the lower limit at or below the upper limit, got lower ${describeLimit(lower)} above upper ${describeLimit(upper)}`);
  }
  return { lower, upper };
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function offsetS(tz: string): number {
  if (tz === 'Z') return 0;
  const sign = tz[0] === '-' ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60);
}

/** ISO 8601 date-time to UTC epoch ms (null / missing: open end). */
function dateTime(c: Ctx, v: Json, path: string): number | null {
  if (v === null || v === undefined) return null;
  const s = str(c, v, path, 'an ISO 8601 date-time such as "2026-07-04T08:00:00Z"');
  const m = DATE_TIME.exec(s.trim());
  if (!m) c.fail(path, `expected an ISO 8601 date-time such as "2026-07-04T08:00:00Z", got ${found(v)}`);
  let tz = m[8];
  if (tz === undefined) {
    c.warn(path, `date-time ${JSON.stringify(s)} has no time zone; read as UTC`);
    tz = 'Z';
  }
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const sec = Number(m[6] ?? 0), frac = Number(m[7] ?? 0);
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec) + Math.round(frac * 1000) - offsetS(tz) * 1000;
  const back = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  if (mo < 1 || mo > 12 || back.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59 || !Number.isFinite(ms)) {
    c.fail(path, `expected a valid calendar date-time, got ${found(v)}`);
  }
  return ms;
}

/** A time of day: seconds after local midnight (0..86400) and the zone offset, s. */
function timeOfDay(c: Ctx, v: Json, path: string): { s: number; offS: number } {
  const s = str(c, v, path, 'a time of day such as "08:00Z" or "08:00:00.00Z"');
  const m = TIME_OF_DAY.exec(s.trim());
  if (!m) c.fail(path, `expected a time of day such as "08:00Z" or "08:00:00.00Z", got ${found(v)}`);
  const h = Number(m[1]), mi = Number(m[2]), sec = Number(m[3] ?? 0) + Number(m[4] ?? 0);
  if (h > 24 || mi > 59 || sec >= 60 || (h === 24 && (mi > 0 || sec > 0))) c.fail(path, `expected a time of day from 00:00 to 24:00, got ${found(v)}`);
  let tz = m[5];
  if (tz === undefined) {
    c.warn(path, `time ${JSON.stringify(s)} has no time zone; read as UTC`);
    tz = 'Z';
  }
  return { s: h * 3600 + mi * 60 + sec, offS: offsetS(tz) };
}

const DAY_S = 86_400;

function weeklyPeriod(c: Ctx, v: Json, path: string): WeeklyPeriod {
  const o = obj(c, v, path, 'a daily period { day, startTime, endTime }');
  const dayList = arr(c, o.day, `${path}.day`, 'a list of days ("MON" ... "SUN", "ANY")');
  if (dayList.length === 0) c.fail(`${path}.day`, 'expected at least one day ("MON" ... "SUN", "ANY"), got an empty list');
  let days: Weekday[] = [];
  dayList.forEach((d, k) => {
    const day = oneOf(c, d, `${path}.day[${k}]`, [...WEEKDAYS, 'ANY'] as const);
    if (day === 'ANY') days = [...WEEKDAYS];
    else if (!days.includes(day)) days.push(day);
  });
  if (o.startEvent !== undefined || o.endEvent !== undefined) {
    c.warn(path, 'daylight events (startEvent / endEvent) are not modelled; the period is taken as the whole day, the safe side');
    return { days, startS: 0, endS: 0 };
  }
  const start = timeOfDay(c, o.startTime, `${path}.startTime`);
  const end = timeOfDay(c, o.endTime, `${path}.endTime`);
  // Both ends to UTC; the period belongs to the day its start falls on (after the offset).
  let startUtc = start.s - start.offS;
  let dur = end.s - end.offS - startUtc;
  dur = ((dur % DAY_S) + DAY_S) % DAY_S;
  if (dur === 0) dur = DAY_S; // equal start and end: a full day
  let shift = 0;
  while (startUtc < 0) { startUtc += DAY_S; shift -= 1; }
  while (startUtc >= DAY_S) { startUtc -= DAY_S; shift += 1; }
  if (shift !== 0) days = days.map((d) => WEEKDAYS[(((WEEKDAYS.indexOf(d) + shift) % 7) + 7) % 7]!);
  const endUtc = dur === DAY_S ? startUtc : (startUtc + dur) % DAY_S;
  return { days, startS: startUtc, endS: endUtc };
}

/** One period of time (ED-269 ApplicableTimePeriod without `permanent`, or ED-318 timePeriod). */
function period(c: Ctx, o: Obj, path: string): ApplicabilityPeriod {
  const startMs = dateTime(c, o.startDateTime, `${path}.startDateTime`);
  const endMs = dateTime(c, o.endDateTime, `${path}.endDateTime`);
  if (startMs !== null && endMs !== null && !(startMs < endMs)) {
    c.fail(`${path}.endDateTime`, `expected endDateTime after startDateTime, got ${String(o.endDateTime)} not after ${String(o.startDateTime)}`);
  }
  let schedRaw = o.schedule;
  let schedPath = `${path}.schedule`;
  if (schedRaw === undefined && o.dailyPeriod !== undefined) {
    c.warn(`${path}.dailyPeriod`, '"dailyPeriod" read as the schedule ("schedule" in ED-269)');
    schedRaw = o.dailyPeriod;
    schedPath = `${path}.dailyPeriod`;
  }
  const schedule: WeeklyPeriod[] = [];
  if (schedRaw !== undefined && schedRaw !== null) {
    arr(c, schedRaw, schedPath, 'a schedule: an array of daily periods').forEach((s, k) => schedule.push(weeklyPeriod(c, s, `${schedPath}[${k}]`)));
  }
  return { startMs, endMs, schedule };
}

function ed269Applicability(c: Ctx, v: Json, path: string): Applicability {
  if (v === undefined || v === null) {
    c.warn(path, `no applicability (${found(v)}); the zone is taken as permanent`);
    return { kind: 'permanent' };
  }
  const list = arr(c, v, path, 'an array of applicable time periods');
  if (list.length === 0) {
    c.warn(path, 'empty applicability; the zone is taken as permanent');
    return { kind: 'permanent' };
  }
  const periods: ApplicabilityPeriod[] = [];
  for (let k = 0; k < list.length; k++) {
    const p = `${path}[${k}]`;
    const o = obj(c, list[k], p, 'a time period { permanent, startDateTime, endDateTime, schedule }');
    const perm = oneOf(c, o.permanent, `${p}.permanent`, ['YES', 'NO'] as const);
    if (perm === 'YES') return { kind: 'permanent' };
    const per = period(c, o, p);
    if (per.startMs === null && per.endMs === null && per.schedule.length === 0) {
      c.warn(p, 'permanent "NO" without dates or a schedule: applies at all times');
    }
    periods.push(per);
  }
  return { kind: 'periods', periods };
}

function ed318Applicability(c: Ctx, v: Json, path: string): Applicability {
  if (v === undefined || v === null) return { kind: 'permanent' };
  const list = arr(c, v, path, 'an array of time periods');
  if (list.length === 0) return { kind: 'permanent' };
  return { kind: 'periods', periods: list.map((x, k) => period(c, obj(c, x, `${path}[${k}]`, 'a time period'), `${path}[${k}]`)) };
}

// ---------------------------------------------------------------------------
// Restriction classes
// ---------------------------------------------------------------------------

function restrictionOf(c: Ctx, v: Json, path: string, allowed: readonly RestrictionClass[]): RestrictionClass {
  if (v === 'REQ_AUTHORIZATION') {
    // ED-318's spelling: a quirk in an ED-269 file, an accepted alias in plain GeoJSON.
    if (allowed === ED269_RESTRICTIONS) c.warn(path, '"REQ_AUTHORIZATION" (the ED-318 spelling) read as ED-269\'s "REQ_AUTHORISATION"');
    return 'REQ_AUTHORISATION';
  }
  return oneOf(c, v, path, allowed);
}

// ---------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------

function parseJson(c: Ctx, text: string): Json {
  if (text.trim() === '') c.fail('(JSON)', 'expected a JSON document, got an empty file');
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg);
    let where = '';
    if (pos && !/line \d+/.test(msg)) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    }
    return c.fail('(JSON)', `expected valid JSON: ${msg}${where}`);
  }
}

function finishZone(c: Ctx, d: ZoneDescriptor, path: string): Zone {
  try {
    return new Zone(d);
  } catch (err) {
    // The checks above should have caught everything; this keeps a bug from surfacing as a stack trace.
    return c.fail(path, err instanceof Error ? err.message : String(err));
  }
}

function ed269Volume(c: Ctx, v: Json, path: string): VolumeDescriptor {
  const g = obj(c, v, path, 'an airspace volume { uomDimensions, lowerLimit, upperLimit, ..., horizontalProjection }');
  const uom = oneOf(c, g.uomDimensions, `${path}.uomDimensions`, ['M', 'FT'] as const);
  const scale = uom === 'FT' ? FOOT_M : 1;
  const hp = obj(c, g.horizontalProjection, `${path}.horizontalProjection`, 'a horizontal projection { type: "Circle" | "Polygon", ... }');
  const type = oneOf(c, hp.type, `${path}.horizontalProjection.type`, ['Circle', 'Polygon'] as const);
  let shape: HorizontalShape;
  if (type === 'Circle') {
    const centre = circleCentre(c, hp.center, `${path}.horizontalProjection.center`);
    shape = { kind: 'circle', centre, radiusM: positiveLength(c, hp.radius, `${path}.horizontalProjection.radius`, scale) };
  } else {
    shape = polygonCoordinates(c, hp.coordinates, `${path}.horizontalProjection.coordinates`);
  }
  const { lower, upper } = limits(c, {
    lower: g.lowerLimit, lowerPath: `${path}.lowerLimit`, lowerRef: g.lowerVerticalReference, lowerRefPath: `${path}.lowerVerticalReference`,
    upper: g.upperLimit, upperPath: `${path}.upperLimit`, upperRef: g.upperVerticalReference, upperRefPath: `${path}.upperVerticalReference`,
    scale
  });
  return { shape, lower, upper };
}

function ed269(c: Ctx, doc: Json): Zone[] {
  const root = obj(c, doc, '(root)', 'an ED-269 document { features: [...] }');
  let key = 'features';
  let list = root.features;
  if (list === undefined && root.UASZoneList !== undefined) {
    c.warn('UASZoneList', 'zones listed under "UASZoneList"; read as "features"');
    key = 'UASZoneList';
    list = root.UASZoneList;
  }
  const features = arr(c, list, key, 'an array of UAS zones (ED-269 UASZoneVersion)');
  const zones: Zone[] = [];
  features.forEach((f, i) => {
    const path = `${key}[${i}]`;
    c.zone = `zone #${i}`;
    const o = obj(c, f, path, 'a UAS zone (ED-269 UASZoneVersion)');
    const id = identifierOf(c, o.identifier, `${path}.identifier`);
    setZone(c, id);
    checkIdLength(c, id, `${path}.identifier`);
    const restriction = restrictionOf(c, o.restriction, `${path}.restriction`, ED269_RESTRICTIONS);
    const applicability = ed269Applicability(c, o.applicability, `${path}.applicability`);
    const geoms = arr(c, o.geometry, `${path}.geometry`, 'an array of airspace volumes');
    if (geoms.length === 0) c.fail(`${path}.geometry`, 'expected at least one airspace volume, got none');
    const volumes = geoms.map((g, k) => ed269Volume(c, g, `${path}.geometry[${k}]`));
    const d: ZoneDescriptor = { id, restriction, volumes, applicability };
    if (typeof o.name === 'string') d.name = o.name;
    if (typeof o.message === 'string') d.message = o.message;
    zones.push(finishZone(c, d, path));
  });
  c.zone = '';
  return zones;
}

/** ED-318's localised texts: the English one, else the first. */
function text318(v: Json): string | undefined {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) return undefined;
  const items = v.filter(isObj);
  const en = items.find((t) => typeof t.lang === 'string' && t.lang.startsWith('en'));
  const t = (en ?? items[0])?.text;
  return typeof t === 'string' ? t : undefined;
}

function layerVolume(c: Ctx, shape: HorizontalShape, layerV: Json, path: string): VolumeDescriptor {
  const layer = obj(c, layerV, path, 'a layer { upper, upperReference, lower, lowerReference, uom }');
  let scale = 1;
  if (layer.uom !== undefined) scale = oneOf(c, layer.uom, `${path}.uom`, ['m', 'ft'] as const) === 'ft' ? FOOT_M : 1;
  const { lower, upper } = limits(c, {
    lower: layer.lower, lowerPath: `${path}.lower`, lowerRef: layer.lowerReference, lowerRefPath: `${path}.lowerReference`,
    upper: layer.upper, upperPath: `${path}.upper`, upperRef: layer.upperReference, upperRefPath: `${path}.upperReference`,
    scale
  });
  return { shape, lower, upper };
}

/** An ED-318 geometry (with its layer, or its parent collection's) to volumes. */
function ed318Volumes(c: Ctx, v: Json, path: string, parentLayer: { v: Json; path: string } | null): VolumeDescriptor[] {
  const g = obj(c, v, path, 'a GeoJSON geometry with a layer');
  const layer = g.layer !== undefined ? { v: g.layer, path: `${path}.layer` } : parentLayer;
  const type = oneOf(c, g.type, `${path}.type`, ['Polygon', 'MultiPolygon', 'Point', 'GeometryCollection'] as const);
  if (type === 'GeometryCollection') {
    const gs = arr(c, g.geometries, `${path}.geometries`, 'an array of geometries');
    if (gs.length === 0) c.fail(`${path}.geometries`, 'expected at least one geometry, got none');
    return gs.flatMap((x, k) => ed318Volumes(c, x, `${path}.geometries[${k}]`, layer));
  }
  if (!layer) c.fail(`${path}.layer`, 'expected a layer { upper, upperReference, lower, lowerReference, uom }, got nothing (missing)');
  if (type === 'Point') {
    const ext = obj(c, g.extent, `${path}.extent`, 'an extent { subType: "Circle", radius } (a Point zone is a circle)');
    oneOf(c, ext.subType, `${path}.extent.subType`, ['Circle'] as const);
    const centre = circleCentre(c, g.coordinates, `${path}.coordinates`);
    const shape: HorizontalShape = { kind: 'circle', centre, radiusM: positiveLength(c, ext.radius, `${path}.extent.radius`, 1) };
    return [layerVolume(c, shape, layer.v, layer.path)];
  }
  if (type === 'Polygon') return [layerVolume(c, polygonCoordinates(c, g.coordinates, `${path}.coordinates`), layer.v, layer.path)];
  const polys = arr(c, g.coordinates, `${path}.coordinates`, 'MultiPolygon coordinates: an array of polygons');
  if (polys.length === 0) c.fail(`${path}.coordinates`, 'expected at least one polygon, got none');
  return polys.map((p, k) => layerVolume(c, polygonCoordinates(c, p, `${path}.coordinates[${k}]`), layer.v, layer.path));
}

const ED318_TYPES = ['USPACE', 'PROHIBITED', 'REQ_AUTHORIZATION', 'CONDITIONAL', 'NO_RESTRICTION'] as const;

function featureCollection(c: Ctx, doc: Json): Json[] {
  const root = obj(c, doc, '(root)', 'a GeoJSON FeatureCollection');
  if (root.type === 'Feature') return [root];
  oneOf(c, root.type, 'type', ['FeatureCollection'] as const);
  return arr(c, root.features, 'features', 'an array of GeoJSON features');
}

/**
 * Each feature of a GeoJSON document as one zone: `zoneOf` gets the feature,
 * its properties (checked to be an object described by `propsExpected`), its
 * path and index, and returns the zone (through `finishZone`).
 */
function featureZones(c: Ctx, doc: Json, propsExpected: string, zoneOf: (o: Record<string, Json>, props: Record<string, Json>, path: string, i: number) => Zone): Zone[] {
  const zones = featureCollection(c, doc).map((f, i) => {
    const path = `features[${i}]`;
    c.zone = `zone #${i}`;
    const o = obj(c, f, path, 'a GeoJSON feature');
    return zoneOf(o, obj(c, o.properties, `${path}.properties`, propsExpected), path, i);
  });
  c.zone = '';
  return zones;
}

function ed318(c: Ctx, doc: Json): Zone[] {
  return featureZones(c, doc, 'zone properties { identifier, type, ... }', (o, props, path) => {
    const id = identifierOf(c, props.identifier, `${path}.properties.identifier`);
    setZone(c, id);
    checkIdLength(c, id, `${path}.properties.identifier`);
    let restriction: RestrictionClass;
    const t = props.type;
    if (t === 'USPACE') {
      c.warn(`${path}.properties.type`, 'a U-space airspace is not a restriction class of the zone model; taken as CONDITIONAL');
      restriction = 'CONDITIONAL';
    } else if (t === 'REQ_AUTHORISATION') {
      c.warn(`${path}.properties.type`, '"REQ_AUTHORISATION" read as ED-318\'s "REQ_AUTHORIZATION"');
      restriction = 'REQ_AUTHORISATION';
    } else {
      const r = oneOf(c, t, `${path}.properties.type`, ED318_TYPES);
      restriction = r === 'REQ_AUTHORIZATION' ? 'REQ_AUTHORISATION' : (r as RestrictionClass);
    }
    const applicability = ed318Applicability(c, props.limitedApplicability, `${path}.properties.limitedApplicability`);
    const volumes = ed318Volumes(c, o.geometry, `${path}.geometry`, null);
    const d: ZoneDescriptor = { id, restriction, volumes, applicability };
    const name = text318(props.name);
    if (name !== undefined) d.name = name;
    const message = text318(props.message);
    if (message !== undefined) d.message = message;
    return finishZone(c, d, path);
  });
}

function plainGeoJson(c: Ctx, doc: Json): Zone[] {
  return featureZones(c, doc, 'properties { restriction, lower, upper, reference }', (o, props, path, i) => {
    let id: string;
    if (props.identifier !== undefined) id = identifierOf(c, props.identifier, `${path}.properties.identifier`);
    else if (typeof o.id === 'string' || typeof o.id === 'number') id = String(o.id);
    else if (typeof props.name === 'string' && props.name.length > 0) id = props.name;
    else {
      id = `zone-${i}`;
      c.warn(`${path}.properties.identifier`, `no identifier; called "${id}"`);
    }
    setZone(c, id);
    const restriction = restrictionOf(c, props.restriction, `${path}.properties.restriction`, RESTRICTION_CLASSES);
    let scale = 1;
    if (props.uom !== undefined) scale = oneOf(c, props.uom, `${path}.properties.uom`, ['m', 'ft'] as const) === 'ft' ? FOOT_M : 1;
    const refDefault = props.reference;
    const lowerRefKey = props.lowerReference !== undefined ? 'lowerReference' : 'reference';
    const upperRefKey = props.upperReference !== undefined ? 'upperReference' : 'reference';
    if (props.lowerReference === undefined && props.upperReference === undefined && refDefault === undefined) {
      c.fail(`${path}.properties.reference`, 'expected a vertical reference "AGL", "AMSL" or "WGS84" (or lowerReference and upperReference), got nothing (missing)');
    }
    const lim = limits(c, {
      lower: props.lower ?? 0, lowerPath: `${path}.properties.lower`, lowerRef: props[lowerRefKey], lowerRefPath: `${path}.properties.${lowerRefKey}`,
      upper: props.upper, upperPath: `${path}.properties.upper`, upperRef: props[upperRefKey], upperRefPath: `${path}.properties.${upperRefKey}`,
      scale
    });
    const g = obj(c, o.geometry, `${path}.geometry`, 'a GeoJSON Polygon or MultiPolygon');
    const type = oneOf(c, g.type, `${path}.geometry.type`, ['Polygon', 'MultiPolygon'] as const);
    let shapes: HorizontalShape[];
    if (type === 'Polygon') shapes = [polygonCoordinates(c, g.coordinates, `${path}.geometry.coordinates`)];
    else {
      const polys = arr(c, g.coordinates, `${path}.geometry.coordinates`, 'MultiPolygon coordinates: an array of polygons');
      if (polys.length === 0) c.fail(`${path}.geometry.coordinates`, 'expected at least one polygon, got none');
      shapes = polys.map((p, k) => polygonCoordinates(c, p, `${path}.geometry.coordinates[${k}]`));
    }
    const applicability: Applicability =
      props.applicability === undefined ? { kind: 'permanent' } : ed269Applicability(c, props.applicability, `${path}.properties.applicability`);
    const d: ZoneDescriptor = { id, restriction, volumes: shapes.map((shape) => ({ shape, ...lim })), applicability };
    if (typeof props.name === 'string') d.name = props.name;
    if (typeof props.message === 'string') d.message = props.message;
    return finishZone(c, d, path);
  });
}

const PARSERS: Record<AirspaceFormat, (c: Ctx, doc: Json) => Zone[]> = { ed269, ed318, geojson: plainGeoJson };

/** Warn about identifiers used twice (criteria, reports and the web key zones by id). */
function warnDuplicateIds(c: Ctx, zones: readonly Zone[]): void {
  const first = new Map<string, number>();
  zones.forEach((z, i) => {
    const j = first.get(z.id);
    if (j === undefined) first.set(z.id, i);
    else {
      c.zone = `zone "${z.id}"`;
      c.warn(`features[${i}]`, `identifier "${z.id}" is also used by features[${j}]; both kept, as separate zones`);
    }
  });
  c.zone = '';
}

function run(c: Ctx, doc: Json, format: AirspaceFormat): AirspaceImportResult {
  const zones = PARSERS[format](c, doc);
  warnDuplicateIds(c, zones);
  return { zones, warnings: c.warnings };
}

/**
 * Which format a parsed document is in: a FeatureCollection whose features
 * carry ED-318 `geometry.layer` or zone `properties.type`/`variant` is
 * ED-318, any other GeoJSON is plain GeoJSON, and anything else (ED-269 has
 * no GeoJSON `type`, only `features`) is ED-269.
 */
export function detectFormat(doc: unknown): AirspaceFormat {
  if (!isObj(doc)) return 'ed269';
  if (doc.type === 'FeatureCollection' || doc.type === 'Feature') {
    const fs = doc.type === 'Feature' ? [doc] : Array.isArray(doc.features) ? doc.features : [];
    const ed318Like = fs.some((f) => isObj(f) && ((isObj(f.geometry) && 'layer' in f.geometry) || (isObj(f.properties) && 'variant' in f.properties)));
    return ed318Like ? 'ed318' : 'geojson';
  }
  return 'ed269';
}

/** Import an already parsed document (e.g. a zone list written inline in a scenario). */
export function importAirspaceDocument(doc: unknown, file: string, opts: ImportOptions, format: AirspaceFormat = detectFormat(doc)): AirspaceImportResult {
  return run(new Ctx(file, opts), doc, format);
}

/** Import airspace file text in `format` (detected from the content when not given). */
export function importAirspace(text: string, file: string, opts: ImportOptions, format?: AirspaceFormat): AirspaceImportResult {
  const c = new Ctx(file, opts);
  const doc = parseJson(c, text);
  return run(c, doc, format ?? detectFormat(doc));
}

/** EUROCAE ED-269 JSON. */
export function importEd269(text: string, file: string, opts: ImportOptions): AirspaceImportResult {
  return importAirspace(text, file, opts, 'ed269');
}

/** EUROCAE ED-318 GeoJSON. */
export function importEd318(text: string, file: string, opts: ImportOptions): AirspaceImportResult {
  return importAirspace(text, file, opts, 'ed318');
}

/** Plain GeoJSON Polygon / MultiPolygon features with zone properties. */
export function importGeoJson(text: string, file: string, opts: ImportOptions): AirspaceImportResult {
  return importAirspace(text, file, opts, 'geojson');
}
