import { describe, expect, it } from 'vitest';
import { IDM_HIGHWAY, idmAccel } from '../../../vehicles/traffic/idm.ts';
import {
  MOBIL_DEFAULT,
  MOBIL_KEEP_RIGHT,
  mobilDecide,
  validateMobilParams,
  type MobilAccelerations,
} from '../../../vehicles/traffic/mobil.ts';

const idm = IDM_HIGHWAY;
const none = { before: 0, after: 0 };

/** Accelerations for the deciding car `c` at 25 m/s behind a truck, with optional followers. */
function scene(opts: {
  newFollower?: { speedMps: number; gapToSelfM: number; gapToLeaderM: number; leaderSpeedMps: number };
}): MobilAccelerations {
  const vSelf = 25;
  // c is stuck 30 m behind a 20 m/s truck; the target lane ahead is empty.
  const selfBefore = idmAccel(vSelf, 30, vSelf - 20, idm);
  const selfAfter = idmAccel(vSelf, Infinity, 0, idm);
  let nf = none;
  if (opts.newFollower) {
    const f = opts.newFollower;
    nf = {
      before: idmAccel(f.speedMps, f.gapToLeaderM, f.speedMps - f.leaderSpeedMps, idm),
      after: idmAccel(f.speedMps, f.gapToSelfM, f.speedMps - vSelf, idm),
    };
  }
  return {
    selfBefore,
    selfAfter,
    oldFollowerBefore: none.before,
    oldFollowerAfter: none.after,
    newFollowerBefore: nf.before,
    newFollowerAfter: nf.after,
  };
}

describe('MOBIL', () => {
  it('defaults are valid and symmetric', () => {
    expect(() => validateMobilParams(MOBIL_DEFAULT)).not.toThrow();
    expect(MOBIL_DEFAULT.keepRightBiasMps2).toBe(0);
    expect(() => validateMobilParams({ ...MOBIL_DEFAULT, safeDecelMps2: 0 })).toThrow(/safeDecelMps2/);
  });

  it('accepts a clearly beneficial change into an empty lane', () => {
    const d = mobilDecide(scene({}), 'left', MOBIL_DEFAULT);
    expect(d.safe).toBe(true);
    expect(d.incentiveMps2).toBeGreaterThan(1);
    expect(d.change).toBe(true);
  });

  it('rejects a change that would make the new follower brake harder than b_safe, however attractive', () => {
    // A car at 35 m/s only 6 m behind where c would land.
    const acc = scene({ newFollower: { speedMps: 35, gapToSelfM: 6, gapToLeaderM: Infinity, leaderSpeedMps: 0 } });
    expect(acc.newFollowerAfter).toBeLessThan(-MOBIL_DEFAULT.safeDecelMps2);
    expect(acc.selfAfter - acc.selfBefore).toBeGreaterThan(1); // c would gain a lot
    for (const politeness of [0, 0.5, -1]) {
      const d = mobilDecide(acc, 'left', { ...MOBIL_DEFAULT, politeness });
      expect(d.safe).toBe(false);
      expect(d.change).toBe(false);
    }
  });

  it('rejects landing on top of the new follower (IDM emergency value for a non-positive gap)', () => {
    const acc = scene({ newFollower: { speedMps: 25, gapToSelfM: -1, gapToLeaderM: Infinity, leaderSpeedMps: 0 } });
    expect(mobilDecide(acc, 'left', MOBIL_DEFAULT).change).toBe(false);
  });

  it('a polite driver forgoes a safe change that costs the new follower more than it gains; a selfish one takes it', () => {
    const acc: MobilAccelerations = {
      selfBefore: -0.2,
      selfAfter: 0.4, // c gains 0.6 m/s^2
      oldFollowerBefore: 0,
      oldFollowerAfter: 0,
      newFollowerBefore: 0.3,
      newFollowerAfter: -1.5, // loses 1.8 m/s^2, still well within b_safe
    };
    const selfish = mobilDecide(acc, 'left', { ...MOBIL_DEFAULT, politeness: 0 });
    const polite = mobilDecide(acc, 'left', { ...MOBIL_DEFAULT, politeness: 0.5 });
    expect(selfish.safe && polite.safe).toBe(true);
    expect(selfish.incentiveMps2).toBeCloseTo(0.6, 12);
    expect(polite.incentiveMps2).toBeCloseTo(0.6 - 0.5 * 1.8, 12);
    expect(selfish.change).toBe(true);
    expect(polite.change).toBe(false);
  });

  it('counts the old follower gain too: leaving frees the car behind', () => {
    const acc: MobilAccelerations = {
      selfBefore: 0,
      selfAfter: 0.1, // too little on its own (threshold 0.2)
      oldFollowerBefore: -1,
      oldFollowerAfter: 0.5,
      newFollowerBefore: 0,
      newFollowerAfter: 0,
    };
    expect(mobilDecide(acc, 'right', { ...MOBIL_DEFAULT, politeness: 0 }).change).toBe(false);
    expect(mobilDecide(acc, 'right', MOBIL_DEFAULT).change).toBe(true);
  });

  it('keep-right rules lower the bar to the right and raise it to the left; symmetric rules do neither', () => {
    const small: MobilAccelerations = {
      selfBefore: 0,
      selfAfter: 0.05,
      oldFollowerBefore: 0,
      oldFollowerAfter: 0,
      newFollowerBefore: 0,
      newFollowerAfter: 0,
    };
    expect(mobilDecide(small, 'right', MOBIL_DEFAULT).change).toBe(false);
    expect(mobilDecide(small, 'left', MOBIL_DEFAULT).change).toBe(false);
    const right = mobilDecide(small, 'right', MOBIL_KEEP_RIGHT);
    expect(right.thresholdMps2).toBeCloseTo(0, 12);
    expect(right.change).toBe(true);
    const left = mobilDecide({ ...small, selfAfter: 0.3 }, 'left', MOBIL_KEEP_RIGHT);
    expect(left.thresholdMps2).toBeCloseTo(0.4, 12);
    expect(left.change).toBe(false);
  });

  it('reuses the output object and never calls a NaN input safe', () => {
    const out = { change: true, safe: true, incentiveMps2: 0, thresholdMps2: 0 };
    const d = mobilDecide({ ...scene({}), newFollowerAfter: NaN }, 'left', MOBIL_DEFAULT, out);
    expect(d).toBe(out);
    expect(d.safe).toBe(false);
    expect(d.change).toBe(false);
  });
});
