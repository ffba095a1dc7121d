/**
 * The agent editor's pure parts (web/agent-editor.ts), DOM-free so they are
 * unit-tested in Node: sharing a source in the URL hash, finding an error's
 * line in a message, and the contract's fields for completion.
 */

/** Largest source shared in a URL, characters (Skylane choice: a long agent, and well under browsers' URL limits of a few MB). */
export const MAX_SHARED_SOURCE_CHARS = 100_000;

/** The hash key of a shared agent: `#agent=<base64url of the UTF-8 source>`. */
export const AGENT_HASH_KEY = 'agent';

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `#agent=...` for a source (throws if it is too long to share). */
export function encodeAgentHash(source: string): string {
  if (source.length > MAX_SHARED_SOURCE_CHARS) throw new Error(`the agent is ${source.length} characters; at most ${MAX_SHARED_SOURCE_CHARS} can be shared in a URL (download it instead)`);
  return `#${AGENT_HASH_KEY}=${toBase64Url(new TextEncoder().encode(source))}`;
}

/**
 * The source in a URL hash: `{ source }`, `{ error }` for a hash that names an
 * agent but does not decode to one, or null when the hash has no agent.
 */
export function decodeAgentHash(hash: string): { source: string } | { error: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const v = params.get(AGENT_HASH_KEY);
  if (v === null) return null;
  if (!/^[A-Za-z0-9_-]*$/.test(v)) return { error: 'the shared agent in the URL is not base64url text (A-Z, a-z, 0-9, -, _)' };
  if (v.length % 4 === 1) return { error: 'the shared agent in the URL is truncated (its base64url length is impossible)' };
  if (v.length > Math.ceil((MAX_SHARED_SOURCE_CHARS * 4 * 4) / 3)) return { error: `the shared agent in the URL is longer than ${MAX_SHARED_SOURCE_CHARS} characters` };
  let bin: string;
  try {
    bin = atob(v.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (v.length % 4)) % 4));
  } catch {
    return { error: 'the shared agent in the URL is not valid base64url' };
  }
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: 'the shared agent in the URL is not UTF-8 text' };
  }
  if (source.length > MAX_SHARED_SOURCE_CHARS) return { error: `the shared agent in the URL is longer than ${MAX_SHARED_SOURCE_CHARS} characters` };
  if (source.includes('\u0000')) return { error: 'the shared agent in the URL contains NUL characters: not a source file' };
  return { source };
}

/**
 * The line and column (1-based) an error message points at in `file`: the
 * last "file:line:col" in it (a runtime error's "(my-agent.ts:6:34)", a
 * source error's "my-agent.ts:5:13: syntax error"), or null.
 */
export function errorLocation(message: string, file: string): { line: number; column: number } | null {
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let found: { line: number; column: number } | null = null;
  for (const m of message.matchAll(new RegExp(`${esc}:(\\d+):(\\d+)`, 'g'))) found = { line: Number(m[1]), column: Number(m[2]) };
  return found;
}

/** A field of the contract, for completion: its name, where it appears, its type and its documentation. */
export interface ContractField {
  name: string;
  /** 'module' (the agent object), 'ctx' (init), 'input' (step), 'limits', 'estimate', 'reading', 'car-output', 'drone-output'. */
  scope: 'module' | 'ctx' | 'input' | 'limits' | 'estimate' | 'reading' | 'car-output' | 'drone-output';
  type: string;
  doc: string;
}

/** The contract's fields (agents/user/contract.ts), with the doc text the editor shows. */
export const CONTRACT_FIELDS: readonly ContractField[] = [
  { name: 'kind', scope: 'module', type: "'car' | 'uav'", doc: 'The actor kind this agent drives.' },
  { name: 'rateHz', scope: 'module', type: 'number', doc: 'Decision rate, Hz (car: 1..physics rate; drone: 1..50). The output is held between steps.' },
  { name: 'requiredSensors', scope: 'module', type: 'string[]', doc: "Sensor types the agent cannot run without (e.g. ['gnss', 'object-list']); checked before the run." },
  { name: 'init', scope: 'module', type: '(ctx: InitContext) => void', doc: 'Called once before the first step.' },
  { name: 'step', scope: 'module', type: '(input) => output', doc: 'Called at rateHz; returns the command (car) or setpoint (drone). Synchronous.' },
  { name: 'actorId', scope: 'ctx', type: 'string', doc: 'The actor this agent drives.' },
  { name: 'actorKind', scope: 'ctx', type: "'car' | 'uav'", doc: 'Its kind.' },
  { name: 'mission', scope: 'ctx', type: 'Record<string, Json>', doc: "The actor's mission (drones: { waypoints: [[x, y, z], ...] }, m, ENU)." },
  { name: 'params', scope: 'ctx', type: 'Record<string, Json>', doc: "The params the scenario gave the actor's built-in agent (e.g. maxSpeedMps)." },
  { name: 'sensors', scope: 'ctx', type: '{ name, type }[]', doc: "The actor's sensors: look names up by type (the object list is 'objects' by default)." },
  { name: 'random', scope: 'ctx', type: '() => number', doc: 'Seeded uniform [0, 1) from the scenario seed (Math.random is unavailable).' },
  { name: 'time', scope: 'input', type: 'number', doc: 'Simulation time, s.' },
  { name: 'sensors', scope: 'input', type: 'Record<string, SensorReading>', doc: 'Latest reading of each sensor by name: { time, healthy, value }; null for no return.' },
  { name: 'mission', scope: 'input', type: 'Record<string, Json>', doc: 'As ctx.mission.' },
  { name: 'random', scope: 'input', type: '() => number', doc: 'Seeded uniform [0, 1), the same stream as ctx.random.' },
  { name: 'limits', scope: 'input', type: 'CarLimits | DroneLimits', doc: 'The limits the output is checked against.' },
  { name: 'v2x', scope: 'input', type: '{ bsms, spats } | null', doc: 'Car: the V2X inbox, when the car carries a v2x sensor.' },
  { name: 'estimate', scope: 'input', type: 'DroneEstimate', doc: "Drone: the autopilot's state estimate (not ground truth)." },
  { name: 'homeM', scope: 'input', type: '[x, y, z]', doc: 'Drone: the home (take-off) point, m, ENU.' },
  { name: 'geoAwareness', scope: 'input', type: 'Json | null', doc: "Drone: the geo-awareness sensor's reading (zones near the UAV), if any." },
  { name: 'maxSteerRad', scope: 'limits', type: 'number', doc: 'Car: largest road-wheel angle either side, rad.' },
  { name: 'maxSpeedXyMps', scope: 'limits', type: 'number', doc: 'Drone: largest horizontal speed, m/s.' },
  { name: 'maxClimbMps', scope: 'limits', type: 'number', doc: 'Drone: largest climb speed, m/s.' },
  { name: 'maxDescentMps', scope: 'limits', type: 'number', doc: 'Drone: largest descent speed, m/s.' },
  { name: 'maxYawRateRadPerS', scope: 'limits', type: 'number', doc: 'Drone: largest yaw rate, rad/s.' },
  { name: 'positionM', scope: 'estimate', type: '[x, y, z]', doc: 'Estimated position, m, world ENU.' },
  { name: 'velocityMps', scope: 'estimate', type: '[vx, vy, vz]', doc: 'Estimated velocity, m/s, world ENU.' },
  { name: 'yawRad', scope: 'estimate', type: 'number', doc: 'Estimated heading, rad, counter-clockwise from east.' },
  { name: 'attitude', scope: 'estimate', type: '[x, y, z, w]', doc: 'Estimated attitude quaternion, body to world.' },
  { name: 'time', scope: 'reading', type: 'number', doc: 'Time of the sample, s.' },
  { name: 'healthy', scope: 'reading', type: 'boolean', doc: 'False while the sensor reports itself unhealthy.' },
  { name: 'value', scope: 'reading', type: 'sensor sample | null', doc: 'The sample (GnssValue, ObjectListValue, RadarValue, LidarScanValue, ...).' },
  { name: 'throttle', scope: 'car-output', type: 'number', doc: 'Car: 0..1 of the drive force available at the current speed.' },
  { name: 'brake', scope: 'car-output', type: 'number', doc: 'Car: 0..1 of the brake force limit.' },
  { name: 'steeringRad', scope: 'car-output', type: 'number', doc: 'Car: road-wheel angle, rad, + left, within ±limits.maxSteerRad.' },
  { name: 'hazardLights', scope: 'car-output', type: 'boolean', doc: 'Car: hazard lights (latched).' },
  { name: 'velocityEnuMps', scope: 'drone-output', type: '[vx, vy, vz]', doc: 'Drone: fly this velocity, m/s, world ENU (within limits).' },
  { name: 'yawRateRadPerS', scope: 'drone-output', type: 'number', doc: 'Drone: with velocityEnuMps, turn at this rate, rad/s (default 0).' },
  { name: 'positionEnuM', scope: 'drone-output', type: '[x, y, z]', doc: 'Drone: go to this point, m, world ENU, in a straight line.' },
  { name: 'speedMps', scope: 'drone-output', type: 'number', doc: 'Drone: with positionEnuM, the speed, m/s (default 3).' },
  { name: 'hold', scope: 'drone-output', type: 'true', doc: 'Drone: hover where it is.' },
  { name: 'land', scope: 'drone-output', type: 'true', doc: 'Drone: land where it is (final).' },
];

/** Which fields to offer after `<object>.`: by the object's name as agents usually write it. */
export function fieldsAfter(objectName: string): readonly ContractField[] {
  const scope: Record<string, ContractField['scope']> = { ctx: 'ctx', context: 'ctx', input: 'input', inp: 'input', i: 'input', limits: 'limits', estimate: 'estimate', est: 'estimate' };
  const s = scope[objectName];
  return s ? CONTRACT_FIELDS.filter((f) => f.scope === s) : [];
}

/** Fields to offer at the start of a property name (the module's and the outputs'). */
export const PROPERTY_FIELDS: readonly ContractField[] = CONTRACT_FIELDS.filter((f) => f.scope === 'module' || f.scope === 'car-output' || f.scope === 'drone-output');

/** Make a template (an example file of this repository) importable as it stands in the editor: the contract as 'skylane/agent'. */
export function asTemplate(exampleSource: string): string {
  return exampleSource.replace(/from '(\.\.\/)+agents\/user\/contract\.ts'/g, "from 'skylane/agent'");
}
