/**
 * Built-in agents, by name. A scenario names an agent (`agent: go-to-goal`);
 * the loader checks the name, the actor kind and the params here.
 */
import type { z } from 'zod';
import type { Agent } from '../sim/agent.ts';
import { GoToGoalAgent, goToGoalParams } from './go-to-goal.ts';
import { IdleAgent, idleParams } from './idle.ts';

export interface AgentEntry {
  name: string;
  description: string;
  /** Actor kinds it can drive. */
  actorKinds: readonly string[];
  params: z.ZodType;
  /**
   * Sensors the agent reads, by name and type, given its parsed params:
   * `required` ones must exist on the actor; optional ones, if present, must have that type.
   */
  sensors(params: unknown): { name: string; type: string; required: boolean }[];
  create(params: unknown): Agent;
}

export const AGENTS: Readonly<Record<string, AgentEntry>> = {
  'go-to-goal': {
    name: 'go-to-goal',
    description: 'rover: drive to the mission goal around obstacles seen by the range ring (GNSS + lidar only)',
    actorKinds: ['rover'],
    params: goToGoalParams,
    sensors: (p) => {
      const q = goToGoalParams.parse(p);
      // Without a range ring it drives blind (a baseline the failing fixtures use); without GNSS it cannot drive at all.
      return [
        { name: q.gnss, type: 'gnss', required: true },
        { name: q.lidar, type: 'range-ring', required: false },
      ];
    },
    create: (p) => new GoToGoalAgent(goToGoalParams.parse(p)),
  },
  idle: {
    name: 'idle',
    description: 'rover: commands nothing (it holds still); car: pedals released, steering centred (it coasts at its start speed); a baseline',
    actorKinds: ['rover', 'car'],
    params: idleParams,
    sensors: () => [],
    create: (p) => new IdleAgent(idleParams.parse(p)),
  },
};

export const AGENT_NAMES = Object.keys(AGENTS);

