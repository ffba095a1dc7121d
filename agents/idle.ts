/** The do-nothing baseline: zero speed, zero yaw rate. */
import { z } from 'zod';
import type { Agent } from '../sim/agent.ts';
import type { RoverCommand } from '../vehicles/rover/rover.ts';

export const idleParams = z.object({ rateHz: z.number().positive().default(1) }).strict();

export class IdleAgent implements Agent<RoverCommand> {
  readonly rateHz: number;
  constructor(p: z.infer<typeof idleParams>) {
    this.rateHz = p.rateHz;
  }
  reset(): void {}
  act(): RoverCommand {
    return { speedMps: 0, yawRateRadPerS: 0 };
  }
}
