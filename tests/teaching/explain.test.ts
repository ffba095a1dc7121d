/**
 * Teaching mode's explanations (explain() on the reference agents): plain
 * words from the agent's own perception, sampled at 10 Hz through real
 * library runs (cut short where the moment of interest comes early).
 */
import { describe, expect, it } from 'vitest';
import { runScenario, startRun } from '../../scenarios/runner.ts';
import { relativeDirection } from '../../agents/uav/uav-pilot.ts';
import { libraryScenario } from '../helpers.ts';

interface Explains {
  explain(): string | null;
}


/** Every explanation of `actor` (default: the first agent-driven actor) at 10 Hz, with its time, and the run's state hash. */
async function explanations(rel: string, durationS?: number, actor?: string): Promise<{ lines: [number, string][]; hash: string; first: string | null }> {
  const run = await startRun(libraryScenario(rel, durationS));
  try {
    const id = actor ?? run.scenario.actors.find((a) => 'agent' in a && a.agent !== undefined)!.id;
    const agent = run.world.agentOf(id) as unknown as Explains;
    expect(typeof agent.explain).toBe('function');
    const first = agent.explain();
    const lines: [number, string][] = [];
    const n = Math.max(1, Math.round(0.1 / run.world.dt));
    while (run.step(n)) {
      const e = agent.explain();
      expect(e === null || (typeof e === 'string' && e.length > 0)).toBe(true);
      if (e !== null) lines.push([run.time, e]);
    }
    return { lines, hash: run.result().stateHash, first };
  } finally {
    run.dispose();
  }
}

const said = (lines: [number, string][], re: RegExp) => lines.find(([, e]) => re.test(e));

describe('explain() on the reference agents', () => {
  it('ha-pilot: cars/lead-brake says it brakes for the car ahead, with distance and TTC; null before the first tick; asking changes nothing', async () => {
    const { lines, hash, first } = await explanations('cars/lead-brake.yaml');
    expect(first).toBeNull();
    expect(lines[0]![1]).toMatch(/^cruising at \d+ m\/s/);
    const braking = said(lines, /^braking: car #\d+ detected [\d.]+ m ahead, TTC [\d.]+ s$/);
    expect(braking, lines.map((l) => l[1]).join('\n')).toBeDefined();
    expect(said(lines, /^following car #\d+ \d+ m ahead at \d+ m\/s/)).toBeDefined();
    // Asking for explanations is read-only: the run ends in the same state as one that never asked.
    expect((await runScenario(libraryScenario('cars/lead-brake.yaml'))).stateHash).toBe(hash);
  });

  it('ha-pilot: cars/hidden-pedestrian names the pedestrian it detected', async () => {
    const { lines } = await explanations('cars/hidden-pedestrian.yaml', 9);
    expect(said(lines, /braking: pedestrian #\d+ detected [\d.]+ m ahead/), lines.map((l) => l[1]).join('\n')).toBeDefined();
  });

  it('ha-pilot: a GNSS failure gives the minimal risk manoeuvre, then the minimal risk condition', async () => {
    const { lines } = await explanations('cars/sensor-failure-mrm.yaml');
    expect(said(lines, /^minimal risk manoeuvre: GNSS lost, stopping (in lane|on the shoulder)/)).toBeDefined();
    expect(lines.at(-1)![1]).toMatch(/^minimal risk condition: stopped/);
  });

  it('ha-pilot: cars/lane-closure changes lane round the cones it sees', async () => {
    const { lines } = await explanations('cars/lane-closure.yaml', 20);
    expect(said(lines, /^changing lane (left|right): cone #\d+ standing \d+ m ahead in the lane$/), lines.map((l) => l[1]).join('\n')).toBeDefined();
  });

  it('uav-pilot: airspace/airport-circle names the zone it routes round', async () => {
    const { lines } = await explanations('airspace/airport-circle.yaml', 18);
    expect(lines.some(([, e]) => e.startsWith('taking off to 20 m'))).toBe(true);
    expect(said(lines, /^re-routing round zone CTR-1 \(PROHIBITED, active\) to waypoint 2 of 2/), lines.map((l) => l[1]).join('\n')).toBeDefined();
  });

  it('uav-pilot: uav/narrow-gap says it avoids the obstacle its lidar sees', async () => {
    const { lines } = await explanations('uav/narrow-gap.yaml', 15);
    expect(said(lines, /^avoiding obstacle [\d.]+ m (ahead|ahead-left|ahead-right|left|right|behind-left|behind-right|behind) \(lidar\)/), lines.map((l) => l[1]).join('\n')).toBeDefined();
  });

  it('autopilot base: uav/rth-low-battery returns home on its battery reading', async () => {
    const { lines } = await explanations('uav/rth-low-battery.yaml', 27);
    expect(said(lines, /^returning home: battery \d+ %/), lines.map((l) => l[1]).join('\n')).toBeDefined();
  });

  it('swarm: a member gives way to a neighbour it heard over V2X, by its id', async () => {
    const { lines } = await explanations('uav/swarm-10-crossing.yaml', 8);
    expect(said(lines, /^giving way to uav-\d+ \([\d.]+ m, heard over V2X\)/), lines.map((l) => l[1]).join('\n')).toBeDefined();
  });

  it('go-to-goal: rover-crossing avoids obstacles on the way and drives on', async () => {
    const { lines } = await explanations('rover-crossing.yaml', 10);
    expect(said(lines, /^avoiding obstacle [\d.]+ m ahead towards the goal \(lidar\)/)).toBeDefined();
    expect(said(lines, /^driving to the goal: [\d.]+ m/)).toBeDefined();
  });

  it('straight-line: airspace/airport-circle-straight-line says it flies without obstacle or zone awareness', async () => {
    const { lines } = await explanations('airspace/airport-circle-straight-line.yaml', 20);
    expect(said(lines, /^flying to waypoint \d of 2: \d+ m away at [\d.]+ m\/s \(straight line: no obstacle or zone awareness\)$/), lines.map((l) => l[1]).join('\n')).toBeDefined();
  });

  it('relativeDirection names the eight sectors (+ is left)', () => {
    const deg = Math.PI / 180;
    expect([0, 45, 90, 135, 180, -45, -90, -135].map((a) => relativeDirection(a * deg))).toEqual(['ahead', 'ahead-left', 'left', 'behind-left', 'behind', 'ahead-right', 'right', 'behind-right']);
  });
});
