import { describe, expect, it } from 'vitest';
import { newRoadPose } from '../../../vehicles/road/geometry.ts';
import { markPermitsLaneChange } from '../../../vehicles/road/lane.ts';
import { LaneSection } from '../../../vehicles/road/lane-section.ts';
import { constantCubic, cubicAt, cubicSlopeAt } from '../../../vehicles/road/polynomial.ts';
import { ReferenceLineError } from '../../../vehicles/road/reference-line.ts';
import { newLanePosition, Road, type RoadDescriptor } from '../../../vehicles/road/road.ts';

const straight = (lengthM: number) => [{ type: 'line' as const, s: 0, x: 0, y: 0, headingRad: 0, lengthM }];

describe('lane width polynomial', () => {
  it('evaluates a + b ds + c ds^2 + d ds^3 from the start of the record in force', () => {
    const w = [
      { sOffset: 0, a: 3, b: 0.1, c: -0.01, d: 0.001 },
      { sOffset: 10, a: 2, b: 0, c: 0, d: 0 },
    ];
    expect(cubicAt(w, 4)).toBeCloseTo(3 + 0.4 - 0.16 + 0.064, 14);
    expect(cubicSlopeAt(w, 4)).toBeCloseTo(0.1 - 0.08 + 0.048, 14);
    expect(cubicAt(w, 12)).toBe(2);
    expect(cubicAt([{ sOffset: 5, a: 1, b: 0, c: 0, d: 0 }], 2)).toBe(0);
  });

  it('refuses records out of order', () => {
    expect(() => new LaneSection({ s: 0, left: [], right: [{ id: -1, type: 'driving', width: [{ sOffset: 5, a: 1, b: 0, c: 0, d: 0 }, { sOffset: 1, a: 1, b: 0, c: 0, d: 0 }] }] }))
      .toThrow(/increasing sOffset/);
  });
});

describe('lane section', () => {
  const sec = new LaneSection({
    s: 100,
    left: [{ id: 2, type: 'sidewalk', width: constantCubic(2) }, { id: 1, type: 'driving', width: constantCubic(3.5) }],
    right: [
      { id: -1, type: 'driving', width: constantCubic(3.5) },
      // Widens from 3 m by 0.1 m per m.
      { id: -2, type: 'driving', width: [{ sOffset: 0, a: 3, b: 0.1, c: 0, d: 0 }] },
    ],
  });

  it('stacks lanes outwards from the centre lane, left positive', () => {
    expect(sec.outerT(1, 0, 0)).toBe(3.5);
    expect(sec.outerT(2, 0, 0)).toBe(5.5);
    expect(sec.centerT(-1, 0, 0)).toBe(-1.75);
    expect(sec.centerT(-2, 10, 0)).toBeCloseTo(-3.5 - 2, 12);
    expect(sec.centerT(1, 0, 0.5)).toBe(0.5 + 1.75);
    expect(sec.centerSlope(-2, 3)).toBeCloseTo(-0.05, 14);
  });

  it('finds the lane holding a lateral position', () => {
    expect(sec.laneAtT(1, 0, 0)).toBe(1);
    expect(sec.laneAtT(4, 0, 0)).toBe(2);
    expect(sec.laneAtT(-5, 0, 0)).toBe(-2);
    expect(sec.laneAtT(-7, 0, 0)).toBeUndefined();
    expect(sec.laneAtT(6, 0, 0)).toBeUndefined();
  });

  it('refuses ids that are not contiguous or on the wrong side', () => {
    expect(() => new LaneSection({ s: 0, left: [{ id: 2, type: 'driving', width: constantCubic(3) }], right: [] })).toThrow(/1 is missing/);
    expect(() => new LaneSection({ s: 0, left: [{ id: -1, type: 'driving', width: constantCubic(3) }], right: [] })).toThrow(/positive id/);
  });
});

describe('road', () => {
  const d: RoadDescriptor = {
    id: 'r',
    planView: straight(200),
    laneSections: [
      {
        s: 0,
        left: [{ id: 1, type: 'driving', width: constantCubic(3.5), speed: [{ sOffset: 0, maxMps: 10 }] }],
        right: [{ id: -1, type: 'driving', width: constantCubic(3.5), roadMarks: [{ sOffset: 0, type: 'solid', color: 'white', widthM: 0.15 }], successor: -1 }],
      },
      {
        s: 120,
        left: [{ id: 1, type: 'driving', width: constantCubic(3.5) }],
        right: [{ id: -1, type: 'driving', width: [{ sOffset: 0, a: 3.5, b: 0.05, c: 0, d: 0 }], predecessor: -1 }],
      },
    ],
    speedLimitMps: 13.9,
  };
  const road = new Road(d);

  it('places lane centres in the world and gives their heading, including widening', () => {
    const p = road.laneCenterAt(1, -1, 140, newRoadPose());
    expect(p.x).toBeCloseTo(140, 12);
    expect(p.y).toBeCloseTo(-(3.5 + 0.05 * 20) / 2, 12);
    // t falls by 0.025 m per m: the centre line heads slightly right.
    expect(p.headingRad).toBeCloseTo(Math.atan2(-0.025, 1), 14);
  });

  it('samples a centre line in the driving direction, both ends included', () => {
    const right = road.sampleLaneCenter(0, -1, 10);
    expect(right).toHaveLength(13);
    expect(right[0]!.s).toBe(0);
    expect(right[12]!.s).toBe(120);
    const left = road.sampleLaneCenter(0, 1, 10);
    expect(left[0]!.s).toBe(120);
    expect(left[0]!.headingRad).toBeCloseTo(Math.PI, 14);
    expect(left[0]!.y).toBeCloseTo(1.75, 14);
  });

  it('gives the lane speed limit, else the road one', () => {
    expect(road.speedLimitAt(0, 1, 50)).toBe(10);
    expect(road.speedLimitAt(0, -1, 50)).toBe(13.9);
  });

  it('locates a world point in section, lane and road coordinates', () => {
    const at = road.locate(130, -2, newLanePosition());
    expect(at.sectionIndex).toBe(1);
    expect(at.laneId).toBe(-1);
    expect(at.s).toBeCloseTo(130, 12);
    expect(road.locate(50, 1, at).laneId).toBe(1);
    expect(road.locate(50, 5, at).laneId).toBeUndefined();
  });

  it('names the road whose reference line has a broken joint', () => {
    const planView = [...straight(10), { type: 'line' as const, s: 10, x: 10, y: 0.5, headingRad: 0, lengthM: 10 }];
    expect(() => new Road({ ...d, planView })).toThrow(ReferenceLineError);
    expect(() => new Road({ ...d, planView })).toThrow(/^road r: reference line: geometry 1 \(line\)/);
  });

  it('refuses a first section that does not start at s = 0', () => {
    expect(() => new Road({ ...d, laneSections: [{ ...d.laneSections[0]!, s: 1 }] })).toThrow(/first lane section must start at s=0/);
  });
});

describe('road marks', () => {
  it('only broken or absent marks permit a lane change', () => {
    expect(markPermitsLaneChange('broken')).toBe(true);
    expect(markPermitsLaneChange('none')).toBe(true);
    expect(markPermitsLaneChange('solid')).toBe(false);
    expect(markPermitsLaneChange('solid broken')).toBe(false);
  });
});
