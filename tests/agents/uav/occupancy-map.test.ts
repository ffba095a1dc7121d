/**
 * The persistent map of `uav-pilot` (agents/uav/occupancy-map.ts): returns
 * make cells occupied and they stay so without new returns (persistence);
 * beams that later pass through a cell clear it (a moved obstacle leaves no
 * lasting wall), while a cell hit as often as it is crossed stays occupied;
 * and the grid planner, fed from the map, goes through a gap in a remembered
 * wall only when the gap is there.
 */
import { describe, expect, it } from 'vitest';
import { LocalGridPlanner } from '../../../agents/uav/local-grid-planner.ts';
import { OccupancyMap2D } from '../../../agents/uav/occupancy-map.ts';

const box = { resolutionM: 0.05, minX: -10, minY: -10, maxX: 10, maxY: 10 };

describe('OccupancyMap2D', () => {
  it('needs two returns to call a cell occupied (EGO-Planner p_hit 0.70 against p_occ 0.80) and keeps it without new ones', () => {
    const m = new OccupancyMap2D(box);
    m.hit(2, 1);
    expect(m.occupied(2, 1)).toBe(false);
    m.hit(2, 1);
    expect(m.occupied(2, 1)).toBe(true);
    // Persistence: nothing decays with time or with scans that do not see the cell (rays elsewhere).
    for (let k = 0; k < 100; k++) m.free(0, 0, -5, -3);
    expect(m.occupied(2, 1)).toBe(true);
    expect(m.occupied(2.2, 1)).toBe(false);
  });

  it('clears a cell that beams pass through, as many scans as the clamp allows, and not the end cell of a beam', () => {
    const m = new OccupancyMap2D(box);
    for (let k = 0; k < 20; k++) m.hit(3, 0); // saturated at p_max 0.97
    // A beam that ends in the cell does not clear it.
    for (let k = 0; k < 20; k++) m.free(0, 0, 3, 0);
    expect(m.occupied(3, 0)).toBe(true);
    // Beams through it to a farther return: log-odds 3.48 - n 0.62 falls below 1.39 after 4 of them.
    let n = 0;
    while (m.occupied(3, 0) && n < 50) {
      m.free(0, 0, 6, 0);
      n++;
    }
    expect(n).toBe(4);
    // Every cell crossed was cleared, none beyond the beam's end.
    for (let x = 0.05; x < 5.95; x += 0.05) {
      expect(m.occupied(x, 0)).toBe(false);
      if (Math.abs(x - 3) > 0.03) expect(m.logOdds[m.index(x, 0)]!).toBeLessThan(0); // the once-hit cell is at 3.48 - 4 x 0.62 > 0
    }
    expect(m.logOdds[m.index(6, 0)]).toBe(0);
    expect(m.logOdds[m.index(6.05, 0)]).toBe(0);
  });

  it('keeps a cell occupied when each scan hits it twice and crosses it once (a pillar edge grazed by a neighbouring beam)', () => {
    const m = new OccupancyMap2D(box);
    for (let k = 0; k < 50; k++) {
      m.free(0, 0, 3, 0.8);
      m.hit(1.5, 0.4); // on the grazing beam's line
      m.hit(1.5, 0.4);
    }
    expect(m.occupied(1.5, 0.4)).toBe(true);
  });

  it('traverses diagonal beams cell by cell with no gaps', () => {
    const m = new OccupancyMap2D(box);
    m.free(-4.02, -3.01, 4.03, 2.96);
    // Every sample along the segment lies in a crossed cell (except the end cell).
    for (let t = 0; t < 0.99; t += 0.001) {
      const k = m.index(-4.02 + t * 8.05, -3.01 + t * 5.97);
      if (k === m.index(4.03, 2.96)) continue;
      expect(m.logOdds[k]!).toBeLessThan(0);
    }
  });

  it('rejects bad bounds and a map too large', () => {
    expect(() => new OccupancyMap2D({ ...box, maxX: -20 })).toThrow(/max > min/);
    expect(() => new OccupancyMap2D({ resolutionM: 0.01, minX: -100, minY: -100, maxX: 100, maxY: 100 })).toThrow(/too many/);
  });
});

describe('LocalGridPlanner on the persistent map', () => {
  /** A wall along x = 0 from y = -8 to 8 (two returns per 5 cm cell, as the lidar gives), a gap of gapM centred on y = 0. */
  function remembered(gapM: number): OccupancyMap2D {
    const m = new OccupancyMap2D(box);
    for (let y = -8; y <= 8 + 1e-9; y += 0.05) {
      if (Math.abs(y) < gapM / 2 - 1e-9) continue;
      m.hit(0, y);
      m.hit(0, y);
    }
    return m;
  }

  function plan(m: OccupancyMap2D, x: number): { ok: boolean; crossY: number } {
    // A 5.5 m grid around the drone at (x, 0): the wall spans the whole grid, so the goal (inside it) is reached only through the gap.
    const g = new LocalGridPlanner({ resolutionM: 0.05, halfWidthM: 5.5 });
    g.begin(x, 0);
    g.markMap(m);
    g.computeClearance();
    const ok = g.plan(x, 0, 2, 0, 0.21, 0.47, 4);
    let crossY = NaN;
    for (let k = 1; k < g.pathLen; k++) if (g.pathX[k - 1]! < 0 && g.pathX[k]! >= 0) crossY = g.pathY[k]!;
    return { ok, crossY };
  }

  it('plans through a remembered wall only where the gap leaves the hard clearance', () => {
    // Gap 0.6 m (0.3 m clearance in its middle, 0.21 m needed): through it.
    const open = plan(remembered(0.6), -2);
    expect(open.ok).toBe(true);
    expect(Math.abs(open.crossY)).toBeLessThan(0.1);
    // Gap 0.3 m: 0.15 m of clearance, a wall.
    expect(plan(remembered(0.3), -2).ok).toBe(false);
  });

  it('remembers the wall when the drone has moved away from where it saw it (unlike a short memory of returns)', () => {
    const m = remembered(0.3);
    // The drone backed off 3 m: the wall is still in the map and still blocks the plan.
    expect(plan(m, -3).ok).toBe(false);
    // Beams through the gap's neighbourhood that found it free (an obstacle that moved away) open it.
    for (let k = 0; k < 10; k++) for (let y = -0.4; y <= 0.4 + 1e-9; y += 0.05) m.free(-3, y, 3, y);
    const reopened = plan(m, -3);
    expect(reopened.ok).toBe(true);
    expect(Math.abs(reopened.crossY)).toBeLessThan(0.45);
  });

  it('refuses a map of another cell size', () => {
    const g = new LocalGridPlanner({ resolutionM: 0.1, halfWidthM: 2 });
    g.begin(0, 0);
    expect(() => g.markMap(new OccupancyMap2D(box))).toThrow(/map cell 0.05 m, grid cell 0.1 m/);
  });
});
