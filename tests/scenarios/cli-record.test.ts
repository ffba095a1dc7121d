/**
 * `skylane run --record/--record-mcap` through the worker pool, then
 * `skylane replay` (matches: exit 0; tampered: exit 1; corrupted: exit 2)
 * and `skylane export-mcap`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, skylane } from '../helpers.ts';



let dir: string;
let recs: string;
let mcaps: string;
let runOut: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skylane-cli-record-'));
  recs = join(dir, 'recs');
  mcaps = join(dir, 'mcap');
  // 5 runs on 2 workers (at least 4 runs per worker thread, so 5 is the fewest that uses 2): the recording options cross to the worker threads.
  runOut = await skylane('run', 'scenarios/library/rover-crossing.yaml', '--seeds', '1..5', '--workers', '2', '--record', recs, '--record-mcap', mcaps, '--quiet');
}, 120_000);

describe('skylane run --record', () => {
  it('writes one recording and one MCAP per run, named after scenario, seed and backend', () => {
    expect(runOut.stderr).toBe('');
    expect(runOut.code).toBe(0);
    expect(runOut.stdout).toContain('wrote 10 recording files to');
    expect(readdirSync(recs).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `rover-crossing-seed${i + 1}-rapier.skyrec.json.gz`).sort());
    expect(readdirSync(mcaps)).toHaveLength(5);
    expect(readdirSync(mcaps).every((f) => f.endsWith('-rapier.mcap'))).toBe(true);
  });

  it('skylane replay re-simulates the recording to the same verdict and hash (exit 0)', async () => {
    const r = await skylane('replay', join(recs, 'rover-crossing-seed3-rapier.skyrec.json.gz'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^replayed rover-crossing seed 3 rapier: verdict pass, hash [0-9a-f]{8}… \(matches the recording\)\n$/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('a recording whose hash was altered replays as different (exit 1)', async () => {
    const src = join(recs, 'rover-crossing-seed2-rapier.skyrec.json.gz');
    const doc = JSON.parse(gunzipSync(readFileSync(src)).toString('utf8'));
    doc.result.stateHash = 'f'.repeat(32);
    const bad = join(dir, 'tampered.skyrec.json.gz');
    writeFileSync(bad, gzipSync(JSON.stringify(doc)));
    const r = await skylane('replay', bad);
    expect(r.stdout).toMatch(/DIFFERS from the recording: state hash [0-9a-f]{32}, recorded f{32}/);
    expect(r.code).toBe(1);
  }, 60_000);

  it('a corrupted recording exits 2 with one clear line, no stack trace', async () => {
    const src = join(recs, 'rover-crossing-seed1-rapier.skyrec.json.gz');
    const cut = join(dir, 'cut.skyrec.json.gz');
    writeFileSync(cut, readFileSync(src).subarray(0, 500));
    const r = await skylane('replay', cut);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*cut\.skyrec\.json\.gz: not a readable gzip file \(truncated or corrupted\?\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const notRec = join(dir, 'report.json');
    writeFileSync(notRec, '{"skylane":"1","runs":[]}');
    const r2 = await skylane('export-mcap', notRec);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/report\.json: format: expected "skylane-recording", got nothing: not a Skylane recording/);
  }, 60_000);

  it('skylane export-mcap writes the MCAP and reads it back', async () => {
    const out = join(dir, 'x.mcap');
    const r = await skylane('export-mcap', join(recs, 'rover-crossing-seed1-rapier.skyrec.json.gz'), '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*x\.mcap: \d+ bytes, \d+ messages on 5 channels: \/tf \(foxglove\.FrameTransform\), \/scene \(foxglove\.SceneUpdate\), \/metrics/);
    expect(r.stdout).toContain('no /gps LocationFix channels');
    expect(existsSync(out)).toBe(true);
  }, 60_000);

  it('--record naming a file is bad usage (exit 2), nothing run', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = await skylane('run', 'scenarios/library/rover-crossing.yaml', '--record', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --record .*a-file: is a file; expected a folder/);
    expect(r.stdout).toBe('');
    // Two files with one scenario name would write the same recording.
    const twin = join(dir, 'twin.yaml');
    writeFileSync(twin, readFileSync(`${ROOT}scenarios/library/rover-crossing.yaml`, 'utf8'));
    const r2 = await skylane('run', 'scenarios/library/rover-crossing.yaml', twin, '--record', join(dir, 'twins'));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/are both named "rover-crossing", so their recordings would overwrite each other/);
    expect(existsSync(join(dir, 'twins'))).toBe(false);
  }, 60_000);
});
