/**
 * The recording modules the browser uses import nothing from Node, however
 * deep: a static walk of their relative imports.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.ts';

function nodeImports(entry: string): string[] {
  const seen = new Set<string>();
  const bad: string[] = [];
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('node:') || ['fs', 'path', 'zlib', 'os', 'worker_threads', 'child_process'].includes(spec)) bad.push(`${file.slice(ROOT.length)} imports ${spec}`);
      else if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
    }
  };
  walk(resolve(ROOT, entry));
  return bad;
}

describe('browser-safe recording modules', () => {
  for (const f of ['scenarios/record/format.ts', 'scenarios/record/player.ts', 'scenarios/record/recorder.ts', 'scenarios/record/replay.ts', 'scenarios/record/mcap.ts', 'scenarios/metrics/live.ts']) {
    it(`${f} reaches no node: module`, () => {
      expect(nodeImports(f)).toEqual([]);
    });
  }
  it('the check does catch a Node import', () => {
    expect(nodeImports('scenarios/record/file.ts')).toContain('scenarios/record/file.ts imports node:fs');
  });
});
