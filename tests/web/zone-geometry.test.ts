/** Airspace zones in the 3D view (issue #6 section 8): the volumes' solids, their bands, the planned path and the breach reading. */
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { AirspaceService } from '../../uav/airspace/service.ts';
import { Zone, type VolumeDescriptor } from '../../uav/airspace/zone.ts';
import { plannedPolyline } from '../../web/planned-path.ts';
import { readAirspace } from '../../web/airspace-panel.ts';
import { ZONE_COLORS, ZONE_DISPLAY_CAP_M, zoneBand, zoneVolumeGeometry } from '../../web/zone-geometry.ts';
import { RESTRICTION_CLASSES } from '../../uav/airspace/zone.ts';

const ORIGIN_AMSL_M = 488;

function bounds(g: THREE.BufferGeometry): THREE.Box3 {
  g.computeBoundingBox();
  return g.boundingBox!;
}

describe('zone volumes as solids', () => {
  it('draws a circle zone as a cylinder whose bounds are its centre +- radius and its floor and ceiling (AGL)', () => {
    const v: VolumeDescriptor = { shape: { kind: 'circle', centre: [120, -30], radiusM: 50 }, lower: { valueM: 10, reference: 'AGL' }, upper: { valueM: 120, reference: 'AGL' } };
    const band = zoneBand(v, ORIGIN_AMSL_M);
    expect(band).toEqual({ bottomZ: 10, topZ: 120, capped: false });
    const b = bounds(zoneVolumeGeometry(v, band));
    expect(b.min.x).toBeCloseTo(70, 6);
    expect(b.max.x).toBeCloseTo(170, 6);
    expect(b.min.y).toBeCloseTo(-80, 6);
    expect(b.max.y).toBeCloseTo(20, 6);
    expect(b.min.z).toBeCloseTo(10, 6);
    expect(b.max.z).toBeCloseTo(120, 6);
  });

  it('extrudes a polygon zone between its limits, AMSL limits taken over the ground at the origin altitude', () => {
    const v: VolumeDescriptor = {
      shape: { kind: 'polygon', vertices: [[20, -15], [40, -15], [40, 15], [25, 20], [20, 15]] },
      lower: { valueM: ORIGIN_AMSL_M + 30, reference: 'AMSL' },
      upper: { valueM: ORIGIN_AMSL_M + 90, reference: 'AMSL' },
    };
    const band = zoneBand(v, ORIGIN_AMSL_M);
    expect(band.bottomZ).toBeCloseTo(30, 9);
    expect(band.topZ).toBeCloseTo(90, 9);
    const b = bounds(zoneVolumeGeometry(v, band));
    expect([b.min.x, b.max.x, b.min.y, b.max.y]).toEqual([20, 40, -15, 20]);
    expect(b.min.z).toBeCloseTo(30, 6);
    expect(b.max.z).toBeCloseTo(90, 6);
  });

  it('draws a zone without a ceiling up to the display cap, and says it is capped', () => {
    const v: VolumeDescriptor = { shape: { kind: 'circle', centre: [0, 0], radiusM: 10 }, lower: { valueM: 0, reference: 'AGL' }, upper: null };
    const band = zoneBand(v, ORIGIN_AMSL_M);
    expect(band).toEqual({ bottomZ: 0, topZ: ZONE_DISPLAY_CAP_M, capped: true });
    expect(bounds(zoneVolumeGeometry(v, band)).max.z).toBeCloseTo(ZONE_DISPLAY_CAP_M, 6);
    // A floor above the cap still gets a visible slab above it.
    const high = zoneBand({ ...v, lower: { valueM: 200, reference: 'AGL' } }, ORIGIN_AMSL_M);
    expect(high.topZ).toBeGreaterThan(high.bottomZ);
  });

  it('has a distinct colour for every restriction class', () => {
    const colours = RESTRICTION_CLASSES.map((c) => ZONE_COLORS[c]);
    expect(new Set(colours).size).toBe(RESTRICTION_CLASSES.length);
    expect(ZONE_COLORS.PROHIBITED).toMatch(/^#ff/);
  });
});

describe('the planned path', () => {
  it('is the latest airspace plan at its leg waypoint height, else the mission waypoints, else nothing', () => {
    const waypoints = [[0, 0, 20], [240, 0, 25]];
    expect(plannedPolyline({ p: { waypoints } }, 0)).toEqual([[0, 0, 20], [240, 0, 25]]);
    const plans = [
      { t: 0, path: [[0, 0], [240, 0]] as [number, number][], leg: 1 },
      { t: 5, path: [[40, 0], [120, 60], [240, 0]] as [number, number][], leg: 1 },
    ];
    expect(plannedPolyline({ p: { waypoints }, plans }, 7)).toEqual([[40, 0, 25], [120, 60, 25], [240, 0, 25]]);
    // The return (leg -1) is flown at the drone's height when planned.
    expect(plannedPolyline({ p: { waypoints }, plans: [{ t: 9, path: [[240, 0], [0, 0]], leg: -1 }] }, 31)).toEqual([[240, 0, 31], [0, 0, 31]]);
    expect(plannedPolyline({}, 0)).toBeNull();
  });
});

describe('the breach reading (ground truth)', () => {
  it('tells an authorised stay in a REQ_AUTHORISATION zone from a breach', () => {
    const corr = new Zone({ id: 'CORR-1', restriction: 'REQ_AUTHORISATION', applicability: { kind: 'permanent' }, volumes: [{ shape: { kind: 'polygon', vertices: [[20, -15], [40, -15], [40, 15], [20, 15]] }, lower: { valueM: 0, reference: 'AGL' }, upper: { valueM: 120, reference: 'AGL' } }] });
    const mk = (authorisations: string[]) => new AirspaceService({ zones: [corr], startUtcMs: 0, originAmslM: ORIGIN_AMSL_M, uavs: [{ id: 'drone', authorisations }] });
    const ok = mk(['CORR-1']);
    ok.observe('drone', 1, 30, 0, 20, 8, 0, 0);
    expect(readAirspace(ok, 'drone', [30, 0, 20], 1)).toEqual({ state: 'in-zone', text: 'in CORR-1 (REQ_AUTHORISATION, authorised)' });
    const no = mk([]);
    no.observe('drone', 1, 30, 0, 20, 8, 0, 0);
    expect(readAirspace(no, 'drone', [30, 0, 20], 1).state).toBe('inside');
  });

  const zone = new Zone({ id: 'CTR-1', restriction: 'PROHIBITED', applicability: { kind: 'permanent' }, volumes: [{ shape: { kind: 'circle', centre: [120, 0], radiusM: 50 }, lower: { valueM: 0, reference: 'AGL' }, upper: { valueM: 120, reference: 'AGL' } }] });
  const svc = new AirspaceService({ zones: [zone], startUtcMs: Date.UTC(2026, 10, 25, 10), originAmslM: ORIGIN_AMSL_M, uavs: [{ id: 'drone', authorisations: [] }] });

  it('says inside when the true position is in an active zone, clear outside, and nothing once the zone is off', () => {
    expect(readAirspace(svc, 'drone', [120, 10, 20], 0)).toEqual({ state: 'inside', text: 'inside CTR-1 (PROHIBITED)' });
    expect(readAirspace(svc, 'drone', [120, 10, 130], 0).state).toBe('clear');
    expect(readAirspace(svc, 'drone', [0, 0, 20], 0).state).toBe('clear');
    svc.setActive('CTR-1', false, 10);
    expect(readAirspace(svc, 'drone', [120, 10, 20], 9.9).state).toBe('inside');
    expect(readAirspace(svc, 'drone', [120, 10, 20], 11).state).toBe('clear');
  });
});
