/** The JSON Schema of scenario files, generated from the zod schema (input side: defaults are optional). */
import { z } from 'zod';
import { scenarioSchema } from './schema.ts';

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'Skylane scenario',
    description: 'A world, the actors in it, the agents that drive them and the criteria that judge them. SI units; angles in degrees where named ...Deg.',
  };
}
