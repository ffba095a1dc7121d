/**
 * Deep links: `?scenario=<name>&seed=<n>&backend=<id>&speed=<x>&autoplay=1&camera=chase&v2x=1&rays=1&trails=0&pip=0&zones=0&markers=0`,
 * and the run part (web/run-link.ts): `&agent=<actor>:<agent>[,...]&break=v2x-off,noise-x10`.
 * Parsing is pure so it can be tested without a browser; a bad value is
 * reported (shown in the app) and ignored, never silently reinterpreted.
 */
import { BACKEND_IDS, type BackendId } from '../sim/physics/backend.ts';
import { AGENT_NAMES } from '../agents/registry.ts';
import { isBroken, type BreakIt } from '../scenarios/break-it.ts';
import type { RunExtras } from './sim-protocol.ts';
import { parseAgentOverrides, parseBreakParam, formatAgentOverrides, formatBreakParam, USER_AGENT, type AgentOverride } from './run-link.ts';

/** Sim seconds per real second offered in the speed select. */
export const SPEEDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8] as const;

/**
 * orbit: free, mouse-driven; chase: behind and above the followed actor;
 * top: straight down over it, north up. `follow` is read as `chase` (the
 * name older links used).
 */
export const CAMERA_MODES = ['orbit', 'chase', 'top', 'onboard'] as const;
export type CameraMode = (typeof CAMERA_MODES)[number];

/** How the 3D view draws: 'auto' (lite on software GL), 'full' (MSAA, shadows), 'lite' (neither). */
export const RENDER_QUALITIES = ['auto', 'full', 'lite'] as const;
export type RenderQuality = (typeof RENDER_QUALITIES)[number];

export interface DeepLink {
  scenario: string | null;
  seed: number | null;
  backend: BackendId | null;
  speed: number | null;
  autoplay: boolean;
  camera: CameraMode | null;
  /** Draw the V2X overlay. */
  v2x: boolean;
  /** Show frame timings (sim step and render, ms) in the HUD. */
  stats: boolean;
  /** Draw the range sensors' last scans (perception rays); off by default. */
  rays: boolean;
  /** Draw trajectory trails; on by default, `trails=0` hides them. */
  trails: boolean;
  /** Show the gimbal camera's picture-in-picture (when the selected drone has a gimbal); on by default, `pip=0` hides it. */
  pip: boolean;
  /** Draw the airspace zones (scenarios with world.airspace); on by default, `zones=0` hides them. */
  zones: boolean;
  /** `agent=<actor>:<name>` swaps (web/run-link.ts), built-in agents and `user` alike, in link order. */
  agents: AgentOverride[];
  /** `break=` (teaching mode's break-it switches); {} when nothing is broken. */
  breakIt: BreakIt;
  /** Draw the TTC and clearance markers; on by default, `markers=0` hides them. */
  markers: boolean;
  /** Render quality, `render=auto|full|lite` (default auto). */
  render: RenderQuality;
  /** Human-readable problems with the link. */
  warnings: string[];
}

export function parseDeepLink(search: string): DeepLink {
  const q = new URLSearchParams(search);
  const link: DeepLink = { scenario: null, seed: null, backend: null, speed: null, autoplay: false, camera: null, v2x: false, stats: false, rays: false, trails: true, pip: true, zones: true, markers: true, render: 'auto', agents: [], breakIt: {}, warnings: [] };

  const scenario = q.get('scenario');
  if (scenario) link.scenario = scenario;

  const seed = q.get('seed');
  if (seed !== null) {
    const n = Number(seed);
    if (seed.trim() !== '' && Number.isSafeInteger(n) && n >= 0) link.seed = n;
    else link.warnings.push(`seed=${seed}: expected a whole number >= 0; using the scenario's seed`);
  }

  const backend = q.get('backend');
  if (backend !== null) {
    if ((BACKEND_IDS as readonly string[]).includes(backend)) link.backend = backend as BackendId;
    else link.warnings.push(`backend=${backend}: expected one of ${BACKEND_IDS.join(', ')}; using rapier`);
  }

  const speed = q.get('speed');
  if (speed !== null) {
    const x = Number(speed);
    if ((SPEEDS as readonly number[]).includes(x)) link.speed = x;
    else link.warnings.push(`speed=${speed}: expected one of ${SPEEDS.join(', ')}; using 1`);
  }

  const autoplay = q.get('autoplay');
  link.autoplay = autoplay === '1' || autoplay === 'true';

  const camera = q.get('camera');
  if (camera !== null) {
    if ((CAMERA_MODES as readonly string[]).includes(camera)) link.camera = camera as CameraMode;
    else if (camera === 'follow') link.camera = 'chase';
    else link.warnings.push(`camera=${camera}: expected ${CAMERA_MODES.join(', ')}`);
  }

  const v2x = q.get('v2x');
  link.v2x = v2x === '1' || v2x === 'true';
  const stats = q.get('stats');
  link.stats = stats === '1' || stats === 'true';
  link.rays = flag(q, 'rays', false, link.warnings);
  link.trails = flag(q, 'trails', true, link.warnings);
  link.pip = flag(q, 'pip', true, link.warnings);
  link.zones = flag(q, 'zones', true, link.warnings);
  // ---- the run part (web/run-link.ts): agent swaps and break-it switches
  const agents = parseAgentOverrides(q.getAll('agent'), AGENT_NAMES);
  link.agents = agents.agents;
  link.warnings.push(...agents.warnings);
  const broken = parseBreakParam(q.get('break'));
  link.breakIt = broken.breakIt;
  link.warnings.push(...broken.warnings);
  link.markers = flag(q, 'markers', true, link.warnings);
  const render = q.get('render');
  if (render !== null) {
    if ((RENDER_QUALITIES as readonly string[]).includes(render)) link.render = render as RenderQuality;
    else link.warnings.push(`render=${render}: expected ${RENDER_QUALITIES.join(', ')}; using auto`);
  }
  return link;
}

/**
 * The run extras a link asks for: built-in agent swaps as `agentSwaps`, the
 * break-it switches as `breakIt`. `agent=<actor>:user` is not here: the
 * user's agent (its source in the hash) is the agent editor's (web/run-link.ts parseRunLink).
 */
export function linkExtras(link: Pick<DeepLink, 'agents' | 'breakIt'>): RunExtras {
  const extras: RunExtras = {};
  const swaps = link.agents.filter((a) => a.agent !== USER_AGENT);
  if (swaps.length) extras.agentSwaps = Object.fromEntries(swaps.map((a) => [a.actor, a.agent]));
  if (isBroken(link.breakIt)) extras.breakIt = { ...link.breakIt };
  return extras;
}

/** The link parts of a run's extras (the inverse of linkExtras), for formatDeepLink. User agents are left to the editor's share link. */
export function extrasLinkParts(extras: RunExtras | undefined): { agents: AgentOverride[]; breakIt: BreakIt | undefined } {
  return {
    agents: Object.entries(extras?.agentSwaps ?? {}).map(([actor, agent]) => ({ actor, agent })),
    breakIt: extras?.breakIt,
  };
}

/** An on/off parameter: 1/true or 0/false; absent gives `fallback`, anything else warns and gives it too. */
function flag(q: URLSearchParams, name: string, fallback: boolean, warnings: string[]): boolean {
  const v = q.get(name);
  if (v === null) return fallback;
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  warnings.push(`${name}=${v}: expected 1 or 0; using ${fallback ? 1 : 0}`);
  return fallback;
}

/** The query string for the current selection (autoplay is never written back). */
export function formatDeepLink(p: { scenario: string; seed: number; backend: BackendId; speed: number; camera: CameraMode; v2x?: boolean; rays?: boolean; trails?: boolean; pip?: boolean; zones?: boolean; agents?: readonly AgentOverride[]; breakIt?: BreakIt | undefined }): string {
  const q = new URLSearchParams({ scenario: p.scenario, seed: String(p.seed), backend: p.backend, speed: String(p.speed) });
  if (p.camera !== 'orbit') q.set('camera', p.camera);
  if (p.v2x) q.set('v2x', '1');
  if (p.rays) q.set('rays', '1');
  if (p.trails === false) q.set('trails', '0');
  if (p.pip === false) q.set('pip', '0');
  if (p.zones === false) q.set('zones', '0');
  // ---- the run part: agent swaps and break-it switches
  const agent = formatAgentOverrides(p.agents ?? []);
  if (agent) q.set('agent', agent);
  const broken = formatBreakParam(p.breakIt);
  if (broken) q.set('break', broken);
  for (const [name, value] of linkParams) {
    const v = value();
    if (v !== null) q.set(name, v);
  }
  return `?${q.toString()}`;
}

/** Parameters a lab feature keeps in the link (web/app.ts features): its current value, null to leave it out. */
const linkParams = new Map<string, () => string | null>();

/**
 * A lab feature's own link parameter: `formatDeepLink` writes `name=value()`
 * (nothing when it returns null), so the page's link keeps the feature's
 * state whenever main.ts rewrites it.
 */
export function registerLinkParam(name: string, value: () => string | null): void {
  linkParams.set(name, value);
}
