/**
 * ORCA on point agents integrated at constant velocity per step (the
 * algorithm alone, before the flight stack): 50 agents swapping places
 * across a circle, the classic RVO2 "Circle" benchmark, keep the minimum
 * separation and all arrive; a head-on pair swerves; without ORCA the same
 * swap collides.
 */
import { describe, expect, it } from 'vitest';
import { ORCA_DEFAULTS, orcaVelocities, type OrcaAgent } from '../../../agents/swarm/orca.ts';
import { Rng } from '../../../sim/rng.ts';

function circleSwap(n: number, radiusM: number, sepM: number, useOrca: boolean): { minSep: number; arrived: number; steps: number } {
  const margin = 0.1; // covers the step's discretisation error
  const agents: OrcaAgent[] = [];
  const goals: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    agents.push({ x: radiusM * Math.cos(a), y: radiusM * Math.sin(a), vx: 0, vy: 0, radiusM: sepM / 2 + margin, maxSpeedMps: 2, prefVx: 0, prefVy: 0 });
    goals.push([-radiusM * Math.cos(a), -radiusM * Math.sin(a)]);
  }
  const dt = 0.1;
  // RVO2's Circle example perturbs each preferred velocity a little (<= 1e-4 m/s) so that perfect symmetry cannot deadlock; seeded here.
  const rng = Rng.stream(1, 'orca-test');
  const v = new Float64Array(2 * n);
  let minSep = Infinity, steps = 0;
  for (; steps < 2000; steps++) {
    let done = true;
    for (let i = 0; i < n; i++) {
      const a = agents[i]!, [gx, gy] = goals[i]!;
      const dx = gx - a.x, dy = gy - a.y, d = Math.hypot(dx, dy);
      if (d > 0.05) done = false;
      const s = Math.min(a.maxSpeedMps, d / dt);
      const ang = rng.next() * 2 * Math.PI, mag = rng.next() * 1e-4;
      a.prefVx = (d > 1e-9 ? (dx / d) * s : 0) + mag * Math.cos(ang);
      a.prefVy = (d > 1e-9 ? (dy / d) * s : 0) + mag * Math.sin(ang);
    }
    if (done) break;
    if (useOrca) orcaVelocities(agents, ORCA_DEFAULTS, dt, v);
    else agents.forEach((a, i) => ((v[2 * i] = a.prefVx), (v[2 * i + 1] = a.prefVy)));
    agents.forEach((a, i) => {
      a.vx = v[2 * i]!;
      a.vy = v[2 * i + 1]!;
      a.x += a.vx * dt;
      a.y += a.vy * dt;
    });
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) minSep = Math.min(minSep, Math.hypot(agents[i]!.x - agents[j]!.x, agents[i]!.y - agents[j]!.y));
  }
  const arrived = agents.filter((a, i) => Math.hypot(a.x - goals[i]![0], a.y - goals[i]![1]) < 0.5).length;
  return { minSep, arrived, steps };
}

describe('ORCA (van den Berg et al. 2011, RVO2)', () => {
  it('50 agents swapping across a 30 m circle keep 1.5 m of separation and all arrive', () => {
    const r = circleSwap(50, 30, 1.5, true);
    console.log(`[orca] 50-agent swap: min separation ${r.minSep.toFixed(3)} m, ${r.arrived}/50 arrived in ${(r.steps * 0.1).toFixed(1)} s`);
    expect(r.minSep).toBeGreaterThanOrEqual(1.5);
    expect(r.arrived).toBe(50);
  });

  it('without it the same swap collides (the test can fail)', () => {
    expect(circleSwap(50, 30, 1.5, false).minSep).toBeLessThan(0.5);
  });

  it('two agents head-on swerve around each other and keep their separation', () => {
    const r = circleSwap(2, 10, 2, true);
    expect(r.minSep).toBeGreaterThanOrEqual(2);
    expect(r.arrived).toBe(2);
  });
});
