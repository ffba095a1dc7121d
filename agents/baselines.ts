/**
 * Car baselines: the reference pilot (agents/ha-pilot.ts) with functions
 * switched off, so a scenario can show what each function buys. Same
 * params, sensors and HD map as `ha-pilot`; same pose estimator, lane frame,
 * object tracks, cruise law and pedal calibration.
 *
 * - `idm-only`: longitudinal control only: cruise towards the lane limit and
 *   IDM following of the nearest in-lane object; the steering is held
 *   straight (no lane keeping), and there is no AEB, no MRM and no junction
  rules (lights, stop signs).
 * - `lane-keep-only`: lane keeping (pure pursuit) at the lane's speed limit;
 *   no following, no AEB, no MRM, no junction rules: it drives into whatever
  is ahead, and through red lights (on a route it still follows the route).
 */
import { HaPilotAgent, type HaPilotEnv, type HaPilotParams, type PilotFeatures } from './ha-pilot.ts';

export const IDM_ONLY: Readonly<PilotFeatures> = { laneKeeping: false, following: true, aeb: false, mrm: false, junctionRules: false, yielding: false, gapAcceptance: false, laneChanges: false };
export const LANE_KEEP_ONLY: Readonly<PilotFeatures> = { laneKeeping: true, following: false, aeb: false, mrm: false, junctionRules: false, yielding: false, gapAcceptance: false, laneChanges: false };

export function idmOnlyAgent(params: HaPilotParams, env?: HaPilotEnv): HaPilotAgent {
  return new HaPilotAgent(params, env, IDM_ONLY);
}

export function laneKeepOnlyAgent(params: HaPilotParams, env?: HaPilotEnv): HaPilotAgent {
  return new HaPilotAgent(params, env, LANE_KEEP_ONLY);
}
