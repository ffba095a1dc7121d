/**
 * `world.airspace` of a validated scenario -> the zones the world is built
 * with (issue #6): the imported files (ED-269, ED-318, GeoJSON through
 * uav/airspace/import.ts, in the scenario's local frame) followed by the
 * inline zones, in that order (a zone's index is its handle in
 * `AirspaceKnowledge`).
 *
 * Pure: the file texts are read before (scenarios/node-io.ts on Node, the
 * bundled data files in the web app) and handed in by relative path. Errors
 * are `ScenarioError`s naming the scenario file and the field; an imported
 * file's error keeps the importer's message (file, zone, field) and says
 * which scenario referenced it. Import warnings are kept.
 *
 * The result is attached to the `Scenario` object (a WeakMap, so the schema
 * and the JSON shape stay untouched) by the loader; `buildScene` reads it
 * with `resolvedAirspaceOf`.
 */
import { LocalFrame } from '../uav/geo/local-frame.ts';
import { AirspaceImportError, importAirspace } from '../uav/airspace/import.ts';
import { WEEKDAYS, Zone, type Applicability, type Weekday, type ZoneDescriptor } from '../uav/airspace/zone.ts';
import type { AirspaceSpec, AirspaceZoneSpec, Scenario } from './schema.ts';

export interface ResolvedAirspace {
  zones: Zone[];
  /** Import warnings, one line each (file, zone, field, message). */
  warnings: string[];
  /** Indices of zones off until a timeline event switches them on. */
  offAtStart: number[];
  startUtcMs: number;
  originAmslM: number;
  /** Where each zone came from: `world.airspace.files[i]` or `world.airspace.zones[i]`. */
  sources: string[];
}

/** Relative path (as written in `files`) -> file text. */
export type AirspaceFileTexts = ReadonlyMap<string, string>;

type Fail = (fieldPath: string, expected: string) => Error;

const resolved = new WeakMap<Scenario, ResolvedAirspace>();

export function resolvedAirspaceOf(s: Scenario): ResolvedAirspace | undefined {
  return resolved.get(s);
}

export function setResolvedAirspace(s: Scenario, r: ResolvedAirspace): void {
  resolved.set(s, r);
}

function secondsOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 3600 + m! * 60;
}

/** An inline zone (local ENU) as a zone descriptor. */
export function inlineZoneDescriptor(zn: AirspaceZoneSpec): ZoneDescriptor {
  const shape = zn.circle
    ? { kind: 'circle' as const, centre: zn.circle.center, radiusM: zn.circle.radiusM }
    : { kind: 'polygon' as const, vertices: zn.polygon! };
  let applicability: Applicability = { kind: 'permanent' };
  if (zn.schedule || zn.activeFrom !== undefined || zn.activeUntil !== undefined) {
    applicability = {
      kind: 'periods',
      periods: [
        {
          startMs: zn.activeFrom !== undefined ? Date.parse(zn.activeFrom) : null,
          endMs: zn.activeUntil !== undefined ? Date.parse(zn.activeUntil) : null,
          schedule: zn.schedule ? [{ days: zn.schedule.days as Weekday[], startS: secondsOfDay(zn.schedule.start), endS: secondsOfDay(zn.schedule.end) }] : [],
        },
      ],
    };
  }
  return {
    id: zn.id,
    ...(zn.name !== undefined ? { name: zn.name } : {}),
    restriction: zn.restriction,
    volumes: [{ shape, lower: { valueM: zn.lowerM, reference: zn.reference }, upper: zn.upperM === null ? null : { valueM: zn.upperM, reference: zn.reference } }],
    applicability,
  };
}

/** Which field of an inline zone a Zone invariant message is about. */
function inlineField(msg: string): string {
  if (/polygon/.test(msg)) return 'polygon';
  if (/circle/.test(msg)) return 'circle';
  if (/limit/.test(msg)) return 'lowerM';
  if (/schedule/.test(msg)) return 'schedule';
  if (/period/.test(msg)) return 'activeFrom';
  return '';
}

export function resolveAirspace(spec: AirspaceSpec, texts: AirspaceFileTexts | undefined, scenarioFile: string, fail: Fail): ResolvedAirspace {
  const frame = new LocalFrame({ latDeg: spec.origin.latDeg, lonDeg: spec.origin.lonDeg, altM: spec.origin.altM });
  const zones: Zone[] = [];
  const sources: string[] = [];
  const warnings: string[] = [];
  spec.files.forEach((rel, i) => {
    const text = texts?.get(rel);
    if (text === undefined) {
      throw fail(`world.airspace.files[${i}]`, texts ? `"${rel}" was not read` : `cannot read "${rel}" here (no file access, e.g. in the browser); expected the zones written inline under world.airspace.zones`);
    }
    try {
      const r = importAirspace(text, rel, { frame, ...(spec.geoidUndulationM !== undefined ? { geoidUndulationM: spec.geoidUndulationM } : {}) });
      for (const z of r.zones) {
        zones.push(z);
        sources.push(`world.airspace.files[${i}]`);
      }
      for (const w of r.warnings) warnings.push(`${scenarioFile}: world.airspace.files[${i}]: ${w.text}`);
    } catch (err) {
      if (err instanceof AirspaceImportError || err instanceof RangeError) throw fail(`world.airspace.files[${i}]`, `${err.message} (airspace file referenced by this scenario)`);
      throw err;
    }
  });
  const inlineIds = new Map<string, number>();
  const offAtStart: number[] = [];
  spec.zones.forEach((zn, i) => {
    const at = `world.airspace.zones[${i}]`;
    if (inlineIds.has(zn.id)) throw fail(`${at}.id`, `duplicate zone id "${zn.id}" (also world.airspace.zones[${inlineIds.get(zn.id)}])`);
    inlineIds.set(zn.id, i);
    const dupFile = zones.findIndex((z) => z.id === zn.id);
    if (dupFile >= 0) throw fail(`${at}.id`, `zone id "${zn.id}" is already used by a zone of ${sources[dupFile]}`);
    if (zn.schedule && !zn.schedule.days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) throw fail(`${at}.schedule.days`, `expected days from ${WEEKDAYS.join(', ')}`);
    let zone: Zone;
    try {
      zone = new Zone(inlineZoneDescriptor(zn));
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      const f = inlineField(err.message);
      throw fail(f ? `${at}.${f}` : at, err.message);
    }
    if (!zn.activeAtStart) offAtStart.push(zones.length);
    zones.push(zone);
    sources.push(at);
  });
  return { zones, warnings, offAtStart, startUtcMs: Date.parse(spec.startUtc), originAmslM: spec.origin.altM, sources };
}
