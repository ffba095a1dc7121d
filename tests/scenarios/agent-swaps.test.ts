/**
 * Built-in agent swaps (`--swap ego=idm-only`, a deep link's `agent=ego:idm-only`,
 * RunOptions.agentSwaps): the runner applies them, the report says so, a
 * recording of a swapped run replays to the same result, and a swap that
 * cannot apply is bad input (exit 2, nothing run).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../scenarios/cli/main.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { decodeRecording } from '../../scenarios/record/format.ts';
import { recordScenario } from '../../scenarios/record/recorder.ts';
import { replayRecording } from '../../scenarios/record/replay.ts';
import { runScenario } from '../../scenarios/runner.ts';
import { LIBRARY } from '../helpers.ts';

const FILE = `${LIBRARY}/cars/lead-brake.yaml`;

function capture(): { io: { out: (s: string) => void; err: (s: string) => void; isTTY: boolean }; text: () => string } {
  const lines: string[] = [];
  return { io: { out: (s) => lines.push(s), err: (s) => lines.push(s), isTTY: false }, text: () => lines.join('\n') };
}

describe('built-in agent swaps', () => {
  it('change the run, are named in its result, and replay from a recording to the same state hash', async () => {
    const loaded = loadScenarioFile(FILE);
    const own = await runScenario(loaded, { seed: 3 });
    const { result, recording } = await recordScenario(loaded, { seed: 3, agentSwaps: { ego: 'idm-only' }, source: readFileSync(FILE, 'utf8'), extras: { agentSwaps: { ego: 'idm-only' } } });
    expect(result.agentSwaps).toEqual({ ego: 'idm-only' });
    expect(own.agentSwaps).toBeUndefined();
    expect(result.stateHash).not.toBe(own.stateHash);
    const rec = decodeRecording(JSON.parse(JSON.stringify(recording)), 'swapped.skyrec.json.gz');
    const out = await replayRecording(rec);
    expect(out.matches).toBe(true);
    expect(out.replayed.stateHash).toBe(result.stateHash);
  });

  it('a swap that cannot apply exits 2 and names the actor; an unknown agent is a usage error', async () => {
    const a = capture();
    expect(await main(['run', FILE, '--swap', 'ego=straight-line'], a.io)).toBe(2);
    expect(a.text()).toMatch(/agentSwaps: agent=ego:straight-line: straight-line drives uav, and "ego" is a car/);
    const b = capture();
    expect(await main(['run', FILE, '--swap', 'ego=nobody'], b.io)).toBe(2);
    expect(b.text()).toMatch(/--swap ego=nobody: unknown agent "nobody"/);
  });
});
