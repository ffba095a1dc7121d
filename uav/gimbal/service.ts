/**
 * The world-side stepping of gimbals (a WorldService): before each physics
 * step it records every carrying UAV's state, and after the step it
 * sub-steps each gimbal over the interval the physics just advanced
 * (uav/gimbal/gimbal.ts), so the gimbal's kHz loop sees the airframe's real
 * motion between ticks. Ground truth: criteria and the web view reach a UAV's
 * gimbal through `gimbalOf`.
 */
import type { Vec3 } from '../../sim/math.ts';
import type { World, WorldService } from '../../sim/world.ts';
import type { Multirotor } from '../multirotor/multirotor.ts';
import type { Gimbal } from './gimbal.ts';

const GIMBALS = new WeakMap<object, Gimbal[]>();

/** The gimbal a UAV actor carries, if any (ground truth, for criteria, tests and the view). */
export function gimbalOf(actor: object): Gimbal | undefined {
  return GIMBALS.get(actor)?.[0];
}

/** The gimbal and its baseline copies (`compare`), the judged one first. */
export function gimbalsOf(actor: object): readonly Gimbal[] {
  return GIMBALS.get(actor) ?? [];
}

interface Entry {
  uav: Multirotor;
  gimbal: Gimbal;
}

export class GimbalService implements WorldService {
  private readonly entries: Entry[] = [];

  constructor(private readonly world: World) {}

  add(uav: Multirotor, gimbal: Gimbal): void {
    this.entries.push({ uav, gimbal });
    const list = GIMBALS.get(uav);
    if (list) list.push(gimbal);
    else GIMBALS.set(uav, [gimbal]);
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  tick(_time: number, step: number): void {
    if (step !== 0) return;
    // The airframe's state before the first step; afterwards each advance() keeps it.
    for (const e of this.entries) if (this.world.hasActor(e.uav.id)) e.gimbal.begin(this.world.stateOf(e.uav.id));
  }

  afterPhysics(time: number): void {
    const w = this.world;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!w.hasActor(e.uav.id)) continue;
      let target: Readonly<Vec3> | undefined;
      const t = e.gimbal.target;
      if (typeof t === 'string') target = w.hasActor(t) ? w.stateOf(t).position : undefined;
      else target = t;
      e.gimbal.advance(time, w.stateOf(e.uav.id), e.uav.rotorSpeedsRadPerS, target);
    }
  }
}
