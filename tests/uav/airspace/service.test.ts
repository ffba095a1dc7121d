/**
 * The airspace service (uav/airspace/service.ts): UTC mapping, activation
 * with schedules, windows and timeline overrides, and the compliance engine
 * on a scripted flight (no world: `observe` is called with the ground-truth
 * samples a world would give it).
 */
import { describe, expect, it } from 'vitest';
import { AirspaceService, stoppingDistanceM } from '../../../uav/airspace/service.ts';
import { Zone, type ZoneDescriptor } from '../../../uav/airspace/zone.ts';

const circle = (id: string, restriction: ZoneDescriptor['restriction'], cx: number, r: number, lower = 0, upper: number | null = 120, extra: Partial<ZoneDescriptor> = {}): Zone =>
  new Zone({
    id,
    restriction,
    volumes: [{ shape: { kind: 'circle', centre: [cx, 0], radiusM: r }, lower: { valueM: lower, reference: 'AGL' }, upper: upper === null ? null : { valueM: upper, reference: 'AGL' } }],
    applicability: { kind: 'permanent' },
    ...extra,
  });

const SAT_10 = Date.parse('2026-11-28T10:00:00Z');

describe('AirspaceService: time and activation', () => {
  const weekend = circle('WKD', 'PROHIBITED', 0, 10, 0, 120, {
    applicability: { kind: 'periods', periods: [{ startMs: null, endMs: null, schedule: [{ days: ['SAT', 'SUN'], startS: 8 * 3600, endS: 20 * 3600 }] }] },
  });
  const window = circle('WIN', 'PROHIBITED', 0, 10, 0, 120, {
    applicability: { kind: 'periods', periods: [{ startMs: SAT_10 + 30_000, endMs: SAT_10 + 60_000, schedule: [] }] },
  });
  const svc = () => new AirspaceService({ zones: [weekend, window, circle('PERM', 'PROHIBITED', 0, 5)], startUtcMs: SAT_10, originAmslM: 400, uavs: [], offAtStart: [2] });

  it('maps simulation time to UTC from the start instant', () => {
    const s = svc();
    expect(s.utcMsAt(0)).toBe(SAT_10);
    expect(s.utcMsAt(12.5)).toBe(SAT_10 + 12_500);
    expect(s.groundAmslM(123, -4)).toBe(400);
  });

  it('follows weekly schedules across the simulated day (Saturday 20:00 UTC ends the weekend zone)', () => {
    const s = svc();
    expect(s.isActive(0, 0)).toBe(true);
    expect(s.isActive(0, 10 * 3600 - 1)).toBe(true); // 19:59:59
    expect(s.isActive(0, 10 * 3600)).toBe(false); // 20:00, end exclusive
    expect(s.isActive(0, 22 * 3600)).toBe(true); // Sunday 08:00
  });

  it('follows date windows: [start, end)', () => {
    const s = svc();
    expect(s.isActive(1, 29.999)).toBe(false);
    expect(s.isActive(1, 30)).toBe(true);
    expect(s.isActive(1, 59.999)).toBe(true);
    expect(s.isActive(1, 60)).toBe(false);
  });

  it('timeline overrides win over the schedule from their time on; activeAtStart false is off until switched', () => {
    const s = svc();
    expect(s.isActive(2, 0)).toBe(false);
    s.setActive('PERM', true, 10);
    expect(s.isActive(2, 9.99)).toBe(false);
    expect(s.isActive(2, 10)).toBe(true);
    s.setActive('WKD', false, 20);
    expect(s.isActive(0, 19)).toBe(true);
    expect(s.isActive(0, 25)).toBe(false);
    s.setActive('WKD', true, 30);
    expect(s.isActive(0, 31)).toBe(true);
    expect(() => s.isActive(7, 0)).toThrow(/no airspace zone 7/);
  });
});

describe('AirspaceService: compliance on a scripted flight', () => {
  it('stopping distance: v^2 / (2 * 5 m/s^2) + 0.5 s * v', () => {
    expect(stoppingDistanceM(0)).toBe(0);
    expect(stoppingDistanceM(10)).toBeCloseTo(100 / 10 + 5, 12);
  });

  it('records an incursion: entry and exit times, 3D depth; margins; authorisation flag', () => {
    // A 20 m circle about (50, 0), 0..30 m AGL; the UAV flies x = 0..100 along y = 0 at 10 m height, 10 m/s, 0.1 s steps.
    const z = circle('C', 'PROHIBITED', 50, 20, 0, 30);
    const s = new AirspaceService({ zones: [z], startUtcMs: SAT_10, originAmslM: 400, uavs: [{ id: 'u', authorisations: [] }] });
    for (let k = 0; k <= 100; k++) s.observe('u', k * 0.1, k, 0, 10, 10, 0, 0);
    expect(s.incursions.length).toBe(1);
    const inc = s.incursions[0]!;
    expect(inc.zone).toBe('C');
    expect(inc.restriction).toBe('PROHIBITED');
    expect(inc.entryS).toBeCloseTo(3.0, 9); // x = 30: on the boundary counts as inside
    expect(inc.exitS).toBeCloseTo(7.1, 9); // x = 71: first sample outside
    // Deepest at the centre: 20 m to the side, but 10 m to the floor (the ground at 0 m AGL): depth 10 m.
    expect(inc.maxDepthM).toBeCloseTo(10, 9);
    expect(inc.authorised).toBe(false);
    const m = s.marginsOf('u', 0);
    expect(m.minHorizontalM).toBeCloseTo(-20, 9);
    expect(m.minHorizontalAtS).toBeCloseTo(5, 9);
    expect(m.minVerticalM).toBeCloseTo(-10, 9);
    expect(s.pathOf('u').lengthM).toBeCloseTo(100, 9);
    expect(AirspaceService.durationS(inc, 10)).toBeCloseTo(4.1, 9);
  });

  it('above the ceiling: no incursion, the vertical margin is the height over it, no horizontal margin in band', () => {
    const z = circle('LOW', 'PROHIBITED', 50, 20, 0, 30);
    const s = new AirspaceService({ zones: [z], startUtcMs: SAT_10, originAmslM: 0, uavs: [{ id: 'u', authorisations: [] }] });
    for (let k = 0; k <= 100; k++) s.observe('u', k * 0.1, k, 0, 45, 10, 0, 0);
    expect(s.incursions).toEqual([]);
    expect(s.marginsOf('u', 0).minVerticalM).toBeCloseTo(15, 9);
    expect(s.marginsOf('u', 0).minHorizontalM).toBe(Infinity);
  });

  it('an inactive zone is not an incursion; switching it off mid-incursion closes it', () => {
    const z = circle('T', 'PROHIBITED', 50, 20);
    const s = new AirspaceService({ zones: [z], startUtcMs: SAT_10, originAmslM: 0, uavs: [{ id: 'u', authorisations: [] }], offAtStart: [0] });
    for (let k = 0; k <= 40; k++) s.observe('u', k * 0.1, k, 0, 10, 10, 0, 0);
    expect(s.incursions).toEqual([]);
    s.setActive('T', true, 4.05);
    for (let k = 41; k <= 60; k++) s.observe('u', k * 0.1, k, 0, 10, 10, 0, 0);
    s.setActive('T', false, 6.05);
    for (let k = 61; k <= 100; k++) s.observe('u', k * 0.1, k, 0, 10, 10, 0, 0);
    expect(s.incursions.length).toBe(1);
    expect(s.incursions[0]!.entryS).toBeCloseTo(4.1, 9);
    expect(s.incursions[0]!.exitS).toBeCloseTo(6.1, 9);
  });

  it('warns of a predicted breach within the stopping distance, only for zones the UAV may not enter', () => {
    // 10 m/s: stopping distance 15 m. A PROHIBITED circle edge at x = 30; a REQ_AUTHORISATION one the UAV holds, edge at x = 30 too.
    const s = new AirspaceService({
      zones: [circle('P', 'PROHIBITED', 50, 20), circle('R', 'REQ_AUTHORISATION', 50, 20), circle('W', 'WARNING', 50, 20)],
      startUtcMs: SAT_10,
      originAmslM: 0,
      uavs: [{ id: 'u', authorisations: ['R'] }],
    });
    s.observe('u', 0, 10, 0, 10, 10, 0, 0); // 20 m out: beyond 15 m
    expect(s.warningsFor('u')).toEqual([]);
    s.observe('u', 0.1, 20, 0, 10, 10, 0, 0); // 10 m out: within it
    const w = s.warningsFor('u');
    expect(w.map((x) => x.zone)).toEqual(['P']);
    expect(w[0]!.distanceM).toBeGreaterThanOrEqual(10);
    expect(w[0]!.distanceM).toBeLessThanOrEqual(15);
    expect(w[0]!.sinceS).toBe(0.1);
    // Flying away: the warning is withdrawn.
    s.observe('u', 0.2, 20, 0, 10, -10, 0, 0);
    expect(s.warningsFor('u')).toEqual([]);
  });
});
