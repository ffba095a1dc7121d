/**
 * The `swarm` agent on a small antipodal swap (tests/fixtures/uav/swarm-4-swap.yaml):
 * four Iris cross the centre at once. With reciprocal avoidance they keep the
 * configured separation on both backends; with avoidance off, or with the
 * radio off (so no member hears the others), they collide: the agent knows
 * its neighbours only from their broadcast state messages, and those carry
 * the senders' estimates, not ground truth.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SwarmAgent, swarmParams } from '../../../agents/swarm/swarm-agent.ts';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { startRun } from '../../../scenarios/runner.ts';
import type { UavState } from '../../../vehicles/v2x/messages.ts';
import { V2xService } from '../../../vehicles/v2x/v2x-service.ts';
import { criterion, editedText, FIXTURES, LIBRARY } from '../../helpers.ts';

const SWAP = readFileSync(`${FIXTURES}/uav/swarm-4-swap.yaml`, 'utf8');

const agentOf = (run: Awaited<ReturnType<typeof startRun>>, id: string): SwarmAgent =>
  (run.world as unknown as { byId: Map<string, { agent?: unknown }> }).byId.get(id)!.agent as SwarmAgent;

describe('swarm agent', () => {
  for (const backend of ['rapier', 'cannon'] as const) {
    it(`crosses four drones through each other keeping 1.5 m centre to centre, each reaching its goal (${backend})`, async () => {
      const run = await startRun(loadScenarioText(SWAP, 'swap.yaml'), { backend });
      const r = run.runToEnd();
      expect(r.verdict).toBe('pass');
      const sep = criterion(r, 'min-separation');
      expect(sep.threshold).toBe(1.5);
      expect(sep.value).toBeGreaterThanOrEqual(1.5);
      // They did come close: the crossing tested the avoidance (straight lines would meet at the centre).
      expect(sep.value).toBeLessThan(4);
      for (let i = 0; i < 4; i++) expect(criterion(r, `reach-goal uav-0${i}`).passed).toBe(true);
    });
  }

  it('with avoidance off the same crossing collides (the criteria bite)', async () => {
    const text = editedText(SWAP, (d) => (d.swarms[0].agent.params.avoid = false));
    const r = (await startRun(loadScenarioText(text, 'swap.yaml'), { backend: 'rapier' })).runToEnd();
    expect(r.verdict).toBe('fail');
    expect(criterion(r, 'no-collision').passed).toBe(false);
    expect(criterion(r, 'min-separation').passed).toBe(false);
  });

  it('knows its neighbours only over the radio: with world.v2x switched off the members hear nothing and collide', async () => {
    const text = editedText(SWAP, (d) => (d.world.v2x = { enabled: false }));
    const run = await startRun(loadScenarioText(text, 'swap.yaml'), { backend: 'rapier' });
    let maxHeard = 0;
    run.world.tick$.subscribe(() => (maxHeard = Math.max(maxHeard, agentOf(run, 'uav-00').heard.size)));
    const r = run.runToEnd();
    expect(maxHeard).toBe(0);
    expect(criterion(r, 'min-separation').passed).toBe(false);
  });

  it("broadcasts its own estimate (close to, but not exactly, ground truth) and hears every other member's", async () => {
    const run = await startRun(loadScenarioText(SWAP, 'swap.yaml'), { backend: 'rapier' });
    const service = V2xService.of(run.world)!;
    const sent: { msg: UavState; truth: number[] }[] = [];
    service.radio.delivered$.subscribe((d) => {
      if (d.message.type === 'uav-state' && d.receiverId === 'uav-01' && d.senderId === 'uav-00') sent.push({ msg: d.message, truth: [] });
    });
    // Ground truth of uav-00 at each send time (messages are stamped with the time they were composed).
    const truthAt = new Map<string, number[]>();
    run.world.tick$.subscribe((s) => truthAt.set(s.time.toFixed(4), [...run.world.stateOf('uav-00').position]));
    let heardAll = false;
    while (!run.done && run.time < 8) {
      run.step();
      if (agentOf(run, 'uav-01').heard.size === 3) heardAll = true;
    }
    expect(heardAll).toBe(true);
    // Once airborne it also shares its velocity setpoint (its intent), which ORCA uses as RVO2 uses an agent's chosen velocity.
    expect(sent.some((s) => s.msg.velocitySetpointMps !== undefined)).toBe(true);
    expect(sent.length).toBeGreaterThan(50); // 10 Hz over ~8 s, less what is still in flight
    let maxErr = 0, sumErr = 0;
    for (const s of sent) {
      // The snapshot of the step that composed the message: the message time is the agent's tick time.
      const truth = truthAt.get(s.msg.timeS.toFixed(4)) ?? truthAt.get((s.msg.timeS + run.world.dt).toFixed(4));
      expect(truth).toBeDefined();
      const e = Math.hypot(s.msg.positionM[0] - truth![0]!, s.msg.positionM[1] - truth![1]!);
      maxErr = Math.max(maxErr, e);
      sumErr += e;
    }
    // RTK GNSS (1 cm CEP) fused with the IMU: centimetres, never exactly zero (it is an estimate).
    expect(sumErr).toBeGreaterThan(0);
    expect(maxErr).toBeLessThan(0.2);
    run.dispose();
  });

  it('forgets a neighbour not heard for staleAfterS when its own radio fails (sensor-fault on v2x)', async () => {
    const text = editedText(SWAP, (d) => {
      d.events = [{ type: 'sensor-fault', at: 5, actor: 'uav-00', sensor: 'v2x' }];
    });
    const run = await startRun(loadScenarioText(text, 'swap.yaml'), { backend: 'rapier' });
    const heardAt: Record<string, number> = {};
    while (!run.done && run.time < 7) {
      run.step();
      for (const t of [4.9, 5.5, 6.5]) if (Math.abs(run.time - t) < 1e-6) heardAt[t] = agentOf(run, 'uav-00').heard.size;
    }
    // Before the fault it hears the three others; within staleAfterS (1 s) it keeps extrapolating them; after that, nothing.
    expect(heardAt[4.9]).toBe(3);
    expect(heardAt[5.5]).toBe(3);
    expect(heardAt[6.5]).toBe(0);
    // A dead radio does not transmit either: the others lose uav-00.
    expect(agentOf(run, 'uav-01').heard.has('uav-00')).toBe(false);
    expect(agentOf(run, 'uav-01').heard.size).toBe(2);
    run.dispose();
  });

  it('escapes a local minimum: in the library 10-drone swap (seed 3, Rapier) a boxed-in member detours and arrives; without detours it never does', async () => {
    // At this seed, with the library's settings, uav-01 is boxed in (found in a seeds 1..12 sweep with and without
    // detours: the only seed where the escape decides the run); the test pins that configuration.
    const ten = readFileSync(`${LIBRARY}/uav/swarm-10-crossing.yaml`, 'utf8');
    const withDetours = await startRun(loadScenarioText(ten, 'swarm-10-crossing.yaml'), { backend: 'rapier', seed: 3 });
    const r = withDetours.runToEnd();
    expect(criterion(r, 'reach-goal uav-01').passed).toBe(true);
    expect(agentOf(withDetours, 'uav-01').detours).toBeGreaterThan(0);
    expect(r.verdict).toBe('pass');
    // A deadlock check every 1000 s never comes: no detour, as before the escape existed.
    const off = editedText(ten, (d) => (d.swarms[0].agent.params.stuckWindowS = 1000));
    const r0 = (await startRun(loadScenarioText(off, 'swarm-10-crossing.yaml'), { backend: 'rapier', seed: 3 })).runToEnd();
    expect(criterion(r0, 'reach-goal uav-01').passed).toBe(false);
    expect(criterion(r0, 'min-separation').passed).toBe(true);
  }, 120_000); // two 10-drone runs of up to 60 s simulated, on a shared machine

  it('is deterministic: the same seed and backend give the same run (messages, losses and all)', async () => {
    const text = editedText(SWAP, (d) => (d.world.v2x = { loss: 0.2 }));
    const a = (await startRun(loadScenarioText(text, 'swap.yaml'), { backend: 'rapier', seed: 7 })).runToEnd();
    const b = (await startRun(loadScenarioText(text, 'swap.yaml'), { backend: 'rapier', seed: 7 })).runToEnd();
    expect(a.stateHash).toBe(b.stateHash);
    expect(a.criteria).toEqual(b.criteria);
  });

  it('validates its params with clear messages', () => {
    expect(() => swarmParams.parse({ waypoints: [[0, 0, 3]], minSeparationM: -1 })).toThrow(/expected > 0/);
    expect(() => swarmParams.parse({ waypoints: [[0, 0, 3]], controlHz: 100 })).toThrow();
    expect(() => swarmParams.parse({ waypoints: [] })).toThrow();
    const p = swarmParams.parse({ waypoints: [[0, 0, 3]] });
    expect(p.minSeparationM).toBe(1.5);
    expect(p.timeHorizonS).toBe(5);
    expect(p.neighborDistM).toBe(15);
    expect(p.maxNeighbors).toBe(10);
  });
});
