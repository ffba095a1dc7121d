/** The zone model: containment, margins, AGL against AMSL, feet, and when a zone applies. */
import { describe, expect, it } from 'vitest';
import { findSelfIntersection } from '../../../uav/airspace/polygon.ts';
import {
  FOOT_M,
  Zone,
  feetToMetres,
  signedHorizontalDistanceM,
  verticalMargins,
  weekdayIndexUtc,
  type ApplicabilityPeriod,
  type VolumeDescriptor,
  type WeeklyPeriod,
  type ZoneDescriptor,
} from '../../../uav/airspace/zone.ts';

const AGL = (valueM: number) => ({ valueM, reference: 'AGL' as const });
const AMSL = (valueM: number) => ({ valueM, reference: 'AMSL' as const });

/** An L-shaped (concave) polygon: 0..200 east, 0..200 north, minus the quadrant east > 100, north > 100. */
const L_SHAPE: VolumeDescriptor = {
  shape: { kind: 'polygon', vertices: [[0, 0], [200, 0], [200, 100], [100, 100], [100, 200], [0, 200]] },
  lower: AGL(0),
  upper: AGL(120),
};
const CIRCLE: VolumeDescriptor = { shape: { kind: 'circle', centre: [500, -300], radiusM: 150 }, lower: AGL(30), upper: AMSL(600) };

function zone(over: Partial<ZoneDescriptor> = {}): Zone {
  return new Zone({ id: 'TEST001', restriction: 'PROHIBITED', volumes: [L_SHAPE], applicability: { kind: 'permanent' }, ...over });
}

/** UTC epoch ms of a calendar instant. */
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('Zone containment and horizontal distance', () => {
  const z = zone();

  it('puts points in the L but not in its missing quadrant', () => {
    expect(z.contains(50, 50, 10)).toBe(true);
    expect(z.contains(150, 50, 10)).toBe(true);
    expect(z.contains(50, 150, 10)).toBe(true);
    expect(z.contains(150, 150, 10)).toBe(false); // the notch of the L
    expect(z.contains(-1, 50, 10)).toBe(false);
  });

  it('counts the boundary as inside: sides, vertices, floor and ceiling', () => {
    expect(z.contains(0, 50, 10)).toBe(true);
    expect(z.contains(100, 150, 10)).toBe(true); // the inner side of the notch
    expect(z.contains(200, 100, 10)).toBe(true); // a vertex
    expect(z.contains(50, 50, 0)).toBe(true); // floor
    expect(z.contains(50, 50, 120)).toBe(true); // ceiling
    expect(z.contains(50, 50, 120.001)).toBe(false);
    expect(z.contains(50, 50, -0.001)).toBe(false);
    expect(z.horizontalDistanceM(0, 50)).toBe(0);
  });

  it('gives the signed distance to the nearest side: negative inside, positive outside', () => {
    expect(z.horizontalDistanceM(50, 30)).toBeCloseTo(-30, 12); // nearest side: the south one
    expect(z.horizontalDistanceM(150, 150)).toBeCloseTo(50, 12); // in the notch, 50 m from both inner sides
    expect(z.horizontalDistanceM(230, 140)).toBeCloseTo(50, 12); // outside the NE corner (200, 100): 3-4-5
    expect(z.horizontalDistanceM(-10, -10)).toBeCloseTo(Math.SQRT2 * 10, 12);
  });

  it('measures a circle from its rim', () => {
    const s = CIRCLE.shape;
    expect(signedHorizontalDistanceM(s, 500, -300)).toBe(-150);
    expect(signedHorizontalDistanceM(s, 500 + 90, -300 + 120)).toBeCloseTo(0, 12);
    expect(signedHorizontalDistanceM(s, 500, -300 + 200)).toBeCloseTo(50, 12);
  });

  it('is the union of its volumes (a two-tier cake) and ignores time', () => {
    const cake = zone({
      volumes: [
        { shape: { kind: 'circle', centre: [0, 0], radiusM: 100 }, lower: AGL(0), upper: AGL(100) },
        { shape: { kind: 'circle', centre: [0, 0], radiusM: 300 }, lower: AGL(60), upper: AGL(100) },
      ],
      applicability: { kind: 'periods', periods: [{ startMs: 0, endMs: 1, schedule: [] }] },
    });
    expect(cake.contains(200, 0, 30)).toBe(false); // under the wide tier's floor, outside the narrow one
    expect(cake.contains(200, 0, 70)).toBe(true);
    expect(cake.contains(50, 0, 30)).toBe(true);
    expect(cake.horizontalDistanceM(200, 0)).toBeCloseTo(-100, 12);
    expect(cake.signedDistanceM(200, 0, 30)).toBeCloseTo(30, 12); // 30 m under the 60 m floor
    expect(cake.signedDistanceM(350, 0, 200)).toBeCloseTo(Math.hypot(50, 100), 12); // off the rim and over the top
  });

  it('signed 3D distance: inside it is minus the depth to the nearest side, floor or ceiling', () => {
    expect(z.signedDistanceM(50, 30, 100)).toBeCloseTo(-20, 12); // 20 m under the ceiling, 30 m from a side
    expect(z.signedDistanceM(50, 30, 10)).toBeCloseTo(-10, 12);
    expect(z.signedDistanceM(50, 50, 130)).toBeCloseTo(10, 12);
  });
});

describe('vertical limits: AGL against AMSL, margins, feet', () => {
  it('gives the margins to floor and ceiling, and an infinite one without a ceiling', () => {
    const m = verticalMargins(CIRCLE, 500, -300, 100);
    expect(m.aboveLowerM).toBe(70); // 100 m AMSL over flat ground at 0 m AMSL: 70 m above the 30 m AGL floor
    expect(m.belowUpperM).toBe(500);
    const open: VolumeDescriptor = { ...CIRCLE, upper: null };
    expect(verticalMargins(open, 500, -300, 100).belowUpperM).toBe(Infinity);
    expect(zone({ volumes: [open] }).contains(500, -300, 1e6)).toBe(true);
  });

  it('raises AGL limits with the ground and leaves AMSL limits where they are', () => {
    const hill = (e: number) => (e > 400 ? 450 : 0); // the circle stands on a 450 m plateau
    const z = zone({ volumes: [CIRCLE] });
    // 100 m AMSL is inside over flat ground (floor 30 m) but underground on the plateau.
    expect(z.contains(500, -300, 100)).toBe(true);
    expect(z.contains(500, -300, 100, hill)).toBe(false);
    // On the plateau the AGL floor is at 480 m AMSL; the AMSL ceiling stays at 600 m.
    expect(z.contains(500, -300, 479, hill)).toBe(false);
    expect(z.contains(500, -300, 480, hill)).toBe(true);
    expect(z.contains(500, -300, 600, hill)).toBe(true);
    expect(z.contains(500, -300, 601, hill)).toBe(false);
    const m = verticalMargins(CIRCLE, 500, -300, 500, hill);
    expect(m.aboveLowerM).toBe(20);
    expect(m.belowUpperM).toBe(100);
  });

  it('converts feet with the international foot', () => {
    expect(FOOT_M).toBe(0.3048);
    expect(feetToMetres(400)).toBeCloseTo(121.92, 12);
    const ft = zone({ volumes: [{ ...L_SHAPE, upper: AGL(feetToMetres(400)) }] });
    expect(ft.contains(50, 50, 121.9)).toBe(true);
    expect(ft.contains(50, 50, 121.95)).toBe(false);
  });

  it('makes an altitude cap the airspace above the cap', () => {
    const cap = zone({ restriction: 'ALTITUDE_CAP', volumes: [{ ...L_SHAPE, lower: AGL(120), upper: null }] });
    expect(cap.contains(50, 50, 119)).toBe(false);
    expect(cap.contains(50, 50, 121)).toBe(true);
  });
});

describe('invariants', () => {
  it('refuses bad descriptors with a RangeError naming the zone', () => {
    expect(() => zone({ volumes: [{ ...L_SHAPE, lower: AGL(150) }] })).toThrow(/zone "TEST001".*lower limit 150 m is above upper limit 120 m/);
    expect(() => zone({ volumes: [{ ...L_SHAPE, shape: { kind: 'polygon', vertices: [[0, 0], [1, 0]] } }] })).toThrow(/at least 3 vertices/);
    expect(() => zone({ volumes: [{ ...L_SHAPE, shape: { kind: 'polygon', vertices: [[0, 0], [10, 10], [10, 0], [0, 10]] } }] })).toThrow(/intersects itself/);
    expect(() => zone({ volumes: [{ ...L_SHAPE, shape: { kind: 'polygon', vertices: [[0, 0], [10, 0], [10, 0], [0, 10]] } }] })).toThrow(/duplicate consecutive/);
    expect(() => zone({ volumes: [{ ...CIRCLE, shape: { kind: 'circle', centre: [0, NaN], radiusM: 5 } }] })).toThrow(/finite/);
    expect(() => zone({ restriction: 'NO_FLY' as never })).toThrow(/restriction must be one of/);
  });

  it('finds self-intersections, including an edge folding back onto its neighbour', () => {
    expect(findSelfIntersection([[0, 0], [10, 0], [10, 10], [0, 10]])).toBeNull();
    expect(findSelfIntersection([[0, 0], [10, 10], [10, 0], [0, 10]])).toEqual([0, 2]);
    expect(findSelfIntersection([[0, 0], [10, 0], [5, 0], [5, 5]])).not.toBeNull();
  });
});

describe('time applicability', () => {
  const at = (periods: ApplicabilityPeriod[]) => zone({ applicability: { kind: 'periods', periods } });
  const weekly = (s: WeeklyPeriod) => at([{ startMs: null, endMs: null, schedule: [s] }]);

  it('knows the weekday of a UTC instant (2026-11-27 is a Friday, 2026-11-28 a Saturday)', () => {
    expect(weekdayIndexUtc(utc(2026, 11, 27, 12))).toBe(4);
    expect(weekdayIndexUtc(utc(2026, 11, 28, 0))).toBe(5);
    expect(weekdayIndexUtc(utc(1969, 12, 29, 0))).toBe(0); // a Monday before the epoch
  });

  it('is always on when permanent', () => {
    expect(zone().isActive(utc(2026, 1, 1))).toBe(true);
    expect(zone().isActive(-1e12)).toBe(true);
  });

  it('applies from the start of a window (inclusive) to its end (exclusive)', () => {
    const z = at([{ startMs: utc(2026, 6, 1, 8), endMs: utc(2026, 6, 1, 12), schedule: [] }]);
    expect(z.isActive(utc(2026, 6, 1, 8) - 1)).toBe(false);
    expect(z.isActive(utc(2026, 6, 1, 8))).toBe(true);
    expect(z.isActive(utc(2026, 6, 1, 12) - 1)).toBe(true);
    expect(z.isActive(utc(2026, 6, 1, 12))).toBe(false);
  });

  it('applies from a window start on, or up to a window end, when the other end is open (a zone appearing or vanishing mid-flight)', () => {
    expect(at([{ startMs: 1000, endMs: null, schedule: [] }]).isActive(999)).toBe(false);
    expect(at([{ startMs: 1000, endMs: null, schedule: [] }]).isActive(1e15)).toBe(true);
    expect(at([{ startMs: null, endMs: 1000, schedule: [] }]).isActive(999)).toBe(true);
    expect(at([{ startMs: null, endMs: 1000, schedule: [] }]).isActive(1000)).toBe(false);
  });

  it('a weekend schedule is off on a Friday and on on Saturday, with exact boundaries', () => {
    const z = weekly({ days: ['SAT', 'SUN'], startS: 6 * 3600, endS: 20 * 3600 });
    expect(z.isActive(utc(2026, 11, 27, 12))).toBe(false); // Friday noon
    expect(z.isActive(utc(2026, 11, 28, 12))).toBe(true); // Saturday noon
    expect(z.isActive(utc(2026, 11, 29, 12))).toBe(true); // Sunday noon
    expect(z.isActive(utc(2026, 11, 30, 12))).toBe(false); // Monday noon
    expect(z.isActive(utc(2026, 11, 28, 6) - 1)).toBe(false);
    expect(z.isActive(utc(2026, 11, 28, 6))).toBe(true);
    expect(z.isActive(utc(2026, 11, 28, 20) - 1)).toBe(true);
    expect(z.isActive(utc(2026, 11, 28, 20))).toBe(false);
  });

  it('runs a schedule past midnight into the next day, attached to the day it starts', () => {
    const z = weekly({ days: ['FRI'], startS: 22 * 3600, endS: 6 * 3600 });
    expect(z.isActive(utc(2026, 11, 27, 22) - 1)).toBe(false); // Friday 21:59:59.999
    expect(z.isActive(utc(2026, 11, 27, 22))).toBe(true); // Friday 22:00
    expect(z.isActive(utc(2026, 11, 28, 0))).toBe(true); // Saturday 00:00
    expect(z.isActive(utc(2026, 11, 28, 6) - 1)).toBe(true);
    expect(z.isActive(utc(2026, 11, 28, 6))).toBe(false);
    expect(z.isActive(utc(2026, 11, 27, 3))).toBe(false); // Friday 03:00 belongs to Thursday night, not listed
    expect(z.isActive(utc(2026, 11, 28, 23))).toBe(false); // Saturday night not listed
  });

  it('wraps the week: Sunday night into Monday morning', () => {
    const z = weekly({ days: ['SUN'], startS: 23 * 3600, endS: 3600 });
    expect(z.isActive(utc(2026, 11, 29, 23, 30))).toBe(true);
    expect(z.isActive(utc(2026, 11, 30, 0, 59))).toBe(true);
    expect(z.isActive(utc(2026, 11, 30, 1))).toBe(false);
  });

  it('takes an end equal to the start as a full 24 h', () => {
    const z = weekly({ days: ['SAT'], startS: 0, endS: 0 });
    expect(z.isActive(utc(2026, 11, 28, 0))).toBe(true);
    expect(z.isActive(utc(2026, 11, 29, 0) - 1)).toBe(true);
    expect(z.isActive(utc(2026, 11, 29, 0))).toBe(false);
    expect(z.isActive(utc(2026, 11, 28, 0) - 1)).toBe(false);
  });

  it('narrows a schedule to its date window', () => {
    const z = at([{ startMs: utc(2026, 12, 1), endMs: utc(2027, 1, 1), schedule: [{ days: ['SAT'], startS: 0, endS: 86_400 }] }]);
    expect(z.isActive(utc(2026, 11, 28, 12))).toBe(false); // a Saturday before the window
    expect(z.isActive(utc(2026, 12, 5, 12))).toBe(true); // a Saturday inside it
    expect(z.isActive(utc(2026, 12, 4, 12))).toBe(false); // a Friday inside it
  });

  it('is active when any one of its periods is', () => {
    const z = at([
      { startMs: 0, endMs: 10, schedule: [] },
      { startMs: 20, endMs: 30, schedule: [] },
    ]);
    expect([5, 15, 25, 30].map((t) => z.isActive(t))).toEqual([true, false, true, false]);
  });
});
