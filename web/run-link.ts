/**
 * The run part of a deep link (issue #7 section 1): which agent drives which
 * actor, and teaching mode's break-it switches, so that opening the link
 * reproduces the run.
 *
 *   ?scenario=cars-lead-brake&seed=7&backend=rapier&agent=ego:idm-only
 *   ?scenario=cars-lead-brake&agent=ego:user#agent=<base64url of the source>
 *   ?scenario=cars-v2x-occluded-intersection&break=v2x-off,noise-x10
 *
 * `agent=<actor>:<name>` swaps an actor's agent for a built-in one (by its
 * registry name), or for the user's agent (`user`), whose TypeScript source
 * travels in the URL hash as `agent=<base64url of its UTF-8>` (the hash is
 * never sent to a server). Several swaps: repeat the parameter or separate
 * them by commas.
 *
 * Pure (no DOM): parsing gives values and readable warnings; a bad part is
 * reported and ignored, never reinterpreted. Phase 2 merges this into
 * web/params.ts (`parseDeepLink`/`formatDeepLink`).
 */
import { BREAK_WORDS_HELP, formatBreakWords, parseBreakWords, type BreakIt } from '../scenarios/break-it.ts';
import type { Scenario } from '../scenarios/schema.ts';
import { resolvedAirspaceOf, setResolvedAirspace } from '../scenarios/airspace-resolve.ts';
import type { LoadedScenario } from '../scenarios/loader.ts';
import { AGENT_NAMES, AGENTS } from '../agents/registry.ts';

/** The agent name that stands for the user's own agent (source in the hash). */
export const USER_AGENT = 'user';

export interface AgentOverride {
  /** Actor id in the scenario. */
  actor: string;
  /** A built-in agent's registry name, or USER_AGENT. */
  agent: string;
}

/** An actor id or agent name as the schema allows them (letters, digits, - _ . /). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/;

/**
 * `agent=` values (each may hold several comma-separated `actor:name`
 * pairs) -> overrides. `known` is the list of built-in agent names
 * (Object.keys(AGENTS) of agents/registry.ts). One override per actor: a
 * repeat is reported and the first kept.
 */
export function parseAgentOverrides(values: readonly string[], known: readonly string[]): { agents: AgentOverride[]; warnings: string[] } {
  const agents: AgentOverride[] = [];
  const warnings: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const colon = item.indexOf(':');
      if (colon < 0) {
        warnings.push(`agent=${item}: expected <actor>:<agent>, e.g. ego:idm-only or ego:${USER_AGENT}`);
        continue;
      }
      const actor = item.slice(0, colon), agent = item.slice(colon + 1);
      if (!NAME.test(actor)) {
        warnings.push(`agent=${item}: "${actor}" is not an actor id`);
        continue;
      }
      if (agent !== USER_AGENT && !known.includes(agent)) {
        warnings.push(`agent=${item}: unknown agent "${agent}" (expected ${USER_AGENT} or one of ${known.join(', ')})`);
        continue;
      }
      if (agents.some((a) => a.actor === actor)) {
        warnings.push(`agent=${item}: ${actor} already has an agent in this link; keeping the first`);
        continue;
      }
      agents.push({ actor, agent });
    }
  }
  return { agents, warnings };
}

/** Overrides -> one `agent=` value (comma-separated, in the given order); null when there are none. */
export function formatAgentOverrides(agents: readonly AgentOverride[]): string | null {
  if (agents.length === 0) return null;
  return agents.map((a) => `${a.actor}:${a.agent}`).join(',');
}

/** A `break=` value -> BreakIt (e.g. "v2x-off,noise-x10"); unknown words are warnings. */
export function parseBreakParam(value: string | null): { breakIt: BreakIt; warnings: string[] } {
  const warnings: string[] = [];
  if (value === null) return { breakIt: {}, warnings };
  const breakIt = parseBreakWords(value, (w) => warnings.push(`break=${w}: expected ${BREAK_WORDS_HELP}`));
  return { breakIt, warnings };
}

/** BreakIt -> a `break=` value (the CLI's --break takes the same); null when nothing is broken. */
export function formatBreakParam(b: BreakIt | undefined): string | null {
  return formatBreakWords(b);
}

/** base64url (RFC 4648 section 5, no padding) of the UTF-8 bytes of `text`. */
export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The inverse of encodeBase64Url; throws with a readable message on bad input. */
export function decodeBase64Url(s: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('expected base64url characters (A-Z a-z 0-9 - _)');
  if (s.length % 4 === 1) throw new Error('truncated base64url (its length is 1 more than a multiple of 4)');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The user agent's source from a URL hash ("#agent=..."); null without one, and a warning when it does not decode. */
export function parseSourceHash(hash: string): { source: string | null; warnings: string[] } {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = new URLSearchParams(h);
  const enc = q.get('agent');
  if (enc === null) return { source: null, warnings: [] };
  try {
    return { source: decodeBase64Url(enc), warnings: [] };
  } catch (err) {
    return { source: null, warnings: [`#agent=: the agent source does not decode: ${err instanceof Error ? err.message : String(err)}`] };
  }
}

export interface RunLink {
  agents: AgentOverride[];
  breakIt: BreakIt;
  /** The user agent's TypeScript source from the hash, or null. */
  userSource: string | null;
  warnings: string[];
}

/** The run part of a link: `agent=` and `break=` from the query, the user source from the hash. */
export function parseRunLink(search: string, hash: string, knownAgents: readonly string[]): RunLink {
  const q = new URLSearchParams(search);
  const a = parseAgentOverrides(q.getAll('agent'), knownAgents);
  const b = parseBreakParam(q.get('break'));
  const h = parseSourceHash(hash);
  const warnings = [...a.warnings, ...b.warnings, ...h.warnings];
  const wantsUser = a.agents.some((x) => x.agent === USER_AGENT);
  if (wantsUser && h.source === null && h.warnings.length === 0) warnings.push(`agent=...:${USER_AGENT} needs the agent's source in the link's hash (#agent=...); the scenario's own agent is used`);
  if (!wantsUser && h.source !== null) warnings.push(`#agent=: a source is given but no actor is set to agent=<actor>:${USER_AGENT}; it is not run`);
  return { agents: wantsUser && h.source === null ? a.agents.filter((x) => x.agent !== USER_AGENT) : a.agents, breakIt: b.breakIt, userSource: h.source, warnings };
}

/**
 * Add the run part to a query string from web/params.ts formatDeepLink
 * ("?scenario=..."), and the hash for a user source. Returns "?...[#...]".
 */
export function formatRunLink(query: string, run: { agents?: readonly AgentOverride[]; breakIt?: BreakIt; userSource?: string | null }): string {
  const q = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  const agent = formatAgentOverrides(run.agents ?? []);
  if (agent) q.set('agent', agent);
  const br = formatBreakParam(run.breakIt);
  if (br) q.set('break', br);
  const hash = run.userSource && (run.agents ?? []).some((a) => a.agent === USER_AGENT) ? `#agent=${encodeBase64Url(run.userSource)}` : '';
  return `?${q.toString()}${hash}`;
}

/** What applyAgentOverrides needs to know of a built-in agent (agents/registry.ts AgentEntry has it). */
export interface AgentInfo {
  actorKinds: readonly string[];
  /** Whether the actor's current params suit this agent (e.g. entry.params.safeParse(p).success). */
  acceptsParams(params: Record<string, unknown>): boolean;
}

/**
 * The scenario with built-in agent swaps applied (a new object): an override
 * keeps the actor's params when the new agent accepts them (ha-pilot's params
 * suit idm-only and lane-keep-only), else starts from the agent's defaults.
 * USER_AGENT overrides are left to the user-agent loader; they are returned
 * in `user`. Bad overrides (no such actor, wrong kind) are warnings.
 */
export function applyAgentOverrides(s: Scenario, overrides: readonly AgentOverride[], agents: Readonly<Record<string, AgentInfo>>): { scenario: Scenario; user: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const user: string[] = [];
  if (overrides.length === 0) return { scenario: s, user, warnings };
  const out = structuredClone(s);
  const air = resolvedAirspaceOf(s);
  if (air) setResolvedAirspace(out, air);
  for (const o of overrides) {
    const a = out.actors.find((x) => x.id === o.actor);
    if (!a) {
      warnings.push(`agent=${o.actor}:${o.agent}: ${s.name} has no actor "${o.actor}" (actors: ${s.actors.map((x) => x.id).join(', ')})`);
      continue;
    }
    if (a.kind === 'obstacle' || a.kind === 'pedestrian') {
      warnings.push(`agent=${o.actor}:${o.agent}: "${o.actor}" is ${a.kind === 'obstacle' ? 'an obstacle' : 'a pedestrian'}, which no agent drives`);
      continue;
    }
    if (o.agent === USER_AGENT) {
      user.push(o.actor);
      continue;
    }
    const info = agents[o.agent];
    if (!info) {
      warnings.push(`agent=${o.actor}:${o.agent}: unknown agent "${o.agent}"`);
      continue;
    }
    if (!info.actorKinds.includes(a.kind)) {
      warnings.push(`agent=${o.actor}:${o.agent}: ${o.agent} drives ${info.actorKinds.join(' or ')}, and "${o.actor}" is a ${a.kind}`);
      continue;
    }
    const current = a.agent === undefined ? {} : typeof a.agent === 'string' ? {} : a.agent.params;
    a.agent = { type: o.agent, params: info.acceptsParams(current) ? current : {} };
  }
  return { scenario: out, user, warnings };
}

/** The built-in agents as applyAgentOverrides needs them, from the registry. */
export function registryAgentInfo(): Record<string, AgentInfo> {
  return Object.fromEntries(Object.entries(AGENTS).map(([k, e]) => [k, { actorKinds: e.actorKinds, acceptsParams: (p: Record<string, unknown>) => e.params.safeParse(p).success }]));
}

/**
 * A loaded scenario with built-in agent swaps applied (`RunExtras.agentSwaps`:
 * actor id -> registry name), for the worker and for Node alike, so that a
 * deep link's `agent=ego:idm-only` runs the same in both. Both the validated
 * scenario and the raw document (which `instantiate` re-validates for a
 * scenario with `vary`) are swapped. A swap that cannot apply (no such
 * actor, wrong kind, a sensor the new agent requires is missing, `user`)
 * throws an Error naming the link part; nothing is silently skipped.
 */
export function swapBuiltInAgents(loaded: LoadedScenario, swaps: Readonly<Record<string, string>> | undefined): LoadedScenario {
  const entries = Object.entries(swaps ?? {});
  if (entries.length === 0) return loaded;
  const overrides = entries.map(([actor, agent]) => ({ actor, agent }));
  for (const o of overrides) {
    if (o.agent === USER_AGENT) throw new Error(`agent=${o.actor}:${USER_AGENT}: a user agent is given as RunExtras.agents (its source), not as a swap`);
    if (!(o.agent in AGENTS)) throw new Error(`agent=${o.actor}:${o.agent}: unknown agent "${o.agent}" (expected one of ${AGENT_NAMES.join(', ')})`);
  }
  const r = applyAgentOverrides(loaded.scenario, overrides, registryAgentInfo());
  if (r.warnings.length) throw new Error(`${loaded.file}: ${r.warnings.join('; ')}`);
  for (const o of overrides) {
    const a = r.scenario.actors.find((x) => x.id === o.actor)!;
    const agent = (a as { agent?: unknown }).agent as { type: string; params: Record<string, unknown> };
    const have = new Set(('sensors' in a ? a.sensors : []).map((x) => `${x.name}:${x.type}`));
    const missing = AGENTS[o.agent]!.sensors(agent.params).filter((x) => x.required && !have.has(`${x.name}:${x.type}`));
    if (missing.length) throw new Error(`agent=${o.actor}:${o.agent}: ${o.agent} needs the sensor${missing.length > 1 ? 's' : ''} ${missing.map((x) => `"${x.name}" (${x.type})`).join(', ')} that "${o.actor}" does not have`);
  }
  let raw = loaded.raw;
  if (loaded.scenario.vary.length > 0) {
    // instantiate() re-validates the raw document with the drawn values: swap there too.
    raw = structuredClone(loaded.raw);
    const actors = (raw as { actors?: unknown }).actors;
    for (const o of overrides) {
      const ra = Array.isArray(actors) ? (actors as Record<string, unknown>[]).find((x) => x && x.id === o.actor) : undefined;
      if (!ra) throw new Error(`agent=${o.actor}:${o.agent}: "${o.actor}" is generated (a swarms block) in a scenario with vary; swap the block's agent in the file instead`);
      const swapped = (r.scenario.actors.find((x) => x.id === o.actor) as { agent?: unknown }).agent as { type: string; params: Record<string, unknown> };
      const rawParams = typeof ra.agent === 'object' && ra.agent !== null ? ((ra.agent as { params?: unknown }).params ?? {}) : {};
      ra.agent = { type: o.agent, params: Object.keys(swapped.params).length ? rawParams : {} };
    }
  }
  return { ...loaded, raw, scenario: r.scenario };
}
