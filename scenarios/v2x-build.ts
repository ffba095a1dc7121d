/**
 * Scenario -> V2X: the world's V2X service from `world.v2x`, the `v2x`
 * sensors (receivers) and the BSM equipment of cars. Kept apart from
 * build.ts, which calls these three functions.
 */
import type { Actor } from '../sim/actor.ts';
import type { Sensor } from '../sim/sensor.ts';
import { V2xSensor } from '../sim/sensors/v2x.ts';
import type { World } from '../sim/world.ts';
import { Car } from '../vehicles/car/car.ts';
import { BMW_320I } from '../vehicles/car/params.ts';
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import { BSM_RATE_HZ, type Bsm, type Spat } from '../vehicles/v2x/messages.ts';
import { V2xService, v2xConfig } from '../vehicles/v2x/v2x-service.ts';
import type { Scenario } from './schema.ts';
import type { V2xActorSpec, V2xSensorSpec } from './v2x-schema.ts';

/** The V2X service of a scenario with `world.v2x` (registered on the world), else undefined. */
export function buildV2x(s: Scenario, world: World, network: RoadNetwork | undefined): V2xService | undefined {
  const w = s.world.v2x;
  if (!w) return undefined;
  const config = v2xConfig({
    enabled: w.enabled,
    ...(w.rangeM !== undefined ? { rangeM: w.rangeM } : {}),
    ...(w.latencyS !== undefined ? { latencyS: w.latencyS } : {}),
    ...(w.loss !== undefined ? { loss: w.loss } : {}),
    lineOfSight: w.lineOfSight,
    ...(w.bsmRateHz !== undefined ? { bsmRateHz: w.bsmRateHz } : {}),
    ...(w.spatRateHz !== undefined ? { spatRateHz: w.spatRateHz } : {}),
  });
  return new V2xService(world, config, network);
}

/** A `v2x` sensor on actor `actorId`: registers its inbox with the radio. */
export function buildV2xSensor(spec: V2xSensorSpec, actorId: string, service: V2xService): Sensor {
  service.addReceiver(actorId, spec.name);
  return new V2xSensor<Bsm, Spat>({ name: spec.name, rateHz: spec.rateHz ?? BSM_RATE_HZ, mount: { position: [0, 0, 0], rotation: [0, 0, 0, 1] } }, actorId, service);
}

/** Make a car (already in the world) broadcast BSMs, if its spec says so. */
export function equipV2x(actor: Actor, spec: V2xActorSpec | undefined, service: V2xService | undefined): void {
  if (!spec?.bsm || !service) return;
  const car = actor instanceof Car ? actor : undefined;
  service.addBsmSender(actor, {
    size: { widthM: BMW_320I.bodyWidthM, lengthM: BMW_320I.bodyLengthM },
    ...(spec.positionSigmaM !== undefined ? { positionSigmaM: spec.positionSigmaM } : {}),
    ...(spec.positionCorrelationS !== undefined ? { positionCorrelationS: spec.positionCorrelationS } : {}),
    // The dynamic car's actual brake actuator (after its lag), as the BSM brake status.
    ...(car ? { brakeApplied: () => car.brake > 0 } : {}),
  });
}
