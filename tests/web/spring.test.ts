import { describe, expect, it } from 'vitest';
import { CriticalSpring } from '../../web/spring.ts';

function settle(fps: number, seconds: number, target: number, angle = false): CriticalSpring {
  const s = new CriticalSpring(3);
  for (let i = 0; i < fps * seconds; i++) (angle ? s.updateAngle(target, 1 / fps) : s.update(target, 1 / fps));
  return s;
}

describe('critically damped spring (chase camera heading)', () => {
  it('moves the same way at 30, 60 and 144 frames per second', () => {
    const a = settle(30, 0.5, 1).value, b = settle(60, 0.5, 1).value, c = settle(144, 0.5, 1).value;
    expect(b).toBeCloseTo(a, 12);
    expect(c).toBeCloseTo(a, 12);
    // Exact solution: 1 - (1 + w t) e^(-w t) at w = 3 rad/s, t = 0.5 s.
    expect(a).toBeCloseTo(1 - 2.5 * Math.exp(-1.5), 12);
  });

  it('approaches without overshoot', () => {
    const s = new CriticalSpring(3);
    for (let i = 0; i < 600; i++) expect(s.update(1, 1 / 60)).toBeLessThanOrEqual(1);
    expect(s.value).toBeCloseTo(1, 6);
  });

  it('turns the short way across ±180° and keeps the angle in (-pi, pi]', () => {
    const s = new CriticalSpring(3);
    s.reset(Math.PI - 0.1);
    for (let i = 0; i < 600; i++) {
      const v = s.updateAngle(-Math.PI + 0.1, 1 / 60);
      expect(Math.abs(v)).toBeGreaterThan(Math.PI - 0.11);
      expect(v).toBeLessThanOrEqual(Math.PI);
      expect(v).toBeGreaterThan(-Math.PI);
    }
    expect(Math.cos(s.value)).toBeCloseTo(Math.cos(-Math.PI + 0.1), 6);
  });
});
