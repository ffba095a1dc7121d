/**
 * The driving criteria of issue #3, section 7, for the scenario builder to
 * register (scenarios/criteria/index.ts). `DRIVING_CRITERIA` is the
 * `skylane list` line of each, with the requirement its default comes from
 * (seeds/requirements.ts).
 */
import type { RequirementId } from '../../../seeds/requirements.ts';

export { DRIVING_CATEGORIES, footprintOf, routePolyline, type DrivingActor, type DrivingCategory, type DrivingContext, type Footprint, type Polyline } from './context.ts';
export { DrivingCollisions, type DrivingCollisionsOptions } from './driving-collisions.ts';
export { RedLightViolations, StopSignViolations } from './stop-line-criteria.ts';
export { LaneDeparture, OffRoad } from './lane-keeping.ts';
export { Speeding, type OverspeedEpisode } from './speeding.ts';
export { RouteCompletion } from './route-completion.ts';
export { MinTimeToCollision, type MinTtcOptions } from './min-ttc.ts';
export { Comfort, type ComfortBounds, type ComfortMetric } from './comfort.ts';
export { MrmSuccess, type MrmOptions, type MrmTrigger } from './mrm-success.ts';
export { CARLA_PENALTIES, DrivingScore, drivingScore, meanDrivingScore, type InfractionCounts } from './driving-score.ts';

export interface DrivingCriterionInfo {
  type: string;
  description: string;
  /** The seeds entry its default threshold comes from; none: the scenario sets it. */
  requirement?: RequirementId;
}

export const DRIVING_CRITERIA: readonly DrivingCriterionInfo[] = [
  { type: 'driving-collisions', description: 'ego collisions with pedestrians, vehicles and static objects, de-duplicated (5 m / 5 s)', requirement: 'miit-2a-driving-collisions' },
  { type: 'red-light', description: 'stop lines crossed on red', requirement: 'miit-2a-red-light-violations' },
  { type: 'stop-sign', description: 'stop-sign lines crossed without a 0.5 s stop within 4 m before them', requirement: 'miit-2a-stop-sign-violations' },
  { type: 'lane-departure', description: 'footprint across a solid marking or off the drivable lanes (episodes)', requirement: 'miit-2a-lane-departures' },
  { type: 'off-road', description: 'footprint outside every driving lane and shoulder (episodes)', requirement: 'miit-2a-off-road' },
  { type: 'speeding', description: 'largest excess of speed over the lane limit', requirement: 'miit-2a-speeding-tolerance' },
  { type: 'route-completion', description: 'share of the route driven, CARLA style', requirement: 'miit-2a-route-completion' },
  { type: 'min-ttc', description: 'smallest constant-velocity time-to-collision with a vehicle in the ego path', requirement: 'miit-2a-min-ttc' },
  { type: 'comfort', description: "nuPlan's seven comfort bounds (accelerations, jerks, yaw rate and acceleration); defaults from seeds, one entry per bound" },
  { type: 'mrm-success', description: 'an MRC (stopped, hazard lights on) within a bound after the trigger, with no collision (scenario sets the bound)' },
  { type: 'driving-score', description: 'route completion x CARLA infraction penalties (scenario sets the minimum score)' },
];
