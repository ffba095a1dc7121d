import { afterEach, describe, expect, it } from 'vitest';
import { DrivingCollisions } from '../../../scenarios/criteria/driving/driving-collisions.ts';
import { REQUIREMENTS } from '../../../seeds/requirements.ts';
import { buildHighway } from '../../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../../vehicles/road/road-network.ts';
import { disposeRigs, rig, straight } from './harness.ts';

afterEach(disposeRigs);
const highway = () => new RoadNetwork(buildHighway({ lanesPerDirection: 2, lengthM: 400 }));

/** Three cones 1.5 m apart at x = 20..23, a parked car at x = 40, a pedestrian at x = 60, all on y = 0. */
async function obstacleCourse(egoY: number) {
  const r = await rig(highway());
  r.scripted('ego', 'ego', straight(0, egoY, 10));
  r.fixed('cone-1', 'static', 20, 0);
  r.fixed('cone-2', 'static', 21.5, 0);
  r.fixed('cone-3', 'static', 23, 0);
  r.fixed('parked', 'vehicle', 40, 0);
  r.fixed('walker', 'pedestrian', 60, 0);
  return r;
}

describe('driving-collisions', () => {
  it('fails when the ego drives through cones, a parked car and a pedestrian, counting the cone cluster once', async () => {
    const r = await obstacleCourse(0);
    const all = new DrivingCollisions('collisions', r.ctx, { terminate: false });
    const walkers = new DrivingCollisions('pedestrian-collisions', r.ctx, { categories: ['pedestrian'], terminate: false });
    r.run(8, all, walkers);
    expect(all.counts).toEqual({ pedestrian: 1, vehicle: 1, static: 1 });
    const res = all.result();
    expect(res.passed).toBe(false);
    expect(res.value).toBe(3);
    expect(res.threshold).toBe(REQUIREMENTS['miit-2a-driving-collisions'].threshold);
    expect(res.thresholdSource).toBe('seeds:miit-2a-driving-collisions');
    expect(res.reason).toMatch(/first: ego hit static cone-1/);
    expect(walkers.result()).toMatchObject({ passed: false, value: 1 });
  });

  it('ends the run at the first collision when it terminates (the default)', async () => {
    const r = await obstacleCourse(0);
    const c = new DrivingCollisions('collisions', r.ctx);
    r.run(8, c);
    expect(r.world.stoppedBecause).toMatch(/^collisions failed/);
    expect(c.counts.static).toBe(1);
    expect(r.world.time).toBeLessThan(2);
  });

  it('counts the same actor once within 5 s and again after, and a new place 5 m away again', async () => {
    const r = await rig(highway());
    r.scripted('ego', 'ego', straight(0, 0, 2));
    r.fixed('post', 'static', 500, 500);
    r.fixed('bollard', 'static', 510, 500);
    const c = new DrivingCollisions('collisions', r.ctx, { terminate: false });
    // Synthetic contact starts, as the physics would publish them.
    const hit = (t: number, other: string) => r.world.schedule(t, `hit ${other}`, (w) => w.emit({ type: 'collision', time: t, a: 'ego', b: other, started: true }));
    hit(0.5, 'post'); // counted at x ~ 1 m
    hit(4, 'post'); // same actor 3.5 s later (and 7 m away): once
    hit(4.1, 'bollard'); // another actor, 0.2 m from that repeat, but 7 m from the counted place: counted
    hit(4.5, 'ego-ghost'); // not a judged actor: ignored
    hit(10, 'post'); // same actor 9.5 s after its counted hit, 11.8 m on: counted
    r.run(11, c);
    expect(c.counts.static).toBe(3);
    expect(c.tally.counted.map((x) => x.other)).toEqual(['post', 'bollard', 'post']);
  });

  it('passes when the ego drives past the same obstacles in the next lane', async () => {
    const r = await obstacleCourse(-3.75);
    const c = new DrivingCollisions('collisions', r.ctx);
    r.run(8, c);
    const res = c.result();
    expect(res).toMatchObject({ passed: true, value: 0 });
    expect(res.reason).toMatch(/no collision of ego/);
  });
});
