/**
 * Every output of a user agent is checked here, field by field, before it
 * reaches an actor: a wrong shape, a non-number, NaN or Infinity, or a value
 * out of range is an agent error naming the field and what was expected
 * (no clamping: an agent that asks for throttle 3 has a bug the report must
 * show). Browser-safe.
 */
import type { CarLimits, CarOutput, DroneLimits, DroneOutput } from './contract.ts';

export class AgentOutputError extends Error {}

function show(v: unknown): string {
  if (typeof v === 'string') return /^-?Infinity$|^NaN$/.test(v) ? v : JSON.stringify(v);
  if (v === undefined) return 'undefined';
  const s = JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 80) + '...' : s;
}

function num(o: Record<string, unknown>, field: string, min: number, max: number, range: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new AgentOutputError(`returned ${field} = ${show(v)}: expected ${typeof v === 'number' || /^-?Infinity$|^NaN$/.test(String(v)) ? '' : 'a number '}${range}`);
  }
  return v;
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new AgentOutputError(`returned ${show(v)}: expected ${what}`);
  return v as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, keys: readonly string[], what: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new AgentOutputError(`returned an unknown field '${k}': ${what} has only ${keys.join(', ')}`);
}

const CAR_KEYS = ['throttle', 'brake', 'steeringRad', 'hazardLights'] as const;

/** A car output, checked against the car's limits. */
export function validateCarOutput(v: unknown, limits: CarLimits): CarOutput {
  const o = object(v, 'a car command { throttle 0..1, brake 0..1, steeringRad }');
  onlyKeys(o, CAR_KEYS, 'a car command');
  const m = limits.maxSteerRad;
  const out: CarOutput = {
    throttle: num(o, 'throttle', 0, 1, '0..1'),
    brake: num(o, 'brake', 0, 1, '0..1'),
    steeringRad: num(o, 'steeringRad', -m, m, `-${m}..${m} rad (the car's steering limit)`),
  };
  if (o.hazardLights !== undefined) {
    if (typeof o.hazardLights !== 'boolean') throw new AgentOutputError(`returned hazardLights = ${show(o.hazardLights)}: expected true or false`);
    out.hazardLights = o.hazardLights;
  }
  return out;
}

function vec3(o: Record<string, unknown>, field: string): [number, number, number] {
  const v = o[field];
  if (!Array.isArray(v) || v.length !== 3) throw new AgentOutputError(`returned ${field} = ${show(v)}: expected [x, y, z], three numbers`);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new AgentOutputError(`returned ${field}[${i}] = ${show(x)}: expected a finite number`);
  });
  return v as [number, number, number];
}

const DRONE_SHAPES = 'one of { velocityEnuMps: [vx, vy, vz], yawRateRadPerS? }, { positionEnuM: [x, y, z], speedMps? }, { hold: true }, { land: true }';

/** A drone setpoint, checked against the flight stack's limits. */
export function validateDroneOutput(v: unknown, limits: DroneLimits): DroneOutput {
  const o = object(v, DRONE_SHAPES);
  if ('velocityEnuMps' in o) {
    onlyKeys(o, ['velocityEnuMps', 'yawRateRadPerS'], 'a velocity setpoint');
    const vel = vec3(o, 'velocityEnuMps');
    const h = Math.hypot(vel[0], vel[1]);
    if (h > limits.maxSpeedXyMps + 1e-9) throw new AgentOutputError(`returned velocityEnuMps = ${show(vel)}, a horizontal speed of ${h.toFixed(2)} m/s: expected at most ${limits.maxSpeedXyMps} m/s`);
    if (vel[2] > limits.maxClimbMps + 1e-9 || vel[2] < -limits.maxDescentMps - 1e-9) throw new AgentOutputError(`returned velocityEnuMps[2] = ${vel[2]}: expected -${limits.maxDescentMps}..${limits.maxClimbMps} m/s`);
    const r = limits.maxYawRateRadPerS;
    return o.yawRateRadPerS === undefined ? { velocityEnuMps: vel } : { velocityEnuMps: vel, yawRateRadPerS: num(o, 'yawRateRadPerS', -r, r, `-${r.toFixed(3)}..${r.toFixed(3)} rad/s`) };
  }
  if ('positionEnuM' in o) {
    onlyKeys(o, ['positionEnuM', 'speedMps'], 'a go-to setpoint');
    const p = vec3(o, 'positionEnuM');
    return o.speedMps === undefined ? { positionEnuM: p } : { positionEnuM: p, speedMps: num(o, 'speedMps', 0.1, limits.maxSpeedXyMps, `0.1..${limits.maxSpeedXyMps} m/s`) };
  }
  if ('hold' in o) {
    onlyKeys(o, ['hold'], 'a hold');
    if (o.hold !== true) throw new AgentOutputError(`returned hold = ${show(o.hold)}: expected true`);
    return { hold: true };
  }
  if ('land' in o) {
    onlyKeys(o, ['land'], 'a land');
    if (o.land !== true) throw new AgentOutputError(`returned land = ${show(o.land)}: expected true`);
    return { land: true };
  }
  throw new AgentOutputError(`returned ${show(o)}: expected ${DRONE_SHAPES}`);
}
