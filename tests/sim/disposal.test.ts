/**
 * Disposal: a world frees its engine objects, so a long sweep in one thread
 * does not grow the engine's memory. Rapier's WASM linear memory never
 * shrinks but grows whenever live objects need more room, so a leak of even
 * a few bodies per run shows up as growth over many runs.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LIBRARY } from '../helpers.ts';

// Capture the linear memory of every WebAssembly instance created from here on (Rapier's, when it initialises).
const memories: WebAssembly.Memory[] = [];
const original = WebAssembly.instantiate;
(WebAssembly as { instantiate: unknown }).instantiate = async (...args: unknown[]) => {
  const r = await (original as (...a: unknown[]) => Promise<unknown>).apply(WebAssembly, args);
  const inst = r instanceof WebAssembly.Instance ? r : (r as { instance?: WebAssembly.Instance }).instance;
  if (inst) for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) memories.push(v);
  return r;
};
afterAll(() => {
  (WebAssembly as { instantiate: unknown }).instantiate = original;
});

describe('disposal', () => {
  it('300 consecutive runs in one thread leave Rapier\'s WASM memory where it was after the first 20', async () => {
    // Import after the hook so that this file's Rapier instance is captured.
    const { loadScenarioText } = await import('../../scenarios/loader.ts');
    const { startRun } = await import('../../scenarios/runner.ts');
    const loaded = loadScenarioText(readFileSync(`${LIBRARY}/rover-random-field.yaml`, 'utf8'), 'rover-random-field.yaml');
    const wasmBytes = () => memories.reduce((s, m) => s + m.buffer.byteLength, 0);
    let after20 = 0;
    for (let i = 1; i <= 300; i++) {
      const run = await startRun(loaded, { seed: i, backend: 'rapier' });
      run.step(50);
      run.result();
      run.dispose();
      if (i === 20) after20 = wasmBytes();
    }
    expect(memories.length).toBeGreaterThan(0);
    expect(after20).toBeGreaterThan(0);
    expect(wasmBytes()).toBe(after20);
  }, 120_000);
});
