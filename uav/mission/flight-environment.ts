/**
 * The world-side part of UAV missions, stepped with the world (a
 * WorldService): each tick, before sensing, every registered multirotor
 *
 * - feels the wind at its position (uav/wind/: steady + gusts + Dryden, one
 *   probe per vehicle with its own stream, so adding a drone never changes
 *   another's turbulence), written into its `windMps`, which its rotor and
 *   body drag act on; the airspeed that sweeps the frozen turbulence past it
 *   is its horizontal speed relative to the steady wind, as the Dryden
 *   model's L / V time scale wants (uav/wind/wind-field.ts);
 * - draws from its battery (uav/multirotor/battery.ts) the electrical power
 *   of its rotors over the last step: shaft power (sum km w^3 of the rotor
 *   speeds after the last step, uav/multirotor/multirotor.ts) over the drive
 *   efficiency (rectangle rule at the physics rate, like the energy
 *   criterion).
 *
 * This is ground truth: agents see the battery only through a battery sensor
 * (sim/sensors/battery.ts) and the wind only through what it does to their
 * IMU and GNSS.
 */
import type { Vec3 } from '../../sim/math.ts';
import type { World, WorldService } from '../../sim/world.ts';
import type { Battery } from '../multirotor/battery.ts';
import type { Multirotor } from '../multirotor/multirotor.ts';
import type { WindField, WindProbe } from '../wind/wind-field.ts';

/** The battery each registered multirotor drains (ground truth, for criteria and tests). */
const BATTERIES = new WeakMap<object, Battery>();

/** The battery of a UAV actor, if it has one. */
export function batteryOf(actor: object): Battery | undefined {
  return BATTERIES.get(actor);
}

interface Entry {
  uav: Multirotor;
  probe: WindProbe | undefined;
  battery: Battery | undefined;
}

export class FlightEnvironment implements WorldService {
  private readonly entries: Entry[] = [];

  constructor(private readonly world: World, private readonly wind: WindField | undefined) {}

  /** Register a multirotor: it feels the wind (if the world has one) and drains `battery` (if given). */
  add(uav: Multirotor, battery?: Battery): void {
    this.entries.push({ uav, probe: this.wind?.probe(uav.id), battery });
    if (battery) BATTERIES.set(uav, battery);
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  tick(time: number, step: number): void {
    const w = this.world;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!w.hasActor(e.uav.id)) continue;
      if (e.battery && step > 0) e.battery.step(e.uav.shaftPowerW, w.dt);
      if (e.probe) {
        const s = w.stateOf(e.uav.id);
        const steady: Readonly<Vec3> = e.probe.field.steadyMps;
        const airspeed = Math.hypot(s.linearVelocity[0] - steady[0], s.linearVelocity[1] - steady[1]);
        e.probe.sample(time, s.position, airspeed, e.uav.windMps);
      }
    }
  }
}
