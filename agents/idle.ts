/**
 * The do-nothing baseline, for any kind it drives: a rover commands zero speed
 * and yaw rate (it holds still); a car releases its pedals and centres its
 * steering (it coasts at its start speed).
 */
import { z } from 'zod';
import type { Agent, AgentContext } from '../sim/agent.ts';
import type { RoverCommand } from '../vehicles/rover/rover.ts';

export const idleParams = z.object({ rateHz: z.number().positive().default(1) }).strict();

const IDLE_ROVER: Readonly<RoverCommand> = Object.freeze({ speedMps: 0, yawRateRadPerS: 0 });
/** Zero commands of the car models: `Car` (pedals, steering) and `KinematicBicycle` (acceleration, steering). */
const IDLE_CAR = Object.freeze({ throttle: 0, brake: 0, steeringRad: 0 });
const IDLE_KINEMATIC_CAR = Object.freeze({ accelMps2: 0, steeringRad: 0 });

export class IdleAgent implements Agent {
  readonly rateHz: number;
  private kind = 'rover';
  constructor(p: z.infer<typeof idleParams>) {
    this.rateHz = p.rateHz;
  }
  reset(ctx: AgentContext): void {
    this.kind = ctx.actorKind;
  }
  act(): unknown {
    if (this.kind === 'car') return IDLE_CAR;
    if (this.kind === 'car-kinematic') return IDLE_KINEMATIC_CAR;
    return IDLE_ROVER;
  }
}
