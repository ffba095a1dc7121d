import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../sim/math.ts';
import { Radio, type Delivery } from '../../../vehicles/v2x/radio.ts';
import {
  BSM_RATE_HZ,
  SPAT_RATE_HZ,
  isGo,
  j2735HeadingDeg,
  secMarkOf,
  type Bsm,
  type Spat,
  type V2xMessage,
} from '../../../vehicles/v2x/messages.ts';

function bsm(id: string, msgCnt: number, timeS: number, positionM: Vec3): Bsm {
  return {
    type: 'bsm',
    msgCnt,
    id,
    timeS,
    positionM,
    accuracy: { semiMajorM: 0.5, semiMinorM: 0.5, orientationRad: 0 },
    transmission: 'forwardGears',
    speedMps: 13.9,
    headingRad: 0,
    steeringWheelAngleRad: 0,
    accelSet: { longMps2: -3, latMps2: 0, vertMps2: 0, yawRateRadPerS: 0 },
    brakes: { applied: true, traction: 'off', abs: 'on', scs: 'on', brakeBoost: 'off', auxBrakes: 'off' },
    size: { widthM: 1.85, lengthM: 4.7 },
  };
}

/** A line of cars along x, 100 m apart: car0 at 0, car1 at 100, ... */
function lineOfCars(n: number): Record<string, Vec3> {
  const pos: Record<string, Vec3> = {};
  for (let i = 0; i < n; i++) pos[`car${i}`] = [100 * i, 0, 0];
  return pos;
}

const key = (d: Delivery<V2xMessage>) => `${d.senderId}>${d.receiverId}@${d.sentAtS.toFixed(2)}`;

/** Every car broadcasts a BSM at 10 Hz for `seconds`; returns what each drained, in order. */
function simulate(radio: Radio, pos: Record<string, Vec3>, seconds: number, dt = 0.01): Map<string, string[]> {
  const ids = Object.keys(pos);
  const got = new Map<string, string[]>(ids.map((id) => [id, []]));
  const period = Math.round(1 / (BSM_RATE_HZ * dt));
  for (let step = 0; step * dt <= seconds; step++) {
    const t = step * dt;
    for (const id of ids) {
      if (radio.receiverIds.includes(id)) for (const d of radio.drain(id, t)) got.get(id)!.push(key(d));
      if (step % period === 0) radio.send(id, bsm(id, (step / period) % 128, t, pos[id]!), t);
    }
  }
  return got;
}

describe('V2X messages', () => {
  it('broadcast at 10 Hz and convert to J2735 conventions', () => {
    expect(BSM_RATE_HZ).toBe(10);
    expect(SPAT_RATE_HZ).toBe(10);
    expect(secMarkOf(61.234)).toBe(1234);
    expect(secMarkOf(0.3)).toBe(300);
    expect(secMarkOf(3 * 0.1)).toBe(300); // 0.30000000000000004 s
    expect(j2735HeadingDeg(0)).toBeCloseTo(90, 12); // east
    expect(j2735HeadingDeg(Math.PI / 2)).toBeCloseTo(0, 12); // north
    expect(j2735HeadingDeg(Math.PI)).toBeCloseTo(270, 12); // west
    expect(j2735HeadingDeg(-Math.PI / 2)).toBeCloseTo(180, 12); // south
    const spat: Spat = {
      type: 'spat',
      intersectionId: 'j1',
      revision: 0,
      timeS: 12,
      states: [{ signalGroup: 2, eventState: 'protected-Movement-Allowed', minEndTimeS: 15, maxEndTimeS: 20 }],
    };
    expect(isGo(spat.states[0]!.eventState)).toBe(true);
    expect(isGo('stop-And-Remain')).toBe(false);
  });
});

describe('Radio', () => {
  it('never delivers a message to its own sender', () => {
    const pos = lineOfCars(3);
    const radio = new Radio({ seed: 1, positionOf: (id) => pos[id], latencyS: 0 });
    for (const id of Object.keys(pos)) radio.addReceiver(id);
    radio.send('car1', bsm('car1', 0, 0, pos.car1!), 0);
    expect(radio.drain('car1', 0)).toEqual([]);
    expect(radio.drain('car0', 0).map((d) => d.senderId)).toEqual(['car1']);
    expect(radio.drain('car2', 0).map((d) => d.senderId)).toEqual(['car1']);
    expect(radio.stats).toEqual({ sent: 1, outOfRange: 0, blocked: 0, lost: 0, delivered: 2 });
  });

  it('drops receivers out of range and delivers after the latency, in send order, each once', () => {
    const pos = lineOfCars(5); // car0..car4 at 0..400 m
    const radio = new Radio({ seed: 1, positionOf: (id) => pos[id], rangeM: 250, latencyS: 0.1 });
    for (const id of Object.keys(pos)) radio.addReceiver(id);
    radio.send('car0', bsm('car0', 0, 0, pos.car0!), 0);
    radio.send('car0', bsm('car0', 1, 0.05, pos.car0!), 0.05);
    expect(radio.drain('car1', 0.09)).toEqual([]); // not yet due
    const car1 = radio.drain('car1', 0.1);
    expect(car1.map((d) => (d.message as Bsm).msgCnt)).toEqual([0]);
    expect(radio.drain('car1', 0.15).map((d) => (d.message as Bsm).msgCnt)).toEqual([1]);
    expect(radio.drain('car1', 1)).toEqual([]); // drained means gone
    expect(radio.drain('car2', 1)).toHaveLength(2); // 200 m
    expect(radio.drain('car3', 1)).toHaveLength(0); // 300 m
    expect(radio.stats.outOfRange).toBe(4); // car3, car4 twice
    expect(() => radio.drain('car1', 0.5)).toThrow(/ran back/);
  });

  it('is deterministic for a seed, different for another, and a new receiver does not change what others get', () => {
    const pos = lineOfCars(6);
    const make = (seed: number, receivers: string[]) => {
      const radio = new Radio({ seed, positionOf: (id) => pos[id], rangeM: 1000, loss: 0.3 });
      for (const id of receivers) radio.addReceiver(id);
      return radio;
    };
    const all = Object.keys(pos);
    const a = simulate(make(5, all), pos, 5);
    const b = simulate(make(5, all), pos, 5);
    const c = simulate(make(6, all), pos, 5);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // car5 is not listening in this run; car0..car4 receive exactly the same.
    const d = simulate(make(5, all.slice(0, 5)), pos, 5);
    for (const id of all.slice(0, 5)) expect(d.get(id)).toEqual(a.get(id));
    // Loss happened, and not to everything.
    const total = [...a.values()].reduce((s, l) => s + l.length, 0);
    const offered = 6 * 5 * 51; // 6 receivers x 5 senders x 51 BSMs (t = 0..5 s)
    expect(total).toBeGreaterThan(0.6 * offered);
    expect(total).toBeLessThan(0.8 * offered);
  });

  it('with a distance loss curve, far receivers lose more than near ones', () => {
    const pos = lineOfCars(5);
    const radio = new Radio({
      seed: 3,
      positionOf: (id) => pos[id],
      rangeM: 1000,
      loss: { halfLossDistanceM: 250, transitionWidthM: 30 },
    });
    for (const id of Object.keys(pos)) radio.addReceiver(id);
    const got = simulate(radio, pos, 20);
    const fromCar0 = (rx: string) => got.get(rx)!.filter((k) => k.startsWith('car0>')).length;
    expect(fromCar0('car1')).toBeGreaterThan(190); // 100 m: ~0.7 % loss of 201
    expect(fromCar0('car4')).toBeLessThan(10); // 400 m: ~99.3 % loss
    expect(fromCar0('car2')).toBeGreaterThan(fromCar0('car3'));
  });

  it('refuses a sender with no position and a receiver it does not know', () => {
    const radio = new Radio({ seed: 1, positionOf: () => undefined });
    expect(() => radio.send('ghost', bsm('ghost', 0, 0, [0, 0, 0]), 0)).toThrow(/no position/);
    expect(() => radio.drain('nobody', 0)).toThrow(/no receiver/);
  });
});
