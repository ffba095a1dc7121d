/**
 * Closed-loop rig for the flight-stack tests: the quadrotor actor on a
 * physics backend, flown by a FlightStack on a StateEstimate built from the
 * actor's GROUND TRUTH each step (position, velocity, attitude, body rate =
 * R^T omega; no noise, no delay, no bias). The estimator (uav/estimation/)
 * is written separately; these tests judge the controllers alone.
 */
import { Prop, groundSpec } from '../../../sim/actors/prop.ts';
import type { Vec3 } from '../../../sim/math.ts';
import type { BackendId, PhysicsBackend } from '../../../sim/physics/backend.ts';
import { createBackend } from '../../../sim/physics/create.ts';
import type { ActorState } from '../../../sim/snapshot.ts';
import { newStateEstimate, type StateEstimate } from '../../../uav/estimation/state-estimate.ts';
import { FlightStack } from '../../../uav/flight-stack/flight-stack.ts';
import type { Airframe } from '../../../uav/multirotor/airframe.ts';
import { Multirotor, type MultirotorStart } from '../../../uav/multirotor/multirotor.ts';
import { qRotateInv } from '../../../uav/flight-stack/quat.ts';

/** Physics and control rate of every closed-loop test: 400 Hz. */
export const DT = 1 / 400;

export interface Flight {
  pb: PhysicsBackend;
  uav: Multirotor;
  stack: FlightStack;
  s: ActorState;
  est: StateEstimate;
  /** Simulation time, s. */
  t: number;
  /** Fly for `seconds`, calling `each` after every step. */
  fly(seconds: number, each?: () => void): void;
  /** Fly until `done()` or `maxSeconds`; returns the time it took, s (Infinity if never). */
  flyUntil(done: () => boolean, maxSeconds: number, each?: () => void): number;
}

export async function flight(backend: BackendId, airframe: Airframe, start: MultirotorStart, ground: boolean, live: PhysicsBackend[]): Promise<Flight> {
  const pb = await createBackend(backend);
  live.push(pb);
  if (ground) new Prop(pb, groundSpec([0, 0], [200, 200]));
  const uav = new Multirotor(pb, 'uav', airframe, start);
  const stack = new FlightStack(airframe);
  const s: ActorState = { id: 'uav', kind: 'uav', position: [0, 0, 0], rotation: [0, 0, 0, 1], linearVelocity: [0, 0, 0], angularVelocity: [0, 0, 0], present: true };
  const est = newStateEstimate();
  const cmd = { rotorRadPerS: stack.rotorRadPerS };
  uav.groundTruth(pb, s);
  const f: Flight = {
    pb, uav, stack, s, est, t: 0,
    fly(seconds, each) {
      const n = Math.round(seconds / DT);
      for (let i = 0; i < n; i++) { step(); each?.(); }
    },
    flyUntil(done, maxSeconds, each) {
      const t0 = f.t;
      const n = Math.round(maxSeconds / DT);
      for (let i = 0; i < n; i++) {
        if (done()) return f.t - t0;
        step();
        each?.();
      }
      return done() ? f.t - t0 : Infinity;
    },
  };
  function step(): void {
    groundTruthEstimate(s, f.t, est);
    stack.update(est, f.t, DT);
    uav.applyCommand(pb, cmd, DT, s);
    pb.step(DT);
    f.t += DT;
    uav.groundTruth(pb, s);
  }
  return f;
}

/** The StateEstimate a perfect estimator would give: the actor's ground truth, body rate rotated into the body frame. */
export function groundTruthEstimate(s: Readonly<ActorState>, t: number, out: StateEstimate): StateEstimate {
  out.timeS = t;
  out.valid = true;
  copy(s.position, out.positionM);
  copy(s.linearVelocity, out.velocityMps);
  out.attitude[0] = s.rotation[0]; out.attitude[1] = s.rotation[1]; out.attitude[2] = s.rotation[2]; out.attitude[3] = s.rotation[3];
  qRotateInv(s.rotation, s.angularVelocity, out.angularRateRadPerS);
  return out;
}

function copy(a: Readonly<Vec3>, b: Vec3): void {
  b[0] = a[0]; b[1] = a[1]; b[2] = a[2];
}
