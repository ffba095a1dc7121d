import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../seeds/requirements.ts';
import { criterion, FIXTURES, LIBRARY, runFile } from '../helpers.ts';

describe('criteria on full runs (each passes somewhere and fails somewhere)', () => {
  it('no-collision passes when the rover avoids every obstacle', async () => {
    const r = await runFile(`${LIBRARY}/rover-crossing.yaml`);
    const c = criterion(r, 'no-collision');
    expect(c.passed).toBe(true);
    expect(c.value).toBe(0);
    expect(c.threshold).toBe(REQUIREMENTS['miit-2c-avoidance-collisions'].threshold);
    expect(c.thresholdSource).toBe('seeds:miit-2c-avoidance-collisions');
  });

  it('no-collision fails, and ends the run, when a blind rover drives into a wall', async () => {
    const r = await runFile(`${FIXTURES}/blind-rover-hits-wall.yaml`);
    const c = criterion(r, 'no-collision');
    expect(c.passed).toBe(false);
    expect(c.value).toBe(1);
    expect(c.reason).toMatch(/ego hit wall/);
    expect(r.verdict).toBe('fail');
    expect(r.endReason).toMatch(/^no-collision failed/);
    expect(r.simTime).toBeLessThan(10);
  });

  it('reach-goal passes when the rover arrives in time and ends the run there', async () => {
    const r = await runFile(`${LIBRARY}/rover-crossing.yaml`);
    const c = criterion(r, 'reach-goal');
    expect(c.passed).toBe(true);
    expect(c.value).not.toBeNull();
    expect(c.value!).toBeLessThanOrEqual(c.threshold!);
    expect(r.endReason).toBe('goal reached');
    expect(r.simTime).toBeCloseTo(c.value!, 6);
  });

  it('reach-goal fails when the rover never moves', async () => {
    const r = await runFile(`${FIXTURES}/idle-rover-times-out.yaml`);
    const c = criterion(r, 'reach-goal');
    expect(c.passed).toBe(false);
    expect(c.value).toBeNull();
    expect(c.reason).toMatch(/did not reach the goal/);
  });

  it('min-clearance passes with margin around obstacles', async () => {
    const r = await runFile(`${LIBRARY}/rover-crossing.yaml`);
    const c = criterion(r, 'min-clearance');
    expect(c.passed).toBe(true);
    expect(c.value!).toBeGreaterThanOrEqual(c.threshold!);
    expect(c.thresholdSource).toBe('seeds:miit-2c-avoidance-clearance');
  });

  it('min-clearance fails on a close pass that never touches', async () => {
    const r = await runFile(`${FIXTURES}/blind-rover-grazes-pillar.yaml`);
    const c = criterion(r, 'min-clearance');
    expect(c.passed).toBe(false);
    // Pillar edge at 0.5 - 0.2 = 0.3 m from the centre line, rover side at 0.215 m.
    expect(c.value!).toBeGreaterThan(0.05);
    expect(c.value!).toBeLessThan(0.12);
    expect(criterion(r, 'no-collision').passed).toBe(true);
  });

  it('max-duration passes when the run ends before the limit', async () => {
    const r = await runFile(`${LIBRARY}/rover-crossing.yaml`);
    const c = criterion(r, 'max-duration');
    expect(c.passed).toBe(true);
    expect(c.value!).toBeLessThanOrEqual(c.threshold!);
  });

  it('max-duration fails, and ends the run, at its limit', async () => {
    const r = await runFile(`${FIXTURES}/idle-rover-times-out.yaml`);
    const c = criterion(r, 'max-duration');
    expect(c.passed).toBe(false);
    expect(r.simTime).toBeCloseTo(10.01, 6);
    expect(r.endReason).toMatch(/^max-duration failed/);
  });
});
