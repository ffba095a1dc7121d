/**
 * The airspace helpers of uav-pilot (agents/uav/airspace-route.ts): which
 * zones matter to a leg and how, the route round them, the nearest clear
 * point, and the pure-pursuit follower. No world: plain geometry.
 */
import { describe, expect, it } from 'vitest';
import { nearestClearPoint, planRoute, relevanceKey, relevantVolumes, RouteFollower, type RelevanceQuery } from '../../../agents/uav/airspace-route.ts';
import type { AirspaceKnowledge } from '../../../uav/airspace/knowledge.ts';
import { circleToPolygon } from '../../../uav/airspace/polygon.ts';
import { Zone, type RestrictionClass, type VolumeDescriptor } from '../../../uav/airspace/zone.ts';

const circle = (centre: [number, number], radiusM: number, lowerM: number, upperM: number | null, reference: 'AGL' | 'AMSL' = 'AGL'): VolumeDescriptor => ({
  shape: { kind: 'circle', centre, radiusM },
  lower: { valueM: lowerM, reference },
  upper: upperM === null ? null : { valueM: upperM, reference },
});

function knowledge(zones: { id: string; restriction: RestrictionClass; volumes: VolumeDescriptor[] }[], active = (_i: number, _t: number) => true, originAmslM = 0): AirspaceKnowledge {
  return {
    zones: zones.map((z) => new Zone({ ...z, applicability: { kind: 'permanent' } })),
    utcMsAt: (t) => t * 1000,
    isActive: active,
    groundAmslM: () => originAmslM,
  };
}

const AT_5M: RelevanceQuery = { loZ: 5, hiZ: 5, verticalMarginM: 3, authorisations: [], minCruiseZ: 2 };

describe('which zones matter to a leg', () => {
  it('keeps a zone whose band overlaps the flight band plus the margin, and drops one above or below it', () => {
    const k = knowledge([
      { id: 'low', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 0, 50)] },
      { id: 'high', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 9, 50)] },
      { id: 'just-above-margin', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 7.5, 50)] },
    ]);
    const vs = relevantVolumes(k, 0, AT_5M);
    expect(vs.map((v) => k.zones[v.zone]!.id)).toEqual(['low', 'just-above-margin']);
  });

  it('reads AMSL limits against the origin altitude (z = 0 is the ground at the origin)', () => {
    // Origin at 400 m AMSL; a zone from 420 m AMSL up lies 20 m above the ground: clear of a 5 m leg.
    const k = knowledge([{ id: 'amsl', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 420, 600, 'AMSL')] }], undefined, 400);
    expect(relevantVolumes(k, 0, AT_5M)).toEqual([]);
    expect(relevantVolumes(k, 0, { ...AT_5M, loZ: 18, hiZ: 18 })).toHaveLength(1);
  });

  it('treats each class as the brief says: avoid, avoid unless authorised, below a cap, through', () => {
    const zones: { id: string; restriction: RestrictionClass; volumes: VolumeDescriptor[] }[] = [
      { id: 'p', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 0, 50)] },
      { id: 'r', restriction: 'REQ_AUTHORISATION', volumes: [circle([0, 0], 5, 0, 50)] },
      { id: 'cap', restriction: 'ALTITUDE_CAP', volumes: [circle([0, 0], 5, 7, null)] },
      { id: 'low-cap', restriction: 'ALTITUDE_CAP', volumes: [circle([0, 0], 5, 4, null)] },
      { id: 'w', restriction: 'WARNING', volumes: [circle([0, 0], 5, 0, 50)] },
      { id: 'c', restriction: 'CONDITIONAL', volumes: [circle([0, 0], 5, 0, 50)] },
      { id: 'n', restriction: 'NO_RESTRICTION', volumes: [circle([0, 0], 5, 0, 50)] },
    ];
    const k = knowledge(zones);
    const of = (q: RelevanceQuery) => Object.fromEntries(relevantVolumes(k, 0, q).map((v) => [k.zones[v.zone]!.id, v.treatment]));
    // The 4 m cap less the 3 m margin leaves 1 m, under the 2 m floor of cruise: gone round instead.
    expect(of(AT_5M)).toEqual({ p: 'avoid', r: 'avoid', cap: 'below', 'low-cap': 'avoid', w: 'through', c: 'through', n: 'through' });
    expect(of({ ...AT_5M, authorisations: ['r'] }).r).toBe('through');
  });

  it('changes its key when a zone switches on or off, not otherwise', () => {
    const k = knowledge([{ id: 'tfr', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 0, 50)] }], (_i, t) => t >= 10);
    const before = relevanceKey(relevantVolumes(k, 9.9, AT_5M));
    expect(relevanceKey(relevantVolumes(k, 5, AT_5M))).toBe(before);
    expect(relevanceKey(relevantVolumes(k, 10, AT_5M))).not.toBe(before);
  });

  it('foresees a zone its published schedule switches on before the leg ends, but not a timeline override', () => {
    // Friday 23:59:00 UTC (2026-11-27); the zone applies on Saturdays and Sundays.
    const friday = Date.UTC(2026, 10, 27, 23, 59);
    const weekend = new Zone({
      id: 'weekend', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 0, 50)],
      applicability: { kind: 'periods', periods: [{ startMs: null, endMs: null, schedule: [{ days: ['SAT', 'SUN'], startS: 0, endS: 0 }] }] },
    });
    const k: AirspaceKnowledge = { zones: [weekend], utcMsAt: (t) => friday + t * 1000, isActive: (i, t) => weekend.isActive(friday + t * 1000), groundAmslM: () => 0 };
    expect(relevantVolumes(k, 0, AT_5M)).toEqual([]);
    expect(relevantVolumes(k, 0, { ...AT_5M, untilS: 30 })).toEqual([]);
    expect(relevantVolumes(k, 0, { ...AT_5M, untilS: 90 })).toHaveLength(1);
    // The same zone switched off by a timeline event while its schedule says active: nothing to foresee.
    const overridden: AirspaceKnowledge = { ...k, utcMsAt: (t) => friday + 120_000 + t * 1000, isActive: () => false };
    expect(relevantVolumes(overridden, 0, { ...AT_5M, untilS: 600 })).toEqual([]);
  });

  it('takes every tier of a wedding cake that reaches the band', () => {
    const k = knowledge([{ id: 'cake', restriction: 'PROHIBITED', volumes: [circle([0, 0], 5, 0, 30), circle([0, 0], 10, 30, 60), circle([0, 0], 20, 60, 120)] }]);
    expect(relevantVolumes(k, 0, AT_5M).map((v) => v.volume)).toEqual([0]);
    expect(relevantVolumes(k, 0, { ...AT_5M, loZ: 45, hiZ: 45 }).map((v) => v.volume)).toEqual([1]);
    expect(relevantVolumes(k, 0, { ...AT_5M, loZ: 5, hiZ: 70 }).map((v) => v.volume)).toEqual([0, 1, 2]);
  });
});

describe('the route round the zones', () => {
  const zone = circleToPolygon([30, 0], 10, 32);

  it('goes round a zone on the line with the margin, and straight when nothing is in the way', () => {
    const r = planRoute([0, 0], [60, 0], [zone], 5);
    expect(r.ok && r.path.length > 2 && !r.truncated && !r.leftZone).toBe(true);
    const straight = planRoute([0, 30], [60, 30], [zone], 5);
    expect(straight.ok && straight.path).toEqual([[0, 30], [60, 30]]);
  });

  it('ends at the boundary, on the near side, when the destination is inside the zone', () => {
    const r = planRoute([0, 0], [30, 0], [zone], 5);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const end = r.path[r.path.length - 1]!;
    expect(r.truncated).toBe(true);
    // Outside the circle (circumscribed 32-gon) plus the margin, within the slack, on the side it comes from.
    expect(Math.hypot(end[0] - 30, end[1])).toBeGreaterThanOrEqual(15);
    expect(Math.hypot(end[0] - 30, end[1])).toBeLessThan(15.6);
    expect(end[0]).toBeLessThan(30);
  });

  it('leaves by the nearest clear point when the start is inside', () => {
    const p = nearestClearPoint([36, 0], [zone], 5)!;
    expect(p[0]).toBeGreaterThan(44.9); // out through the near (east) side: 30 + 10 + 5
    const r = planRoute([36, 0], [80, 0], [zone], 5);
    expect(r.ok && r.leftZone && r.path[0]).toEqual([36, 0]);
  });
});

describe('pure pursuit along the route', () => {
  it('puts the carrot the lookahead ahead of the projection and counts what is left', () => {
    const f = new RouteFollower([[0, 0], [10, 0], [10, 10]], 3);
    f.update(2, 0.5);
    expect(f.carrot).toEqual([5, 0]);
    expect(f.remainingM).toBeCloseTo(18, 9);
    f.update(9, 0);
    expect(f.carrot[0]).toBeCloseTo(10, 9);
    expect(f.carrot[1]).toBeCloseTo(2, 9);
    f.update(10.2, 9.9);
    expect(f.carrot).toEqual([10, 10]);
  });
});
