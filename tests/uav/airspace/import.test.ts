/** Airspace import: the bundled ED-269 file, ED-318 and plain GeoJSON, the quirks of published data, and malformed files. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AirspaceImportError,
  importAirspace,
  importAirspaceDocument,
  importEd269,
  type AirspaceImportResult,
  type AirspaceImportWarning,
} from '../../../uav/airspace/import.ts';
import type { Zone } from '../../../uav/airspace/zone.ts';
import { LocalFrame } from '../../../uav/geo/local-frame.ts';
import { FIXTURES, ROOT } from '../../helpers.ts';

/** The PX4 SITL home, where the bundled zones are placed. */
const FRAME = new LocalFrame({ latDeg: 47.3977, lonDeg: 8.5456, altM: 488 });
const BUNDLED = `${ROOT}scenarios/library/airspace/data/skylane-demo.ed269.json`;
const MALFORMED = `${FIXTURES}/airspace/malformed`;

const SQUARE = [[8.5456, 47.3977], [8.5476, 47.3977], [8.5476, 47.399], [8.5456, 47.399], [8.5456, 47.3977]];

function ed269Doc(geometry: object[], over: object = {}): object {
  return {
    features: [{
      identifier: 'QRK0001', country: 'CHE', type: 'COMMON', restriction: 'PROHIBITED',
      applicability: [{ permanent: 'YES' }], zoneAuthority: [{ purpose: 'AUTHORIZATION' }], geometry, ...over,
    }],
  };
}

function volume(over: object = {}): object {
  return {
    uomDimensions: 'M', lowerLimit: 0, lowerVerticalReference: 'AGL', upperLimit: 120, upperVerticalReference: 'AGL',
    horizontalProjection: { type: 'Polygon', coordinates: [SQUARE] }, ...over,
  };
}

function importDoc(doc: object, file = 'quirk.json', frame = FRAME): AirspaceImportResult {
  return importAirspace(JSON.stringify(doc), file, { frame });
}

/** The one warning on `fieldPath`; checks it names the file, the zone and the field. */
function warningAt(r: AirspaceImportResult, file: string, zone: string, fieldPath: string): AirspaceImportWarning {
  const ws = r.warnings.filter((w) => w.fieldPath === fieldPath);
  expect(ws, `warnings: ${r.warnings.map((w) => w.text).join(' | ')}`).toHaveLength(1);
  const w = ws[0]!;
  expect(w.file).toBe(file);
  expect(w.zone).toBe(zone);
  expect(w.text).toBe(`${file}: ${zone ? `${zone}: ` : ''}${fieldPath}: ${w.message}`);
  return w;
}

function only(r: AirspaceImportResult): Zone {
  expect(r.zones).toHaveLength(1);
  return r.zones[0]!;
}

describe('the bundled ED-269 file (scenarios/library/airspace/data/skylane-demo.ed269.json)', () => {
  const text = readFileSync(BUNDLED, 'utf8');
  const r = importEd269(text, 'skylane-demo.ed269.json', { frame: FRAME });
  const byId = new Map(r.zones.map((z) => [z.id, z]));

  it('imports five zones of the expected classes, without a warning', () => {
    expect(r.warnings.map((w) => w.text)).toEqual([]);
    expect(r.zones.map((z) => [z.id, z.restriction])).toEqual([
      ['SKYCTR1', 'PROHIBITED'],
      ['SKYWDC1', 'PROHIBITED'],
      ['SKYWKD1', 'PROHIBITED'],
      ['SKYREQ1', 'REQ_AUTHORISATION'],
      ['SKYCND1', 'CONDITIONAL'],
    ]);
  });

  it('puts the CTR circle where LocalFrame puts its centre, 250 m in radius, up to 120 m AGL', () => {
    const raw = JSON.parse(text).features[0].geometry[0].horizontalProjection;
    const [e, n] = FRAME.toEnu({ lonDeg: raw.center[0], latDeg: raw.center[1], altM: FRAME.origin.altM });
    const v = byId.get('SKYCTR1')!.volumes[0]!;
    expect(v.shape.kind).toBe('circle');
    if (v.shape.kind !== 'circle') return;
    expect(v.shape.centre[0]).toBeCloseTo(e, 9);
    expect(v.shape.centre[1]).toBeCloseTo(n, 9);
    // The file was written from local (600, 300) m; 1e-7 degree rounding moves it by under a centimetre.
    expect(Math.hypot(e - 600, n - 300)).toBeLessThan(0.01);
    expect(v.shape.radiusM).toBe(250);
    expect(v.lower).toEqual({ valueM: 0, reference: 'AGL' });
    expect(v.upper).toEqual({ valueM: 120, reference: 'AGL' });
  });

  it('stacks the wedding cake: three concentric tiers, the wider the higher the floor', () => {
    const cake = byId.get('SKYWDC1')!;
    expect(cake.volumes.map((v) => [v.shape.kind === 'circle' ? v.shape.radiusM : NaN, v.lower.valueM, v.upper?.valueM])).toEqual([
      [150, 0, 150],
      [300, 40, 150],
      [450, 80, 150],
    ]);
    const c = cake.volumes[0]!.shape.kind === 'circle' ? cake.volumes[0]!.shape.centre : [NaN, NaN];
    expect(cake.contains(c[0]! + 200, c[1]!, 30)).toBe(false);
    expect(cake.contains(c[0]! + 200, c[1]!, 50)).toBe(true);
    expect(cake.contains(c[0]! + 400, c[1]!, 50)).toBe(false);
    expect(cake.contains(c[0]! + 400, c[1]!, 90)).toBe(true);
  });

  it('reads the weekend zone as Saturdays and Sundays 06:00-20:00 UTC', () => {
    const wkd = byId.get('SKYWKD1')!;
    expect(wkd.isActive(Date.UTC(2026, 10, 27, 12))).toBe(false); // Friday
    expect(wkd.isActive(Date.UTC(2026, 10, 28, 12))).toBe(true); // Saturday
    expect(wkd.isActive(Date.UTC(2026, 10, 28, 5, 59))).toBe(false);
    expect(wkd.contains(0, -500, 50)).toBe(true);
  });

  it('converts the conditional zone from feet (radius too) and keeps the AMSL ceiling of the REQ_AUTHORISATION polygon', () => {
    const cnd = byId.get('SKYCND1')!.volumes[0]!;
    expect(cnd.shape.kind === 'circle' && cnd.shape.radiusM).toBeCloseTo(152.4, 9);
    expect(cnd.upper!.valueM).toBeCloseTo(60.96, 9);
    const req = byId.get('SKYREQ1')!.volumes[0]!;
    expect(req.shape.kind).toBe('polygon');
    expect(req.shape.kind === 'polygon' && req.shape.vertices).toHaveLength(5);
    expect(req.upper).toEqual({ valueM: 700, reference: 'AMSL' });
  });

  it('keeps every zone within about 1 km of the origin and clear of the take-off point', () => {
    for (const z of r.zones) {
      expect(z.contains(0, 0, 488)).toBe(false);
      expect(z.horizontalDistanceM(0, 0)).toBeGreaterThan(50);
      expect(z.horizontalDistanceM(0, 0)).toBeLessThan(1000);
    }
  });
});

describe('quirks of published data: each tolerated with one warning naming file, zone and field', () => {
  const hp = 'features[0].geometry[0].horizontalProjection';

  it('an identifier longer than 7 characters is kept', () => {
    const r = importDoc(ed269Doc([volume()], { identifier: 'SKYLANE-LONG-ID' }));
    expect(only(r).id).toBe('SKYLANE-LONG-ID');
    expect(warningAt(r, 'quirk.json', 'zone "SKYLANE-LONG-ID"', 'features[0].identifier').message).toMatch(/15 characters; the format allows 7/);
  });

  it('a circle centre written [lat, lon] near the origin is swapped (more than 100 km off as written, within it swapped)', () => {
    const r = importDoc(ed269Doc([volume({ horizontalProjection: { type: 'Circle', center: [47.3990, 8.5470], radius: 80 } })]));
    const v = only(r).volumes[0]!;
    const [e, n] = FRAME.toEnu({ latDeg: 47.399, lonDeg: 8.547, altM: FRAME.origin.altM });
    expect(v.shape.kind === 'circle' && v.shape.centre[0]).toBeCloseTo(e, 9);
    expect(v.shape.kind === 'circle' && v.shape.centre[1]).toBeCloseTo(n, 9);
    expect(warningAt(r, 'quirk.json', 'zone "QRK0001"', `${hp}.center`).message).toMatch(/read as longitude 8.547, latitude 47.399/);
  });

  it('a circle centre whose written latitude is out of range but reads as [lat, lon] is swapped', () => {
    const shanghai = new LocalFrame({ latDeg: 31.2304, lonDeg: 121.4737, altM: 4 });
    const r = importDoc(ed269Doc([volume({ horizontalProjection: { type: 'Circle', center: [31.2310, 121.4745], radius: 80 } })]), 'sh.json', shanghai);
    const v = only(r).volumes[0]!;
    expect(v.shape.kind === 'circle' && Math.hypot(...v.shape.centre)).toBeLessThan(200);
    expect(warningAt(r, 'sh.json', 'zone "QRK0001"', `${hp}.center`).message).toMatch(/no valid \[longitude, latitude\] reading/);
  });

  it('a correct centre far from the origin is left alone, without a warning', () => {
    const r = importDoc(ed269Doc([volume({ horizontalProjection: { type: 'Circle', center: [2.35, 48.85], radius: 80 } })]));
    expect(r.warnings).toEqual([]);
    const v = only(r).volumes[0]!;
    expect(v.shape.kind === 'circle' && Math.hypot(...v.shape.centre)).toBeGreaterThan(400_000); // Paris from Zurich
  });

  it('limits given as strings are read as numbers', () => {
    const r = importDoc(ed269Doc([volume({ lowerLimit: '30', upperLimit: '120' })]));
    const v = only(r).volumes[0]!;
    expect([v.lower.valueM, v.upper?.valueM]).toEqual([30, 120]);
    expect(warningAt(r, 'quirk.json', 'zone "QRK0001"', 'features[0].geometry[0].lowerLimit').message).toMatch(/given as a string \("30"\)/);
    expect(warningAt(r, 'quirk.json', 'zone "QRK0001"', 'features[0].geometry[0].upperLimit').message).toMatch(/given as a string \("120"\)/);
  });

  it('a null upper limit means no ceiling', () => {
    const r = importDoc(ed269Doc([volume({ upperLimit: null })]));
    const z = only(r);
    expect(z.volumes[0]!.upper).toBeNull();
    expect(z.contains(70, 70, 5000)).toBe(true);
    expect(warningAt(r, 'quirk.json', 'zone "QRK0001"', 'features[0].geometry[0].upperLimit').message).toMatch(/no ceiling/);
  });

  it('an upper limit of 99999 means no ceiling', () => {
    const r = importDoc(ed269Doc([volume({ upperLimit: 99999, uomDimensions: 'FT' })]));
    expect(only(r).volumes[0]!.upper).toBeNull();
    expect(warningAt(r, 'quirk.json', 'zone "QRK0001"', 'features[0].geometry[0].upperLimit').message).toMatch(/99999 read as "no ceiling"/);
  });

  it('reads the InterUSS Swiss sample variant: UASZoneList, dailyPeriod, "0" and null limits', () => {
    // Shaped as interuss/monitoring .../che/geoawareness/cis_source_sample_ed269.json, on our own coordinates.
    const doc = {
      formatVersion: '1.0.0',
      UASZoneList: [{
        identifier: 'LSXX', country: 'CHE', name: 'Sample', type: 'COMMON', restriction: 'REQ_AUTHORISATION', reason: ['AIR_TRAFFIC'],
        applicability: [{ permanent: 'NO', startDateTime: null, endDateTime: null, dailyPeriod: [{ day: ['MON', 'TUE'], startTime: '07:00:00.00+01:00', endTime: '17:00Z' }] }],
        zoneAuthority: [{ name: 'x' }],
        geometry: [{ uomDimensions: 'M', lowerLimit: '0', lowerVerticalReference: 'AGL', upperLimit: null, upperVerticalReference: 'AGL', horizontalProjection: { type: 'Polygon', coordinates: [SQUARE] } }],
      }],
    };
    const r = importDoc(doc, 'cis.json');
    const z = only(r);
    expect(z.restriction).toBe('REQ_AUTHORISATION');
    expect(warningAt(r, 'cis.json', '', 'UASZoneList').message).toMatch(/read as "features"/);
    warningAt(r, 'cis.json', 'zone "LSXX"', 'UASZoneList[0].applicability[0].dailyPeriod');
    warningAt(r, 'cis.json', 'zone "LSXX"', 'UASZoneList[0].geometry[0].lowerLimit');
    warningAt(r, 'cis.json', 'zone "LSXX"', 'UASZoneList[0].geometry[0].upperLimit');
    // 07:00+01:00 is 06:00 UTC.
    expect(z.isActive(Date.UTC(2026, 10, 30, 6) - 1)).toBe(false); // Monday
    expect(z.isActive(Date.UTC(2026, 10, 30, 6))).toBe(true);
    expect(z.isActive(Date.UTC(2026, 10, 30, 17))).toBe(false);
  });

  it('moves a schedule to the previous UTC day when its offset takes its start past midnight', () => {
    const r = importDoc(ed269Doc([volume()], {
      applicability: [{ permanent: 'NO', schedule: [{ day: ['SAT'], startTime: '00:30+01:00', endTime: '02:00+01:00' }] }],
    }));
    const z = only(r);
    expect(r.warnings).toEqual([]);
    expect(z.isActive(Date.UTC(2026, 10, 27, 23, 30))).toBe(true); // Friday 23:30 UTC = Saturday 00:30 +01:00
    expect(z.isActive(Date.UTC(2026, 10, 28, 1) - 1)).toBe(true);
    expect(z.isActive(Date.UTC(2026, 10, 28, 1))).toBe(false);
    expect(z.isActive(Date.UTC(2026, 10, 28, 23, 30))).toBe(false); // Saturday 23:30 UTC is Sunday there
  });

  it('turns WGS84 (ellipsoidal) limits into AMSL with the geoid undulation, warning when it has to assume 0', () => {
    const doc = ed269Doc([volume({ lowerLimit: 500, lowerVerticalReference: 'WGS84', upperLimit: 700, upperVerticalReference: 'WGS84' })]);
    const withN = importAirspace(JSON.stringify(doc), 'w.json', { frame: FRAME, geoidUndulationM: 47.5 });
    expect(withN.warnings).toEqual([]);
    expect(only(withN).volumes[0]!.lower).toEqual({ valueM: 452.5, reference: 'AMSL' });
    const without = importDoc(doc, 'w.json');
    expect(only(without).volumes[0]!.upper).toEqual({ valueM: 700, reference: 'AMSL' });
    expect(warningAt(without, 'w.json', 'zone "QRK0001"', 'features[0].geometry[0].lowerVerticalReference').message).toMatch(/geoid undulation of 0 m/);
  });

  it('keeps two zones with the same identifier, warning on the second', () => {
    const doc = ed269Doc([volume()]) as { features: object[] };
    doc.features.push(structuredClone(doc.features[0]!));
    const r = importDoc(doc);
    expect(r.zones.map((z) => z.id)).toEqual(['QRK0001', 'QRK0001']);
    expect(warningAt(r, 'quirk.json', 'zone "QRK0001"', 'features[1]').message).toMatch(/also used by features\[0\]/);
  });

  it('closes an open ring and ignores holes, the safe side', () => {
    const open = SQUARE.slice(0, 4);
    const hole = [[8.546, 47.398], [8.547, 47.398], [8.547, 47.3985], [8.546, 47.398]];
    const r = importDoc(ed269Doc([volume({ horizontalProjection: { type: 'Polygon', coordinates: [open, hole] } })]));
    const shape = only(r).volumes[0]!.shape;
    expect(shape.kind === 'polygon' ? shape.vertices : []).toHaveLength(4);
    warningAt(r, 'quirk.json', 'zone "QRK0001"', `${hp}.coordinates`);
    warningAt(r, 'quirk.json', 'zone "QRK0001"', `${hp}.coordinates[0]`);
  });
});

describe('ED-318 GeoJSON and plain GeoJSON', () => {
  it('reads ED-318 polygons, Point + extent circles, layers and limitedApplicability', () => {
    const ring = SQUARE;
    const doc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [ring], layer: { upper: 99999, upperReference: 'AGL', lower: 60, lowerReference: 'AGL', uom: 'm' } },
          properties: { identifier: 'LSZB003', country: 'CHE', name: [{ text: 'Feld', lang: 'de-CH' }, { text: 'Field', lang: 'en-GB' }], type: 'REQ_AUTHORIZATION', variant: 'COMMON', zoneAuthority: [{ purpose: 'AUTHORIZATION' }] },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [8.5456, 47.3977], extent: { subType: 'Circle', radius: 200 }, layer: { upper: 400, upperReference: 'AGL', lower: 0, lowerReference: 'AGL', uom: 'ft' } },
          properties: {
            identifier: 'EVT0001', country: 'CHE', type: 'PROHIBITED', variant: 'CUSTOMIZED', zoneAuthority: [{ purpose: 'INFORMATION' }],
            limitedApplicability: [{ startDateTime: '2026-11-28T10:00:00Z', endDateTime: '2026-11-28T12:00:00Z' }],
          },
        },
      ],
    };
    const r = importDoc(doc, 'ch.ed318.json');
    expect(r.zones.map((z) => [z.id, z.restriction, z.descriptor.name])).toEqual([
      ['LSZB003', 'REQ_AUTHORISATION', 'Field'],
      ['EVT0001', 'PROHIBITED', undefined],
    ]);
    expect(r.zones[0]!.volumes[0]!.upper).toBeNull();
    warningAt(r, 'ch.ed318.json', 'zone "LSZB003"', 'features[0].geometry.layer.upper');
    const c = r.zones[1]!.volumes[0]!;
    expect(c.shape.kind === 'circle' && c.shape.radiusM).toBe(200); // extent radius in metres; uom is the layer's
    expect(c.upper!.valueM).toBeCloseTo(121.92, 9);
    expect(r.zones[1]!.isActive(Date.UTC(2026, 10, 28, 10))).toBe(true);
    expect(r.zones[1]!.isActive(Date.UTC(2026, 10, 28, 12))).toBe(false);
  });

  it('reads plain GeoJSON MultiPolygons, Skylane classes and feet', () => {
    const east = SQUARE.map(([lon, lat]) => [lon! + 0.01, lat!]);
    const doc = {
      type: 'FeatureCollection',
      features: [{
        type: 'Feature', id: 'cap-1',
        geometry: { type: 'MultiPolygon', coordinates: [[SQUARE], [east]] },
        properties: { restriction: 'ALTITUDE_CAP', lower: 400, upper: null, reference: 'AGL', uom: 'ft' },
      }],
    };
    const r = importDoc(doc, 'caps.geojson');
    const z = only(r);
    expect([z.id, z.restriction, z.volumes.length]).toEqual(['cap-1', 'ALTITUDE_CAP', 2]);
    expect(z.volumes[1]!.lower.valueM).toBeCloseTo(121.92, 9);
    expect(z.contains(70, 70, 100)).toBe(false);
    expect(z.contains(70, 70, 130)).toBe(true);
    warningAt(r, 'caps.geojson', 'zone "cap-1"', 'features[0].properties.upper');
  });
});

/**
 * Malformed files: each rejected with one AirspaceImportError naming the
 * file, the zone (none for errors about the whole file) and the field.
 */
const MALFORMED_TABLE: Record<string, { zone: string; field: string; expected: RegExp }> = {
  'json-syntax-error.json': { zone: '', field: '(JSON)', expected: /^expected valid JSON: .*\(line 4, column \d+\)$/ },
  'empty-file.json': { zone: '', field: '(JSON)', expected: /empty file/ },
  'missing-features.json': { zone: '', field: 'features', expected: /expected an array of UAS zones .*got nothing \(missing\)/ },
  'features-not-array.json': { zone: '', field: 'features', expected: /expected an array of UAS zones .*got an object/ },
  'zone-not-object.json': { zone: 'zone #0', field: 'features[0]', expected: /expected a UAS zone .*got string "BAD0001"/ },
  'identifier-wrong-type.json': { zone: 'zone #0', field: 'features[0].identifier', expected: /expected an identifier string, got 42/ },
  'unknown-restriction.json': { zone: 'zone "BAD0001"', field: 'features[0].restriction', expected: /expected one of "PROHIBITED", "REQ_AUTHORISATION", "CONDITIONAL", "NO_RESTRICTION", got string "FORBIDDEN"/ },
  'self-intersecting-polygon.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.coordinates[0]', expected: /intersects itself: the edge from position 0 to 1 meets the edge from position 2 to 3/ },
  'two-vertex-polygon.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.coordinates[0]', expected: /at least 3 vertices .*got 2/ },
  'duplicate-consecutive-vertex.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.coordinates[0][2]', expected: /duplicate consecutive vertex: \[8.5476, 47.3977\] repeats position 1/ },
  'nan-latitude.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.coordinates[0][1][1]', expected: /expected a latitude in degrees, got string "NaN"/ },
  'latitude-out-of-range.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.coordinates[0][2][1]', expected: /latitude in \[-90, 90\], got 95/ },
  'longitude-out-of-range.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.coordinates[0][1][0]', expected: /longitude in \[-180, 180\], got 200.5/ },
  'circle-centre-out-of-range.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.center[0]', expected: /longitude in \[-180, 180\], got 200/ },
  'lower-above-upper.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].lowerLimit', expected: /lower limit at or below the upper limit, got lower 150 m AGL above upper 120 m AGL/ },
  'lower-above-upper-feet.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].lowerLimit', expected: /got lower 152.4 m AGL above upper 121.92 m AGL/ },
  'unknown-uom.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].uomDimensions', expected: /expected one of "M", "FT", got string "KM"/ },
  'unknown-vertical-reference.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].lowerVerticalReference', expected: /expected one of "AGL", "AMSL", "WGS84", got string "MSL"/ },
  'negative-radius.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.radius', expected: /positive radius, got -50/ },
  'limit-not-numeric.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].upperLimit', expected: /upper limit as a number, got string "high"/ },
  'unknown-projection-type.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry[0].horizontalProjection.type', expected: /expected one of "Circle", "Polygon", got string "Ellipse"/ },
  'empty-geometry.json': { zone: 'zone "BAD0001"', field: 'features[0].geometry', expected: /at least one airspace volume, got none/ },
  'unknown-schedule-day.json': { zone: 'zone "BAD0001"', field: 'features[0].applicability[0].schedule[0].day[0]', expected: /"SAT", "SUN", "ANY", got string "SATURDAY"/ },
  'bad-time-of-day.json': { zone: 'zone "BAD0001"', field: 'features[0].applicability[0].schedule[0].startTime', expected: /time of day from 00:00 to 24:00, got string "25:00Z"/ },
  'bad-date-time.json': { zone: 'zone "BAD0001"', field: 'features[0].applicability[0].startDateTime', expected: /ISO 8601 date-time .*got string "tomorrow morning"/ },
  'end-before-start.json': { zone: 'zone "BAD0001"', field: 'features[0].applicability[0].endDateTime', expected: /endDateTime after startDateTime/ },
  'permanent-missing.json': { zone: 'zone "BAD0001"', field: 'features[0].applicability[0].permanent', expected: /expected one of "YES", "NO", got nothing \(missing\)/ },
  'second-zone-bad.json': { zone: 'zone "BAD0002"', field: 'features[1].geometry[1].lowerVerticalReference', expected: /expected one of "AGL", "AMSL", "WGS84", got null/ },
  'ed318-missing-layer.json': { zone: 'zone "BAD0318"', field: 'features[0].geometry.layer', expected: /expected a layer .*got nothing \(missing\)/ },
  'ed318-unknown-type.json': { zone: 'zone "BAD0318"', field: 'features[0].properties.type', expected: /"REQ_AUTHORIZATION", "CONDITIONAL", "NO_RESTRICTION", got string "FORBIDDEN"/ },
  'ed318-point-without-extent.json': { zone: 'zone "BAD0318"', field: 'features[0].geometry.extent', expected: /expected an extent \{ subType: "Circle", radius \}/ },
  'geojson-linestring.geojson': { zone: 'zone "GEO1"', field: 'features[0].geometry.type', expected: /expected one of "Polygon", "MultiPolygon", got string "LineString"/ },
  'geojson-missing-reference.geojson': { zone: 'zone "GEO1"', field: 'features[0].properties.reference', expected: /vertical reference "AGL", "AMSL" or "WGS84"/ },
  'geojson-unknown-restriction.geojson': { zone: 'zone "GEO1"', field: 'features[0].properties.restriction', expected: /"WARNING", "ALTITUDE_CAP", got string "NO_FLY"/ },
};

/** The AirspaceImportError `f` throws; anything else (a TypeError's stack trace, or no error) fails. */
function importErrorOf(f: () => unknown): AirspaceImportError {
  try {
    f();
  } catch (err) {
    if (err instanceof AirspaceImportError) return err;
    throw new Error(`expected an AirspaceImportError, got ${err instanceof Error ? err.stack : String(err)}`);
  }
  throw new Error('expected an AirspaceImportError, but the file imported');
}

describe('malformed zone files (tests/fixtures/airspace/malformed)', () => {
  const files = readdirSync(MALFORMED).sort();

  it('has at least 20 files, each with its expected error in the table', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toEqual(Object.keys(MALFORMED_TABLE).sort());
  });

  it.each(files)('%s is rejected with a one-line error naming file, zone and field', (file) => {
    const want = MALFORMED_TABLE[file]!;
    const e = importErrorOf(() => importAirspace(readFileSync(`${MALFORMED}/${file}`, 'utf8'), file, { frame: FRAME }));
    expect(e.file).toBe(file);
    expect(e.zone).toBe(want.zone);
    expect(e.fieldPath).toBe(want.field);
    expect(e.expected).toMatch(want.expected);
    expect(e.message).toBe(`${file}: ${want.zone ? `${want.zone}: ` : ''}${want.field}: ${e.expected}`);
    expect(e.message).not.toMatch(/\n/);
  });

  it('rejects NaN and infinite coordinates handed over as numbers (a parsed document)', () => {
    const doc = ed269Doc([volume({ horizontalProjection: { type: 'Circle', center: [8.5456, NaN], radius: 50 } })]);
    const e = importErrorOf(() => importAirspaceDocument(doc, 'inline', { frame: FRAME }));
    expect(e.message).toBe('inline: zone "QRK0001": features[0].geometry[0].horizontalProjection.center[1]: expected a latitude in degrees, got NaN');
    const inf = ed269Doc([volume({ lowerLimit: Infinity })]);
    expect(importErrorOf(() => importAirspaceDocument(inf, 'inline', { frame: FRAME })).fieldPath).toBe('features[0].geometry[0].lowerLimit');
  });

  it('never crashes: every field of the bundled file replaced by a wrong value imports or gives an AirspaceImportError', () => {
    const base = JSON.parse(readFileSync(BUNDLED, 'utf8'));
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      if (p.length > 0) paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(base, []);
    expect(paths.length).toBeGreaterThan(150);
    let rejected = 0;
    for (const p of paths) {
      for (const bad of [null, 'x', {}, [], -1, 1e9, true]) {
        const doc = structuredClone(base);
        let o = doc;
        for (const k of p.slice(0, -1)) o = o[k];
        o[p[p.length - 1]!] = bad;
        try {
          importAirspaceDocument(doc, 'fuzz.json', { frame: FRAME }, 'ed269');
        } catch (err) {
          if (!(err instanceof AirspaceImportError)) throw new Error(`${p.join('.')} = ${JSON.stringify(bad)}: ${err instanceof Error ? err.stack : String(err)}`);
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(200);
  });
});
