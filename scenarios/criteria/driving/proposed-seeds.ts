/**
 * Default thresholds of the driving criteria, PROPOSED for the requirement
 * catalogue (seeds/requirements.ts) and kept here until they are moved
 * there: same `Requirement` shape, same clause discipline.
 *
 * The plan's car clause (section 2) A) asks for "highly autonomous driving
 * (HA level)" and gives no driving numbers, so every entry quotes that clause
 * and says in `basis` where its number comes from: CARLA (ScenarioRunner's
 * atomic criteria and the Leaderboard) or nuPlan (the devkit's metric
 * configuration), or Skylane's own choice where neither has one.
 *
 * `drivingThreshold` reads seeds/ first, so moving an entry into
 * seeds/requirements.ts (same id) switches its source to `seeds:<id>` with no
 * change here or in the criteria; the entry here can then be deleted.
 */
import { REQUIREMENTS, type Requirement } from '../../../seeds/requirements.ts';
import type { ThresholdChoice } from '../criterion.ts';

const HA_CLAUSE =
  'By 2020, establish a strongly reliable, secure, real-time intelligent Internet-connected vehicle intelligentization platform; create platform-related standards; and support highly autonomous driving (HA level).';

const NUPLAN_COMFORT =
  "nuPlan devkit, ego_is_comfortable_statistics (nuplan/planning/script/config/common/simulation_metric/low_level/*.yaml and the ego_*_statistics metrics it combines)";

export const PROPOSED_REQUIREMENTS = {
  'miit-2a-driving-collisions': {
    id: 'miit-2a-driving-collisions',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'collisions of the ego car with pedestrians, vehicles or static objects (each class judged alone), de-duplicated as CARLA does',
    unit: 'collisions',
    comparison: '<=',
    threshold: 0,
    basis: 'Skylane: at level 4 the system performs the whole driving task, so any collision is a failure of it; CARLA\'s CollisionTest also fails on the first one',
  },
  'miit-2a-red-light-violations': {
    id: 'miit-2a-red-light-violations',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'stop lines crossed by the ego car while its signal is red',
    unit: 'violations',
    comparison: '<=',
    threshold: 0,
    basis: 'CARLA RunningRedLightTest fails on the first red light run; the PRC Road Traffic Safety Law, art. 26 (red: no passing) allows none',
  },
  'miit-2a-stop-sign-violations': {
    id: 'miit-2a-stop-sign-violations',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'stop-sign stop lines crossed by the ego car without a full stop before them',
    unit: 'violations',
    comparison: '<=',
    threshold: 0,
    basis: 'CARLA RunningStopTest fails on the first stop sign run; a stop sign (GB 5768.2-2009, "stop and yield") requires a stop every time',
  },
  'miit-2a-lane-departures': {
    id: 'miit-2a-lane-departures',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'episodes of the ego footprint crossing a solid lane marking or leaving the drivable lanes',
    unit: 'departures',
    comparison: '<=',
    threshold: 0,
    basis: 'Skylane: a solid line may not be crossed (GB 5768.3-2009); CARLA counts the analogous OutsideRouteLanesTest as an infraction from the first one',
  },
  'miit-2a-off-road': {
    id: 'miit-2a-off-road',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'episodes of the ego footprint outside every driving lane and shoulder',
    unit: 'episodes',
    comparison: '<=',
    threshold: 0,
    basis: 'nuPlan drivable_area_compliance: any corner of the ego off the drivable area is a violation (score 0)',
  },
  'miit-2a-speeding-tolerance': {
    id: 'miit-2a-speeding-tolerance',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'largest excess of the ego speed over the lane speed limit',
    unit: 'm/s',
    comparison: '<=',
    threshold: 0.5,
    basis: 'Skylane\'s choice: nuPlan speed_limit_compliance counts any overspeed and scales its score by max_overspeed_value_threshold = 2.23 m/s (5 mph); a pass/fail test needs a small tolerance above the ripple of a controller holding the limit, and 0.5 m/s (1.8 km/h) is ours',
  },
  'miit-2a-route-completion': {
    id: 'miit-2a-route-completion',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'share of the route length the ego car travelled',
    unit: '%',
    comparison: '>=',
    threshold: 99,
    basis: 'CARLA RouteCompletionTest: PERCENTAGE_THRESHOLD = 99 %, with the route counted complete when the car is also within DISTANCE_THRESHOLD = 10 m of its end',
  },
  'miit-2a-min-ttc': {
    id: 'miit-2a-min-ttc',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'smallest constant-velocity time-to-collision with a vehicle in the ego path over a run',
    unit: 's',
    comparison: '>=',
    threshold: 0.95,
    basis: 'nuPlan time_to_collision_within_bound: least_min_ttc = 0.95 s (time_horizon 3 s, time_step_size 0.1 s)',
  },
  'miit-2a-comfort-max-lon-accel': {
    id: 'miit-2a-comfort-max-lon-accel', section: '2) A', clause: HA_CLAUSE,
    quantity: 'largest longitudinal acceleration of the ego car', unit: 'm/s^2', comparison: '<=', threshold: 2.4,
    basis: `${NUPLAN_COMFORT}: max_lon_accel = 2.40 m/s^2`,
  },
  'miit-2a-comfort-min-lon-accel': {
    id: 'miit-2a-comfort-min-lon-accel', section: '2) A', clause: HA_CLAUSE,
    quantity: 'smallest (most negative) longitudinal acceleration of the ego car', unit: 'm/s^2', comparison: '>=', threshold: -4.05,
    basis: `${NUPLAN_COMFORT}: min_lon_accel = -4.05 m/s^2`,
  },
  'miit-2a-comfort-max-abs-lat-accel': {
    id: 'miit-2a-comfort-max-abs-lat-accel', section: '2) A', clause: HA_CLAUSE,
    quantity: 'largest absolute lateral acceleration of the ego car', unit: 'm/s^2', comparison: '<=', threshold: 4.89,
    basis: `${NUPLAN_COMFORT}: max_abs_lat_accel = 4.89 m/s^2`,
  },
  'miit-2a-comfort-max-abs-yaw-rate': {
    id: 'miit-2a-comfort-max-abs-yaw-rate', section: '2) A', clause: HA_CLAUSE,
    quantity: 'largest absolute yaw rate of the ego car', unit: 'rad/s', comparison: '<=', threshold: 0.95,
    basis: `${NUPLAN_COMFORT}: max_abs_yaw_rate = 0.95 rad/s`,
  },
  'miit-2a-comfort-max-abs-yaw-accel': {
    id: 'miit-2a-comfort-max-abs-yaw-accel', section: '2) A', clause: HA_CLAUSE,
    quantity: 'largest absolute yaw acceleration of the ego car', unit: 'rad/s^2', comparison: '<=', threshold: 1.93,
    basis: `${NUPLAN_COMFORT}: max_abs_yaw_accel = 1.93 rad/s^2`,
  },
  'miit-2a-comfort-max-abs-lon-jerk': {
    id: 'miit-2a-comfort-max-abs-lon-jerk', section: '2) A', clause: HA_CLAUSE,
    quantity: 'largest absolute longitudinal jerk of the ego car', unit: 'm/s^3', comparison: '<=', threshold: 4.13,
    basis: `${NUPLAN_COMFORT}: max_abs_lon_jerk = 4.13 m/s^3`,
  },
  'miit-2a-comfort-max-abs-mag-jerk': {
    id: 'miit-2a-comfort-max-abs-mag-jerk', section: '2) A', clause: HA_CLAUSE,
    quantity: 'largest absolute rate of change of the ego acceleration magnitude', unit: 'm/s^3', comparison: '<=', threshold: 8.37,
    basis: `${NUPLAN_COMFORT}: max_abs_mag_jerk = 8.37 m/s^3`,
  },
} as const satisfies Record<string, Requirement>;

export type ProposedRequirementId = keyof typeof PROPOSED_REQUIREMENTS;

/**
 * The scenario's value if given, else the default: from seeds/ once the entry
 * is there (`seeds:<id>`), else from this file (`proposed-seeds:<id>`).
 */
export function drivingThreshold(given: number | undefined, id: ProposedRequirementId): ThresholdChoice {
  if (given !== undefined) return { value: given, source: 'scenario' };
  const seeded = (REQUIREMENTS as Record<string, Requirement>)[id];
  if (seeded) return { value: seeded.threshold, source: `seeds:${id}` };
  return { value: PROPOSED_REQUIREMENTS[id].threshold, source: `proposed-seeds:${id}` };
}
