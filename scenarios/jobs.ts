/**
 * The expanded run list (scenario files x seeds x backends), its
 * deterministic order, and sharding. Sharding takes every N-th run of the
 * sorted list, so shards are balanced across files and reproducible on any
 * machine; `skylane merge` puts the shard reports back in this order.
 */
import type { BackendId } from '../sim/physics/backend.ts';
import type { BreakIt } from './break-it.ts';

export interface Job {
  /** Position in the full (unsharded) run list. */
  index: number;
  file: string;
  seed: number;
  backend: BackendId;
  /** Teaching mode's break-it switches (`--break`), for every run of the list; absent for a normal run. */
  breakIt?: BreakIt;
  /** User agents by actor id (skylane run --agent): the source text, read once by the main process. */
  agents?: Record<string, { file: string; source: string }>;
  /** Per-call budget of the user agents, ms (--agent-budget-ms). */
  agentBudgetMs?: number;
  /** Built-in agent swaps, actor id -> registry name (--swap). */
  agentSwaps?: Record<string, string>;
}

export interface Shard {
  /** 1-based. */
  k: number;
  n: number;
}

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--shard expects K/N with 1 <= K <= N (e.g. 2/4), got "${s}"`);
  const k = Number(m[1]), n = Number(m[2]);
  if (!(n >= 1 && k >= 1 && k <= n)) throw new Error(`--shard expects K/N with 1 <= K <= N, got "${s}"`);
  return { k, n };
}

export function parseSeeds(s: string): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--seeds expects A..B, two whole numbers with A <= B (e.g. 1..20), got "${s}"`);
  const a = Number(m[1]), b = Number(m[2]);
  if (!(Number.isSafeInteger(a) && Number.isSafeInteger(b) && a <= b)) throw new Error(`--seeds expects A <= B, got "${s}"`);
  if (b - a >= 100000) throw new Error(`--seeds ${s} is ${b - a + 1} seeds; at most 100000 per invocation (use --shard to split)`);
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

export function expandJobs(files: { file: string; defaultSeed: number }[], seeds: number[] | null, backends: BackendId[], breakIt?: BreakIt): Job[] {
  const jobs: Job[] = [];
  for (const f of files) {
    for (const seed of seeds ?? [f.defaultSeed]) {
      for (const backend of backends) jobs.push({ index: jobs.length, file: f.file, seed, backend, ...(breakIt ? { breakIt } : {}) });
    }
  }
  return jobs;
}

export function shardJobs(jobs: Job[], shard: Shard | null): Job[] {
  if (!shard) return jobs;
  return jobs.filter((j) => j.index % shard.n === shard.k - 1);
}
