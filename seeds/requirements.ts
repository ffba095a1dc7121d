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
    clause: 'By 2020, establish a strongly reliable, secure, real-time intelligent Internet-connected vehicle intelligentization platform; create platform-related standards; and support highly autonomous driving (HA level).',
    quantity: 'driving automation level demonstrated (SAE J3016 / GB/T 40429-2021)',
    unit: 'level',
    comparison: '>=',
    threshold: 4,
    basis: 'HA (highly automated) is level 4 in SAE J3016 and GB/T 40429-2021: the system performs the whole driving task and its own fallback to a minimal risk condition inside its design domain',
  },
} as const satisfies Record<string, Requirement>;

export type RequirementId = keyof typeof REQUIREMENTS;

export function requirement(id: RequirementId): Requirement {
  return REQUIREMENTS[id];
}
