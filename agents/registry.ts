/**
 * Built-in agents, by name. A scenario names an agent (`agent: go-to-goal`);
 * the loader checks the name, the actor kind and the params here.
 */
import type { AirspaceKnowledge } from '../uav/airspace/knowledge.ts';
import type { z } from 'zod';
import type { Agent } from '../sim/agent.ts';
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import type { V2xTransmitter } from '../vehicles/v2x/v2x-service.ts';
import { idmOnlyAgent, laneKeepOnlyAgent } from './baselines.ts';
import { GoToGoalAgent, goToGoalParams } from './go-to-goal.ts';
import { HaPilotAgent, haPilotParams, type HaPilotEnv } from './ha-pilot.ts';
import { IdleAgent, idleParams } from './idle.ts';
import { StraightLineAgent, straightLineParams } from './uav/straight-line.ts';
import { createUavPilot, uavPilotParams } from './uav/uav-pilot.ts';
import { SwarmAgent, swarmParams } from './swarm/swarm-agent.ts';

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
  /** True when the agent cannot drive without an HD map (`env.map`): the loader then requires a road. */
  needsMap?: boolean;
  /** `env` carries what the scenario gives every agent beyond its params: the HD map of its road, if any. */
  create(params: unknown, env?: AgentEnv): Agent;
}

/** Prior knowledge an agent may have (an L4 system's HD map), as opposed to ground truth of the moment. */
export interface AgentEnv {
  map?: RoadNetwork;
  /** The world's radio, to broadcast what the agent composes (a swarm member's own state estimate); present with world.v2x. */
  v2x?: V2xTransmitter;
  /** The scenario's airspace zones and their activation (uav/airspace/knowledge.ts); present with world.airspace, for UAV agents. */
  airspace?: AirspaceKnowledge;
  /** The REQ_AUTHORISATION zones the UAV's mission is authorised to enter (the actor's `airspaceAuthorisations`). */
  airspaceAuthorisations?: readonly string[];
}

const HA_PILOT: AgentEntry = {
  name: 'ha-pilot',
  description: 'car: the reference HA (L4) pilot: with params.destination a route over the HD map through junctions (traffic lights via the traffic-lights camera, stop signs, pedestrians, lane changes into safe gaps), else v1 lane following; ACC (IDM/ACC model), AEB, minimal risk manoeuvre (shoulder when clear) on sensor loss or ODD exit (GNSS + object list; radar, IMU, odometry, traffic-lights optional)',
  actorKinds: ['car'],
  params: haPilotParams,
  needsMap: true,
  sensors: (p) => {
    const q = haPilotParams.parse(p);
    return [
      { name: q.gnss, type: 'gnss', required: true },
      { name: q.objectList, type: 'object-list', required: true },
      { name: q.radar, type: 'radar', required: false },
      { name: q.imu, type: 'imu', required: false },
      { name: q.odometry, type: 'wheel-odometry', required: false },
      { name: q.trafficLights, type: 'traffic-lights', required: false },
    ];
  },
  // The scenario's road network is the HD map; params.map (a world.road spec) remains for direct use.
  create: (p, env?: HaPilotEnv) => new HaPilotAgent(haPilotParams.parse(p), env),
};

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
  'ha-pilot': HA_PILOT,
  'uav-pilot': {
    name: 'uav-pilot',
    description: 'uav: fly the waypoints and avoid what the 360-degree lidar sees, from any direction (VFH+ in the flight band; optional A* on a grid of its own returns, or on a persistent occupancy map of them; a sidestep from moving threats); own estimate from IMU + GNSS + barometer, PX4-style flight stack, low-battery return',
    actorKinds: ['uav'],
    params: uavPilotParams,
    sensors: (p) => {
      const q = uavPilotParams.parse(p);
      return [
        { name: q.imu, type: 'imu', required: true },
        { name: q.gnss, type: 'gnss', required: true },
        { name: q.lidar, type: 'lidar-3d', required: true },
        { name: q.baro, type: 'barometer', required: false },
      ];
    },
    // With the scenario's airspace (env.airspace) it plans round the zones it may not enter (agents/uav/airspace-route.ts).
    create: (p, env) => createUavPilot(p, env),
  },
  'straight-line': {
    name: 'straight-line',
    description: 'uav: a baseline with no avoidance: take off, fly the waypoints in straight lines, land (own estimate from IMU + GNSS + barometer, PX4-style flight stack)',
    actorKinds: ['uav'],
    params: straightLineParams,
    sensors: (p) => {
      const q = straightLineParams.parse(p);
      return [
        { name: q.imu, type: 'imu', required: true },
        { name: q.gnss, type: 'gnss', required: true },
        { name: q.baro, type: 'barometer', required: false },
        { name: q.batterySensor, type: 'battery', required: false },
      ];
    },
    create: (p) => new StraightLineAgent(straightLineParams.parse(p)),
  },
  swarm: {
    name: 'swarm',
    description: "uav: a swarm member: fly the waypoints and avoid the other members reciprocally (ORCA in the flight plane, velocity mode), knowing them only from their broadcast state estimates (uav-state messages over world.v2x, read by its v2x sensor, extrapolated over their age); own estimate from IMU + GNSS + barometer, PX4-style flight stack",
    actorKinds: ['uav'],
    params: swarmParams,
    sensors: (p) => {
      const q = swarmParams.parse(p);
      return [
        { name: q.imu, type: 'imu', required: true },
        { name: q.gnss, type: 'gnss', required: true },
        { name: q.v2x, type: 'v2x', required: true },
        { name: q.baro, type: 'barometer', required: false },
      ];
    },
    create: (p, env) => new SwarmAgent(swarmParams.parse(p), env?.v2x, env?.airspace, env?.airspaceAuthorisations ?? []),
  },
  'idm-only': {
    ...HA_PILOT,
    name: 'idm-only',
    description: 'car: a baseline: ha-pilot longitudinal control only (cruise to the lane limit, IDM on the nearest in-lane object); steering held straight, no AEB, no MRM (same sensors and params as ha-pilot)',
    create: (p, env?: HaPilotEnv) => idmOnlyAgent(haPilotParams.parse(p), env),
  },
  'lane-keep-only': {
    ...HA_PILOT,
    name: 'lane-keep-only',
    description: 'car: a baseline: ha-pilot lane keeping at the lane speed limit; no following, no AEB, no MRM (same sensors and params as ha-pilot)',
    create: (p, env?: HaPilotEnv) => laneKeepOnlyAgent(haPilotParams.parse(p), env),
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

