import { describe, expect, it } from 'vitest';
import { FixedTimeController } from '../../../vehicles/road/signal-controller.ts';

// Two phases: A green 20 s, yellow 3 s, all-red 2 s; B green 10 s, yellow 3 s, all-red 2 s. Cycle 40 s.
const plan = (offsetS = 0) => new FixedTimeController({
  id: 'c',
  offsetS,
  phases: [
    { signalGroups: ['a'], greenS: 20, yellowS: 3, allRedS: 2 },
    { signalGroups: ['b'], greenS: 10, yellowS: 3, allRedS: 2 },
  ],
});

describe('fixed-time signal controller', () => {
  it('runs green, yellow, red for each group in its phase', () => {
    const c = plan();
    expect(c.cycleS).toBe(40);
    expect(c.stateAt('a', 0)).toBe('green');
    expect(c.stateAt('a', 19.999)).toBe('green');
    expect(c.stateAt('a', 20)).toBe('yellow');
    expect(c.stateAt('a', 23)).toBe('red');
    expect(c.stateAt('b', 24.9)).toBe('red');
    expect(c.stateAt('b', 25)).toBe('green');
    expect(c.stateAt('b', 35)).toBe('yellow');
    expect(c.stateAt('b', 38)).toBe('red');
    expect(c.stateAt('a', 40)).toBe('green');
    expect(c.stateAt('a', 40 * 1000 + 21)).toBe('yellow');
  });

  it('never shows two conflicting groups green or yellow at once', () => {
    const c = plan(7);
    for (let t = 0; t < 80; t += 0.25) {
      expect(c.stateAt('a', t) === 'red' || c.stateAt('b', t) === 'red').toBe(true);
    }
  });

  it('shifts the cycle by its offset, also for negative times', () => {
    const c = plan(5);
    expect(c.stateAt('a', 4.9)).toBe('red');
    expect(c.stateAt('a', 5)).toBe('green');
    expect(c.stateAt('a', -35)).toBe('green');
  });

  it('gives the time to the next change, across the end of the cycle', () => {
    const c = plan();
    expect(c.timeToChange('a', 5)).toBeCloseTo(15, 12);
    expect(c.timeToChange('a', 21)).toBeCloseTo(2, 12);
    // a is red from 23 to 40 and turns green at 40.
    expect(c.timeToChange('a', 30)).toBeCloseTo(10, 12);
    // b is red from 38 through the wrap to 25 of the next cycle.
    expect(c.timeToChange('b', 39)).toBeCloseTo(26, 12);
    expect(c.timeToChange('b', 3)).toBeCloseTo(22, 12);
  });

  it('keeps a group green through consecutive phases that both serve it', () => {
    const c = new FixedTimeController({
      id: 'c', offsetS: 0,
      phases: [
        { signalGroups: ['a', 'b'], greenS: 10, yellowS: 0, allRedS: 0 },
        { signalGroups: ['a'], greenS: 10, yellowS: 3, allRedS: 2 },
        { signalGroups: ['c'], greenS: 10, yellowS: 3, allRedS: 2 },
      ],
    });
    expect(c.timeToChange('a', 1)).toBeCloseTo(19, 12);
    expect(c.stateAt('b', 10)).toBe('red');
  });

  it('refuses an unknown group and negative durations with clear messages', () => {
    expect(() => plan().stateAt('z', 0)).toThrow(/no signal group z; it has a, b/);
    expect(() => new FixedTimeController({ id: 'x', offsetS: 0, phases: [{ signalGroups: ['a'], greenS: -1, yellowS: 3, allRedS: 0 }] })).toThrow(/phase 0 greenS/);
  });
});
