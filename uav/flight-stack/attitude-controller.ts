/**
 * Attitude P controller on the quaternion error, PX4 mc_att_control
 * (`AttitudeControl::update`, PX4/PX4-Autopilot
 * src/modules/mc_att_control/AttitudeControl/AttitudeControl.cpp, read at
 * commit 129a2ae6), itself after D. Brescianini, M. Hehn and R. D'Andrea,
 * "Nonlinear quadrocopter attitude control", Technical report, ETH Zürich,
 * 2013 (reduced and full attitude: roll and pitch, which steer the thrust,
 * are prioritised over yaw):
 * 1. the reduced attitude qd_red turns the current thrust axis onto the
 *    desired one by the shortest arc;
 * 2. the yaw left over, qd_red^-1 qd, is scaled by the yaw weight
 *    (MC_YAW_WEIGHT) and recombined: qd' = qd_red * yaw(w * dyaw);
 * 3. qe = q^-1 qd', error e = 2 sign(qe_w) qe_xyz (sin of half the angle,
 *    scaled axis), rate setpoint = P e per axis, with the yaw P divided by the
 *    yaw weight so that small yaw errors see MC_YAW_P;
 * 4. the yaw-rate feed-forward, world z in the body frame times the yaw rate
 *    setpoint, is added and every axis is clamped to its rate limit.
 * PX4's newer attitude reference model (MC_REF_*, off by default) is not implemented.
 *
 * Frame-agnostic: the same algebra holds in ENU/FLU as in PX4's NED/FRD.
 */
import type { Quat, Vec3 } from '../../sim/math.ts';
import { qBodyZ, qCanonical, qConj, qFromTwoVectors, qMul, qRotateInv } from './quat.ts';

const _ez: Vec3 = [0, 0, 0];
const _ezd: Vec3 = [0, 0, 0];
const _qRed: Quat = [0, 0, 0, 1];
const _qTmp: Quat = [0, 0, 0, 1];
const _qYaw: Quat = [0, 0, 0, 1];
const _qd: Quat = [0, 0, 0, 1];
const _qe: Quat = [0, 0, 0, 1];
const _zWorld: Vec3 = [0, 0, 1];
const _ff: Vec3 = [0, 0, 0];

export class AttitudeController {
  /** The last rate setpoint, rad/s (body FLU). */
  readonly rateSp: Vec3 = [0, 0, 0];
  private readonly gain: Vec3;

  constructor(
    attitudeP: Readonly<Vec3>,
    private readonly yawWeight: number,
    private readonly maxRate: Readonly<Vec3>,
  ) {
    if (!(yawWeight > 0 && yawWeight <= 1)) throw new RangeError(`attitude controller: yaw weight ${yawWeight} is outside (0, 1]`);
    this.gain = [attitudeP[0], attitudeP[1], attitudeP[2] / yawWeight];
  }

  /** Rate setpoint that turns attitude `q` towards `qDesired`, plus the yaw-rate feed-forward `yawRateSp` (rad/s about world z). */
  update(q: Readonly<Quat>, qDesired: Readonly<Quat>, yawRateSp: number): Vec3 {
    qBodyZ(q, _ez);
    qBodyZ(qDesired, _ezd);
    qFromTwoVectors(_ez, _ezd, _qRed);
    if (Math.abs(_qRed[0]) > 1 - 1e-5 || Math.abs(_qRed[1]) > 1 - 1e-5) {
      // Thrust axes opposite: the full attitude error already has no yaw part (PX4's corner case).
      _qRed[0] = qDesired[0]; _qRed[1] = qDesired[1]; _qRed[2] = qDesired[2]; _qRed[3] = qDesired[3];
    } else {
      qMul(_qRed, q, _qRed);
    }
    // Yaw left over after the reduced attitude, scaled by the yaw weight.
    qMul(qConj(_qRed, _qTmp), qDesired, _qYaw);
    qCanonical(_qYaw);
    const cw = Math.max(-1, Math.min(1, _qYaw[3]));
    const sz = Math.max(-1, Math.min(1, _qYaw[2]));
    _qTmp[0] = 0; _qTmp[1] = 0; _qTmp[2] = Math.sin(this.yawWeight * Math.asin(sz)); _qTmp[3] = Math.cos(this.yawWeight * Math.acos(cw));
    qMul(_qRed, _qTmp, _qd);

    qMul(qConj(q, _qe), _qd, _qe);
    qCanonical(_qe);
    qRotateInv(q, _zWorld, _ff);
    for (let k = 0; k < 3; k++) {
      const r = 2 * _qe[k]! * this.gain[k]! + _ff[k]! * yawRateSp;
      const lim = this.maxRate[k]!;
      this.rateSp[k] = r > lim ? lim : r < -lim ? -lim : r;
    }
    return this.rateSp;
  }
}
