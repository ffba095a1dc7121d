import { afterEach, describe, expect, it } from 'vitest';
import { yawOf } from '../../../sim/math.ts';
import type { V2xInbox } from '../../../sim/sensors/v2x.ts';
import { loadScenarioText } from '../../../scenarios/loader.ts';
import { startRun, type Run } from '../../../scenarios/runner.ts';
import type { Bsm, Spat } from '../../../vehicles/v2x/messages.ts';
import { nlosRangeM, urbanLosPathLossDb, urbanNlosPathLossDb } from '../../../vehicles/v2x/line-of-sight.ts';
import { RADIO_DEFAULTS } from '../../../vehicles/v2x/radio.ts';
import { V2xService, type V2xLink } from '../../../vehicles/v2x/v2x-service.ts';
import { scenarioErrorOf } from '../../helpers.ts';

type Doc = Record<string, unknown>;
type Inbox = V2xInbox<Bsm, Spat>;

/** Two cars on open ground, 40 m apart on x, both driven by `idle`; `a` broadcasts, `b` receives. */
function openGround(v2x: Doc, extra: Doc[] = [], opts: { aV2x?: Doc; bPos?: [number, number]; speedA?: number } = {}): Doc {
  return {
    name: 'v2x-open',
    description: 'test',
    seed: 1,
    duration: 10,
    world: { physicsHz: 100, ground: { sizeM: [400, 200] }, v2x },
    actors: [
      { id: 'a', kind: 'car', pose: { position: [-20, 0] }, speedMps: opts.speedA ?? 0, agent: 'idle', v2x: opts.aV2x ?? { bsm: true, positionSigmaM: 0 } },
      { id: 'b', kind: 'car', pose: { position: opts.bPos ?? [20, 0] }, agent: 'idle', sensors: [{ type: 'v2x' }] },
      ...extra,
    ],
    criteria: [{ type: 'no-collision' }],
  };
}

/** The v2x-bsm fixture's intersection, as a document to vary. */
function intersection(v2x: Doc, seed = 7): Doc {
  return {
    name: 'v2x-x',
    description: 'test',
    seed,
    duration: 20,
    world: { physicsHz: 100, road: { builder: 'intersection', params: { armLengthM: 150, signal: { throughGreenS: 12, leftGreenS: 5 } } }, v2x },
    actors: [
      { id: 'ego', kind: 'car', lane: { road: 'x/north', lane: -1, s: 60 }, agent: 'idle', sensors: [{ type: 'v2x' }] },
      { id: 'w1', kind: 'car', lane: { road: 'x/west', lane: 1, s: 60 }, speedMps: 12, driver: { type: 'npc' }, v2x: { bsm: true } },
      { id: 'e1', kind: 'car', lane: { road: 'x/east', lane: 1, s: 70 }, speedMps: 12, driver: { type: 'npc' }, v2x: { bsm: true } },
    ],
    criteria: [{ type: 'no-collision' }],
  };
}

const runs: Run[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) r.dispose();
});

async function start(doc: Doc, seed?: number, backend: 'rapier' | 'cannon' = 'rapier'): Promise<{ run: Run; svc: V2xService }> {
  const run = await startRun(loadScenarioText(JSON.stringify(doc), 'test.yaml'), { backend, ...(seed === undefined ? {} : { seed }) });
  runs.push(run);
  const svc = V2xService.of(run.world);
  if (!svc) throw new Error('no V2X service');
  return { run, svc };
}

/** Step `run` for `steps`, collecting every fresh reading of `actor`'s v2x sensor. */
function collect(run: Run, steps: number, actor = 'b', sensor = 'v2x'): { time: number; healthy: boolean; value: Inbox }[] {
  const out: { time: number; healthy: boolean; value: Inbox }[] = [];
  let last = -Infinity;
  for (let i = 0; i < steps; i++) {
    run.step(1);
    const r = run.world.readingOf(actor, sensor);
    if (r && r.time > last) {
      last = r.time;
      out.push({ time: r.time, healthy: r.healthy, value: r.value as Inbox });
    }
  }
  return out;
}

describe('V2X service: BSM', () => {
  it('broadcasts BSMs at 10 Hz from each equipped car, numbered by msgCnt', async () => {
    const { run } = await start(openGround({ latencyS: 0.1 }));
    const bsms = collect(run, 1000).flatMap((r) => r.value.bsms);
    // 10 s at 10 Hz, less the one still in flight (sent at 9.9 s, due at 10.0 s).
    expect(bsms.length).toBe(99);
    for (let i = 1; i < bsms.length; i++) {
      expect(bsms[i]!.timeS - bsms[i - 1]!.timeS).toBeCloseTo(0.1, 9);
      expect(bsms[i]!.msgCnt).toBe((bsms[i - 1]!.msgCnt + 1) % 128);
    }
    expect(bsms.every((b) => b.id === 'a')).toBe(true);
  });

  it('delivers each BSM after the radio latency, not before', async () => {
    const { run } = await start(openGround({ latencyS: 0.25 }));
    const readings = collect(run, 300);
    for (const r of readings) for (const b of r.value.bsms) {
      expect(r.time - b.timeS).toBeGreaterThanOrEqual(0.25 - 1e-9);
      expect(r.time - b.timeS).toBeLessThan(0.25 + 0.1 + 1e-9); // read at the next 10 Hz sample
    }
    expect(readings.flatMap((r) => r.value.bsms).length).toBeGreaterThan(20);
  });

  it("carries the sender's ground truth (position, speed, heading, acceleration, brake) when its GNSS error is 0", async () => {
    // A moving car: the idle agent does not drive, so a kinematic car coasts at its initial speed.
    const { run } = await start(openGround({ latencyS: 0 }, [], { speedA: 8 }));
    const truth = new Map<string, { p: number[]; v: number[]; yaw: number }>();
    const rec = (t: number) => {
      const s = run.world.stateOf('a');
      truth.set(t.toFixed(3), { p: [...s.position], v: [...s.linearVelocity], yaw: yawOf(s.rotation) });
    };
    rec(0);
    run.world.tick$.subscribe((snap) => rec(snap.time));
    const bsms = collect(run, 300).flatMap((r) => r.value.bsms);
    expect(bsms.length).toBeGreaterThan(25);
    for (const b of bsms) {
      const g = truth.get(b.timeS.toFixed(3))!;
      expect(b.positionM[0]).toBeCloseTo(g.p[0]!, 9);
      expect(b.positionM[1]).toBeCloseTo(g.p[1]!, 9);
      expect(b.speedMps).toBeCloseTo(Math.hypot(g.v[0]!, g.v[1]!), 9);
      expect(b.headingRad).toBeCloseTo(g.yaw, 9);
      expect(b.transmission).toBe('forwardGears');
      expect(b.size).toEqual({ widthM: 1.61, lengthM: 4.508 });
      expect(b.accuracy.semiMajorM).toBe(0);
    }
    expect(bsms.at(-1)!.speedMps).toBeGreaterThan(7);
  });

  it('reports hard braking in the brake status and the longitudinal acceleration', async () => {
    // An NPC (kinematic) car that brakes at 6 m/s^2 from t = 1 s; the receiver is parked behind on the next lane.
    const doc: Doc = {
      name: 'v2x-brake',
      description: 'test',
      seed: 1,
      duration: 10,
      world: { physicsHz: 100, road: { builder: 'highway', params: { lanesPerDirection: 2, lengthM: 600 } }, v2x: { latencyS: 0 } },
      actors: [
        { id: 'b', kind: 'car', lane: { road: 'highway', lane: -1, s: 50 }, agent: 'idle', sensors: [{ type: 'v2x' }] },
        {
          id: 'lead', kind: 'car', lane: { road: 'highway', lane: -2, s: 100 }, speedMps: 20,
          driver: { type: 'npc', behaviour: { type: 'lead-brake', triggerTimeS: 1, decelMps2: 6 } },
          v2x: { bsm: true, positionSigmaM: 0 },
        },
      ],
      criteria: [{ type: 'no-collision' }],
    };
    const { run } = await start(doc);
    const bsms = collect(run, 500).flatMap((r) => r.value.bsms);
    const before = bsms.filter((b) => b.timeS < 0.95);
    const braking = bsms.filter((b) => b.timeS > 1.25 && b.speedMps > 1);
    expect(before.length).toBeGreaterThan(5);
    expect(braking.length).toBeGreaterThan(10);
    for (const b of before) expect(b.brakes.applied).toBe(false);
    for (const b of braking) {
      expect(b.brakes.applied).toBe(true);
      expect(b.accelSet.longMps2).toBeCloseTo(-6, 0);
    }
  });

  it("adds the sender's GNSS error: 1.5 m (J2945/1) by default, slowly drifting, spread 1.5 m over seeds", async () => {
    const firstErrors: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const { run } = await start(openGround({ latencyS: 0 }, [], { aV2x: { bsm: true } }), seed);
      const p0 = [...run.world.stateOf('a').position];
      const bsms = collect(run, 30).flatMap((r) => r.value.bsms);
      firstErrors.push(bsms[0]!.positionM[0] - p0[0]!, bsms[0]!.positionM[1] - p0[1]!);
      expect(bsms[0]!.accuracy.semiMajorM).toBe(1.5);
      // Gauss-Markov with a 60 s correlation time: a step of 0.1 s moves the error by ~9 cm (1 sigma).
      for (let i = 1; i < bsms.length; i++) expect(Math.abs(bsms[i]!.positionM[0] - bsms[i - 1]!.positionM[0])).toBeLessThan(0.5);
      run.dispose();
      runs.pop();
    }
    const sd = Math.sqrt(firstErrors.reduce((a, e) => a + e * e, 0) / firstErrors.length);
    expect(sd).toBeGreaterThan(1.5 * 0.7);
    expect(sd).toBeLessThan(1.5 * 1.3);
  });
});

describe('V2X service: SPaT', () => {
  it("broadcasts each junction's SPaT at 10 Hz with the controller's states and times to change", async () => {
    const { run, svc } = await start(intersection({ latencyS: 0.1 }));
    expect(svc.rsus.map((r) => r.id)).toEqual(['rsu/x']);
    const ctrl = run.road!.network.controller('x/signals');
    const spats = collect(run, 2000, 'ego').flatMap((r) => r.value.spats);
    expect(spats.length).toBe(199);
    const names = ctrl.signalGroups;
    const phase = { green: 'protected-Movement-Allowed', yellow: 'protected-clearance', red: 'stop-And-Remain' } as const;
    for (const s of spats) {
      expect(s.intersectionId).toBe('x');
      expect(s.states.map((g) => g.signalGroupName)).toEqual(names);
      expect(s.states.map((g) => g.signalGroup)).toEqual(names.map((_, i) => i + 1));
      for (const g of s.states) {
        expect(g.eventState).toBe(phase[ctrl.stateAt(g.signalGroupName!, s.timeS)]);
        expect(g.minEndTimeS - s.timeS).toBeCloseTo(ctrl.timeToChange(g.signalGroupName!, s.timeS), 9);
        expect(g.likelyTimeS).toBe(g.minEndTimeS);
      }
    }
    // The through green of the east-west groups ends at 12 s: seen from t = 2 s, 10 s to go.
    const at2 = spats.find((s) => Math.abs(s.timeS - 2) < 1e-9)!;
    const west = at2.states.find((g) => g.signalGroupName === 'x/west-through')!;
    expect(west.eventState).toBe('protected-Movement-Allowed');
    expect(west.minEndTimeS).toBeCloseTo(12, 9);
  });
});

describe('V2X service: loss and determinism', () => {
  const lossy = (seed: number) => intersection({ latencyS: 0.1, loss: 0.3 }, seed);
  const pattern = (links: V2xLink[]) => links.map((l) => `${l.senderId}>${l.receiverId}@${l.sentAtS.toFixed(2)}`).join(' ');

  async function linksOf(doc: Doc, steps: number, interleave?: Run): Promise<V2xLink[]> {
    const { run, svc } = await start(doc);
    const out: V2xLink[] = [];
    svc.links$.subscribe((l) => out.push(l));
    for (let i = 0; i < steps; i++) {
      run.step(1);
      interleave?.step(1);
    }
    return out;
  }

  it('loses copies at the configured rate, and the same ones for the same seed', async () => {
    const a = await linksOf(lossy(3), 1000);
    const b = await linksOf(lossy(3), 1000);
    const c = await linksOf(lossy(4), 1000);
    expect(pattern(a)).toBe(pattern(b));
    expect(pattern(a)).not.toBe(pattern(c));
    // 3 senders x 100 messages in 10 s (minus in flight), 30 % lost.
    const delivered = a.length / (3 * 99);
    expect(delivered).toBeGreaterThan(0.6);
    expect(delivered).toBeLessThan(0.8);
  });

  it('does not depend on other runs in the same process (a worker running several runs)', async () => {
    const alone = await linksOf(lossy(5), 600);
    const other = (await start(lossy(6))).run;
    const beside = await linksOf(lossy(5), 600, other);
    expect(pattern(beside)).toBe(pattern(alone));
  });

  it('exposes this step\'s deliveries as links for the web app', async () => {
    const { run, svc } = await start(openGround({ latencyS: 0.1 }));
    const perStep: number[] = [];
    for (let i = 0; i < 100; i++) {
      run.step(1);
      perStep.push(svc.links.length);
      for (const l of svc.links) expect([l.senderId, l.receiverId, l.kind]).toEqual(['a', 'b', 'bsm']);
    }
    // One BSM every 10 steps, delivered 10 steps after it was sent.
    expect(perStep.filter((n) => n === 1).length).toBe(9);
    expect(perStep.filter((n) => n > 1).length).toBe(0);
  });
});

describe('V2X service: line of sight', () => {
  const building = (x: number, y: number, side = 10) => ({ id: 'building', kind: 'obstacle', shape: { type: 'box', sizeM: [side, side, 10] }, pose: { position: [x, y] } });
  const count = async (doc: Doc, backend: 'rapier' | 'cannon' = 'rapier') => {
    const { run, svc } = await start(doc, undefined, backend);
    const n = collect(run, 200).flatMap((r) => r.value.bsms).length;
    return { n, stats: svc.stats };
  };

  it('derives the NLOS range from 3GPP TR 37.885 urban LOS/NLOS path loss at 5.9 GHz', () => {
    const r = nlosRangeM(RADIO_DEFAULTS.rangeM);
    expect(urbanNlosPathLossDb(r)).toBeCloseTo(urbanLosPathLossDb(RADIO_DEFAULTS.rangeM), 9);
    expect(r).toBeGreaterThan(20);
    expect(r).toBeLessThan(35);
  });

  for (const backend of ['rapier', 'cannon'] as const) {
    it(`drops every BSM when a building stands between cars farther apart than the NLOS range (${backend})`, async () => {
      const blocked = await count(openGround({ latencyS: 0, lineOfSight: true }, [building(0, 0)]), backend);
      expect(blocked.n).toBe(0);
      expect(blocked.stats.blocked).toBe(20);
    });
  }

  it('delivers them when the building is off the line, or line of sight is not modelled', async () => {
    const aside = await count(openGround({ latencyS: 0, lineOfSight: true }, [building(0, 30)]));
    // Latency 0: the 20 BSMs sent in 2 s are all read within them.
    expect(aside.n).toBe(20);
    const off = await count(openGround({ latencyS: 0 }, [building(0, 0)]));
    expect(off.n).toBe(20);
  });

  it('keeps a blocked link that is shorter than the NLOS range (round the corner, near the crossing)', async () => {
    // 24 m apart through a 4 m box: NLOS, but within ~27 m.
    const near = await count(openGround({ latencyS: 0, lineOfSight: true }, [building(-8, 0, 4)], { bPos: [4, 0] }));
    expect(near.stats.blocked).toBe(0);
    expect(near.n).toBe(20);
    const cut = await count(openGround({ latencyS: 0, lineOfSight: { nlosRangeM: 10 } }, [building(-8, 0, 4)], { bPos: [4, 0] }));
    expect(cut.n).toBe(0);
    expect(cut.stats.blocked).toBe(20);
  });
});

describe('V2X sensor health', () => {
  it('reads unhealthy and empty when world.v2x is disabled, and nothing is sent', async () => {
    const { run, svc } = await start(openGround({ enabled: false }));
    const readings = collect(run, 200);
    expect(readings.length).toBe(20);
    expect(readings.every((r) => !r.healthy && r.value.bsms.length === 0)).toBe(true);
    expect(svc.stats.sent).toBe(0);
  });

  it('works with the sensor-fault event: unhealthy while failed, and what arrived meanwhile is lost', async () => {
    const doc = openGround({ latencyS: 0.1 });
    doc.events = [{ type: 'sensor-fault', at: 3, actor: 'b', sensor: 'v2x', restoreAt: 6 }];
    const { run } = await start(doc);
    run.step(350); // the fault fired at 3 s
    expect(run.world.readingOf('b', 'v2x')!.healthy).toBe(false);
    run.step(250); // the last step ran at 5.99 s
    expect(run.world.readingOf('b', 'v2x')!.healthy).toBe(false);
    run.step(1); // 6.0 s: restored, then sampled
    const r = run.world.readingOf('b', 'v2x')!;
    expect(r.healthy).toBe(true);
    expect(r.time).toBeCloseTo(6, 9);
    const bsms = (r.value as Inbox).bsms;
    // The BSM sent at 5.9 s arrives at 6.0 s, after the restore; the ones that arrived while failed are gone, not queued.
    expect(bsms.map((b) => b.timeS.toFixed(1))).toEqual(['5.9']);
  });
});

describe('V2X in the scenario loader', () => {
  const load = (doc: Doc) => loadScenarioText(JSON.stringify(doc), 'v2x.yaml');

  it('refuses a v2x sensor without world.v2x', () => {
    const doc = openGround({});
    delete (doc.world as Doc).v2x;
    (doc.actors as Doc[])[0]!.v2x = undefined;
    const e = scenarioErrorOf(() => load(JSON.parse(JSON.stringify(doc))));
    expect(e.fieldPath).toBe('actors[1].sensors[0].type');
    expect(e.message).toMatch(/^v2x\.yaml: actors\[1\]\.sensors\[0\]\.type: .*no world\.v2x; expected world\.v2x/);
  });

  it('refuses a BSM sender without world.v2x', () => {
    const doc = openGround({});
    delete (doc.world as Doc).v2x;
    (doc.actors as Doc[])[1]!.sensors = [];
    const e = scenarioErrorOf(() => load(doc));
    expect(e.fieldPath).toBe('actors[0].v2x');
  });

  it('refuses a negative or non-numeric latency, naming the field', () => {
    expect(scenarioErrorOf(() => load(openGround({ latencyS: -0.1 }))).fieldPath).toBe('world.v2x.latencyS');
    expect(scenarioErrorOf(() => load(openGround({ latencyS: 'fast' }))).fieldPath).toBe('world.v2x.latencyS');
  });

  it('refuses a loss probability outside [0, 1]', () => {
    expect(scenarioErrorOf(() => load(openGround({ loss: 1.5 }))).fieldPath).toMatch(/^world\.v2x\.loss/);
  });

  it('refuses two v2x sensors on one actor', () => {
    const doc = openGround({});
    (doc.actors as Doc[])[1]!.sensors = [{ type: 'v2x' }, { type: 'v2x', name: 'v2x-2' }];
    expect(scenarioErrorOf(() => load(doc)).fieldPath).toBe('actors[1].sensors[1]');
  });

  it('refuses receivers with nothing to receive, and line of sight with nothing to block it', () => {
    const silent = openGround({});
    delete (silent.actors as Doc[])[0]!.v2x;
    expect(scenarioErrorOf(() => load(silent)).fieldPath).toBe('world.v2x');
    expect(scenarioErrorOf(() => load(openGround({ lineOfSight: true }))).fieldPath).toBe('world.v2x.lineOfSight');
  });

  it('accepts the fixture syntax and fills the defaults', () => {
    const s = load(openGround({})).scenario;
    expect(s.world.v2x).toEqual({ enabled: true, lineOfSight: false });
    expect(s.actors[0]!.kind === 'car' && s.actors[0]!.v2x).toEqual({ bsm: true, positionSigmaM: 0 });
    expect(s.actors[1]!.kind === 'car' && s.actors[1]!.sensors[0]).toEqual({ type: 'v2x', name: 'v2x' });
  });
});
