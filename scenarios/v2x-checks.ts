/**
 * Loader checks for the V2X fields that the schema alone cannot make: each
 * refuses a scenario whose V2X setup could not work or would test nothing,
 * with the field path and what was expected (called from the loader's
 * semantic checks, with its `fail`).
 */
import type { RoadNetwork } from '../vehicles/road/road-network.ts';
import type { Scenario } from './schema.ts';

type Fail = (fieldPath: string, expected: string) => never;

/** Junctions whose signals an RSU broadcasts (a controller and at least one traffic light). */
export function signalisedJunctions(network: RoadNetwork | undefined): string[] {
  if (!network) return [];
  return network.junctions
    .filter((j) => (j.controllers ?? []).length > 0 && network.trafficLights.some((tl) => j.controllers!.includes(tl.controllerId)))
    .map((j) => j.id);
}

export function checkV2x(s: Scenario, network: RoadNetwork | undefined, fail: Fail): void {
  const w = s.world.v2x;
  let receivers = 0;
  const equipped: string[] = [];
  s.actors.forEach((a, i) => {
    if (a.kind === 'obstacle' || a.kind === 'pedestrian' || a.kind === 'uav') return;
    let seen = -1;
    a.sensors.forEach((sen, j) => {
      if (sen.type !== 'v2x') return;
      if (!w) fail(`actors[${i}].sensors[${j}].type`, 'a v2x sensor receives from the world\'s radio, and the scenario has no world.v2x; expected world.v2x (e.g. `v2x: {}` for the defaults)');
      if (seen >= 0) fail(`actors[${i}].sensors[${j}]`, `a second v2x sensor on "${a.id}" (also sensors[${seen}]); an actor has one radio receiver`);
      seen = j;
      receivers++;
    });
    if (a.kind === 'car' && a.v2x?.bsm) {
      if (!w) fail(`actors[${i}].v2x`, `"${a.id}" broadcasts BSMs, and the scenario has no world.v2x; expected world.v2x (e.g. \`v2x: {}\` for the defaults)`);
      equipped.push(a.id);
    }
  });
  if (!w) return;
  const rsus = signalisedJunctions(network);
  if (receivers > 0 && equipped.length === 0 && rsus.length === 0) {
    fail('world.v2x', 'no car has v2x: { bsm: true } and the road has no signalised junction to send SPaT: the v2x sensors would never receive anything');
  }
  if (w.lineOfSight !== false) {
    const buildings = s.actors.some((a) => a.kind === 'obstacle' && !a.motion) || s.world.scatter.length > 0;
    if (!buildings) fail('world.v2x.lineOfSight', 'there is no static obstacle (a building box) to block a link, so line of sight would change nothing; add obstacles or drop lineOfSight');
  }
  if (w.loss !== undefined && typeof w.loss !== 'number' && w.rangeM !== undefined && w.loss.halfLossDistanceM > w.rangeM) {
    fail('world.v2x.loss.halfLossDistanceM', `${w.loss.halfLossDistanceM} m is beyond the radio range (${w.rangeM} m): the range cuts every link before the loss curve matters; expected at most rangeM`);
  }
}
