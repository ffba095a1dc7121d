/**
 * The requirement catalogue: every default threshold Skylane's criteria use,
 * with the clause of the source plan it comes from. Source: MIIT, Three-Year
 * Action Plan for Promoting Development of a New Generation Artificial
 * Intelligence Industry (2018-2020), English translation by Triolo, Kania and
 * Webster (DigiChina, New America). The excerpt is in
 * shared/requirements/miit-2018-2020-excerpt.md.
 *
 * Where the plan states a quality without a number (e.g. "obstacle
 * avoidance"), the entry says which number Skylane chose and why (`basis`).
 */
export interface Requirement {
  id: string;
  /** Section of the plan, e.g. "2) C". */
  section: string;
  /** The clause, quoted verbatim. */
  clause: string;
  /** What is measured. */
  quantity: string;
  unit: string;
  /** Pass when `measured comparison threshold`. */
  comparison: '<=' | '>=';
  threshold: number;
  /** Where the number comes from: the plan itself, or Skylane's reading of it. */
  basis: string;
}

const UAV_CLAUSE =
  'By 2020, intelligent consumer UAV 3-axis mechanical stabilization units should achieve a precision of 0.005 degrees, achieving 360-degree omnidirectional perception avoidance and realizing automatic and intelligent forced avoidance of air traffic control areas.';

/** Section 2) A, the car clause: it gives no driving numbers, so each driving entry says in `basis` where its number comes from (CARLA, nuPlan, or Skylane's own choice). */
const HA_CLAUSE =
  'By 2020, establish a strongly reliable, secure, real-time intelligent Internet-connected vehicle intelligentization platform; create platform-related standards; and support highly autonomous driving (HA level).';

/** The source of the seven comfort bounds. */
const NUPLAN_COMFORT =
  "nuPlan devkit, ego_is_comfortable_statistics (nuplan/planning/script/config/common/simulation_metric/low_level/*.yaml and the ego_*_statistics metrics it combines)";

export const REQUIREMENTS = {
  'miit-2c-gimbal-precision': {
    id: 'miit-2c-gimbal-precision',
    section: '2) C',
    clause: UAV_CLAUSE,
    quantity: 'peak angular vibration of a 3-axis gimbal, per axis',
    unit: 'deg',
    comparison: '<=',
    threshold: 0.005,
    basis: 'the plan: "a precision of 0.005 degrees"; read as the angular vibration range commercial gimbals quote (DJI Mavic 2 Zoom: +/-0.005 deg)',
  },
  'miit-2c-gimbal-drift': {
    id: 'miit-2c-gimbal-drift',
    section: '2) C',
    clause: UAV_CLAUSE,
    quantity: 'low-frequency drift of the camera attitude about its command: peak-to-peak of the error below the jitter cutoff (1 Hz), per axis, after settling',
    unit: 'deg',
    comparison: '<=',
    threshold: 1.5,
    basis: 'Skylane: the plan\'s 0.005 deg is the vibration figure; it names no drift figure, and neither do DJI or Gremsy. A gimbal has no heading of its own: its yaw reference is the flight controller\'s heading (0.4 deg sigma, the EKF-grade figure of sim/sensors/gnss.ts), and its horizon rests on gravity less the flight controller\'s acceleration estimate; 1.5 deg peak-to-peak is about 4 sigma of that heading, about 25 pixels of a 1920-pixel, 118 deg frame',
  },
  'miit-2c-gimbal-pointing': {
    id: 'miit-2c-gimbal-pointing',
    section: '2) C',
    clause: UAV_CLAUSE,
    quantity: 'absolute pointing error: largest angle between the camera\'s optical axis and the commanded one (point-at: the true line of sight to the target), after settling',
    unit: 'deg',
    comparison: '<=',
    threshold: 2,
    basis: 'Skylane: no figure in the plan or in gimbal specifications; 2 deg keeps a point-at target within 2 % of a 118 deg frame\'s width',
  },
  'miit-2c-omni-perception': {
    id: 'miit-2c-omni-perception',
    section: '2) C',
    clause: UAV_CLAUSE,
    quantity: 'horizontal field of view covered by obstacle perception',
    unit: 'deg',
    comparison: '>=',
    threshold: 360,
    basis: 'the plan: "360-degree omnidirectional perception avoidance"',
  },
  'miit-2c-avoidance-collisions': {
    id: 'miit-2c-avoidance-collisions',
    section: '2) C',
    clause: 'Support intelligent obstacle avoidance, automatic cruise, autonomous flight for complex environments, group engagements ... achieving 360-degree omnidirectional perception avoidance',
    quantity: 'collisions of an autonomous vehicle with anything but terrain',
    unit: 'collisions',
    comparison: '<=',
    threshold: 0,
    basis: 'Skylane: avoidance means no contact at all; the plan gives no tolerance, so none is allowed. The clause is the UAV one; ground robots are held to it by analogy',
  },
  'miit-2c-avoidance-clearance': {
    id: 'miit-2c-avoidance-clearance',
    section: '2) C',
    clause: 'Support intelligent obstacle avoidance ... achieving 360-degree omnidirectional perception avoidance',
    quantity: 'smallest ground-truth distance between a vehicle and any obstacle over a run',
    unit: 'm',
    comparison: '>=',
    threshold: 0.2,
    basis: 'Skylane: the plan gives no distance; 0.2 m is twice the 1-sigma range error of the demo rover\'s range sensor at 5 m (RPLIDAR A2M8, 2 % of range = 0.1 m), so a pass is not luck of the noise. The clause is the UAV one; ground robots are held to it by analogy until the car issue adds its own',
  },
  'miit-2c-forced-zone-avoidance': {
    id: 'miit-2c-forced-zone-avoidance',
    section: '2) C',
    clause: UAV_CLAUSE,
    quantity: 'incursions into active restricted airspace',
    unit: 'incursions',
    comparison: '<=',
    threshold: 0,
    basis: 'the plan: "automatic and intelligent forced avoidance of air traffic control areas": forced, so none',
  },
  'miit-2a-ha-level': {
    id: 'miit-2a-ha-level',
    section: '2) A',
    clause: HA_CLAUSE,
    quantity: 'driving automation level demonstrated (SAE J3016 / GB/T 40429-2021)',
    unit: 'level',
    comparison: '>=',
    threshold: 4,
    basis: 'HA (highly automated) is level 4 in SAE J3016 and GB/T 40429-2021: the system performs the whole driving task and its own fallback to a minimal risk condition inside its design domain',
  },
  // Driving criteria (issue #3, section 7): the numbers come from CARLA or nuPlan, or are Skylane's choice; `basis` says which.
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
  'miit-2c-mission-completion-radius': {
    id: 'miit-2c-mission-completion-radius',
    section: '2) C',
    clause: 'Support intelligent obstacle avoidance, automatic cruise, autonomous flight for complex environments',
    quantity: 'ground-truth distance from a UAV to its goal at the end of the run (mission completion, with no collision)',
    unit: 'm',
    comparison: '<=',
    threshold: 1.5,
    basis: 'FlightBench (Yu et al., "FlightBench: A Comprehensive Benchmark of Spatial Planning Methods for Quadrotors", 2024, arXiv 2406.05687) counts a flight as a success when the quadrotor ends within 1.5 m of the goal without collision, as issue #4 states; the plan gives no number',
  },
  'miit-2c-landing-touchdown-speed': {
    id: 'miit-2c-landing-touchdown-speed',
    section: '2) C',
    clause: 'Support intelligent obstacle avoidance, automatic cruise, autonomous flight for complex environments',
    quantity: 'ground-truth vertical speed of a UAV at touchdown',
    unit: 'm/s',
    comparison: '<=',
    threshold: 1.0,
    basis: 'Skylane: PX4 descends the last metres of a landing at MPC_LAND_SPEED = 0.7 m/s (mc_pos_control multicopter_takeoff_land_params.yaml); 1.0 m/s leaves 0.3 m/s for the velocity loop\'s tracking error and the ground effect, and stays below the 1.5 m/s a typical skid undercarriage is drop-tested for (assumption: no certification figure for small UAVs was found)',
  },
  'miit-2c-battery-reserve': {
    id: 'miit-2c-battery-reserve',
    section: '2) C',
    clause: 'Support intelligent obstacle avoidance, automatic cruise, autonomous flight for complex environments',
    quantity: 'true state of charge of a UAV battery at the end of the run (landed)',
    unit: 'fraction',
    comparison: '>=',
    threshold: 0.07,
    basis: 'PX4 BAT_CRIT_THR default 0.07 (battery_params.c): below it PX4 treats the battery as critical and fails safe; a mission that lands below it has used the reserve',
  },
  'miit-2c-swarm-separation': {
    id: 'miit-2c-swarm-separation',
    section: '2) C',
    clause: 'Support intelligent obstacle avoidance, automatic cruise, autonomous flight for complex environments, group engagements',
    quantity: 'smallest ground-truth centre-to-centre distance between two UAVs of a swarm over a run',
    unit: 'm',
    comparison: '>=',
    threshold: 1.5,
    basis: 'Skylane: the plan gives no distance. the rotor tips of the PX4 SITL Iris reach 0.378 m from its centre (0.25 m arm + 0.128 m rotor), so two Iris touch at 0.756 m centre to centre; 1.5 m is about twice that and keeps their rotor discs at least 0.74 m apart; a scenario with smaller airframes sets its own (min-separation thresholdM, swarm agent minSeparationM)',
  },
} as const satisfies Record<string, Requirement>;

export type RequirementId = keyof typeof REQUIREMENTS;

export function requirement(id: RequirementId): Requirement {
  return REQUIREMENTS[id];
}
