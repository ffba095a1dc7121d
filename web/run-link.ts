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
import { USER_AGENT, type AgentOverride } from '../scenarios/agent-swaps.ts';

// The swaps themselves are applied by the runner (scenarios/agent-swaps.ts); re-exported for the link's users.
export { USER_AGENT, applyAgentOverrides, registryAgentInfo, swapBuiltInAgents, type AgentInfo, type AgentOverride } from '../scenarios/agent-swaps.ts';

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
