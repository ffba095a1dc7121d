/** The criteria a scenario can name, built from their validated specs. */
import type { CriterionSpec } from '../schema.ts';
import type { Criterion } from './criterion.ts';
import { MaxDuration } from './max-duration.ts';
import { MinClearance } from './min-clearance.ts';
import { NoCollision } from './no-collision.ts';
import { ReachGoal } from './reach-goal.ts';
import type { RequirementId } from '../../seeds/requirements.ts';

export interface CriterionInfo {
  type: CriterionSpec['type'];
  description: string;
  /** The seeds/ entry its default threshold comes from, if it has a default. */
  requirement?: RequirementId;
}

export const CRITERIA: readonly CriterionInfo[] = [
  { type: 'no-collision', description: 'no contact between the judged actors and anything but terrain', requirement: 'miit-2c-avoidance-collisions' },
  { type: 'reach-goal', description: 'an actor reaches a goal disc by a deadline (scenario sets region and time)' },
  { type: 'min-clearance', description: 'closest ground-truth distance from an actor to the others stays above a threshold', requirement: 'miit-2c-avoidance-clearance' },
  { type: 'max-duration', description: 'the run ends (its goals met) within a time limit (scenario sets the limit)' },
];

export function buildCriterion(spec: CriterionSpec): Criterion {
  const name = spec.name ?? spec.type;
  switch (spec.type) {
    case 'no-collision':
      return new NoCollision(name, spec.actor ? [spec.actor] : 'agents', spec.maxCollisions, spec.terminate);
    case 'reach-goal':
      return new ReachGoal(name, spec.actor, spec.region.center, spec.region.radiusM, spec.withinS, spec.endsRun);
    case 'min-clearance':
      return new MinClearance(name, spec.actor, spec.others, spec.thresholdM);
    case 'max-duration':
      return new MaxDuration(name, spec.thresholdS);
  }
}
