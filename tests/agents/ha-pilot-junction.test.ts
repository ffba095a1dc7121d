/**
 * ha-pilot v2's junction rules closed-loop on a hand-built map: the pilot
 * drives a kinematic car (it commands acceleration and steering) that this
 * test integrates, fed perfect GNSS and a perfect object list. The map is
 * the intersection builder's with its stop lines turned into stop-sign
 * lines (no traffic lights), as the all-way-stop builder makes them.
 */
import { describe, expect, it } from 'vitest';
import { HaPilotAgent, haPilotParams } from '../../agents/ha-pilot.ts';
import type { Observation } from '../../sim/agent.ts';
import { Rng } from '../../sim/rng.ts';
import type { Detection } from '../../sim/sensors/object-list.ts';
import type { BicycleCommand } from '../../vehicles/car/kinematic-bicycle.ts';
import { BMW_320I, wheelbaseM } from '../../vehicles/car/params.ts';
import { buildIntersection } from '../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../vehicles/road/road-network.ts';

function stopSignMap(): RoadNetwork {
  const d = buildIntersection({ armLengthM: 100 });
  return new RoadNetwork({ ...d, trafficLights: [], stopLines: d.stopLines!.map((l) => ({ ...l, control: { kind: 'stop-sign' as const } })) });
}

/** Another road user, as a function of time: world position and velocity (and kind; default a car). */
type Other = (t: number) => { x: number; y: number; vx: number; vy: number; kind?: string };

/** The intersection with no stop lines or lights at all (an uncontrolled junction), for the yielding tests. */
function plainMap(): RoadNetwork {
  const d = buildIntersection({ armLengthM: 100 });
  return new RoadNetwork({ ...d, trafficLights: [], stopLines: [] });
}

interface Step {
  t: number;
  x: number;
  y: number;
  v: number;
}

/** The west arm's stop line: box half size 8.5 m (1 lane, 2 m sidewalk, 3 m margin) + 6 m. */
const LINE_X = -14.5;
const FRONT = BMW_320I.bodyLengthM / 2;

function simulate(params: Record<string, unknown>, others: Other[], seconds: number, start = { x: -60, y: -1.75, v: 10 }, net = stopSignMap(), lights?: (t: number) => { lightId: string; state: string }[]): Step[] {
  const pilot = new HaPilotAgent(haPilotParams.parse(params), { map: net });
  pilot.reset({ actorId: 'ego', actorKind: 'car-kinematic', mission: {}, params, rng: Rng.stream(1, 'agent/ego') });
  const L = wheelbaseM(BMW_320I);
  let { x, y, v } = start;
  let h = 0;
  const dt = 1 / 20;
  const out: Step[] = [];
  for (let k = 0; k * dt < seconds; k++) {
    const t = k * dt;
    const c = Math.cos(h), s = Math.sin(h);
    const detections: Detection[] = others.map((o, i): Detection => {
      const p = o(t);
      const dx = p.x - x, dy = p.y - y;
      const ped = p.kind === 'pedestrian';
      const vx = c * p.vx + s * p.vy, vy = -s * p.vx + c * p.vy;
      // Box heading: along its motion (a standing object here is aligned with the ego).
      const yawRad = Math.hypot(vx, vy) > 0.1 ? Math.atan2(vy, vx) : 0;
      return { trackId: i + 1, kind: p.kind ?? 'car-kinematic', size: ped ? [0.5, 0.5, 1.8] : [4.6, 1.8, 1.4], position: [c * dx + s * dy, -s * dx + c * dy, 0], velocity: [vx, vy, 0], yawRad };
    }).filter((d) => Math.hypot(d.position[0], d.position[1]) < 50);
    const obs: Observation = {
      time: t,
      sensors: {
        gnss: { time: t, healthy: true, value: { position: [x, y, 0], velocity: [v * c, v * s, 0], headingRad: h } },
        objects: { time: t, healthy: true, value: { detections } },
        ...(lights ? { 'traffic-lights': { time: t, healthy: true, value: { lights: lights(t) } } } : {}),
      },
      v2x: [],
    };
    const cmd = pilot.act(obs, t) as BicycleCommand;
    v = Math.max(0, v + cmd.accelMps2 * dt);
    x += v * Math.cos(h) * dt;
    y += v * Math.sin(h) * dt;
    h += (v / L) * Math.tan(cmd.steeringRad) * dt;
    out.push({ t, x, y, v });
  }
  return out;
}

const EAST = { destination: { road: 'x/east', lane: -1, s: 40 } };

/** Longest run of samples below 0.1 m/s with the front within 4 m before the line, s. */
function heldStopS(trace: Step[]): number {
  let best = 0, run = 0;
  for (const p of trace) {
    const front = p.x + FRONT;
    if (p.v < 0.1 && front <= LINE_X && front >= LINE_X - 4) run += 0.05;
    else run = 0;
    best = Math.max(best, run);
  }
  return best;
}

describe('ha-pilot v2: stop signs (hand-built map)', () => {
  it('stops fully within 4 m of the line for at least 0.5 s, then crosses an empty junction', () => {
    const trace = simulate(EAST, [], 30);
    expect(heldStopS(trace)).toBeGreaterThanOrEqual(0.5);
    const end = trace[trace.length - 1]!;
    expect(end.x).toBeGreaterThan(20);
  });

  it('waits for a crossing car in or about to enter the junction, then goes', () => {
    // Northbound on the south arm's incoming lane (x = +1.75), 10 m/s, through the junction centre at t = 10.5 s.
    const crossing: Other = (t) => ({ x: 1.75, y: -105 + 10 * t, vx: 0, vy: 10 });
    const trace = simulate(EAST, [crossing], 30);
    const alone = simulate(EAST, [], 30);
    expect(heldStopS(trace)).toBeGreaterThanOrEqual(0.5);
    // It waited longer than with the junction empty.
    expect(heldStopS(trace)).toBeGreaterThan(heldStopS(alone) + 0.3);
    // The ego's front never enters the junction box (|x| < 8.5) while the other car is within 12 m of the centre.
    for (const p of trace) {
      const o = crossing(p.t);
      if (Math.abs(o.y) < 12) expect(p.x + FRONT).toBeLessThan(-8.5);
    }
    expect(trace[trace.length - 1]!.x).toBeGreaterThan(20);
  });
});


/** Closest distance from a point to the ego's footprint (a 4.6 x 1.8 m box heading +x), m. */
function footprintDistance(p: Step, x: number, y: number): number {
  const dx = Math.max(Math.abs(x - p.x) - BMW_320I.bodyLengthM / 2, 0), dy = Math.max(Math.abs(y - p.y) - BMW_320I.bodyWidthM / 2, 0);
  return Math.hypot(dx, dy);
}

describe('ha-pilot v2: yielding to pedestrians (hand-built map)', () => {
  const start = { x: -95, y: -1.75, v: 10 };

  it('stops before a crosswalk a pedestrian is crossing, and goes once it is clear', () => {
    // The west arm's crosswalk spans x = -12.5 to -9.5; a pedestrian crosses it northwards at 1.2 m/s from t = 2 s,
    // on the carriageway (|y| < 3.5) from t = 6.6 to 12.4 s; the car would reach it at about t = 8 s.
    const ped: Other = (t) => ({ x: -11, y: t < 2 ? -9 : -9 + 1.2 * (t - 2), vx: 0, vy: t < 2 ? 0 : 1.2, kind: 'pedestrian' });
    const trace = simulate(EAST, [ped], 40, start, plainMap());
    let closest = Infinity;
    for (const p of trace) closest = Math.min(closest, footprintDistance(p, ped(p.t).x, ped(p.t).y));
    expect(closest).toBeGreaterThan(1);
    // It waited: stopped before the crosswalk while the pedestrian was on the carriageway (|y| < 3.5).
    const onRoad = trace.filter((p) => Math.abs(ped(p.t).y) < 3.5);
    for (const p of onRoad) expect(p.x + FRONT).toBeLessThan(-12.5);
    expect(trace[trace.length - 1]!.x).toBeGreaterThan(20);
  });

  it('brakes for a pedestrian stepping out mid-block who will be in its path when it gets there, not for one standing on the sidewalk', () => {
    const stepping: Other = (t) => ({ x: -40, y: t < 1 ? -5.5 : -5.5 + 1.0 * (t - 1), vx: 0, vy: t < 1 ? 0 : 1.0, kind: 'pedestrian' });
    const standing: Other = () => ({ x: -55, y: -6, vx: 0, vy: 0, kind: 'pedestrian' });
    const trace = simulate(EAST, [stepping], 40, start, plainMap());
    let closest = Infinity;
    for (const p of trace) closest = Math.min(closest, footprintDistance(p, stepping(p.t).x, stepping(p.t).y));
    expect(closest).toBeGreaterThan(1);
    expect(trace[trace.length - 1]!.x).toBeGreaterThan(20);
    // Alone with one standing on the sidewalk at x = -55, it keeps its speed past them.
    const calm = simulate(EAST, [standing], 10, start, plainMap());
    expect(calm.find((p) => p.x > -55)!.v).toBeGreaterThan(9);
  });
});

describe('ha-pilot v2: permitted left turn (hand-built map)', () => {
  /** The intersection with the west arm's left turn on the through phase's green: permitted, not protected. */
  function permittedLeftMap(): RoadNetwork {
    const d = buildIntersection({ armLengthM: 100 });
    return new RoadNetwork({ ...d, trafficLights: d.trafficLights!.map((l) => (l.id === 'x/west-left-light' ? { ...l, signalGroup: 'x/west-through' } : l)) });
  }
  const NORTH = { destination: { road: 'x/north', lane: -1, s: 40 } };
  // Every light green (the camera sees them all).
  const allGreen = (net: RoadNetwork) => () => net.trafficLights.map((l) => ({ lightId: l.id, state: 'green' }));

  it('yields to an oncoming car within the critical headway, then turns', () => {
    const net = permittedLeftMap();
    // Oncoming westbound on the east arm's incoming lane (y = +1.75) at 8 m/s, through the centre at t = 7 s:
    // inside the object list's 50 m from t ~ 3.7 s, when the ego can still stop at its line.
    const oncoming: Other = (t) => ({ x: 56 - 8 * t, y: 1.75, vx: -8, vy: 0 });
    const trace = simulate(NORTH, [oncoming], 30, { x: -60, y: -1.75, v: 10 }, net, allGreen(net));
    // The ego's front stays out of the junction box (x < -8.5) until the oncoming car has passed the centre.
    for (const p of trace) if (oncoming(p.t).x > -2) expect(p.x + FRONT).toBeLessThan(-8.5);
    const end = trace[trace.length - 1]!;
    expect(end.y).toBeGreaterThan(20); // up the north arm
  });

  it('turns without waiting when nothing comes the other way', () => {
    const net = permittedLeftMap();
    const trace = simulate(NORTH, [], 30, { x: -60, y: -1.75, v: 10 }, net, allGreen(net));
    expect(Math.min(...trace.filter((p) => p.y < 5).map((p) => p.v))).toBeGreaterThan(1);
    expect(trace[trace.length - 1]!.y).toBeGreaterThan(20);
  });
});
