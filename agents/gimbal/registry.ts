/**
 * The gimbal controllers by name (issue #5 section 3): the reference
 * `gimbal-stabilizer`, the baseline `gimbal-pid-basic`, and `none` (motors
 * unpowered: the camera hangs on its bearings' friction and its cables).
 */
import { z } from 'zod';
import type { GimbalController, GimbalControllerContext } from '../../uav/gimbal/gimbal.ts';
import { GimbalPidBasic, pidBasicParams } from './pid-basic.ts';
import { GimbalStabilizer, stabilizerParams } from './stabilizer.ts';

export interface GimbalControllerEntry {
  name: string;
  description: string;
  params: z.ZodType;
  create(params: unknown, ctx: GimbalControllerContext): GimbalController;
}

class NoStabilisation implements GimbalController {
  readonly name = 'none';
  step(_m: unknown, _r: unknown, torqueNm: Float64Array): void {
    torqueNm.fill(0);
  }
}

export const GIMBAL_CONTROLLERS: Readonly<Record<string, GimbalControllerEntry>> = {
  'gimbal-stabilizer': {
    name: 'gimbal-stabilizer',
    description: 'reference: Mahony camera attitude (IMU + encoders + flight-controller heading), cascaded angle and per-motor PI rate loops, friction and cable feed-forward from the measured joint rates',
    params: stabilizerParams,
    create: (p, ctx) => new GimbalStabilizer(stabilizerParams.parse(p), ctx),
  },
  'gimbal-pid-basic': {
    name: 'gimbal-pid-basic',
    description: 'baseline: one angle PID per motor on the filtered attitude estimate; no rate loop, no feed-forward',
    params: pidBasicParams,
    create: (p, ctx) => new GimbalPidBasic(pidBasicParams.parse(p), ctx),
  },
  none: {
    name: 'none',
    description: 'baseline: motors unpowered (no stabilisation)',
    params: z.object({}).strict(),
    create: () => new NoStabilisation(),
  },
};

export const GIMBAL_CONTROLLER_NAMES = Object.keys(GIMBAL_CONTROLLERS) as [string, ...string[]];
