/**
 * The scenario format, as one zod schema. It validates files, gives the
 * TypeScript types, and generates `scenarios/schema/scenario.schema.json`
 * (`npm run schema`) that the library files reference for editor completion.
 *
 * Units are SI; angles in files are degrees and named `...Deg`.
 */
import { z } from 'zod';
import { goToGoalMission, goToGoalParams } from '../agents/go-to-goal.ts';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const vec2 = z.tuple([finite(), finite()]);
const vec3 = z.tuple([finite(), finite(), finite()]);
const positive = () => finite().refine((x) => x > 0, { message: 'expected a number > 0' });
const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { message: 'expected an id: a letter, then letters, digits, _ or -' });

export const poseSchema = z
  .object({
    position: z.union([vec2, vec3]).describe('[x, y] or [x, y, z] in the local ENU frame, m; with [x, y] the actor stands on the ground'),
    yawDeg: finite().default(0).describe('heading, degrees counter-clockwise from east (x)'),
  })
  .strict();

// ---------- sensors ----------
const mountSchema = z
  .object({
    position: vec3.default([0, 0, 0]).describe('mount position in the actor body frame (x forward, y left, z up), m'),
    yawDeg: finite().default(0),
  })
  .strict();

export const rangeRingSensorSchema = z
  .object({
    type: z.literal('range-ring'),
    name: id.default('lidar'),
    beams: z.number().int().min(1).max(4096).default(64),
    fovDeg: positive().max(360).default(360).describe('field of view centred on the mount x axis; 360 for a full ring'),
    minRangeM: finite().nonnegative().optional().describe('default: RPLIDAR A2M8, 0.15 m'),
    maxRangeM: positive().optional().describe('default: RPLIDAR A2M8, 12 m'),
    rateHz: positive().optional().describe('default: RPLIDAR A2M8, 10 Hz'),
    noiseScale: finite().nonnegative().default(1).describe('multiplies the datasheet noise; 0 for a perfect sensor'),
    mount: mountSchema.default({ position: [0, 0, 0.2], yawDeg: 0 }),
  })
  .strict();

export const gnssSensorSchema = z
  .object({
    type: z.literal('gnss'),
    name: id.default('gnss'),
    rateHz: positive().optional().describe('default: u-blox ZED-F9P RTK, 10 Hz'),
    horizontalSigmaM: finite().nonnegative().optional(),
    verticalSigmaM: finite().nonnegative().optional(),
    velocitySigmaMps: finite().nonnegative().optional(),
    headingSigmaDeg: finite().nonnegative().nullable().optional().describe('null: no heading antenna'),
    mount: mountSchema.default({ position: [0, 0, 0], yawDeg: 0 }),
  })
  .strict();

export const sensorSchema = z.discriminatedUnion('type', [rangeRingSensorSchema, gnssSensorSchema]);
export const SENSOR_TYPES = ['range-ring', 'gnss'] as const;

// ---------- agents ----------
export const agentRefSchema = z.union([
  z.string().describe('built-in agent name'),
  z
    .object({
      type: z.string().describe('built-in agent name (skylane list)'),
      params: z.record(z.string(), z.unknown()).default({}),
    })
    .strict(),
]);

// ---------- actors ----------
export const roverActorSchema = z
  .object({
    id,
    kind: z.literal('rover'),
    pose: poseSchema,
    agent: agentRefSchema.optional().describe('the agent that drives it; none: it stands still'),
    mission: goToGoalMission.optional(),
    sensors: z.array(sensorSchema).default([]),
    color: z.string().optional(),
  })
  .strict();

export const shapeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('box'), sizeM: z.tuple([positive(), positive(), positive()]).describe('[length x, width y, height z], m') }).strict(),
  z.object({ type: z.literal('cylinder'), radiusM: positive(), heightM: positive() }).strict(),
  z.object({ type: z.literal('sphere'), radiusM: positive() }).strict(),
]);

export const motionSchema = z
  .object({
    waypoints: z.array(vec2).min(1).describe('[x, y] points the obstacle moves through, m'),
    speedMps: positive(),
    loop: z.boolean().default(true),
  })
  .strict();

export const obstacleActorSchema = z
  .object({
    id,
    kind: z.literal('obstacle'),
    shape: shapeSchema,
    pose: poseSchema,
    motion: motionSchema.optional().describe('scripted kinematic motion; none: static'),
    color: z.string().optional(),
  })
  .strict();

export const actorSchema = z.discriminatedUnion('kind', [roverActorSchema, obstacleActorSchema]);
export const ACTOR_KINDS = ['rover', 'obstacle'] as const;

// ---------- world ----------
export const scatterSchema = z
  .object({
    idPrefix: id.default('scatter'),
    count: z.number().int().min(1).max(10000),
    region: z.object({ min: vec2, max: vec2 }).strict().describe('axis-aligned placement area, m'),
    shape: z.discriminatedUnion('type', [
      z.object({ type: z.literal('cylinder'), radiusM: z.tuple([positive(), positive()]).describe('[min, max] uniform'), heightM: positive() }).strict(),
      z.object({ type: z.literal('box'), sideM: z.tuple([positive(), positive()]).describe('[min, max] uniform'), heightM: positive() }).strict(),
    ]),
    minGapM: finite().nonnegative().default(1).describe('minimum free gap between scattered obstacles, m'),
    keepClear: z
      .array(z.object({ center: vec2, radiusM: positive() }).strict())
      .default([])
      .describe('discs left empty (start, goal)'),
  })
  .strict();

export const worldSchema = z
  .object({
    physicsHz: finite().min(10).max(10000).default(100).describe('fixed physics rate, Hz (10 to 10000)'),
    ground: z
      .object({
        centerM: vec2.default([0, 0]),
        sizeM: z.tuple([positive(), positive()]),
        friction: finite().nonnegative().default(0.8),
      })
      .strict(),
    scatter: z.array(scatterSchema).default([]).describe('seeded random obstacle fields'),
  })
  .strict();

// ---------- timeline ----------
const at = finite().nonnegative().describe('simulation time, s');
export const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sensor-fault'), at, actor: id, sensor: id, restoreAt: finite().nonnegative().optional() }).strict(),
  z.object({ type: z.literal('remove'), at, actor: id }).strict(),
  z.object({ type: z.literal('set-motion'), at, actor: id, motion: motionSchema }).strict(),
]);
export const EVENT_TYPES = ['sensor-fault', 'remove', 'set-motion'] as const;

// ---------- criteria ----------
const criterionBase = {
  name: z.string().optional().describe('unique name in reports; default: the type'),
};
export const noCollisionSchema = z
  .object({
    ...criterionBase,
    type: z.literal('no-collision'),
    actor: id.optional().describe('default: every actor that has an agent'),
    maxCollisions: z.number().int().nonnegative().optional().describe('default from seeds/ (360-degree avoidance: 0)'),
    terminate: z.boolean().default(true).describe('end the run at the first failing collision'),
  })
  .strict();
export const reachGoalSchema = z
  .object({
    ...criterionBase,
    type: z.literal('reach-goal'),
    actor: id,
    region: z.object({ center: vec2, radiusM: positive() }).strict(),
    withinS: positive().describe('the goal must be reached by this time, s'),
    endsRun: z.boolean().default(true).describe('end the run once every endsRun goal is reached'),
  })
  .strict();
export const minClearanceSchema = z
  .object({
    ...criterionBase,
    type: z.literal('min-clearance'),
    actor: id,
    others: z.array(id).optional().describe('actors measured against; default: every other non-terrain actor'),
    thresholdM: finite().nonnegative().optional().describe('default from seeds/'),
  })
  .strict();
export const maxDurationSchema = z
  .object({
    ...criterionBase,
    type: z.literal('max-duration'),
    thresholdS: positive().describe('the run must have ended (e.g. goal reached) by this time, s'),
  })
  .strict();
export const criterionSchema = z.discriminatedUnion('type', [noCollisionSchema, reachGoalSchema, minClearanceSchema, maxDurationSchema]);
export const CRITERION_TYPES = ['no-collision', 'reach-goal', 'min-clearance', 'max-duration'] as const;

// ---------- seed-varying parameters ----------
const varyPath = z
  .union([z.string(), z.array(z.string()).min(1)])
  .describe('dotted path, or a list of paths that all take the same drawn value (e.g. a goal and the region that checks it)');
export const varySchema = z.union([
  z.object({ path: varyPath, uniform: vec2.describe('[min, max]') }).strict(),
  z.object({ path: varyPath, normal: z.object({ mean: finite(), sd: finite().nonnegative() }).strict() }).strict(),
  z.object({ path: varyPath, choice: z.array(z.unknown()).min(1) }).strict(),
]);

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a lowercase name: letters, digits and -' }),
    description: z.string().min(1),
    family: z.enum(['demo', 'cars', 'uav', 'gimbal', 'airspace']).default('demo'),
    tests: z.string().optional().describe('one line: what this scenario tests'),
    requirements: z.array(z.string()).default([]).describe('ids from seeds/ this scenario traces to'),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    duration: positive().describe('simulated seconds'),
    world: worldSchema,
    actors: z.array(actorSchema).min(1),
    events: z.array(eventSchema).default([]),
    vary: z.array(varySchema).default([]).describe('parameters drawn from the seed: dotted paths, array items by index or by id'),
    criteria: z.array(criterionSchema).min(1),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ActorSpec = z.output<typeof actorSchema>;
export type SensorSpec = z.output<typeof sensorSchema>;
export type CriterionSpec = z.output<typeof criterionSchema>;
export type EventSpec = z.output<typeof eventSchema>;
export type VarySpec = z.output<typeof varySchema>;
export type ScatterSpec = z.output<typeof scatterSchema>;
export { goToGoalParams };
