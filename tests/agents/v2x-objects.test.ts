import { describe, expect, it } from 'vitest';
import { BSM_HOLD_S, BsmTracks, newSignalView, SpatBook, V2X_TRACK_ID_BASE } from '../../agents/ha-pilot/v2x-objects.ts';
import type { Reading } from '../../sim/sensor.ts';
import type { V2xInbox } from '../../sim/sensors/v2x.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { startRun } from '../../scenarios/runner.ts';
import type { Bsm, Spat } from '../../vehicles/v2x/messages.ts';
import { FIXTURES } from '../helpers.ts';

function bsm(id: string, timeS: number, x: number, y: number, o: Partial<Bsm> = {}): Bsm {
  return {
    type: 'bsm', msgCnt: 0, id, timeS, positionM: [x, y, 0.5],
    accuracy: { semiMajorM: 1.5, semiMinorM: 1.5, orientationRad: 0 },
    transmission: 'forwardGears', speedMps: 10, headingRad: Math.PI / 2, steeringWheelAngleRad: 0,
    accelSet: { longMps2: 0, latMps2: 0, vertMps2: 0, yawRateRadPerS: 0 },
    brakes: { applied: false, traction: 'unavailable', abs: 'unavailable', scs: 'unavailable', brakeBoost: 'unavailable', auxBrakes: 'unavailable' },
    size: { widthM: 1.61, lengthM: 4.508 },
    ...o,
  };
}

function spat(timeS: number, states: Spat['states'], intersectionId = 'x'): Spat {
  return { type: 'spat', intersectionId, revision: 0, timeS, states };
}

const reading = (time: number, bsms: Bsm[], spats: Spat[] = [], healthy = true): Reading<V2xInbox<Bsm, Spat>> => ({ time, healthy, value: { bsms, spats } });

describe('BsmTracks: BSMs as object tracks', () => {
  it('turns a BSM into a track: ENU position, velocity along the heading, J2735 size, generation time', () => {
    const t = new BsmTracks();
    t.update(reading(1.1, [bsm('car-a', 1.0, 5, -3)]), 1.1);
    expect(t.tracks).toHaveLength(1);
    const tr = t.tracks[0]!;
    expect(tr).toMatchObject({ id: V2X_TRACK_ID_BASE, kind: 'car', x: 5, y: -3, lengthM: 4.508, widthM: 1.61, seenAt: 1.0 });
    expect(tr.vx).toBeCloseTo(0, 12);
    expect(tr.vy).toBeCloseTo(10, 12);
  });

  it('gives each sender its own numeric id, from V2X_TRACK_ID_BASE, kept for the run', () => {
    const t = new BsmTracks();
    t.update(reading(0.1, [bsm('b', 0, 0, 0), bsm('a', 0, 1, 0)]), 0.1);
    t.update(reading(0.2, [bsm('a', 0.1, 2, 0), bsm('b', 0.1, 0, 1)]), 0.2);
    expect(t.trackIdOf('b')).toBe(V2X_TRACK_ID_BASE);
    expect(t.trackIdOf('a')).toBe(V2X_TRACK_ID_BASE + 1);
    expect(t.tracks.find((k) => k.id === V2X_TRACK_ID_BASE + 1)!.x).toBe(2);
  });

  it('runs the velocity backwards in reverse gear', () => {
    const t = new BsmTracks();
    t.update(reading(0.1, [bsm('a', 0, 0, 0, { transmission: 'reverseGears', speedMps: 2, headingRad: 0 })]), 0.1);
    expect(t.tracks[0]!.vx).toBeCloseTo(-2, 12);
  });

  it('never lets a late, older BSM overwrite a newer one', () => {
    const t = new BsmTracks();
    t.update(reading(0.3, [bsm('a', 0.2, 20, 0), bsm('a', 0.1, 10, 0)]), 0.3);
    expect(t.tracks[0]!.x).toBe(20);
    expect(t.tracks[0]!.seenAt).toBe(0.2);
  });

  it(`drops a sender unheard for more than ${BSM_HOLD_S} s, and ignores unhealthy or repeated readings`, () => {
    const t = new BsmTracks();
    const r = reading(1.0, [bsm('a', 0.9, 0, 0)]);
    t.update(r, 1.0);
    t.update(r, 1.3); // the same reading again: no refresh
    expect(t.tracks).toHaveLength(1);
    t.update(reading(1.5, [bsm('a', 1.4, 0, 0)], [], false), 1.5);
    expect(t.tracks).toHaveLength(0);
  });
});

describe('SpatBook: signal state and time to change from SPaT', () => {
  const states = (): Spat['states'] => [
    { signalGroup: 1, signalGroupName: 'x/west-through', eventState: 'protected-Movement-Allowed', minEndTimeS: 12, maxEndTimeS: 12, likelyTimeS: 12 },
    { signalGroup: 2, signalGroupName: 'x/north-through', eventState: 'stop-And-Remain', minEndTimeS: 27, maxEndTimeS: 27 },
  ];

  it('gives the state, go, and seconds to the next change of a group, by number or by name', () => {
    const b = new SpatBook();
    b.update(reading(2.1, [], [spat(2.0, states())]));
    const v = b.signal(1, 2.1);
    expect(v).toMatchObject({ found: true, state: 'protected-Movement-Allowed', go: true, spatTimeS: 2, intersectionId: 'x' });
    expect(v.secondsToChange).toBeCloseTo(9.9, 12);
    const red = b.signal('x/north-through', 2.1, newSignalView());
    expect(red.go).toBe(false);
    expect(red.secondsToChange).toBeCloseTo(24.9, 12); // minEndTime when there is no likelyTime
  });

  it('keeps the last SPaT when one is lost, and says when a group is unknown', () => {
    const b = new SpatBook();
    b.update(reading(2.1, [], [spat(2.0, states())]));
    b.update(reading(2.2, [], []));
    expect(b.signal(1, 2.2).found).toBe(true);
    expect(b.signal(9, 2.2).found).toBe(false);
    expect(b.signal(1, 2.2, newSignalView(), 'y').found).toBe(false);
    expect(b.spat('x')!.timeS).toBe(2);
  });
});

describe('v2x-objects on the v2x-bsm fixture', () => {
  it('tracks both equipped cars within their stated GNSS error, and reads the SPaT the controller gives', async () => {
    const run = await startRun(loadScenarioFile(`${FIXTURES}/cars/v2x-bsm.yaml`));
    try {
      const tracks = new BsmTracks();
      const book = new SpatBook();
      const ctrl = run.road!.network.controller('x/signals');
      let checked = 0;
      let signals = 0;
      // Ground truth at each BSM's generation time, to compare the tracks with.
      const truth = new Map<string, [number, number]>();
      const rec = (t: number) => {
        for (const id of ['npc-w1', 'npc-e1']) {
          const p = run.world.stateOf(id).position;
          truth.set(`${id}@${t.toFixed(2)}`, [p[0], p[1]]);
        }
      };
      rec(0);
      run.world.tick$.subscribe((s) => rec(s.time));
      while (run.step(10)) {
        const t = run.time;
        const r = run.world.readingOf('ego', 'v2x');
        tracks.update(r, t);
        book.update(r);
        for (const [id, sigma] of [['npc-w1', 1.5], ['npc-e1', 0.5]] as const) {
          const tr = tracks.tracks.find((k) => k.id === tracks.trackIdOf(id));
          if (!tr) continue;
          const g = truth.get(`${id}@${tr.seenAt.toFixed(2)}`)!;
          expect(Math.hypot(tr.x - g[0], tr.y - g[1])).toBeLessThan(5 * sigma);
          checked++;
        }
        const v = book.signal('x/west-through', t);
        if (v.found && v.secondsToChange > 0.2) {
          expect(v.go).toBe(ctrl.stateAt('x/west-through', t) === 'green');
          expect(v.secondsToChange).toBeCloseTo(ctrl.timeToChange('x/west-through', t), 6);
          signals++;
        }
      }
      expect(checked).toBeGreaterThan(150);
      expect(signals).toBeGreaterThan(150);
    } finally {
      run.dispose();
    }
  });
});
