/**
 * "Break it" switches (issue #7 section 5, teaching mode): a run with one
 * capability taken away, to show what it was worth in the scores. Plain data
 * (structured-cloneable: the web worker forwards it), applied when the world
 * is built, and recorded on the RunResult (`breakIt`) so that a broken run
 * never reads as a normal one.
 *
 * Every switch but `zonesIgnored` is a transform of the instantiated
 * Scenario (`applyBreakIt`), so it goes through the same builders as a
 * scenario file would; `zonesIgnored` needs the builder (the scorer must
 * still judge the zones the agent no longer knows): `buildScene`'s
 * `BuildOptions.zonesIgnored`.
 */
import { resolvedAirspaceOf, setResolvedAirspace } from './airspace-resolve.ts';
import { ScenarioError } from './loader.ts';
import type { Scenario, SensorSpec } from './schema.ts';
import { ZED_F9P } from '../sim/sensors/gnss.ts';
import { ABS_48_TOOTH } from '../sim/sensors/wheel-odometry.ts';
import { BATTERY_MONITOR_DEFAULTS } from '../sim/sensors/battery.ts';
import { DEG } from '../sim/math.ts';

export interface BreakIt {
  /** The radio is off: no V2X message is delivered (as world.v2x.enabled: false; cars/v2x-off-occluded-intersection.yaml). */
  v2xOff?: boolean;
  /**
   * Every actor sensor's noise standard deviations multiplied by this (>= 0).
   * Where a sensor has a `noiseScale` (the factor its builder, scenarios/build.ts
   * buildSensor, multiplies all its datasheet noise and bias sigmas by) that
   * is what is scaled: IMU gyro/accel noise densities, turn-on biases and
   * bias instabilities; barometer pressure noise and bias; radar range,
   * range-rate and azimuth sigmas; object-list position/velocity/size noise
   * (a ground-truth grant stays exact); range-ring and 3D lidar range noise.
   * The sensors without one get their sigmas (the file's, else the builder's
   * default) scaled explicitly: GNSS horizontal, vertical, velocity and
   * heading sigmas; wheel odometry's scale-error sigma; the battery
   * monitor's voltage, current and current-scale sigmas. Not scaled: the
   * traffic-light camera (a detection probability, not a sigma), V2X BSM
   * position noise (the sender's, set per car) and the gimbal's own camera
   * IMU (part of the gimbal, not an actor sensor).
   */
  sensorNoiseScale?: number;
  /** The judged gimbal's controller (each UAV's `gimbal.controller`) becomes `none`: unpowered motors. */
  stabiliserOff?: boolean;
  /**
   * UAV agents get no airspace knowledge (AgentEnv.airspace undefined) and
   * their geo-awareness sensors are removed, while the airspace service and
   * its criteria still judge the zones.
   */
  zonesIgnored?: boolean;
}

/** The switches that are on, as words for a report ("v2x off", "sensor noise x10"); empty when nothing is broken. */
export function breakItLabels(b: BreakIt | undefined): string[] {
  if (!b) return [];
  const out: string[] = [];
  if (b.v2xOff) out.push('v2x off');
  if (b.sensorNoiseScale !== undefined && b.sensorNoiseScale !== 1) out.push(`sensor noise x${b.sensorNoiseScale}`);
  if (b.stabiliserOff) out.push('stabiliser off');
  if (b.zonesIgnored) out.push('zones ignored');
  return out;
}

/** The words of `--break` (CLI) and `break=` (links), one per switch; noise is `noise-x<factor>`. */
const BREAK_WORDS = { 'v2x-off': 'v2xOff', 'stabiliser-off': 'stabiliserOff', 'zones-ignored': 'zonesIgnored' } as const;
export const BREAK_WORDS_HELP = 'v2x-off, noise-x<factor> (e.g. noise-x10), stabiliser-off, zones-ignored';

/**
 * "v2x-off,noise-x10" -> BreakIt. Each unknown word is handed to `bad` (the
 * CLI throws, a link warns and goes on).
 */
export function parseBreakWords(value: string, bad: (word: string) => void): BreakIt {
  const b: BreakIt = {};
  for (const part of value.split(',')) {
    const w = part.trim();
    if (w === '') continue;
    if (w in BREAK_WORDS) {
      b[BREAK_WORDS[w as keyof typeof BREAK_WORDS]] = true;
      continue;
    }
    const m = /^noise-x(\d+(?:\.\d+)?)$/.exec(w);
    if (m) b.sensorNoiseScale = Number(m[1]);
    else bad(w);
  }
  return b;
}

/** BreakIt -> "v2x-off,noise-x10,..."; null when nothing is broken. */
export function formatBreakWords(b: BreakIt | undefined): string | null {
  if (!b) return null;
  const words: string[] = [];
  if (b.v2xOff) words.push('v2x-off');
  if (b.sensorNoiseScale !== undefined && b.sensorNoiseScale !== 1) words.push(`noise-x${b.sensorNoiseScale}`);
  if (b.stabiliserOff) words.push('stabiliser-off');
  if (b.zonesIgnored) words.push('zones-ignored');
  return words.length ? words.join(',') : null;
}

/** Whether any switch is on (sensorNoiseScale 1 is not a break). */
export function isBroken(b: BreakIt | undefined): boolean {
  return breakItLabels(b).length > 0;
}

/**
 * Check a BreakIt from outside (a URL, the worker, the CLI): unknown keys and
 * wrong types are refused with the field named. `where` names the source in
 * the message (e.g. "breakIt" or "URL parameter break").
 */
export function validateBreakIt(b: unknown, where = 'breakIt'): BreakIt {
  if (b === undefined) return {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new Error(`${where}: expected an object, got ${JSON.stringify(b)}`);
  const o = b as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['v2xOff', 'sensorNoiseScale', 'stabiliserOff', 'zonesIgnored'].includes(k)) throw new Error(`${where}.${k}: unknown switch (expected v2xOff, sensorNoiseScale, stabiliserOff or zonesIgnored)`);
  }
  for (const k of ['v2xOff', 'stabiliserOff', 'zonesIgnored'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new Error(`${where}.${k}: expected true or false, got ${JSON.stringify(o[k])}`);
  }
  const n = o.sensorNoiseScale;
  if (n !== undefined && (typeof n !== 'number' || !Number.isFinite(n) || n < 0)) throw new Error(`${where}.sensorNoiseScale: expected a finite number >= 0, got ${JSON.stringify(n)}`);
  return o as BreakIt;
}

/**
 * The scenario with the switches applied (a new object; `s` is untouched).
 * `file` names the scenario in errors (v2xOff on a scenario without a radio
 * is not an error: there is nothing to switch off, and the result says so
 * through its label all the same).
 */
export function applyBreakIt(s: Scenario, b: BreakIt | undefined, file: string): Scenario {
  if (!b || !isBroken(b)) return s;
  const out = structuredClone(s);
  // The loader's resolved airspace is keyed on the Scenario object: the copy carries it over.
  const air = resolvedAirspaceOf(s);
  if (air) setResolvedAirspace(out, air);
  if (b.v2xOff && out.world.v2x) out.world.v2x = { ...out.world.v2x, enabled: false };
  const k = b.sensorNoiseScale;
  if (k !== undefined && k !== 1) {
    if (!(k >= 0) || !Number.isFinite(k)) throw new ScenarioError(file, 'breakIt.sensorNoiseScale', `a finite number >= 0, got ${k}`);
    for (const a of out.actors) {
      if (!('sensors' in a)) continue;
      a.sensors = a.sensors.map((sp) => noisier(sp, k));
    }
  }
  if (b.stabiliserOff) {
    for (const a of out.actors) {
      if (a.kind === 'uav' && a.gimbal) a.gimbal = { ...a.gimbal, controller: 'none' };
    }
  }
  if (b.zonesIgnored) {
    for (const a of out.actors) {
      if (a.kind === 'uav') a.sensors = a.sensors.filter((sp) => sp.type !== 'geo-awareness');
    }
  }
  return out;
}

/** One sensor with its noise sigmas multiplied by k (see BreakIt.sensorNoiseScale). */
function noisier(sp: SensorSpec, k: number): SensorSpec {
  if ('noiseScale' in sp && typeof sp.noiseScale === 'number') return { ...sp, noiseScale: sp.noiseScale * k };
  switch (sp.type) {
    case 'gnss': {
      const d = ZED_F9P;
      return {
        ...sp,
        horizontalSigmaM: k * (sp.horizontalSigmaM ?? d.horizontalSigmaM),
        verticalSigmaM: k * (sp.verticalSigmaM ?? d.verticalSigmaM),
        velocitySigmaMps: k * (sp.velocitySigmaMps ?? d.velocitySigmaMps),
        // null: no heading antenna, nothing to scale.
        headingSigmaDeg: sp.headingSigmaDeg === null ? null : k * (sp.headingSigmaDeg ?? d.headingSigmaRad / DEG),
      };
    }
    case 'wheel-odometry':
      return { ...sp, scaleErrorSigma: k * (sp.scaleErrorSigma ?? ABS_48_TOOTH.scaleErrorSigma) };
    case 'battery': {
      const d = BATTERY_MONITOR_DEFAULTS;
      return {
        ...sp,
        voltageSigmaV: k * (sp.voltageSigmaV ?? d.voltageSigmaV),
        currentSigmaA: k * (sp.currentSigmaA ?? d.currentSigmaA),
        currentScaleSigma: k * (sp.currentScaleSigma ?? d.currentScaleSigma),
      };
    }
    default:
      return sp;
  }
}
