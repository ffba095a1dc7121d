/** The wind indicator: where the wind blows from (compass, meteorological), how the arrow and the HUD vane turn. */
import { describe, expect, it } from 'vitest';
import { ARROW_MAX_M, ARROW_MIN_M, arrowLengthM, formatWind, vaneRotationDeg, windReadout } from '../../web/wind-readout.ts';

describe('windReadout', () => {
  it('names the direction the wind blows from, clockwise from north', () => {
    // Air moving east comes from the west.
    expect(windReadout([3, 0, 0])).toMatchObject({ horizontalMps: 3, fromDeg: 270, fromName: 'W' });
    // Air moving north comes from the south; moving south-west comes from the north-east.
    expect(windReadout([0, 2, 0])).toMatchObject({ fromDeg: 180, fromName: 'S' });
    const ne = windReadout([-1, -1, 0]);
    expect(ne.fromDeg).toBeCloseTo(45, 9);
    expect(ne.fromName).toBe('NE');
    expect(windReadout([0, -5, 0]).fromDeg).toBe(0);
    expect(windReadout([-1, 0, 0])).toMatchObject({ fromDeg: 90, fromName: 'E' });
  });

  it('keeps the vertical part (turbulence has one) and the full speed', () => {
    const r = windReadout([3, 4, -1.2]);
    expect(r.horizontalMps).toBeCloseTo(5, 12);
    expect(r.speedMps).toBeCloseTo(Math.hypot(5, 1.2), 12);
    expect(r.verticalMps).toBe(-1.2);
    expect(formatWind(r)).toBe('5.0 m/s from SW (217°) · ↓1.2 m/s');
  });

  it('calls still air calm, with no direction', () => {
    const r = windReadout([0.01, 0.02, 0]);
    expect(r.fromName).toBe('calm');
    expect(r.fromDeg).toBeNaN();
    expect(formatWind(windReadout([0, 0, 0]))).toBe('calm (0.0 m/s)');
    expect(vaneRotationDeg(r.towardRad, 0)).toBe(0);
  });
});

describe('the arrow and the vane', () => {
  it('sizes the arrow in proportion to the speed, within bounds', () => {
    expect(arrowLengthM(5)).toBeCloseTo(2, 12);
    expect(arrowLengthM(0.1)).toBe(ARROW_MIN_M);
    expect(arrowLengthM(100)).toBe(ARROW_MAX_M);
  });

  it('turns the vane to point where the air goes as seen on screen', () => {
    const north = Math.PI / 2, east = 0;
    // Top view (north up): wind towards north points up, towards east points right (+90 CSS deg, clockwise).
    expect(vaneRotationDeg(north, north)).toBeCloseTo(0, 9);
    expect(vaneRotationDeg(east, north)).toBeCloseTo(90, 9);
    expect(vaneRotationDeg(Math.PI, north)).toBeCloseTo(-90, 9);
    // Looking east (screen up = east): wind towards north points left.
    expect(vaneRotationDeg(north, east)).toBeCloseTo(-90, 9);
    // Straight back is 180 (or -180), never beyond.
    expect(Math.abs(vaneRotationDeg(-north, north))).toBeCloseTo(180, 9);
  });
});
