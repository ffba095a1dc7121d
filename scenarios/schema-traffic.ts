/**
 * The scenario format's traffic and road-feature parts (issue #3: traffic and
 * test behaviours, road features): pedestrians, junction control (stop
 * signs) and road works (lane and road closures). Kept apart from
 * `schema.ts`, which imports them into its unions, so that parallel changes
 * to the scenario format touch different files.
 *
 * Units are SI; positions are [x, y] in the local ENU frame.
 */
import { z } from 'zod';
import { PEDESTRIAN_WALKING_SPEED_MPS } from '../vehicles/pedestrian/pedestrian.ts';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const positive = () => finite().refine((x) => x > 0, { message: 'expected a number > 0' });
const vec2 = z.tuple([finite(), finite()]);
const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { message: 'expected an id: a letter, then letters, digits, _ or -' });

// ---------- pedestrians ----------
export const pedestrianStartSchema = z.union([
  z.object({ atS: finite().nonnegative().describe('start walking at this simulation time, s') }).strict(),
  z
    .object({
      actor: id.describe("the actor whose front triggers the walk (e.g. the ego)"),
      distanceM: positive().describe("start when that actor's ground-truth front (a car's front bumper centre) comes within this distance of the pedestrian, m"),
    })
    .strict(),
]);

export const pedestrianActorSchema = z
  .object({
    id,
    kind: z.literal('pedestrian'),
    path: z.array(vec2).min(2).optional().describe('[x, y] points walked in order, m: the pedestrian starts on the first; or give crosswalk'),
    crosswalk: z
      .object({
        id: z.string().min(1).describe('crosswalk id of world.road, e.g. "x/south-crosswalk" (intersection) or "j0-0/east-crosswalk" (urban grid)'),
        from: z.enum(['right', 'left']).default('right').describe("the kerb it starts from: right or left of the crosswalk's road, looking along the road's +s"),
      })
      .strict()
      .optional()
      .describe('walk across this crosswalk of the road network, kerb to kerb, along its middle; or give path'),
    speedMps: positive().default(PEDESTRIAN_WALKING_SPEED_MPS).describe('walking speed, m/s; default 1.4 (Knoblauch et al. 1996, adults)'),
    start: pedestrianStartSchema.default({ atS: 0 }).describe('when it starts walking: { atS } or { actor, distanceM } (Euro NCAP AEB VRU style trigger); default at once'),
    atEnd: z.enum(['stand', 'remove']).default('stand').describe('after the last point: stand there, or leave the world'),
    target: z.enum(['adult', 'child']).default('adult').describe('body size: adult 0.5 x 1.75 m, child 0.3 x 1.154 m (ISO 19206-2 / Euro NCAP child target)'),
    color: z.string().optional(),
  })
  .strict();

// ---------- junction control ----------
export const junctionControlSchema = z
  .enum(['signal', 'all-way-stop', 'two-way-stop'])
  .describe('signal: fixed-time traffic lights (default); all-way-stop: a stop sign on every arm; two-way-stop: stop signs on the minor (north and south) arms, the east-west road free');

// ---------- road works ----------
export const laneClosureSchema = z
  .object({
    type: z.literal('lane-closure'),
    id: id.optional().describe('default "lane-closure-<index>"'),
    road: z.string().min(1).describe('road id in world.road'),
    lane: z.number().int().refine((x) => x !== 0, { message: 'expected a lane id other than 0 (the centre lane has no width)' }).describe('the closed lane (OpenDRIVE id)'),
    fromS: finite().nonnegative().describe('road s where the closure begins, m (upstream end for a lane driven towards +s)'),
    toS: finite().nonnegative().describe('road s where it ends, m'),
    taperLengthM: positive().optional().describe('length of the cone taper across the lane at the upstream end, m; default the MUTCD merging taper for the lane speed limit'),
    coneSpacingM: positive().optional().describe('cone spacing along the closure, m; default: 10 cones along the taper, 2x the taper spacing along the tangent'),
  })
  .strict();
export const roadClosureSchema = z
  .object({
    type: z.literal('road-closure'),
    id: id.optional().describe('default "road-closure-<index>"'),
    road: z.string().min(1).describe('road id in world.road'),
    s: finite().nonnegative().describe('road s of the barrier across every lane, m'),
  })
  .strict();
export const roadWorkSchema = z.discriminatedUnion('type', [laneClosureSchema, roadClosureSchema]);
export const ROAD_WORK_TYPES = ['lane-closure', 'road-closure'] as const;

export type PedestrianSpecInput = z.output<typeof pedestrianActorSchema>;
export type RoadWorkSpec = z.output<typeof roadWorkSchema>;
