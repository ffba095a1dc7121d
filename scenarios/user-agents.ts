/**
 * User agents in a run (issue #7 section 4): `RunOptions.agents` checked
 * against the scenario, loaded into the caller's sandbox, and handed to the
 * build as a hook that replaces those actors' agents. Bad input (an unknown
 * actor id, a car module on a UAV, a missing sensor, a syntax error, no
 * sandbox) is a ScenarioError naming the agent file and the actor, so the
 * CLI exits 2. Browser-safe.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createUserAgent, loadUserAgent, UserAgentError, type LoadedUserAgent } from '../agents/user/user-agent.ts';
import type { SandboxFactory } from '../agents/user/sandbox.ts';
import type { TranspileOptions } from '../agents/user/transpile.ts';
import type { BuildHooks } from './build.ts';
import { ScenarioError, type LoadedScenario } from './loader.ts';
import type { RunOptions } from './runner.ts';

export interface UserAgentReport {
  actor: string;
  file: string;
  /** sha256 of the source text (UTF-8), hex. */
  sha256: string;
}

export function sourceSha256(source: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(source)));
}

/** The build hooks and report lines for a run's user agents (none: no hooks). */
export function userAgentHooks(loaded: LoadedScenario, opts: Pick<RunOptions, 'agents' | 'sandbox' | 'agentBudgetMs'>, transpile: TranspileOptions = {}): { hooks: BuildHooks; reports: UserAgentReport[] } {
  const entries = Object.entries(opts.agents ?? {});
  if (entries.length === 0) return { hooks: {}, reports: [] };
  const actors = loaded.scenario.actors as { id: string; kind: string }[];
  const loadedAgents = new Map<string, LoadedUserAgent>();
  for (const [id, src] of entries) {
    const field = `--agent ${id}`;
    if (!opts.sandbox) throw new ScenarioError(src.file, field, 'user agents need a sandbox, and none was given to the runner (RunOptions.sandbox: nodeSandbox in Node, workerSandbox in the web worker)');
    const actor = actors.find((a) => a.id === id);
    if (!actor) throw new ScenarioError(src.file, field, `scenario ${loaded.file} has no actor '${id}' (its actors: ${actors.map((a) => `${a.id} (${a.kind})`).join(', ')})`);
    try {
      loadedAgents.set(id, loadUserAgent(src, opts.sandbox, opts.agentBudgetMs, transpile));
    } catch (err) {
      if (err instanceof UserAgentError) {
        // "<file>:<line>:<col>: what" or "<file>: what": the location stays with the file name.
        const rest = err.message.startsWith(src.file) ? err.message.slice(src.file.length) : `: ${err.message}`;
        const m = /^(:\d+:\d+)?: ([\s\S]*)$/.exec(rest);
        throw new ScenarioError(`${src.file}${m?.[1] ?? ''}`, field, m ? m[2]! : rest);
      }
      throw err;
    }
  }
  const reports = entries.map(([id, src]) => ({ actor: id, file: src.file, sha256: sourceSha256(src.source) }));
  const hooks: BuildHooks = {
    agentFor: (a) => {
      const u = loadedAgents.get(a.id);
      if (!u) return undefined;
      try {
        return createUserAgent(u, {
          id: a.id,
          kind: a.kind,
          sensors: a.sensors.map((s) => ({ name: s.name, type: s.type })),
          params: a.params,
          scripted: a.scripted,
          ...(a.airframe ? { airframe: a.airframe } : {}),
          ...(a.maxSteerRad !== undefined ? { carLimits: { maxSteerRad: a.maxSteerRad } } : {}),
        });
      } catch (err) {
        if (err instanceof UserAgentError) throw new ScenarioError(u.file, `--agent ${a.id}`, err.message.replace(`${u.file} (--agent ${a.id}): `, ''));
        throw err;
      }
    },
  };
  // An id that names a pedestrian, obstacle or rover is never offered to the hook: refuse it here.
  for (const [id, src] of entries) {
    const kind = actors.find((a) => a.id === id)!.kind;
    if (kind !== 'car' && kind !== 'uav') throw new ScenarioError(src.file, `--agent ${id}`, `actor '${id}' is a ${kind}; user agents drive cars and UAVs`);
  }
  return { hooks, reports };
}

/**
 * Check user agents against a scenario before anything runs (the CLI's
 * preflight): each id names an agent-drivable actor of the right kind with
 * the sensors the module requires, and each module loads. Throws
 * ScenarioError naming the agent file and the actor.
 */
export function preflightUserAgents(loaded: LoadedScenario, agents: Record<string, { file: string; source: string }>, sandbox: SandboxFactory, budgetMs: number | undefined, transpile: TranspileOptions = {}): void {
  const { hooks } = userAgentHooks(loaded, { agents, sandbox, ...(budgetMs !== undefined ? { agentBudgetMs: budgetMs } : {}) }, transpile);
  type ActorSpec = { id: string; kind: string; driver?: unknown; airframe?: string; agent?: string | { type: string; params?: Record<string, unknown> }; sensors?: { type: string; name?: string }[] };
  for (const id of Object.keys(agents)) {
    const a = (loaded.scenario.actors as ActorSpec[]).find((x) => x.id === id)!;
    const params = typeof a.agent === 'object' ? a.agent.params ?? {} : {};
    const sensors = (a.sensors ?? []).map((s) => ({ name: s.name ?? s.type, type: s.type, rateHz: 1 }));
    hooks.agentFor?.({ id, kind: a.kind as 'car' | 'uav', sensors: sensors as never, params, scripted: a.driver !== undefined, ...(a.airframe ? { airframe: a.airframe } : {}), maxSteerRad: 1 });
  }
}
