/**
 * The grid planner of `uav-pilot` (agents/uav/local-grid-planner.ts): the
 * distance transform is exact, and A* goes through a gap exactly when the gap
 * leaves the hard clearance, else reports no path.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../sim/rng.ts';
import { LocalGridPlanner } from '../../../agents/uav/local-grid-planner.ts';

/** A wall along x = 0 across the whole grid, with a gap of `gapM` centred on y = 0 (points every 5 cm). */
function wall(g: LocalGridPlanner, gapM: number): void {
  for (let y = -4; y <= 4 + 1e-9; y += 0.05) if (Math.abs(y) >= gapM / 2 - 1e-9) g.mark(0, y);
}

describe('LocalGridPlanner', () => {
  it('clearance is the exact distance to the nearest marked cell', () => {
    const g = new LocalGridPlanner({ resolutionM: 0.1, halfWidthM: 3 });
    g.begin(0, 0);
    const rng = Rng.stream(7, 'grid-test');
    const pts: [number, number][] = [];
    for (let k = 0; k < 25; k++) {
      const p: [number, number] = [Math.round(rng.uniform(-3, 3) * 10) / 10, Math.round(rng.uniform(-3, 3) * 10) / 10];
      pts.push(p);
      g.mark(p[0], p[1]);
    }
    g.computeClearance();
    for (let i = -30; i <= 30; i += 3) {
      for (let j = -30; j <= 30; j += 3) {
        const x = i / 10, y = j / 10;
        const exact = Math.min(...pts.map(([a, b]) => Math.hypot(x - a, y - b)));
        expect(g.clearanceAt(x, y)).toBeCloseTo(exact, 9);
      }
    }
  });

  it('plans through a gap that leaves the hard clearance, and not through one that does not', () => {
    const g = new LocalGridPlanner({ resolutionM: 0.1, halfWidthM: 3 });
    // Gap 1.4 m: its centre has 0.7 m of clearance; 0.6 m is needed.
    g.begin(0, 0);
    wall(g, 1.4);
    g.computeClearance();
    expect(g.plan(-2, 2, 2, 2, 0.6, 1, 4)).toBe(true);
    const crossAt = [...g.pathY.subarray(0, g.pathLen)].find((_, k) => Math.abs(g.pathX[k]!) < 0.05);
    expect(crossAt === undefined ? NaN : Math.abs(crossAt)).toBeLessThan(0.11);
    // Gap 1.0 m: 0.5 m of clearance at most, below 0.6 m: no path to a goal inside the grid.
    g.begin(0, 0);
    wall(g, 1.0);
    g.computeClearance();
    expect(g.plan(-2, 2, 2, 2, 0.6, 1, 4)).toBe(false);
    // Under the free-space assumption a goal beyond the grid is reached through the grid's border (round the wall's ends, unseen).
    expect(g.plan(-2, 2, 10, 2, 0.6, 1, 4)).toBe(true);
    expect(g.pathX[g.pathLen - 1]!).toBeLessThan(0);
  });
});
