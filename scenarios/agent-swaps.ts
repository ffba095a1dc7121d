/**
 * Built-in agent swaps (issue #7 section 1, a deep link's `agent=ego:idm-only`;
 * `RunOptions.agentSwaps`): which registry agent drives which actor instead of
 * the scenario's. The runner applies them (scenarios/runner.ts startRun), so
 * the browser worker, the CLI and `skylane replay` run a swapped scenario
 * alike; web/run-link.ts parses and formats them in links.
 */
import type { Scenario } from './schema.ts';
import { resolvedAirspaceOf, setResolvedAirspace } from './airspace-resolve.ts';
import { ScenarioError, type LoadedScenario } from './loader.ts';
import { AGENT_NAMES, AGENTS } from '../agents/registry.ts';

/** The agent name that stands for the user's own agent (source in the hash). */
export const USER_AGENT = 'user';

export interface AgentOverride {
  /** Actor id in the scenario. */
  actor: string;
  /** A built-in agent's registry name, or USER_AGENT. */
  agent: string;
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
    if (o.agent === USER_AGENT) throw new ScenarioError(loaded.file, `agentSwaps.${o.actor}`, `agent=${o.actor}:${USER_AGENT}: a user agent is given as RunExtras.agents (its source), not as a swap`);
    if (!(o.agent in AGENTS)) throw new ScenarioError(loaded.file, `agentSwaps.${o.actor}`, `agent=${o.actor}:${o.agent}: unknown agent "${o.agent}" (expected one of ${AGENT_NAMES.join(', ')})`);
  }
  const r = applyAgentOverrides(loaded.scenario, overrides, registryAgentInfo());
  if (r.warnings.length) throw new ScenarioError(loaded.file, 'agentSwaps', r.warnings.join('; '));
  for (const o of overrides) {
    const a = r.scenario.actors.find((x) => x.id === o.actor)!;
    const agent = (a as { agent?: unknown }).agent as { type: string; params: Record<string, unknown> };
    const have = new Set(('sensors' in a ? a.sensors : []).map((x) => `${x.name}:${x.type}`));
    const missing = AGENTS[o.agent]!.sensors(agent.params).filter((x) => x.required && !have.has(`${x.name}:${x.type}`));
    if (missing.length) throw new ScenarioError(loaded.file, `agentSwaps.${o.actor}`, `agent=${o.actor}:${o.agent}: ${o.agent} needs the sensor${missing.length > 1 ? 's' : ''} ${missing.map((x) => `"${x.name}" (${x.type})`).join(', ')} that "${o.actor}" does not have`);
  }
  let raw = loaded.raw;
  if (loaded.scenario.vary.length > 0) {
    // instantiate() re-validates the raw document with the drawn values: swap there too.
    raw = structuredClone(loaded.raw);
    const actors = (raw as { actors?: unknown }).actors;
    for (const o of overrides) {
      const ra = Array.isArray(actors) ? (actors as Record<string, unknown>[]).find((x) => x && x.id === o.actor) : undefined;
      if (!ra) throw new ScenarioError(loaded.file, `agentSwaps.${o.actor}`, `agent=${o.actor}:${o.agent}: "${o.actor}" is generated (a swarms block) in a scenario with vary; swap the block's agent in the file instead`);
      const swapped = (r.scenario.actors.find((x) => x.id === o.actor) as { agent?: unknown }).agent as { type: string; params: Record<string, unknown> };
      const rawParams = typeof ra.agent === 'object' && ra.agent !== null ? ((ra.agent as { params?: unknown }).params ?? {}) : {};
      ra.agent = { type: o.agent, params: Object.keys(swapped.params).length ? rawParams : {} };
    }
  }
  return { ...loaded, raw, scenario: r.scenario };
}
