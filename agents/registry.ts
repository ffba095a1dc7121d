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
  create(params: unknown): Agent;
}

export const AGENTS: Readonly<Record<string, AgentEntry>> = {
  'go-to-goal': {
    name: 'go-to-goal',
    description: 'rover: drive to the mission goal around obstacles seen by the range ring (GNSS + lidar only)',
    actorKinds: ['rover'],
    params: goToGoalParams,
    create: (p) => new GoToGoalAgent(goToGoalParams.parse(p)),
  },
  idle: {
    name: 'idle',
    description: 'any actor: commands nothing (the actor holds still); a baseline',
    actorKinds: ['rover'],
    params: idleParams,
    create: (p) => new IdleAgent(idleParams.parse(p)),
  },
};

export const AGENT_NAMES = Object.keys(AGENTS);
