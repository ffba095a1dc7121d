/**
 * Scenario -> World: the ground, the scattered obstacles, the actors with
 * their sensors and agents, and the timeline. Everything random is drawn
 * from the seed's named streams.
 */
import { AGENTS } from '../agents/registry.ts';
import type { Sensor } from '../sim/sensor.ts';
import { groundSpec, Prop, type PropSpec } from '../sim/actors/prop.ts';
import { DEG, quatFromYaw, type Pose, type Vec3 } from '../sim/math.ts';
import type { PhysicsBackend, ShapeDesc } from '../sim/physics/backend.ts';
import { Rng } from '../sim/rng.ts';
import { Gnss, ZED_F9P } from '../sim/sensors/gnss.ts';
import { RangeRing, RPLIDAR_A2M8 } from '../sim/sensors/range-ring.ts';
import { World } from '../sim/world.ts';
import { Rover } from '../vehicles/rover/rover.ts';
import { instantiate, ScenarioError, type LoadedScenario } from './loader.ts';
import type { ActorSpec, Scenario, ScatterSpec, SensorSpec } from './schema.ts';

type ObstacleSpec = Extract<ActorSpec, { kind: 'obstacle' }>;

function mountPose(m: { position: Vec3; yawDeg: number }): Pose {
  return { position: [...m.position], rotation: quatFromYaw(m.yawDeg * DEG) };
}

export function buildSensor(spec: SensorSpec): Sensor {
  switch (spec.type) {
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
  }
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
  return s.actors.map((a) => {
    const [x, y] = a.pose.position;
    if (a.kind === 'rover') return { x, y, r: 0.4 };
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

export function buildWorld(s: Scenario, physics: PhysicsBackend, seed: number, file: string): World {
  const world = new World({ physics, dt: 1 / s.world.physicsHz, seed });
  const g = s.world.ground;
  world.addActor(new Prop(physics, groundSpec(g.centerM, g.sizeM, g.friction)));

  const discs = actorDiscs(s);
  s.world.scatter.forEach((sc, i) => {
    for (const p of scatter(sc, i, seed, file, discs)) world.addActor(new Prop(physics, p));
  });

  for (const a of s.actors) {
    if (a.kind === 'obstacle') {
      world.addActor(new Prop(physics, obstacleProp(a)));
      continue;
    }
    const [x, y] = a.pose.position;
    const rover = new Rover(physics, a.id, { x, y, yawRad: a.pose.yawDeg * DEG }, undefined, a.color);
    const ref = a.agent === undefined ? undefined : typeof a.agent === 'string' ? { type: a.agent, params: {} } : a.agent;
    const entry = ref ? AGENTS[ref.type] : undefined;
    world.addActor(rover, {
      sensors: a.sensors.map(buildSensor),
      ...(entry && ref ? { agent: entry.create(ref.params), agentParams: ref.params } : {}),
      ...(a.mission ? { mission: a.mission } : {}),
    });
  }

  for (const e of s.events) {
    switch (e.type) {
      case 'remove':
        world.schedule(e.at, `remove ${e.actor}`, (w) => w.removeActor(e.actor));
        break;
      case 'sensor-fault':
        world.schedule(e.at, `sensor-fault ${e.actor}.${e.sensor}`, (w) => w.setSensorFailed(e.actor, e.sensor, true));
        if (e.restoreAt !== undefined) world.schedule(e.restoreAt, `sensor-restore ${e.actor}.${e.sensor}`, (w) => w.setSensorFailed(e.actor, e.sensor, false));
        break;
      case 'set-motion':
        world.schedule(e.at, `set-motion ${e.actor}`, (w) => (w.actor(e.actor) as Prop).setMotion(e.motion));
        break;
    }
  }
  return world;
}
