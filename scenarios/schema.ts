/**
 * The scenario format, as one zod schema. It validates files, gives the
 * TypeScript types, and generates `scenarios/schema/scenario.schema.json`
 * (`npm run schema`) that the library files reference for editor completion.
 *
 * Units are SI; angles in files are degrees and named `...Deg`.
 */
import { z } from 'zod';
import { goToGoalMission, goToGoalParams } from '../agents/go-to-goal.ts';
import { AIRFRAME_NAMES } from '../uav/multirotor/airframes.ts';
import { GIMBAL_MODEL_NAMES } from '../uav/gimbal/spec.ts';
import { GIMBAL_CONTROLLER_NAMES } from '../agents/gimbal/registry.ts';

const GIMBAL_IMU_NAMES = ['icm-42688-p', 'mpu-6000', 'bmi088'] as const;
import { v2xActorSchema, v2xSensorSchema, v2xWorldSchema } from './v2x-schema.ts';
import { RESTRICTION_CLASSES, WEEKDAYS } from '../uav/airspace/zone.ts';
import { junctionControlSchema, pedestrianActorSchema, roadWorkSchema } from './schema-traffic.ts';

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

export const objectListSensorSchema = z
  .object({
    type: z.literal('object-list'),
    name: id.default('objects'),
    rateHz: positive().optional().describe('default: 10 Hz (VLP-16 at 600 rpm)'),
    maxRangeM: positive().optional().describe('default: 50 m (nuScenes detection range, car class)'),
    fovDeg: positive().max(360).optional().describe('horizontal field of view centred on the mount x axis; default 70 (nuScenes CAM_FRONT)'),
    detectionProbability: finite().min(0).max(1).optional().describe('default 0.95 (Skylane assumption)'),
    radialSigmaM: finite().nonnegative().optional(),
    bearingSigmaDeg: finite().nonnegative().optional(),
    velocitySigmaMps: finite().nonnegative().optional(),
    sizeSigmaM: finite().nonnegative().optional(),
    yawSigmaDeg: finite().nonnegative().optional().describe('sigma of the reported box heading; default 5.7 (0.1 rad, Skylane assumption)'),
    noiseScale: finite().nonnegative().default(1).describe('multiplies every noise sigma; 0 for perfect measurements'),
    groundTruth: z.boolean().default(false).describe('an oracle: every actor within range, all around, exact, never missed, never occluded; the report says the agent read ground truth'),
    mount: mountSchema.default({ position: [0, 0, 1], yawDeg: 0 }).describe('default: on the roof of a car (body origin is the centre of gravity)'),
  })
  .strict();

export const radarSensorSchema = z
  .object({
    type: z.literal('radar'),
    name: id.default('radar'),
    rateHz: positive().optional().describe('default: Continental ARS 408-21, ~13.9 Hz (72 ms cycle)'),
    minRangeM: finite().nonnegative().optional().describe('default 0.2 m'),
    maxRangeM: positive().optional().describe('default 250 m (far range)'),
    fovDeg: positive().max(360).optional().describe('default 18 (far range, -9..+9 deg)'),
    rays: z.number().int().min(1).max(1024).optional().describe('rays across the field of view; default 19 (1 deg apart)'),
    rangeSigmaM: finite().nonnegative().optional(),
    rangeRateSigmaMps: finite().nonnegative().optional(),
    azimuthSigmaDeg: finite().nonnegative().optional(),
    noiseScale: finite().nonnegative().default(1).describe('multiplies every noise sigma; 0 for perfect measurements'),
    mount: mountSchema.default({ position: [2.3, 0, 0], yawDeg: 0 }).describe('default: the front bumper of a car'),
  })
  .strict();

export const imuSensorSchema = z
  .object({
    type: z.literal('imu'),
    name: id.default('imu'),
    rateHz: positive().optional().describe('default 100 Hz'),
    gyroNoiseDensityDegPerSPerSqrtHz: finite().nonnegative().optional().describe('default: Bosch BMI088, 0.014 deg/s/sqrt(Hz)'),
    gyroTurnOnBiasSigmaDegPerS: finite().nonnegative().optional().describe('default: BMI088, 1 deg/s'),
    gyroBiasInstabilityDegPerS: finite().nonnegative().optional().describe('default: BMI088, 2 deg/h'),
    accelNoiseDensityMps2PerSqrtHz: finite().nonnegative().optional().describe('default: BMI088, 175 ug/sqrt(Hz)'),
    accelTurnOnBiasSigmaMps2: finite().nonnegative().optional().describe('default: BMI088, 20 mg'),
    accelBiasInstabilityMps2: finite().nonnegative().optional(),
    biasCorrelationTimeS: positive().optional().describe('default 1000 s'),
    noiseScale: finite().nonnegative().default(1).describe('multiplies every noise and bias figure; 0 for a perfect IMU'),
    mount: mountSchema.default({ position: [0, 0, 0], yawDeg: 0 }),
  })
  .strict();

export const wheelOdometrySensorSchema = z
  .object({
    type: z.literal('wheel-odometry'),
    name: id.default('odometry'),
    rateHz: positive().optional().describe('default 10 Hz'),
    wheelRadiusM: positive().optional().describe('default: BMW 320i, 0.344 m'),
    trackWidthM: positive().optional().describe('default: BMW 320i rear track, 1.364 m'),
    ticksPerRev: z.number().int().min(1).optional().describe('default: 48-tooth ABS ring'),
    scaleErrorSigma: finite().min(0).lt(0.2).optional().describe('per-wheel rolling-radius error, fraction; default 0.01'),
    mount: mountSchema.default({ position: [0, 0, 0], yawDeg: 0 }),
  })
  .strict();

export const trafficLightsSensorSchema = z
  .object({
    type: z.literal('traffic-lights'),
    name: id.default('traffic-lights'),
    rateHz: positive().optional().describe('default 10 Hz (Skylane assumption)'),
    maxRangeM: positive().optional().describe('default 100 m (Skylane assumption, order of published camera TLR)'),
    fovDeg: positive().max(360).optional().describe('horizontal field of view centred on the mount x axis; default 60'),
    detectionProbability: finite().min(0).max(1).optional().describe('per head per sample; default 0.95 (Skylane assumption)'),
    mount: mountSchema.default({ position: [0.5, 0, 1.4], yawDeg: 0 }).describe('default: behind the windscreen of a car'),
  })
  .strict()
  .describe('traffic-light recognition camera: state of the mapped signal heads in view, with line of sight');

export const barometerSensorSchema = z
  .object({
    type: z.literal('barometer'),
    name: id.default('baro'),
    rateHz: positive().optional().describe('default 50 Hz (Skylane default)'),
    originAltitudeAmslM: finite().optional().describe("altitude of the scenario's origin above mean sea level, m; default 0"),
    pressureNoiseSigmaPa: finite().nonnegative().optional().describe('default 1 Pa RMS (PX4 SITL barometer plugin)'),
    biasSigmaPa: finite().nonnegative().optional().describe('default 8 Pa (BMP388 relative accuracy +-0.08 hPa as 1 sigma)'),
    noiseScale: finite().nonnegative().default(1).describe('multiplies the noise and bias; 0 for a perfect barometer'),
    mount: mountSchema.default({ position: [0, 0, 0], yawDeg: 0 }),
  })
  .strict();

export const lidar3dSensorSchema = z
  .object({
    type: z.literal('lidar-3d'),
    name: id.default('lidar'),
    beams: z.number().int().min(1).max(4096).optional().describe('returns per layer; default 1800 (VLP-16: 0.2 deg at 10 Hz)'),
    layers: z.number().int().min(1).max(256).optional().describe('default 16 (VLP-16)'),
    verticalFovDeg: vec2.optional().describe('[lowest, highest] layer elevation, degrees; default [-15, 15] (VLP-16)'),
    horizontalFovDeg: positive().max(360).optional().describe('default 360'),
    minRangeM: finite().nonnegative().optional().describe('default 0.5 m (Skylane assumption)'),
    maxRangeM: positive().optional().describe('default 100 m (VLP-16)'),
    rateHz: positive().optional().describe('default 10 Hz (VLP-16)'),
    rangeSigmaM: finite().nonnegative().optional().describe('default 0.03 m (VLP-16 +-3 cm, read as 1 sigma)'),
    dropoutProbability: finite().min(0).max(1).optional().describe('default 0'),
    noiseScale: finite().nonnegative().default(1).describe('multiplies the range noise; 0 for exact ranges'),
    mount: mountSchema.default({ position: [0, 0, 0.1], yawDeg: 0 }),
  })
  .strict()
  .describe("a spinning multi-layer lidar (beams x layers) cast through Skylane's fast caster over the world's primitives");

export const batterySensorSchema = z
  .object({
    type: z.literal('battery'),
    name: id.default('battery'),
    rateHz: positive().optional().describe('default 10 Hz (PX4 battery_status order)'),
    voltageSigmaV: finite().nonnegative().optional().describe('white voltage noise, V RMS; default 0.01 (Skylane assumption: 12-bit ADC power module, sim/sensors/battery.ts)'),
    currentSigmaA: finite().nonnegative().optional().describe('white current noise, A RMS; default 0.1 (Skylane assumption)'),
    currentScaleSigma: finite().nonnegative().optional().describe('current scale error drawn once, fraction RMS; default 0.01 (Skylane assumption)'),
  })
  .strict()
  .describe("a UAV battery monitor (PX4 battery_status): voltage, current, remaining estimate and warning level; reads the UAV's battery");

export const geoAwarenessSensorSchema = z
  .object({
    type: z.literal('geo-awareness'),
    name: id.default('geo'),
    rateHz: positive().optional().describe('default 5 Hz (Skylane choice)'),
  })
  .strict()
  .describe("a geo-awareness feed (U-space / DJI GEO style, uav/airspace/geo-awareness.ts): the zones active now and the predicted-breach warnings for this UAV; needs world.airspace");

export const sensorSchema = z.discriminatedUnion('type', [
  geoAwarenessSensorSchema,
  rangeRingSensorSchema,
  gnssSensorSchema,
  objectListSensorSchema,
  radarSensorSchema,
  imuSensorSchema,
  wheelOdometrySensorSchema,
  v2xSensorSchema,
  trafficLightsSensorSchema,
  lidar3dSensorSchema,
  barometerSensorSchema,
  batterySensorSchema,
]);
export const SENSOR_TYPES = ['range-ring', 'gnss', 'object-list', 'radar', 'imu', 'wheel-odometry', 'v2x', 'traffic-lights', 'lidar-3d', 'barometer', 'battery', 'geo-awareness'] as const;

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
    terrain: z.boolean().optional().describe('a surface to stand on (e.g. a landing pad): contacts with it are not collisions; default false'),
  })
  .strict();

// ---------- cars and NPC drivers ----------
export const lanePlacementSchema = z
  .object({
    road: z.string().min(1).describe('road id in world.road'),
    lane: z.number().int().refine((x) => x !== 0, { message: 'expected a lane id other than 0 (the centre lane has no width)' })
      .describe('OpenDRIVE lane id: -1, -2, ... right of the reference line (driven towards +s), 1, 2, ... left of it (driven towards -s)'),
    s: finite().nonnegative().describe('road coordinate along the reference line, m'),
    offsetM: finite().default(0).describe("lateral offset from the lane centre, + to the driver's left, m"),
  })
  .strict();

const idmParamsSchema = z
  .object({
    desiredSpeedMps: positive().optional().describe('v0; default 120 km/h (capped by each lane\'s speed limit)'),
    timeHeadwayS: positive().optional(),
    minGapM: finite().nonnegative().optional(),
    maxAccelMps2: positive().optional(),
    comfortDecelMps2: positive().optional(),
    accelExponent: positive().optional(),
    maxDecelMps2: positive().optional(),
  })
  .strict()
  .describe('IDM; defaults: Treiber & Kesting 2013, table 11.2, highway');

const mobilParamsSchema = z
  .object({
    politeness: finite().min(0).max(1).optional(),
    thresholdMps2: finite().nonnegative().optional(),
    safeDecelMps2: positive().optional(),
    keepRightBiasMps2: finite().nonnegative().optional(),
  })
  .strict()
  .describe("MOBIL; defaults: Treiber's MOBIL parameter table, politeness 0.5");

export const npcDriverParamsSchema = z
  .object({
    idm: idmParamsSchema.optional(),
    mobil: mobilParamsSchema.optional(),
    lookaheadTimeS: positive().optional(),
    minLookaheadM: positive().optional(),
    maxLookaheadM: positive().optional(),
    laneChangeDurationS: positive().optional(),
    minTimeBetweenLaneChangesS: finite().nonnegative().optional(),
    searchHorizonM: positive().optional(),
    rateHz: positive().optional(),
    speedHoldGainPerS: positive().optional(),
  })
  .strict();

export const npcBehaviourSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('cut-in'),
      targetActor: id.describe('the car to cut in front of'),
      gapM: finite().nonnegative().describe("bumper-to-bumper gap ahead of the target's front at which the cut-in starts, m"),
      lateralSpeedMps: positive(),
      speedAfterMps: finite().nonnegative().optional().describe("speed held from the trigger on; default the target's speed then"),
    })
    .strict(),
  z
    .object({
      type: z.literal('lead-brake'),
      triggerTimeS: finite().nonnegative().optional().describe('brake at this time, s ...'),
      triggerGapM: finite().nonnegative().optional().describe('... or when targetActor (behind) closes to this gap, m'),
      targetActor: id.optional(),
      decelMps2: positive().describe('deceleration to a standstill, m/s^2'),
    })
    .strict(),
  z
    .object({
      type: z.literal('constant-speed'),
      speedMps: finite().nonnegative(),
      lateralOffsetM: finite().optional().describe("offset from the lane centre, + to the driver's left, m"),
    })
    .strict(),
  z
    .object({
      type: z.literal('cut-out'),
      triggerGapM: finite().nonnegative().optional().describe('leave when the gap to the leader falls to this, m ...'),
      triggerTimeS: finite().nonnegative().optional().describe('... or at this time, s'),
      lateralSpeedMps: positive(),
      direction: z.enum(['left', 'right']).optional().describe('default left if that lane exists, else right'),
      speedMps: finite().nonnegative().optional().describe('speed held until the change is done; default the speed at the first tick'),
    })
    .strict(),
]);
export const BEHAVIOUR_TYPES = ['cut-in', 'lead-brake', 'constant-speed', 'cut-out'] as const;

export const npcDriverSchema = z
  .object({
    type: z.literal('npc'),
    params: npcDriverParamsSchema.default({}).describe('IDM car following, MOBIL lane changes, pure pursuit'),
    behaviour: npcBehaviourSchema.optional().describe('a scripted test behaviour; none: plain IDM + MOBIL traffic'),
    via: z.array(z.string().min(1)).optional().describe('road ids (e.g. junction connecting roads such as "x/west-left-1") preferred where its lane branches; default: the first successor'),
  })
  .strict();
export const DRIVER_TYPES = ['npc'] as const;

export const carActorSchema = z
  .object({
    id,
    kind: z.literal('car'),
    model: z
      .enum(['dynamic', 'kinematic'])
      .default('kinematic')
      .describe('dynamic: raycast-vehicle chassis (suspension, tyres, actuator lags); kinematic: kinematic bicycle (cheap, for traffic)'),
    pose: poseSchema.optional().describe('place by pose (x, y, heading); or give lane'),
    lane: lanePlacementSchema.optional().describe('place on a lane of world.road, heading along its driving direction; or give pose'),
    speedMps: finite().nonnegative().default(0).describe('initial forward speed, m/s'),
    driver: npcDriverSchema.optional().describe('world-side NPC driver (reads ground truth; not an agent, never judged as one); needs model: kinematic'),
    agent: agentRefSchema.optional().describe('the agent under test that drives it; exclusive with driver'),
    sensors: z.array(sensorSchema).default([]),
    color: z.string().optional(),
    v2x: v2xActorSchema.optional().describe('V2X equipment: { bsm: true } broadcasts BSMs at 10 Hz (needs world.v2x)'),
  })
  .strict();

export const uavBatterySchema = z
  .object({
    initialStateOfCharge: finite().min(0).max(1).default(1).describe('state of charge at the start, 0..1 (a mission parameter: e.g. 0.3 so a return-to-home triggers mid-mission)'),
    capacityAh: positive().optional().describe("rated capacity, Ah; default the airframe pack's (Iris: 3S 5.1 Ah)"),
    lowThreshold: finite().min(0).max(1).optional().describe('default 0.15 (PX4 BAT_LOW_THR)'),
    criticalThreshold: finite().min(0).max(1).optional().describe('default 0.07 (PX4 BAT_CRIT_THR)'),
    emergencyThreshold: finite().min(0).max(1).optional().describe('default 0.05 (PX4 BAT_EMERGEN_THR)'),
  })
  .strict();

// ---------- gimbal (uav/gimbal/) ----------
const gimbalControllerRef = z.union([
  z.enum(GIMBAL_CONTROLLER_NAMES),
  z.object({ type: z.enum(GIMBAL_CONTROLLER_NAMES), params: z.record(z.string(), z.unknown()).default({}) }).strict(),
]);

export const gimbalModeSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('lock'),
      rollDeg: finite().default(0),
      pitchDeg: finite().min(-90).max(30).default(0).describe('camera pitch, deg: positive up, -90 straight down (DJI convention)'),
      yawDeg: finite().default(0).describe('camera heading, deg, ENU (0 east, counter-clockwise)'),
    })
    .strict(),
  z
    .object({
      type: z.literal('follow'),
      pitchDeg: finite().min(-90).max(30).default(0).describe('camera pitch, deg: positive up, -90 straight down'),
      timeConstantS: positive().default(1).describe('the camera heading follows the UAV heading through a first-order filter of this time constant'),
    })
    .strict(),
  z
    .object({
      type: z.literal('point-at'),
      target: z.union([id, vec3]).describe('an actor id (e.g. a car) or a world point [x, y, z]'),
      timeConstantS: positive().default(0.5).describe('the target position is low-passed with this time constant'),
    })
    .strict(),
]);

export const gimbalSchema = z
  .object({
    model: z.enum(GIMBAL_MODEL_NAMES).default('gopro-iris').describe('gimbal hardware preset (uav/gimbal/spec.ts)'),
    imu: z.enum(GIMBAL_IMU_NAMES).default('icm-42688-p').describe('camera IMU model (sim/sensors/imu.ts IMU_MODELS)'),
    controller: gimbalControllerRef.default('gimbal-stabilizer').describe('gimbal controller (agents/gimbal/registry.ts)'),
    compare: z.array(gimbalControllerRef).default([]).describe('baseline controllers run on identical copies of the gimbal (same airframe motion, same sensor noise) and reported beside it, not judged'),
    mode: gimbalModeSchema.default({ type: 'follow', pitchDeg: 0, timeConstantS: 1 }),
    vibration: z.boolean().default(true).describe('rotor-induced vibration at the mount (uav/gimbal/vibration.ts)'),
    vibrationScale: finite().nonnegative().default(1).describe('multiplies every vibration amplitude (1: the cited levels)'),
    tolerance: z.boolean().default(true).describe('the plant differs from the data sheet by manufacturing tolerance, drawn from the seed; false: nominal'),
    payload: z
      .object({
        massKg: positive().optional().describe('camera (pitch link) mass, kg'),
        comOffsetM: vec3.optional().describe('camera centre of mass from the axes, camera axes, m (an unbalanced payload)'),
      })
      .strict()
      .optional(),
    motorMaxTorqueNm: positive().optional().describe('override the motors torque limit, N m'),
  })
  .strict();

export type GimbalSpecInput = z.infer<typeof gimbalSchema>;

export const uavActorSchema = z
  .object({
    id,
    kind: z.literal('uav'),
    airframe: z.enum(AIRFRAME_NAMES).describe('multirotor airframe (uav/multirotor/airframes.ts)'),
    pose: poseSchema.describe('centre of mass; with [x, y] it stands on the ground'),
    sensors: z.array(sensorSchema).default([]).describe('e.g. imu, gnss, barometer, lidar-3d'),
    agent: agentRefSchema.optional().describe('the agent that flies it (e.g. straight-line); none: rotors off'),
    color: z.string().optional(),
    battery: uavBatterySchema.optional().describe('its battery, drained by the rotors (uav/multirotor/battery.ts); none: unlimited energy'),
    gimbal: gimbalSchema.optional().describe('a 3-axis camera gimbal under the airframe (uav/gimbal/), stepped at kHz inside the physics tick'),
    airspaceAuthorisations: z
      .array(z.string().min(1))
      .default([])
      .describe('ids of the REQ_AUTHORISATION zones (world.airspace) this UAV\'s mission is authorised to enter'),
  })
  .strict();

export const actorSchema = z.discriminatedUnion('kind', [roverActorSchema, obstacleActorSchema, carActorSchema, pedestrianActorSchema, uavActorSchema]);
export const ACTOR_KINDS = ['rover', 'obstacle', 'car', 'pedestrian', 'uav'] as const;

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

// ---------- roads ----------
const origin = vec2.optional().describe('where the builder puts its local origin, m');
const headingDeg = finite().optional().describe('rotation of the whole network, degrees counter-clockwise from east');
const highwayParamsSchema = z
  .object({
    roadId: id.optional().describe('default "highway"'),
    lanesPerDirection: z.number().int().min(1).max(8),
    lengthM: positive(),
    laneWidthM: positive().optional().describe('default 3.75 m (JTG B01-2014)'),
    shoulderWidthM: positive().optional().describe('default 3.0 m (JTG B01-2014)'),
    speedLimitMps: positive().optional().describe('default 120 km/h'),
    origin,
    headingDeg,
    curve: z
      .object({
        startS: finite().nonnegative().describe('where the entry spiral begins, m along the road'),
        radiusM: positive(),
        angleDeg: finite().describe('total heading change; positive turns left'),
        spiralLengthM: finite().nonnegative().optional().describe('entry and exit spirals, m; default 0'),
      })
      .strict()
      .optional(),
  })
  .strict();
const onRampParamsSchema = z
  .object({
    lanesPerDirection: z.number().int().min(1).max(8),
    upstreamLengthM: positive().describe('mainline before the merge point, m'),
    downstreamLengthM: positive().describe('mainline from the merge point on, m (must hold the acceleration lane and taper)'),
    laneWidthM: positive().optional(),
    shoulderWidthM: positive().optional(),
    speedLimitMps: positive().optional(),
    rampSpeedLimitMps: positive().optional().describe('default 60 km/h'),
    accelerationLaneLengthM: positive().optional().describe('default 200 m'),
    taperLengthM: positive().optional().describe('default 80 m'),
    rampRadiusM: positive().optional().describe('default 150 m'),
    rampSpiralLengthM: finite().nonnegative().optional().describe('default 40 m'),
    rampAngleDeg: finite().optional().describe('heading of the ramp approach relative to the mainline; default 28.6 (0.5 rad)'),
    rampApproachLengthM: positive().optional().describe('default 50 m'),
    origin,
    headingDeg,
  })
  .strict();
const urbanRoadParams = {
  lanesPerDirection: z.number().int().min(1).max(6).optional().describe('default 1'),
  laneWidthM: positive().optional().describe('default 3.5 m (CJJ 37-2012)'),
  sidewalkWidthM: positive().optional().describe('default 2.0 m'),
  speedLimitMps: positive().optional().describe('default 50 km/h'),
  cornerMarginM: finite().nonnegative().optional().describe('sidewalk edge to junction box edge, m; default 3'),
  control: junctionControlSchema.optional(),
  signal: z
    .object({
      throughGreenS: positive().optional().describe('default 30 s'),
      leftGreenS: positive().optional().describe('default 12 s'),
      yellowS: finite().nonnegative().optional().describe('default 3 s (GB 14886-2016)'),
      allRedS: finite().nonnegative().optional().describe('default 2 s'),
      offsetS: finite().optional(),
      leftTurns: z.enum(['protected', 'permitted']).optional().describe('protected (default): left turns in their own phases; permitted: green with the through movements, yielding to oncoming traffic'),
    })
    .strict()
    .optional()
    .describe('fixed-time signal plan of every junction'),
};
const intersectionParamsSchema = z
  .object({
    id: id.optional().describe('junction id, default "x"; arms are <id>/east, <id>/north, <id>/west, <id>/south'),
    center: vec2.optional(),
    armLengthM: positive().describe('length of each approach road from the junction box, m'),
    ...urbanRoadParams,
  })
  .strict();
const urbanGridParamsSchema = z
  .object({
    rows: z.number().int().min(1).max(20),
    cols: z.number().int().min(1).max(20),
    blockLengthM: positive().describe('distance between neighbouring intersection centres, m'),
    stubLengthM: positive().optional().describe('open roads out of the grid edge, m; default half a block'),
    origin,
    ...urbanRoadParams,
  })
  .strict();
const groundMarginM = finite().nonnegative().default(20).describe('when world.ground is omitted: ground = the network bounds plus this margin, m');
export const roadSchema = z.discriminatedUnion('builder', [
  z.object({ builder: z.literal('highway'), params: highwayParamsSchema, groundMarginM }).strict(),
  z.object({ builder: z.literal('on-ramp'), params: onRampParamsSchema, groundMarginM }).strict(),
  z.object({ builder: z.literal('intersection'), params: intersectionParamsSchema, groundMarginM }).strict(),
  z.object({ builder: z.literal('urban-grid'), params: urbanGridParamsSchema, groundMarginM }).strict(),
]);
export const ROAD_BUILDERS = ['highway', 'on-ramp', 'intersection', 'urban-grid'] as const;

export const groundSchema = z
  .object({
    centerM: vec2.default([0, 0]),
    sizeM: z.tuple([positive(), positive()]),
    friction: finite().nonnegative().default(0.8),
  })
  .strict();

// ---------- wind (uav/wind/) ----------
export const windSchema = z
  .object({
    steadyMps: vec3.optional().describe('steady wind, ENU m/s (where the air goes); default still'),
    gusts: z
      .array(
        z
          .object({
            startS: finite().nonnegative().describe('time the gust begins, s'),
            durationS: positive().describe("'full': rise-and-fall duration; 'ramp': rise time, s"),
            amplitudeMps: finite().nonnegative().describe('peak wind the gust adds, m/s'),
            direction: vec3.describe('where it blows towards, ENU (normalised)'),
            shape: z.enum(['full', 'ramp']).default('full').describe('1-cos gust (MIL-F-8785C discrete gust)'),
          })
          .strict(),
      )
      .default([]),
    turbulence: z
      .object({
        severity: z.enum(['light', 'moderate', 'severe']).optional().describe('MIL-F-8785C: wind at 20 ft of 15, 30, 45 kt'),
        w20Mps: finite().nonnegative().optional().describe('wind speed at 20 ft, m/s; overrides severity'),
      })
      .strict()
      .refine((t) => t.severity !== undefined || t.w20Mps !== undefined, { message: 'expected severity or w20Mps' })
      .optional()
      .describe('Dryden turbulence (MIL-F-8785C low altitude), seeded per UAV'),
  })
  .strict();

// ---------- airspace (uav/airspace/, issue #6) ----------
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;
export const isoInstant = () =>
  z.string().refine((x) => ISO_INSTANT.test(x) && Number.isFinite(Date.parse(x)), { message: 'expected an ISO 8601 instant with a time zone, e.g. "2026-11-28T10:00:00Z"' });
const timeOfDay = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'expected a UTC time of day "HH:MM" (00:00 to 24:00)' });
export const airspaceZoneSchema = z
  .object({
    id: z.string().min(1).describe('zone identifier (timeline events and airspaceAuthorisations name it)'),
    name: z.string().optional(),
    restriction: z.enum(RESTRICTION_CLASSES).describe('ED-269 class (PROHIBITED, REQ_AUTHORISATION, CONDITIONAL, NO_RESTRICTION) or DJI-GEO-like WARNING, ALTITUDE_CAP'),
    circle: z.object({ center: vec2.describe('[x, y] local ENU, m'), radiusM: positive() }).strict().optional(),
    polygon: z.array(vec2).min(3).optional().describe('[[x, y], ...] local ENU, m, in order, not closed'),
    lowerM: finite().default(0).describe('floor above the reference, m'),
    upperM: finite().nullable().default(null).describe('ceiling above the reference, m; null: no ceiling'),
    reference: z.enum(['AGL', 'AMSL']).default('AGL'),
    schedule: z
      .object({ days: z.array(z.enum(WEEKDAYS)).min(1), start: timeOfDay, end: timeOfDay })
      .strict()
      .optional()
      .describe('weekly schedule, UTC: active on these days from start to end (end <= start runs past midnight)'),
    activeFrom: isoInstant().optional().describe('active from this instant (inclusive)'),
    activeUntil: isoInstant().optional().describe('active until this instant (exclusive)'),
    activeAtStart: z.boolean().default(true).describe('false: off until a timeline `zone` event switches it on (a temporary restriction announced mid-flight)'),
  })
  .strict()
  .refine((zn) => (zn.circle === undefined) !== (zn.polygon === undefined), { message: 'expected exactly one of circle and polygon' });
export const airspaceSchema = z
  .object({
    origin: z
      .object({
        latDeg: finite().min(-90).max(90),
        lonDeg: finite().min(-180).max(180),
        altM: finite().default(0).describe('the origin\'s height above mean sea level, m (the ground is flat at this height)'),
      })
      .strict()
      .describe('the WGS84 point at local (0, 0, 0)'),
    startUtc: isoInstant().describe('the UTC instant of simulation time 0 (zone schedules are evaluated against it)'),
    files: z.array(z.string().min(1)).default([]).describe('ED-269 JSON, ED-318 GeoJSON or GeoJSON files, relative to the scenario file'),
    zones: z.array(airspaceZoneSchema).default([]).describe('zones written inline in local ENU'),
    geoidUndulationM: finite().optional().describe('geoid undulation at the site for WGS84-referenced limits, m; default 0 (warned)'),
  })
  .strict();

export const worldSchema = z
  .object({
    physicsHz: finite().min(10).max(10000).default(100).describe('fixed physics rate, Hz (10 to 10000)'),
    road: roadSchema.optional().describe('a procedural road network: cars can be placed on its lanes'),
    ground: groundSchema.optional().describe('required without a road; with one, default: the road network bounds plus groundMarginM'),
    scatter: z.array(scatterSchema).default([]).describe('seeded random obstacle fields'),
    v2x: v2xWorldSchema.optional().describe('the V2X radio (range, latency, loss, line of sight); with it, signal controllers broadcast SPaT'),
    roadWorks: z.array(roadWorkSchema).default([]).describe('lane closures (cone tapers) and road closures (barriers) on world.road: static obstacles, known to NPC traffic, not in the HD map agents get'),
    wind: windSchema.optional().describe('wind the UAVs fly in (uav/wind/): steady, 1-cos gusts, Dryden turbulence; none: still air'),
    airspace: airspaceSchema.optional().describe('airspace zones (issue #6): imported files and inline zones, judged by the airspace-* criteria and told to UAV agents'),
  })
  .strict();

// ---------- timeline ----------
const at = finite().nonnegative().optional().describe('simulation time the event fires at, s; or give when');
export const eventConditionSchema = z
  .object({
    actor: id.describe('the actor whose ground-truth position is watched'),
    withinM: positive().describe('fires at the first tick its centre is within this distance of `of`, m'),
    of: z.union([id, vec2]).describe('another actor (its centre) or a point [x, y], m'),
  })
  .strict()
  .describe('a trigger on a condition instead of a time (e.g. a fault when the ego reaches a place); exclusive with at');
const when = eventConditionSchema.optional();
export const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sensor-fault'), at, when, actor: id, sensor: id, restoreAt: finite().nonnegative().optional().describe('time the sensor comes back, s (timed faults only)') }).strict(),
  z.object({ type: z.literal('remove'), at, when, actor: id }).strict(),
  z.object({ type: z.literal('set-motion'), at, when, actor: id, motion: motionSchema }).strict(),
  z
    .object({ type: z.literal('marker'), at, when, name: z.string().min(1).describe('the timeline event is named "marker <name>"') })
    .strict()
    .describe('changes nothing: marks a moment (e.g. the ego coming within sight of a road closure) for criteria such as mrm-success to start from, and for the event log'),
  z
    .object({ type: z.literal('zone'), at, when, zone: z.string().min(1).describe('a world.airspace zone id'), active: z.boolean().describe('true: the zone appears (applies from now on); false: it is lifted') })
    .strict()
    .describe('a temporary airspace restriction switched on or off mid-flight; the event is named "zone <id> on|off"'),
]);
export const EVENT_TYPES = ['sensor-fault', 'remove', 'set-motion', 'marker', 'zone'] as const;

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
export const pathEfficiencySchema = z
  .object({
    ...criterionBase,
    type: z.literal('path-efficiency'),
    actor: id,
    goal: z.object({ center: z.union([vec2, vec3]).describe('[x, y] or [x, y, z], m'), radiusM: positive() }).strict(),
    maxRatio: finite().min(1).describe('largest travelled length / straight-line start-to-goal distance'),
  })
  .strict();
export const crossTrackErrorSchema = z
  .object({
    ...criterionBase,
    type: z.literal('cross-track-error'),
    actor: id,
    route: z.array(z.union([vec2, vec3])).min(2).describe('reference polyline: [x, y] (a ground track) or [x, y, z] points, m'),
    maxM: positive().describe('largest allowed distance from the route, m'),
  })
  .strict();
export const energySchema = z
  .object({
    ...criterionBase,
    type: z.literal('energy'),
    actor: id.describe('a UAV'),
    maxWh: positive().describe('largest rotor shaft energy over the run, Wh'),
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
export const minSeparationSchema = z
  .object({
    ...criterionBase,
    type: z.literal('min-separation'),
    actors: z.array(id).min(2).optional().describe('the UAVs judged pairwise; default: every agent-driven UAV'),
    thresholdM: finite().nonnegative().optional().describe("smallest allowed centre-to-centre distance, m; default: the smallest minSeparationM of the judged actors' agents, else seeds/ (miit-2c-swarm-separation)"),
  })
  .strict();
export const maxDurationSchema = z
  .object({
    ...criterionBase,
    type: z.literal('max-duration'),
    thresholdS: positive().describe('the run must have ended (e.g. goal reached) by this time, s'),
  })
  .strict();

// ---------- UAV mission criteria (issue #4 section 7; scenarios/criteria/mission-completion.ts and its neighbours) ----------
const holdBounds = z
  .object({
    rmsM: positive().optional().describe('largest RMS error, m'),
    p95M: positive().optional().describe('largest 95th-percentile error, m'),
    maxM: positive().optional().describe('largest error, m'),
  })
  .strict();
export const missionCompletionSchema = z
  .object({
    ...criterionBase,
    type: z.literal('mission-completion'),
    actor: id.describe('a UAV'),
    goal: z.union([vec2, vec3]).describe('[x, y] or [x, y, z], m'),
    radiusM: positive().optional().describe('success within this distance of the goal at the end of the run, m; default from seeds/ (FlightBench 1.5 m)'),
  })
  .strict()
  .describe('FlightBench-style success: the run ends with the UAV within radiusM of the goal and no contact with anything but terrain');
export const flightTimeSchema = z
  .object({
    ...criterionBase,
    type: z.literal('flight-time'),
    actor: id.describe('a UAV'),
    until: z
      .union([
        z.object({ goal: z.union([vec2, vec3]), radiusM: positive() }).strict().describe('reaching a goal (3D with [x, y, z])'),
        z.literal('landing').describe('touching down on terrain after the take-off'),
      ])
      .describe('where the flight ends'),
    maxS: positive().optional().describe('largest flight time, s; none: reported only (fails only if the end is never reached)'),
  })
  .strict()
  .describe('time from the take-off (0.3 m above the start) to the goal or the touchdown');
export const positionHoldSchema = z
  .object({
    ...criterionBase,
    type: z.literal('position-hold'),
    actor: id.describe('a UAV'),
    setpoint: vec3.describe('the held position, ENU m'),
    fromS: finite().nonnegative().describe('start of the window (after the take-off and settling), s'),
    toS: positive().optional().describe('end of the window, s; default the end of the run'),
    horizontal: holdBounds.default({}).describe('bounds on the horizontal error'),
    vertical: holdBounds.default({}).describe('bounds on the vertical error'),
  })
  .strict()
  .refine((c) => c.toS === undefined || c.toS > c.fromS, { message: 'expected toS > fromS', path: ['toS'] })
  .describe('ground-truth hold error about a setpoint over a window: RMS, 95th percentile and largest, horizontal and vertical');
const gimbalCriterionBase = {
  ...criterionBase,
  actor: id.describe('a UAV carrying a gimbal'),
  settleS: finite().nonnegative().describe('settling time, s: samples before it are not judged (the scenario declares it: take-off and the gimbal\'s power-up calibration)'),
};
export const gimbalJitterSchema = z
  .object({
    ...gimbalCriterionBase,
    type: z.literal('gimbal-jitter'),
    thresholdDeg: positive().optional().describe('largest peak per axis, deg; default from seeds/ (0.005, the plan)'),
    cutoffHz: positive().default(1).describe('high-pass cutoff of the jitter, Hz (uav/gimbal/jitter.ts)'),
  })
  .strict()
  .describe('angular vibration range: per axis, peak and RMS of the camera\'s true attitude error about its command, high-passed at cutoffHz');
export const gimbalDriftSchema = z
  .object({
    ...gimbalCriterionBase,
    type: z.literal('gimbal-drift'),
    thresholdDeg: positive().optional().describe('largest peak-to-peak per axis, deg; default from seeds/ (0.5)'),
    cutoffHz: positive().default(1).describe('the drift is the error below this frequency, Hz'),
  })
  .strict()
  .describe('low-frequency drift: per axis, peak-to-peak of the error below the jitter cutoff');
export const gimbalPointingSchema = z
  .object({
    ...gimbalCriterionBase,
    type: z.literal('gimbal-pointing'),
    thresholdDeg: positive().optional().describe('largest optical-axis error, deg; default from seeds/ (2)'),
  })
  .strict()
  .describe('absolute pointing error: largest angle between the true optical axis and the commanded one (point-at: the true line of sight)');
export const landingSchema = z
  .object({
    ...criterionBase,
    type: z.literal('landing'),
    actor: id.describe('a UAV'),
    pad: z.object({ center: vec2.describe('[x, y], m'), radiusM: positive() }).strict().describe('touchdown must be within radiusM of the centre (horizontal)'),
    maxTouchdownSpeedMps: positive().optional().describe('largest vertical speed at touchdown, m/s; default from seeds/ (1.0)'),
    requireDisarmed: z.boolean().default(true).describe('the rotors must be stopped at the end of the run'),
  })
  .strict()
  .describe('touchdown on terrain (the ground or a terrain pad) within the pad, gently, rotors stopped at the end');
export const batteryReserveSchema = z
  .object({
    ...criterionBase,
    type: z.literal('battery-reserve'),
    actor: id.describe('a UAV with a battery'),
    minStateOfCharge: finite().min(0).max(1).optional().describe('smallest true state of charge at the end, 0..1; default from seeds/ (PX4 BAT_CRIT_THR 0.07)'),
  })
  .strict();

// ---------- airspace criteria (issue #6; scenarios/criteria/airspace.ts) ----------
const airspaceBase = {
  ...criterionBase,
  actor: id.optional().describe('the judged UAV; default: every agent-driven UAV'),
};
const airspaceClasses = z.array(z.enum(RESTRICTION_CLASSES)).min(1);
export const airspaceNoIncursionSchema = z
  .object({
    ...airspaceBase,
    type: z.literal('airspace-no-incursion'),
    classes: airspaceClasses.default(['PROHIBITED']).describe('the zone classes judged; default PROHIBITED'),
    maxIncursions: z.number().int().nonnegative().optional().describe('default from seeds/ (miit-2c-forced-zone-avoidance: 0)'),
    terminate: z.boolean().default(false).describe('end the run at the first failing incursion'),
  })
  .strict()
  .describe('incursions into active zones of the judged classes (ground truth, 3D); any one fails by default');
export const airspaceIncursionSchema = z
  .object({
    ...airspaceBase,
    type: z.literal('airspace-incursion'),
    classes: airspaceClasses.default(['PROHIBITED']),
    maxTotalS: finite().nonnegative().optional().describe('largest total time inside active zones of the classes, s'),
    maxDepthM: finite().nonnegative().optional().describe('largest depth inside one (distance to the nearest side, floor or ceiling), m'),
  })
  .strict()
  .describe('incursion time and depth against bounds (none: reported only)');
export const airspaceMinMarginSchema = z
  .object({
    ...airspaceBase,
    type: z.literal('airspace-min-margin'),
    classes: airspaceClasses.default(['PROHIBITED']),
    thresholdM: finite().nonnegative().describe('smallest allowed horizontal margin to an active zone of the classes while within its vertical band, m'),
  })
  .strict();
export const airspaceAuthorisationSchema = z
  .object({
    ...airspaceBase,
    type: z.literal('airspace-authorisation'),
  })
  .strict()
  .describe('REQ_AUTHORISATION zones entered only by UAVs whose airspaceAuthorisations name them');
export const airspacePathExtraSchema = z
  .object({
    ...criterionBase,
    type: z.literal('airspace-path-extra'),
    actor: id.describe('a UAV'),
    goal: z.union([vec2, vec3]).describe('the mission goal; the zone-free route is the straight line from the start to it'),
    maxExtraM: finite().nonnegative().optional().describe('largest flown length minus the straight route, m; none: reported only'),
  })
  .strict();

// ---------- driving criteria (issue #3, section 7; scenarios/criteria/driving/) ----------
// Each judges one agent-driven car (`ego`) on world.road; defaults come from seeds/ (miit-2a-*).
const drivingBase = {
  ...criterionBase,
  ego: id.optional().describe('the judged car: an agent-driven car; default: the only agent-driven car of the scenario'),
};
const drivingCategories = z
  .array(z.enum(['pedestrian', 'vehicle', 'static']))
  .min(1)
  .refine((xs) => new Set(xs).size === xs.length, { message: 'expected each category at most once' });
export const routePointSchema = z
  .object({
    road: z.string().min(1).describe('road id in world.road'),
    lane: z.number().int().refine((x) => x !== 0, { message: 'expected a lane id other than 0 (the centre lane has no width)' })
      .describe('OpenDRIVE lane id: -1, -2, ... driven towards +s; 1, 2, ... towards -s'),
    s: finite().nonnegative().describe('road coordinate along the reference line, m'),
  })
  .strict();
export const routeSchema = z
  .object({
    from: routePointSchema.optional().describe("the route's start; default: the ego's lane placement (road, lane, s)"),
    to: routePointSchema.describe("the route's end"),
  })
  .strict()
  .describe('the route the ego is judged on, planned over the lane graph at load (shortest, fewest lane changes); it must be reachable');

export const drivingCollisionsSchema = z
  .object({
    ...drivingBase,
    type: z.literal('driving-collisions'),
    categories: drivingCategories.optional().describe('collision classes judged; default all three (pedestrian, vehicle, static)'),
    maxCollisions: z.number().int().nonnegative().optional().describe('default from seeds/ (miit-2a-driving-collisions: 0)'),
    terminate: z.boolean().default(true).describe('end the run at the first failing collision'),
  })
  .strict();
export const redLightSchema = z
  .object({
    ...drivingBase,
    type: z.literal('red-light'),
    maxViolations: z.number().int().nonnegative().optional().describe('default from seeds/ (miit-2a-red-light-violations: 0)'),
  })
  .strict();
export const stopSignSchema = z
  .object({
    ...drivingBase,
    type: z.literal('stop-sign'),
    maxViolations: z.number().int().nonnegative().optional().describe('default from seeds/ (miit-2a-stop-sign-violations: 0)'),
  })
  .strict();
export const laneDepartureSchema = z
  .object({
    ...drivingBase,
    type: z.literal('lane-departure'),
    maxDepartures: z.number().int().nonnegative().optional().describe('episodes allowed; default from seeds/ (miit-2a-lane-departures: 0)'),
  })
  .strict();
export const offRoadSchema = z
  .object({
    ...drivingBase,
    type: z.literal('off-road'),
    maxEpisodes: z.number().int().nonnegative().optional().describe('default from seeds/ (miit-2a-off-road: 0)'),
  })
  .strict();
export const speedingSchema = z
  .object({
    ...drivingBase,
    type: z.literal('speeding'),
    toleranceMps: finite().nonnegative().optional().describe('allowed excess over the lane limit, m/s; default from seeds/ (miit-2a-speeding-tolerance: 0.5)'),
  })
  .strict();
export const routeCompletionSchema = z
  .object({
    ...drivingBase,
    type: z.literal('route-completion'),
    route: routeSchema,
    minPercent: finite().min(0).max(100).optional().describe('default from seeds/ (miit-2a-route-completion: 99 %)'),
    endsRun: z.boolean().default(false).describe('end the run once every endsRun criterion has passed (route complete)'),
  })
  .strict();
export const minTtcSchema = z
  .object({
    ...drivingBase,
    type: z.literal('min-ttc'),
    minTtcS: finite().nonnegative().optional().describe('default from seeds/ (miit-2a-min-ttc: 0.95 s)'),
    categories: drivingCategories.optional().describe('actors judged against; default ["vehicle"]'),
    horizonS: positive().optional().describe("constant-velocity projection horizon, s; default 3 (nuPlan's)"),
  })
  .strict();
const comfortBound = (what: string) => finite().optional().describe(`${what}; default from seeds/`);
export const comfortSchema = z
  .object({
    ...drivingBase,
    type: z.literal('comfort'),
    bounds: z
      .object({
        maxLonAccel: comfortBound('m/s^2 (nuPlan 2.40)'),
        minLonAccel: comfortBound('m/s^2 (nuPlan -4.05)'),
        maxAbsLatAccel: comfortBound('m/s^2 (nuPlan 4.89)'),
        maxAbsYawRate: comfortBound('rad/s (nuPlan 0.95)'),
        maxAbsYawAccel: comfortBound('rad/s^2 (nuPlan 1.93)'),
        maxAbsLonJerk: comfortBound('m/s^3 (nuPlan 4.13)'),
        maxAbsMagJerk: comfortBound('m/s^3 (nuPlan 8.37)'),
      })
      .strict()
      .default({})
      .describe("nuPlan's comfort bounds; each omitted one takes its seeds/ default (miit-2a-comfort-*)"),
  })
  .strict();
export const mrmTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fault') }).strict().describe("the first sensor-fault event on the ego"),
  z.object({ kind: z.literal('timeline'), event: z.string().min(1).describe('name of a scheduled timeline event, e.g. "sensor-fault ego.gnss" or "remove npc-1"') }).strict(),
  z.object({ kind: z.literal('time'), atS: finite().nonnegative().describe('simulation time, s') }).strict(),
]);
export const MRM_TRIGGER_KINDS = ['fault', 'timeline', 'time'] as const;
export const mrmSuccessSchema = z
  .object({
    ...drivingBase,
    type: z.literal('mrm-success'),
    withinS: positive().describe('time allowed from the trigger to the MRC (stopped, hazard lights on), s'),
    trigger: mrmTriggerSchema.default({ kind: 'fault' }).describe('what starts the MRM; default: the first sensor fault on the ego'),
    terminate: z.boolean().default(false).describe('end the run when the criterion fails'),
  })
  .strict();
export const drivingScoreSchema = z
  .object({
    ...drivingBase,
    type: z.literal('driving-score'),
    route: routeSchema,
    minScore: finite().min(0).max(100).describe('route completion (%) x CARLA infraction penalties must reach this; no project default'),
  })
  .strict();

export const criterionSchema = z.discriminatedUnion('type', [
  noCollisionSchema, reachGoalSchema, minClearanceSchema, maxDurationSchema, pathEfficiencySchema, crossTrackErrorSchema, energySchema,
  minSeparationSchema,
  drivingCollisionsSchema, redLightSchema, stopSignSchema, laneDepartureSchema, offRoadSchema, speedingSchema,
  routeCompletionSchema, minTtcSchema, comfortSchema, mrmSuccessSchema, drivingScoreSchema,
  missionCompletionSchema, flightTimeSchema, positionHoldSchema, landingSchema, batteryReserveSchema,
  gimbalJitterSchema, gimbalDriftSchema, gimbalPointingSchema,
  airspaceNoIncursionSchema, airspaceIncursionSchema, airspaceMinMarginSchema, airspaceAuthorisationSchema, airspacePathExtraSchema,
]);
export const DRIVING_CRITERION_TYPES = [
  'driving-collisions', 'red-light', 'stop-sign', 'lane-departure', 'off-road', 'speeding',
  'route-completion', 'min-ttc', 'comfort', 'mrm-success', 'driving-score',
] as const;
export const UAV_MISSION_CRITERION_TYPES = ['mission-completion', 'flight-time', 'position-hold', 'landing', 'battery-reserve'] as const;
export const GIMBAL_CRITERION_TYPES = ['gimbal-jitter', 'gimbal-drift', 'gimbal-pointing'] as const;
export const AIRSPACE_CRITERION_TYPES = ['airspace-no-incursion', 'airspace-incursion', 'airspace-min-margin', 'airspace-authorisation', 'airspace-path-extra'] as const;
export const CRITERION_TYPES = ['no-collision', 'reach-goal', 'min-clearance', 'max-duration', 'path-efficiency', 'cross-track-error', 'energy', 'min-separation', ...DRIVING_CRITERION_TYPES, ...UAV_MISSION_CRITERION_TYPES, ...GIMBAL_CRITERION_TYPES, ...AIRSPACE_CRITERION_TYPES] as const;

// ---------- seed-varying parameters ----------
const varyPath = z
  .union([z.string(), z.array(z.string()).min(1)])
  .describe('dotted path, or a list of paths that all take the same drawn value (e.g. a goal and the region that checks it)');
export const varySchema = z.union([
  z.object({ path: varyPath, uniform: vec2.describe('[min, max]') }).strict(),
  z.object({ path: varyPath, normal: z.object({ mean: finite(), sd: finite().nonnegative() }).strict() }).strict(),
  z.object({ path: varyPath, choice: z.array(z.unknown()).min(1) }).strict(),
]);

// ---------- swarm generator ----------
/**
 * N identical UAVs in one block, expanded by the loader (scenarios/swarm-generator.ts)
 * into actors `<idPrefix>-00`, `<idPrefix>-01`, ... appended to `actors`.
 */
export const swarmLayoutSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('antipodal-circle'),
      centerM: vec2.default([0, 0]).describe('circle centre, m'),
      radiusM: positive().describe('circle radius, m: each member starts on it, evenly spaced, and flies to the diametrically opposite point'),
      altitudeM: positive().describe('flight height, m (take-off height and both waypoints)'),
      phaseDeg: finite().default(0).describe('angle of member 0 on the circle, deg counter-clockwise from east'),
    })
    .strict(),
]);
export const swarmGeneratorSchema = z
  .object({
    idPrefix: id.describe('member ids are <idPrefix>-00, <idPrefix>-01, ... (two digits, more when count > 100)'),
    count: z.number().int().min(2).max(500).describe('number of members'),
    airframe: z.enum(AIRFRAME_NAMES).describe('multirotor airframe of every member'),
    layout: swarmLayoutSchema.describe('where the members start and where they go'),
    agent: z
      .object({ type: z.string(), params: z.record(z.string(), z.unknown()).default({}) })
      .strict()
      .describe('the agent of every member; the generator fills params.waypoints ([start at altitude], [goal at altitude]) and params.airframe'),
    sensors: z.array(sensorSchema).default([]).describe('the sensors of every member'),
    color: z.string().optional(),
    goal: z
      .object({
        radiusM: positive().default(1.5).describe('FlightBench: within 1.5 m of the goal'),
        withinS: positive().describe('deadline, s'),
      })
      .strict()
      .optional()
      .describe('adds one reach-goal criterion per member, named "reach-goal <id>"'),
  })
  .strict();

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
    swarms: z.array(swarmGeneratorSchema).optional().describe('blocks of identical UAVs, expanded into actors (and reach-goal criteria) by the loader'),
    criteria: z.array(criterionSchema).min(1),
    expect: z
      .object({
        failing: z.array(z.string().min(1)).min(1).describe('names of the criteria that must fail (others may fail too)'),
        why: z.string().min(1).describe('what the failure demonstrates, e.g. the crash V2X would have avoided'),
      })
      .strict()
      .optional()
      .describe('a negative control: the run is expected to fail these criteria. It then counts as a success (XFAIL); passing any of them is a failure (XPASS if all passed)'),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ActorSpec = z.output<typeof actorSchema>;
export type SensorSpec = z.output<typeof sensorSchema>;
export type CriterionSpec = z.output<typeof criterionSchema>;
export type DrivingCriterionType = (typeof DRIVING_CRITERION_TYPES)[number];
export type DrivingCriterionSpec = Extract<CriterionSpec, { type: DrivingCriterionType }>;
export type RoutePointSpec = z.output<typeof routePointSchema>;
export type EventSpec = z.output<typeof eventSchema>;
export type AirspaceSpec = z.output<typeof airspaceSchema>;
export type AirspaceZoneSpec = z.output<typeof airspaceZoneSchema>;
export type EventCondition = z.output<typeof eventConditionSchema>;
export type VarySpec = z.output<typeof varySchema>;
export type SwarmGeneratorSpec = z.output<typeof swarmGeneratorSchema>;
export type ScatterSpec = z.output<typeof scatterSchema>;
export type RoadSpec = z.output<typeof roadSchema>;
export type GroundSpec = z.output<typeof groundSchema>;
export type CarSpec = z.output<typeof carActorSchema>;
export type NpcBehaviourSpec = z.output<typeof npcBehaviourSchema>;
export type PedestrianSpec = z.output<typeof pedestrianActorSchema>;
export { goToGoalParams };
