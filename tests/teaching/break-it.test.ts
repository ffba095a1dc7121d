/**
 * Teaching mode's "break it" switches (scenarios/break-it.ts): each takes a
 * capability away and the scores show it; the result records the switches.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../scenarios/result.ts';
import { applyBreakIt, breakItLabels, validateBreakIt } from '../../scenarios/break-it.ts';
import type { LoadedScenario } from '../../scenarios/loader.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { runScenario, type RunOptions } from '../../scenarios/runner.ts';
import { ZED_F9P } from '../../sim/sensors/gnss.ts';
import { ABS_48_TOOTH } from '../../sim/sensors/wheel-odometry.ts';
import { criterion, LIBRARY, libraryScenario, ROOT, skylane } from '../helpers.ts';


const run = (l: LoadedScenario, opts: RunOptions = {}) => runScenario(l, opts);

describe('break-it switches', () => {
  it('applyBreakIt leaves the scenario alone without switches and scales every noiseScale by sensorNoiseScale', () => {
    const l = loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`);
    expect(applyBreakIt(l.scenario, {}, l.file)).toBe(l.scenario);
    const noisy = applyBreakIt(l.scenario, { sensorNoiseScale: 10 }, l.file);
    const ego = noisy.actors.find((a) => a.id === 'ego')!;
    const scales = 'sensors' in ego ? ego.sensors.flatMap((s) => ('noiseScale' in s ? [s.noiseScale] : [])) : [];
    expect(scales).toEqual([10, 10, 10]); // object-list, radar, imu
    // GNSS has no noiseScale: its sigmas (the builder's ZED-F9P defaults) are scaled explicitly.
    const gnss = 'sensors' in ego ? ego.sensors.find((s) => s.type === 'gnss') : undefined;
    expect(gnss && gnss.type === 'gnss' && gnss.horizontalSigmaM).toBeCloseTo(10 * ZED_F9P.horizontalSigmaM, 12);
    expect(gnss && gnss.type === 'gnss' && gnss.velocitySigmaMps).toBeCloseTo(10 * ZED_F9P.velocitySigmaMps, 12);
    const odo = 'sensors' in ego ? ego.sensors.find((s) => s.type === 'wheel-odometry') : undefined;
    expect(odo && odo.type === 'wheel-odometry' && odo.scaleErrorSigma).toBeCloseTo(10 * ABS_48_TOOTH.scaleErrorSigma, 12);
    // The loaded scenario is not mutated.
    const orig = l.scenario.actors.find((a) => a.id === 'ego')!;
    expect('sensors' in orig && orig.sensors.every((s) => !('noiseScale' in s) || s.noiseScale === 1)).toBe(true);
  });

  it('refuses malformed switches, naming the field', () => {
    expect(() => validateBreakIt({ v2xOf: true })).toThrow(/breakIt\.v2xOf: unknown switch/);
    expect(() => validateBreakIt({ sensorNoiseScale: -1 })).toThrow(/breakIt\.sensorNoiseScale: expected a finite number >= 0/);
    expect(() => validateBreakIt({ zonesIgnored: 'yes' })).toThrow(/breakIt\.zonesIgnored: expected true or false/);
    expect(breakItLabels({ v2xOff: true, sensorNoiseScale: 10 })).toEqual(['v2x off', 'sensor noise x10']);
    expect(breakItLabels({ sensorNoiseScale: 1 })).toEqual([]);
  });

  it('v2xOff: cars/v2x-occluded-intersection passes with the radio and fails without it, and says so', async () => {
    const l = libraryScenario('cars/v2x-occluded-intersection.yaml');
    const normal = await run(l);
    expect(normal.verdict).toBe('pass');
    expect(normal.breakIt).toBeUndefined();
    const broken = await run(l, { breakIt: { v2xOff: true } });
    expect(broken.verdict).toBe('fail');
    expect(criterion(broken, 'min-ttc').passed).toBe(false);
    expect(broken.breakIt).toEqual({ v2xOff: true });
  });

  it('stabiliserOff: gimbal/hover-calm fails jitter with unpowered motors', async () => {
    const l = libraryScenario('gimbal/hover-calm.yaml', 20);
    const normal = await run(l);
    const jitter = criterion(normal, 'gimbal-jitter');
    expect(jitter.passed).toBe(true);
    const broken = await run(l, { breakIt: { stabiliserOff: true } });
    const off = criterion(broken, 'gimbal-jitter');
    expect(off.passed).toBe(false);
    expect(off.value!).toBeGreaterThan(10 * jitter.value!);
    expect(broken.breakIt).toEqual({ stabiliserOff: true });
  });

  it('zonesIgnored: uav-pilot flies into the airport circle of airspace/airport-circle, the scorer still judging it', async () => {
    const l = libraryScenario('airspace/airport-circle.yaml', 30);
    const normal = await run(l);
    expect(criterion(normal, 'airspace-no-incursion').passed).toBe(true);
    const broken = await run(l, { breakIt: { zonesIgnored: true } });
    const inc = criterion(broken, 'airspace-no-incursion');
    expect(inc.passed).toBe(false);
    expect(inc.reason).toMatch(/CTR-1/);
    expect(broken.breakIt).toEqual({ zonesIgnored: true });
  });

  it('sensorNoiseScale 10: uav/hover-turbulence-light holds its position measurably worse', async () => {
    const l = libraryScenario('uav/hover-turbulence-light.yaml', 25);
    const normal = criterion(await run(l), 'position-hold');
    const noisy = await run(l, { breakIt: { sensorNoiseScale: 10 } });
    const worse = criterion(noisy, 'position-hold');
    expect(worse.value!).toBeGreaterThan(1.5 * normal.value!);
    expect(noisy.breakIt).toEqual({ sensorNoiseScale: 10 });
  });
});

describe('skylane run --break', () => {

  it('runs with the switches, marks the run in the table, the JSON and the JUnit, and fails where the radio mattered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skylane-break-'));
    const r = await skylane('run', 'scenarios/library/cars/v2x-occluded-intersection.yaml', '--break', 'v2x-off', '--workers', '1', '--json', `${dir}/r.json`, '--junit', `${dir}/r.xml`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cars-v2x-occluded-intersection \[broken: v2x off\]/);
    const report = JSON.parse(readFileSync(`${dir}/r.json`, 'utf8')) as Report;
    expect(report.runs[0]!.breakIt).toEqual({ v2xOff: true });
    expect(report.runs[0]!.verdict).toBe('fail');
    expect(readFileSync(`${dir}/r.xml`, 'utf8')).toContain('broken: v2x off');
  });

  it('refuses an unknown switch with exit 2, naming it', async () => {
    const r = await skylane('run', 'scenarios/library/cars/v2x-occluded-intersection.yaml', '--break', 'gravity-off');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--break: unknown switch "gravity-off"; expected a comma-separated list of v2x-off/);
  });
});
