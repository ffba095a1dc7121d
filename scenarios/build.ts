/**
 * Scenario -> World: the ground, the scattered obstacles, the actors with
 * their sensors and agents, and the timeline. Everything random is drawn
 * from the seed's named streams.
 */
import { AirspaceService } from '../uav/airspace/service.ts';
import { GEO_AWARENESS_DEFAULT_RATE_HZ, GeoAwarenessSensor } from '../uav/airspace/geo-awareness.ts';
import { resolvedAirspaceOf } from './airspace-resolve.ts';
import { AGENTS } from '../agents/registry.ts';
import type { Actor, ActorDescriptor } from '../sim/actor.ts';
import type { Sensor } from '../sim/sensor.ts';
import type { Agent } from '../sim/agent.ts';
import { groundSpec, Prop, type PropSpec } from '../sim/actors/prop.ts';
import { DEG, quatFromYaw, type Pose, type Vec3 } from '../sim/math.ts';
import type { BodyHandle, PhysicsBackend, ShapeDesc } from '../sim/physics/backend.ts';
import { Rng } from '../sim/rng.ts';
import { Gnss, ZED_F9P } from '../sim/sensors/gnss.ts';
import { BMI088, Imu } from '../sim/sensors/imu.ts';
import { LIDAR_CAMERA_FUSION, ObjectListSensor } from '../sim/sensors/object-list.ts';
import { ARS_408_21_FAR, Radar } from '../sim/sensors/radar.ts';
import { RangeRing, RPLIDAR_A2M8 } from '../sim/sensors/range-ring.ts';
import { TLR_CAMERA, TrafficLightsSensor, type SignalHead } from '../sim/sensors/traffic-lights.ts';
import { ABS_48_TOOTH, WheelOdometry } from '../sim/sensors/wheel-odometry.ts';
import { Lidar3D, VLP_16 } from '../sim/sensors/lidar-3d.ts';
import { Barometer, BAROMETER_DEFAULTS } from '../sim/sensors/barometer.ts';
import { RayCaster } from '../sim/perception/ray-caster.ts';
import type { ActorState } from '../sim/snapshot.ts';
import { periodInSteps, World } from '../sim/world.ts';
import { Car } from '../vehicles/car/car.ts';
import { KinematicBicycle, type BicycleCommand } from '../vehicles/car/kinematic-bicycle.ts';
import { BMW_320I } from '../vehicles/car/params.ts';
import { LaneGraph } from '../vehicles/road/lane-graph.ts';
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import { Rover } from '../vehicles/rover/rover.ts';
import { IDM_HIGHWAY } from '../vehicles/traffic/idm.ts';
import { LaneIndex } from '../vehicles/traffic/lane-index.ts';
import { MOBIL_DEFAULT } from '../vehicles/traffic/mobil.ts';
import { constantSpeed, cutIn, cutOut, leadBrake, NpcDriver, type NpcBehaviour, type NpcDriverParams } from '../vehicles/traffic/npc-driver.ts';
import { footprintRadiusM, inertiaBoxHalfExtents } from '../uav/multirotor/airframe.ts';
import { airframeByName } from '../uav/multirotor/airframes.ts';
import { Multirotor } from '../uav/multirotor/multirotor.ts';
import { Battery, batteryForAirframe } from '../uav/multirotor/battery.ts';
import { BatteryMonitor, BATTERY_MONITOR_DEFAULTS } from '../sim/sensors/battery.ts';
import { FlightEnvironment } from '../uav/mission/flight-environment.ts';
import { GimbalService } from '../uav/gimbal/service.ts';
import { addGimbals } from './gimbal-build.ts';
import { WindField } from '../uav/wind/wind-field.ts';
import { carStart, groundOf, instantiate, roadNetworkOf, ScenarioError, type LoadedScenario } from './loader.ts';
import type { ActorSpec, CarSpec, EventCondition, NpcBehaviourSpec, Scenario, ScatterSpec, SensorSpec } from './schema.ts';
import { buildV2x, buildV2xSensor, equipV2x } from './v2x-build.ts';
import type { V2xService } from '../vehicles/v2x/v2x-service.ts';
import type { ClosureDescriptor } from '../vehicles/road/closure.ts';
import { addPedestrian, addRoadWorks, checkRoadWorks, pedestrianPath, viaLanes } from './traffic-features.ts';

type ObstacleSpec = Extract<ActorSpec, { kind: 'obstacle' }>;

/**
 * The road side of a built world, for criteria, agents and the web app: the
 * network (roads, junctions, signal controllers, stop lines, crosswalks), its
 * lane graph, and the lane index of every car (ground truth, world-side:
 * NPC drivers read it; agents under test must not). Kept here, on the build
 * result and on `Run.road`, so that sim/ never imports vehicles/.
 */
export interface RoadScene {
  network: RoadNetwork;
  graph: LaneGraph;
  lanes: LaneIndex;
  /**
   * Road works (lane and road closures) of world.roadWorks: ground truth of
   * the world, known to NPC traffic through the lane index, and deliberately
   * not part of `network`, the HD map agents are given (a real map does not
   * know fresh road works: an agent must detect the cones and barriers).
   */
  closures: readonly ClosureDescriptor[];
}

/** What `buildScene` returns: the world and, when the scenario has a road, its road scene. */
export interface BuiltScene {
  world: World;
  road: RoadScene | undefined;
}

/** Drop undefined values, so that a partial never overwrites a default with undefined. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function mountPose(m: { position: Vec3; yawDeg: number }): Pose {
  return { position: [...m.position], rotation: quatFromYaw(m.yawDeg * DEG) };
}

/** Height of a signal head's lamp, m: the overhead heads the web view draws (web/scene.ts). */
const SIGNAL_HEAD_HEIGHT_M = 5;

/** The network's signal heads as the traffic-light camera sees them: over the lanes they govern, at the stop line, facing the approach. */
function signalHeads(network: RoadNetwork | undefined): SignalHead[] {
  if (!network) return [];
  return network.trafficLights.map((tl) => {
    const road = network.road(tl.roadId);
    const sec = road.sectionIndexAt(tl.s);
    const t = tl.laneIds.reduce((sum, id) => sum + road.laneCenterT(sec, id, tl.s), 0) / Math.max(1, tl.laneIds.length);
    const p = { x: 0, y: 0, headingRad: 0, curvature: 0 };
    road.referenceLine.poseAt(tl.s, p);
    const controller = network.controller(tl.controllerId);
    return {
      id: tl.id,
      position: [p.x - t * Math.sin(p.headingRad), p.y + t * Math.cos(p.headingRad), SIGNAL_HEAD_HEIGHT_M] as Vec3,
      // Right lanes are driven towards +s: their lamp faces -s.
      facingRad: p.headingRad + (tl.laneIds[0]! < 0 ? Math.PI : 0),
      state: (time: number) => controller.stateAt(tl.signalGroup, time),
    };
  });
}

export function buildSensor(spec: SensorSpec, network?: RoadNetwork): Sensor {
  switch (spec.type) {
    case 'traffic-lights':
      return new TrafficLightsSensor({
        name: spec.name,
        rateHz: spec.rateHz ?? TLR_CAMERA.rateHz,
        mount: mountPose(spec.mount),
        maxRangeM: spec.maxRangeM ?? TLR_CAMERA.maxRangeM,
        fovRad: spec.fovDeg !== undefined ? spec.fovDeg * DEG : TLR_CAMERA.fovRad,
        visibilityHalfAngleRad: TLR_CAMERA.visibilityHalfAngleRad,
        detectionProbability: spec.detectionProbability ?? TLR_CAMERA.detectionProbability,
        heads: signalHeads(network),
      });
    case 'range-ring':
      return new RangeRing({
        name: spec.name,
        beams: spec.beams,
        fovRad: spec.fovDeg * DEG,
        minRangeM: spec.minRangeM ?? RPLIDAR_A2M8.minRangeM,
        maxRangeM: spec.maxRangeM ?? RPLIDAR_A2M8.maxRangeM,
        rateHz: spec.rateHz ?? RPLIDAR_A2M8.rateHz,
        noise: RPLIDAR_A2M8.noise.map((b) => ({ upToM: b.upToM, sigmaFraction: b.sigmaFraction * spec.noiseScale })),
        mount: mountPose(spec.mount),
      });
    case 'gnss':
      return new Gnss({
        name: spec.name,
        rateHz: spec.rateHz ?? ZED_F9P.rateHz,
        horizontalSigmaM: spec.horizontalSigmaM ?? ZED_F9P.horizontalSigmaM,
        verticalSigmaM: spec.verticalSigmaM ?? ZED_F9P.verticalSigmaM,
        velocitySigmaMps: spec.velocitySigmaMps ?? ZED_F9P.velocitySigmaMps,
        ...(spec.headingSigmaDeg === null ? {} : { headingSigmaRad: spec.headingSigmaDeg !== undefined ? spec.headingSigmaDeg * DEG : ZED_F9P.headingSigmaRad }),
        mount: mountPose(spec.mount),
      });
    case 'object-list': {
      const d = LIDAR_CAMERA_FUSION, k = spec.groundTruth ? 0 : spec.noiseScale;
      return new ObjectListSensor({
        name: spec.name,
        rateHz: spec.rateHz ?? d.rateHz,
        mount: mountPose(spec.mount),
        maxRangeM: spec.maxRangeM ?? d.maxRangeM,
        fovRad: spec.groundTruth ? 2 * Math.PI : spec.fovDeg !== undefined ? spec.fovDeg * DEG : d.fovRad,
        detectionProbability: spec.groundTruth ? 1 : (spec.detectionProbability ?? d.detectionProbability),
        occlusion: !spec.groundTruth,
        radialSigmaM: k * (spec.radialSigmaM ?? d.radialSigmaM),
        bearingSigmaRad: k * (spec.bearingSigmaDeg !== undefined ? spec.bearingSigmaDeg * DEG : d.bearingSigmaRad),
        velocitySigmaMps: k * (spec.velocitySigmaMps ?? d.velocitySigmaMps),
        sizeSigmaM: k * (spec.sizeSigmaM ?? d.sizeSigmaM),
        yawSigmaRad: k * (spec.yawSigmaDeg !== undefined ? spec.yawSigmaDeg * DEG : d.yawSigmaRad),
      });
    }
    case 'radar': {
      const d = ARS_408_21_FAR, k = spec.noiseScale;
      return new Radar({
        name: spec.name,
        rateHz: spec.rateHz ?? d.rateHz,
        mount: mountPose(spec.mount),
        minRangeM: spec.minRangeM ?? d.minRangeM,
        maxRangeM: spec.maxRangeM ?? d.maxRangeM,
        fovRad: spec.fovDeg !== undefined ? spec.fovDeg * DEG : d.fovRad,
        rays: spec.rays ?? d.rays,
        rangeSigmaM: k * (spec.rangeSigmaM ?? d.rangeSigmaM),
        rangeRateSigmaMps: k * (spec.rangeRateSigmaMps ?? d.rangeRateSigmaMps),
        azimuthSigmaRad: k * (spec.azimuthSigmaDeg !== undefined ? spec.azimuthSigmaDeg * DEG : d.azimuthSigmaRad),
      });
    }
    case 'imu': {
      const d = BMI088, k = spec.noiseScale;
      const deg = (x: number | undefined, fallback: number) => k * (x !== undefined ? x * DEG : fallback);
      return new Imu({
        name: spec.name,
        rateHz: spec.rateHz ?? d.rateHz,
        mount: mountPose(spec.mount),
        gravityMps2: d.gravityMps2,
        gyroNoiseDensityRadPerSqrtHz: deg(spec.gyroNoiseDensityDegPerSPerSqrtHz, d.gyroNoiseDensityRadPerSqrtHz),
        gyroTurnOnBiasSigmaRadPerS: deg(spec.gyroTurnOnBiasSigmaDegPerS, d.gyroTurnOnBiasSigmaRadPerS),
        gyroBiasInstabilityRadPerS: deg(spec.gyroBiasInstabilityDegPerS, d.gyroBiasInstabilityRadPerS),
        accelNoiseDensityMps2PerSqrtHz: k * (spec.accelNoiseDensityMps2PerSqrtHz ?? d.accelNoiseDensityMps2PerSqrtHz),
        accelTurnOnBiasSigmaMps2: k * (spec.accelTurnOnBiasSigmaMps2 ?? d.accelTurnOnBiasSigmaMps2),
        accelBiasInstabilityMps2: k * (spec.accelBiasInstabilityMps2 ?? d.accelBiasInstabilityMps2),
        biasCorrelationTimeS: spec.biasCorrelationTimeS ?? d.biasCorrelationTimeS,
      });
    }
    case 'wheel-odometry': {
      const d = ABS_48_TOOTH;
      return new WheelOdometry({
        name: spec.name,
        rateHz: spec.rateHz ?? d.rateHz,
        mount: mountPose(spec.mount),
        wheelRadiusM: spec.wheelRadiusM ?? d.wheelRadiusM,
        trackWidthM: spec.trackWidthM ?? d.trackWidthM,
        ticksPerRev: spec.ticksPerRev ?? d.ticksPerRev,
        scaleErrorSigma: spec.scaleErrorSigma ?? d.scaleErrorSigma,
      });
    }
    case 'v2x':
      throw new Error('a v2x sensor is a receiver of the world\'s radio: build it with buildV2xSensor (scenarios/v2x-build.ts)');
    case 'barometer': {
      const d = BAROMETER_DEFAULTS, k = spec.noiseScale;
      return new Barometer({
        name: spec.name,
        rateHz: spec.rateHz ?? d.rateHz,
        mount: mountPose(spec.mount),
        originAltitudeAmslM: spec.originAltitudeAmslM ?? d.originAltitudeAmslM,
        pressureNoiseSigmaPa: k * (spec.pressureNoiseSigmaPa ?? d.pressureNoiseSigmaPa),
        biasSigmaPa: k * (spec.biasSigmaPa ?? d.biasSigmaPa),
        biasCorrelationTimeS: d.biasCorrelationTimeS,
        turnOnBiasSigmaPa: k * d.turnOnBiasSigmaPa,
      });
    }
    case 'battery':
      // It reads the UAV's battery: built with the UAV (buildScene); the loader refuses it elsewhere.
      throw new Error(`a battery sensor ('${spec.name}') is built with the UAV whose battery it reads`);
    case 'geo-awareness':
      // It reads the world's airspace service for its UAV: built with the UAV (buildScene); the loader refuses it elsewhere.
      throw new Error(`a geo-awareness sensor ('${spec.name}') is built with the UAV and the scenario's airspace`);
    case 'lidar-3d': {
      const d = VLP_16;
      const [lo, hi] = spec.verticalFovDeg ?? [d.minElevationRad / DEG, d.maxElevationRad / DEG];
      // Its fast caster comes once the world is populated (buildScene: attachLidarCaster).
      return new Lidar3D({
        name: spec.name,
        beams: spec.beams ?? d.beams,
        layers: spec.layers ?? d.layers,
        minElevationRad: lo * DEG,
        maxElevationRad: hi * DEG,
        horizontalFovRad: spec.horizontalFovDeg !== undefined ? spec.horizontalFovDeg * DEG : d.horizontalFovRad,
        minRangeM: spec.minRangeM ?? d.minRangeM,
        maxRangeM: spec.maxRangeM ?? d.maxRangeM,
        rateHz: spec.rateHz ?? d.rateHz,
        rangeSigmaM: spec.noiseScale * (spec.rangeSigmaM ?? d.rangeSigmaM),
        dropoutProbability: spec.dropoutProbability ?? d.dropoutProbability,
        mount: mountPose(spec.mount),
      });
    }
  }
}

/** Any sensor of actor `actorId`; a v2x sensor is wired to the world's V2X service. */
function actorSensor(spec: SensorSpec, actorId: string, v2x: V2xService | undefined, network: RoadNetwork | undefined): Sensor {
  if (spec.type !== 'v2x') return buildSensor(spec, network);
  if (!v2x) throw new Error(`actor '${actorId}': a v2x sensor needs world.v2x`);
  return buildV2xSensor(spec, actorId, v2x);
}

function shapeOf(s: ObstacleSpec['shape']): { shape: ShapeDesc; halfHeight: number } {
  switch (s.type) {
    case 'box':
      return { shape: { type: 'box', halfExtents: [s.sizeM[0] / 2, s.sizeM[1] / 2, s.sizeM[2] / 2] }, halfHeight: s.sizeM[2] / 2 };
    case 'cylinder':
      return { shape: { type: 'cylinder', radius: s.radiusM, halfHeight: s.heightM / 2 }, halfHeight: s.heightM / 2 };
    case 'sphere':
      return { shape: { type: 'sphere', radius: s.radiusM }, halfHeight: s.radiusM };
  }
}

function obstacleProp(a: ObstacleSpec): PropSpec {
  const { shape, halfHeight } = shapeOf(a.shape);
  const [x, y, z] = a.pose.position;
  return {
    id: a.id,
    kind: 'obstacle',
    shape,
    pose: { position: [x, y, z ?? halfHeight], rotation: quatFromYaw(a.pose.yawDeg * DEG) },
    ...(a.motion ? { motion: a.motion } : {}),
    ...(a.terrain ? { terrain: true } : {}),
    color: a.color ?? (a.motion ? '#c0392b' : '#8a8f98'),
  };
}

interface Disc {
  x: number;
  y: number;
  r: number;
}

/**
 * Seeded obstacle field: uniform positions by rejection, keeping `minGapM`
 * between obstacles and out of the keep-clear discs. Impossible requests
 * (too many obstacles for the area) are reported, not silently shortened.
 */
export function scatter(spec: ScatterSpec, index: number, seed: number, file: string, avoid: Disc[]): PropSpec[] {
  const rng = Rng.stream(seed, `scatter/${index}`);
  const placed: Disc[] = [];
  const out: PropSpec[] = [];
  const maxTries = 200 * spec.count;
  let tries = 0;
  while (out.length < spec.count) {
    if (++tries > maxTries) {
      throw new ScenarioError(file, `world.scatter[${index}]`, `impossible geometry: placed only ${out.length} of ${spec.count} obstacles with a ${spec.minGapM} m gap in the region after ${maxTries} tries; enlarge the region or lower count/minGapM`);
    }
    const size = spec.shape.type === 'cylinder' ? rng.uniform(spec.shape.radiusM[0], spec.shape.radiusM[1]) : rng.uniform(spec.shape.sideM[0], spec.shape.sideM[1]);
    const yaw = spec.shape.type === 'box' ? rng.uniform(-Math.PI, Math.PI) : 0;
    const r = spec.shape.type === 'cylinder' ? size : (size * Math.SQRT2) / 2;
    const x = rng.uniform(spec.region.min[0] + r, spec.region.max[0] - r);
    const y = rng.uniform(spec.region.min[1] + r, spec.region.max[1] - r);
    if (spec.keepClear.some((k) => Math.hypot(x - k.center[0], y - k.center[1]) < k.radiusM + r)) continue;
    if (placed.some((p) => Math.hypot(x - p.x, y - p.y) < p.r + r + spec.minGapM)) continue;
    if (avoid.some((p) => Math.hypot(x - p.x, y - p.y) < p.r + r + spec.minGapM)) continue;
    placed.push({ x, y, r });
    const h = spec.shape.heightM;
    out.push({
      id: `${spec.idPrefix}-${out.length}`,
      kind: 'obstacle',
      shape: spec.shape.type === 'cylinder' ? { type: 'cylinder', radius: size, halfHeight: h / 2 } : { type: 'box', halfExtents: [size / 2, size / 2, h / 2] },
      pose: { position: [x, y, h / 2], rotation: quatFromYaw(yaw) },
      color: '#8a8f98',
    });
  }
  return out;
}

/** Footprint discs of the scenario's own actors, so a scatter never lands on them. */
function actorDiscs(s: Scenario): Disc[] {
  const network = s.world.road ? roadNetworkOf(s.world.road) : undefined;
  return s.actors.map((a) => {
    if (a.kind === 'car') {
      const p = carStart(a, network);
      return { x: p.x, y: p.y, r: Math.hypot(BMW_320I.bodyLengthM, BMW_320I.bodyWidthM) / 2 };
    }
    if (a.kind === 'pedestrian') {
      const [x, y] = pedestrianPath(a, network)[0]!;
      return { x, y, r: 0.25 };
    }
    const [x, y] = a.pose.position;
    if (a.kind === 'rover') return { x, y, r: 0.4 };
    if (a.kind === 'uav') return { x, y, r: footprintRadiusM(airframeByName(a.airframe)) };
    const sh = a.shape;
    const r = sh.type === 'box' ? Math.hypot(sh.sizeM[0], sh.sizeM[1]) / 2 : sh.radiusM;
    return { x, y, r };
  });
}

/**
 * Everything about one (scenario, seed) that can be wrong without an engine:
 * the drawn `vary` values and the scattered obstacles. The CLI calls it for
 * every run before it runs any, so bad input never costs a sweep.
 */
export function preflight(loaded: LoadedScenario, seed: number): void {
  const s = instantiate(loaded, seed);
  const discs = actorDiscs(s);
  s.world.scatter.forEach((sc, i) => scatter(sc, i, seed, loaded.file, discs));
}

/** The world alone (see `buildScene`). */
export function buildWorld(s: Scenario, physics: PhysicsBackend, seed: number, file: string): World {
  return buildScene(s, physics, seed, file).world;
}

/**
 * A kinematic-bicycle car with its NPC driver built in. Traffic is part of
 * the world, not a system under test: the driver runs inside the actor's act
 * step, at its own rate, from the same ground truth the decide step would
 * give it (nothing moves between decide and act), and the world never counts
 * the car as agent-driven, so criteria that judge agents never judge traffic.
 */
class NpcCar implements Actor<unknown> {
  readonly id: string;
  readonly kind: string;
  readonly body: BodyHandle;
  readonly bodies: readonly BodyHandle[];
  readonly descriptor: ActorDescriptor;
  private stepIndex = 0;
  private readonly periodSteps: number;
  private command: BicycleCommand | undefined;
  private reported = false;

  constructor(
    readonly car: KinematicBicycle,
    readonly driver: NpcDriver,
    private readonly dt: number,
    /** Called once, at the decision where a scripted behaviour fires. */
    private readonly onTrigger: ((timeS: number) => void) | undefined,
    private readonly behaviour: { readonly triggeredAtS?: number | undefined } | undefined,
  ) {
    this.id = car.id;
    this.kind = car.kind;
    this.body = car.body;
    this.bodies = car.bodies;
    this.descriptor = car.descriptor;
    this.periodSteps = periodInSteps(driver.rateHz, dt);
  }

  applyCommand(physics: PhysicsBackend, _cmd: unknown, dt: number, state: Readonly<ActorState>): void {
    if (this.stepIndex % this.periodSteps === 0) {
      const t = this.stepIndex * this.dt;
      this.command = this.driver.step(t);
      if (!this.reported && this.behaviour?.triggeredAtS !== undefined) {
        this.reported = true;
        this.onTrigger?.(this.behaviour.triggeredAtS);
      }
    }
    this.stepIndex++;
    this.car.applyCommand(physics, this.command, dt, state);
  }

  groundTruth(physics: PhysicsBackend, out: ActorState): void {
    this.car.groundTruth(physics, out);
  }

  destroy(physics: PhysicsBackend): void {
    this.car.destroy(physics);
  }
}

function npcBehaviour(b: NpcBehaviourSpec): NpcBehaviour & { readonly triggeredAtS?: number | undefined } {
  const { type, ...p } = b;
  switch (type) {
    case 'cut-in':
      return cutIn(defined(p) as Parameters<typeof cutIn>[0]);
    case 'lead-brake':
      return leadBrake(defined(p) as Parameters<typeof leadBrake>[0]);
    case 'cut-out':
      return cutOut(defined(p) as Parameters<typeof cutOut>[0]);
    case 'constant-speed':
      return constantSpeed(defined(p) as Parameters<typeof constantSpeed>[0]);
  }
}

function npcParams(a: CarSpec): Partial<NpcDriverParams> {
  const { idm, mobil, ...rest } = a.driver!.params;
  return { ...defined(rest), idm: { ...IDM_HIGHWAY, ...defined(idm ?? {}) }, mobil: { ...MOBIL_DEFAULT, ...defined(mobil ?? {}) } };
}

/**
 * Scenario -> world, with its road scene when it has a road. Actors are added
 * in file order; every car is tracked in the lane index in that order (the
 * tie-breaker of every lane query), and NPC drivers are reset once all cars
 * are in, so a behaviour may target a car listed after it.
 */
/** How `buildScene` may depart from the file: user agents (issue #7 section 4) and teaching mode's break-it switches (scenarios/break-it.ts). */
export interface BuildHooks {
  /**
   * The agent of an agent-drivable actor (car, uav) in place of the scenario's:
   * return undefined to keep the scenario's. Called once per car and UAV with
   * its built sensors; throwing ScenarioError refuses the run.
   */
  agentFor?(actor: { id: string; kind: 'car' | 'uav'; sensors: readonly Sensor[]; params: Record<string, unknown>; scripted: boolean; airframe?: string; maxSteerRad?: number }): Agent | undefined;
  /** UAV agents get no airspace knowledge (AgentEnv.airspace undefined); the airspace service still judges the zones. */
  zonesIgnored?: boolean;
}

export function buildScene(s: Scenario, physics: PhysicsBackend, seed: number, file: string, hooks: BuildHooks = {}): BuiltScene {
  const world = new World({ physics, dt: 1 / s.world.physicsHz, seed });
  const network = s.world.road ? roadNetworkOf(s.world.road) : undefined;
  let road: RoadScene | undefined;
  if (network) {
    const graph = new LaneGraph(network);
    const closures = checkRoadWorks(s.world.roadWorks, network, new Map(), (p, e) => new ScenarioError(file, p, e));
    road = { network, graph, lanes: new LaneIndex(graph), closures };
  }
  const g = groundOf(s, network);
  world.addActor(new Prop(physics, groundSpec(g.centerM, g.sizeM, g.friction)));
  const v2x = buildV2x(s, world, network);

  const discs = actorDiscs(s);
  s.world.scatter.forEach((sc, i) => {
    for (const p of scatter(sc, i, seed, file, discs)) world.addActor(new Prop(physics, p));
  });

  const drivers: NpcDriver[] = [];
  // UAV wind and batteries (uav/mission/flight-environment.ts): a world service, added once a UAV needs it.
  const w = s.world.wind;
  const flightEnv = new FlightEnvironment(world, w ? new WindField({
    ...(w.steadyMps ? { steadyMps: w.steadyMps } : {}),
    gusts: w.gusts.map((g) => ({ startS: g.startS, durationS: g.durationS, amplitudeMps: g.amplitudeMps, direction: g.direction, shape: g.shape })),
    ...(w.turbulence ? { turbulence: { ...(w.turbulence.severity ? { severity: w.turbulence.severity } : {}), ...(w.turbulence.w20Mps !== undefined ? { w20Mps: w.turbulence.w20Mps } : {}) } } : {}),
  }, world.rng('wind')) : undefined);

  const gimbals = new GimbalService(world);

  // Airspace (issue #6): the zones, their activation and the compliance engine, told to UAV agents.
  const air = resolvedAirspaceOf(s);
  const airspace = air
    ? new AirspaceService({
      zones: air.zones,
      startUtcMs: air.startUtcMs,
      originAmslM: air.originAmslM,
      uavs: s.actors.flatMap((a) => (a.kind === 'uav' ? [{ id: a.id, authorisations: a.airspaceAuthorisations }] : [])),
      offAtStart: air.offAtStart,
      warnings: air.warnings,
    })
    : undefined;
  if (s.world.airspace && !airspace) throw new ScenarioError(file, 'world.airspace', 'was not resolved: load the scenario through the loader (loadScenarioText / loadScenarioFile)');

  /** 3D lidars: they get one fast caster over the world once every actor is placed. */

  const lidars: Lidar3D[] = [];

  const sensorOf = (sp: SensorSpec, actorId: string): Sensor => {

    const sensor = actorSensor(sp, actorId, v2x, network);

    if (sensor instanceof Lidar3D) lidars.push(sensor);

    return sensor;

  };
  for (const a of s.actors) {
    if (a.kind === 'obstacle') {
      world.addActor(new Prop(physics, obstacleProp(a)));
      continue;
    }
    if (a.kind === 'pedestrian') {
      addPedestrian(world, physics, a, s, network, road?.lanes);
      continue;
    }
    if (a.kind === 'car') {
      const start = { ...carStart(a, network), speedMps: a.speedMps };
      const sensors = a.sensors.map((sp) => sensorOf(sp, a.id));
      let actor: Actor;
      if (a.model === 'dynamic') actor = new Car(physics, a.id, start, BMW_320I, a.color);
      else actor = new KinematicBicycle(physics, a.id, start, BMW_320I, a.color ?? (a.driver ? undefined : '#3d7be8'));
      if (a.driver) {
        const car = actor as KinematicBicycle;
        const behaviour = a.driver.behaviour ? npcBehaviour(a.driver.behaviour) : undefined;
        // Traffic obeys the road's signal controllers (red, and yellow when it can stop comfortably).
        const via = viaLanes(a.driver.via, road!.network);
        const driver = new NpcDriver({ index: road!.lanes, car, truth: world, params: npcParams(a), signals: road!.network, ...(behaviour ? { behaviour } : {}), ...(via.length ? { route: via } : {}) });
        const what = a.driver.behaviour?.type;
        const onTrigger = what ? (t: number) => world.emit({ type: 'timeline', time: t, event: `${what} ${a.id}`, detail: 'scripted behaviour triggered' }) : undefined;
        actor = new NpcCar(car, driver, world.dt, onTrigger, behaviour);
        drivers.push(driver);
      }
      const ref = a.agent === undefined ? undefined : typeof a.agent === 'string' ? { type: a.agent, params: {} } : a.agent;
      const entry = ref ? AGENTS[ref.type] : undefined;
      const userCar = hooks.agentFor?.({ id: a.id, kind: 'car', sensors, params: ref?.params ?? {}, scripted: Boolean(a.driver), maxSteerRad: BMW_320I.maxSteerRad });
      world.addActor(actor, { sensors, ...(userCar ? { agent: userCar, agentParams: ref?.params ?? {} } : entry && ref ? { agent: entry.create(ref.params, road ? { map: road.network } : {}), agentParams: ref.params } : {}) });
      equipV2x(actor, a.v2x, v2x);
      road?.lanes.track({ id: a.id, state: world.stateOf(a.id), lengthM: BMW_320I.bodyLengthM, widthM: BMW_320I.bodyWidthM });
      continue;
    }
    if (a.kind === 'uav') {
      // Without an agent its rotors stay off.
      const airframe = airframeByName(a.airframe);
      const [x, y, z] = a.pose.position;
      // With [x, y] the airframe stands on the ground: its inertia box (the collider) rests on z = 0.
      const position: Vec3 = [x, y, z ?? inertiaBoxHalfExtents(airframe)[2]];
      const ref = a.agent === undefined ? undefined : typeof a.agent === 'string' ? { type: a.agent, params: {} } : a.agent;
      const entry = ref ? AGENTS[ref.type] : undefined;
      const uav = new Multirotor(physics, a.id, airframe, { position, yawRad: a.pose.yawDeg * DEG }, a.color ? { color: a.color } : {});
      const bs = a.battery;
      const battery = bs
        ? new Battery({
          ...batteryForAirframe(a.airframe),
          ...(bs.capacityAh !== undefined ? { capacityAh: bs.capacityAh } : {}),
          ...(bs.lowThreshold !== undefined ? { lowThreshold: bs.lowThreshold } : {}),
          ...(bs.criticalThreshold !== undefined ? { criticalThreshold: bs.criticalThreshold } : {}),
          ...(bs.emergencyThreshold !== undefined ? { emergencyThreshold: bs.emergencyThreshold } : {}),
        }, bs.initialStateOfCharge)
        : undefined;
      const uavSensors = a.sensors.map((sp) => sp.type === 'battery'
          ? new BatteryMonitor(battery!, {
            name: sp.name,
            rateHz: sp.rateHz ?? BATTERY_MONITOR_DEFAULTS.rateHz,
            voltageSigmaV: sp.voltageSigmaV ?? BATTERY_MONITOR_DEFAULTS.voltageSigmaV,
            currentSigmaA: sp.currentSigmaA ?? BATTERY_MONITOR_DEFAULTS.currentSigmaA,
            currentScaleSigma: sp.currentScaleSigma ?? BATTERY_MONITOR_DEFAULTS.currentScaleSigma,
          })
          : sp.type === 'geo-awareness'
            ? new GeoAwarenessSensor(airspace!, a.id, sp.name, sp.rateHz ?? GEO_AWARENESS_DEFAULT_RATE_HZ)
            : sensorOf(sp, a.id));
      const userUav = hooks.agentFor?.({ id: a.id, kind: 'uav', sensors: uavSensors, params: ref?.params ?? {}, scripted: false, airframe: a.airframe });
      world.addActor(uav, {
        sensors: uavSensors,
        // A UAV agent may broadcast over the world's radio (the swarm's own-state messages).
        ...(userUav ? { agent: userUav, agentParams: ref?.params ?? {} } : entry && ref ? { agent: entry.create(ref.params, { ...(v2x ? { v2x } : {}), ...(airspace && !hooks.zonesIgnored ? { airspace, airspaceAuthorisations: a.airspaceAuthorisations ?? [] } : {}) }), agentParams: ref.params } : {}),
      });
      if (w || battery) flightEnv.add(uav, battery);
      if (a.gimbal) addGimbals(world, gimbals, uav, a.gimbal, a.pose.yawDeg * DEG);
      continue;
    }
    const [x, y] = a.pose.position;
    const rover = new Rover(physics, a.id, { x, y, yawRad: a.pose.yawDeg * DEG }, undefined, a.color);
    const ref = a.agent === undefined ? undefined : typeof a.agent === 'string' ? { type: a.agent, params: {} } : a.agent;
    const entry = ref ? AGENTS[ref.type] : undefined;
    world.addActor(rover, {
      sensors: a.sensors.map((sp) => sensorOf(sp, a.id)),
      ...(entry && ref ? { agent: entry.create(ref.params), agentParams: ref.params } : {}),
      ...(a.mission ? { mission: a.mission } : {}),
    });
  }

  if (!flightEnv.empty) world.addService(flightEnv);
  if (!gimbals.empty) world.addService(gimbals);
  airspace?.attach(world);

  if (road && road.closures.length > 0) addRoadWorks(world, physics, road.network, road.lanes, road.closures, s.world.roadWorks);

  for (const e of s.events) {
    const schedule = (name: string, fire: (w: World) => void): void => {
      if (e.at !== undefined) world.schedule(e.at, name, fire);
      else world.scheduleWhen(name, conditionOf(e.when!), fire);
    };
    switch (e.type) {
      case 'remove':
        schedule(`remove ${e.actor}`, (w) => w.removeActor(e.actor));
        break;
      case 'sensor-fault':
        schedule(`sensor-fault ${e.actor}.${e.sensor}`, (w) => w.setSensorFailed(e.actor, e.sensor, true));
        if (e.restoreAt !== undefined) world.schedule(e.restoreAt, `sensor-restore ${e.actor}.${e.sensor}`, (w) => w.setSensorFailed(e.actor, e.sensor, false));
        break;
      case 'set-motion':
        schedule(`set-motion ${e.actor}`, (w) => (w.actor(e.actor) as Prop).setMotion(e.motion));
        break;
      case 'marker':
        schedule(`marker ${e.name}`, () => {});
        break;
      case 'zone':
        schedule(`zone ${e.zone} ${e.active ? 'on' : 'off'}`, (w) => airspace!.setActive(e.zone, e.active, w.time));
        break;
    }
  }
  for (const d of drivers) {
    try {
      d.reset();
    } catch (err) {
      throw new ScenarioError(file, `actors[${s.actors.findIndex((a) => a.id === d.car.id)}]`, err instanceof Error ? err.message : String(err));
    }
  }
  if (lidars.length > 0) {
    // One caster for every lidar: the static primitives in a BVH, the moving actors tested at their poses.
    const caster = RayCaster.fromWorld(world);
    for (const l of lidars) l.useCaster(caster);
  }
  return { world, road };
}

/**
 * A timeline condition on ground truth: the watched actor's centre within
 * `withinM` (horizontal distance) of another actor's centre or of a point.
 */
function conditionOf(c: EventCondition): (w: World) => boolean {
  const r2 = c.withinM * c.withinM;
  return (w) => {
    const a = w.stateOf(c.actor).position;
    let x: number, y: number;
    if (typeof c.of === 'string') {
      const b = w.stateOf(c.of).position;
      x = b[0]; y = b[1];
    } else {
      x = c.of[0]; y = c.of[1];
    }
    const dx = a[0] - x, dy = a[1] - y;
    return dx * dx + dy * dy <= r2;
  };
}
