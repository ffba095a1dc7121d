/**
 * `skylane replay REC` and `skylane export-mcap REC [-o OUT]`, and the
 * folder check of `skylane run --record DIR --record-mcap DIR`.
 *
 * replay exits 0 when the re-simulated verdict and state hash equal the
 * recorded ones, 1 when they differ, 2 on a bad file (unreadable, not a
 * recording, or its embedded scenario no longer loads).
 */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { McapIndexedReader } from '@mcap/core';
import { formatBreakWords, type BreakIt } from '../break-it.ts';
import { ScenarioError } from '../loader.ts';
import { displayPath } from '../node-io.ts';
import { FileReadable, readRecordingFile } from '../record/file.ts';
import { RecordingError, type Recording } from '../record/format.ts';
import { recordingToMcap } from '../record/mcap.ts';
import { replayRecording } from '../record/replay.ts';
import { nodeSandbox } from '../../agents/user/sandbox-node.ts';
import { UsageError } from './main.ts';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const wallClock = () => performance.now() / 1000;

/** Refuse before running anything a --record folder that exists as a file or cannot be written. */
export function checkFolder(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  if (path === '') throw new UsageError(`${flag} expects a folder`);
  let dir = resolve(path);
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${flag} ${path}: is a file; expected a folder`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Missing: it is created; its nearest existing ancestor must be writable.
    for (;;) {
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
      try {
        if (statSync(dir).isDirectory()) break;
        throw new UsageError(`${flag} ${path}: ${dir} is not a folder`);
      } catch (e) {
        if (e instanceof UsageError) throw e;
      }
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${path}: cannot write in ${dir}`);
  }
}

function openOne(positionals: string[], cmd: string, io: Io): Recording | null {
  if (positionals.length !== 1) throw new UsageError(`${cmd} needs exactly one recording file (.skyrec.json.gz), got ${positionals.length}`);
  const p = positionals[0]!;
  try {
    return readRecordingFile(p, displayPath(p));
  } catch (err) {
    if (!(err instanceof RecordingError)) throw err;
    io.err(`error: ${err.message}`);
    return null;
  }
}

export async function cmdReplay(argv: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const rec = openOne(positionals, 'replay', io);
  if (!rec) return 2;
  const h = rec.header;
  let outcome;
  try {
    // A recording of user agents carries their source in its extras; they run in the Node sandbox again.
    outcome = await replayRecording(rec, { clock: wallClock, sandbox: nodeSandbox }, displayPath(positionals[0]!));
  } catch (err) {
    if (err instanceof RecordingError) {
      io.err(`error: ${err.message}`);
      return 2;
    }
    if (!(err instanceof ScenarioError)) throw err;
    io.err(`error: ${displayPath(positionals[0]!)}: the recorded scenario does not load in this Skylane: ${err.message}`);
    return 2;
  }
  const { replayed, recorded } = outcome;
  const broken = formatBreakWords(h.extras.breakIt as BreakIt | undefined);
  const head = `replayed ${h.scenario} seed ${h.seed} ${h.backend}${broken ? ` (broken: ${broken})` : ''}: verdict ${replayed.verdict}, hash ${replayed.stateHash.slice(0, 8)}…`;
  if (outcome.matches) {
    io.out(`${head} (matches the recording)`);
    return 0;
  }
  const diffs: string[] = [];
  if (!outcome.verdictMatches) diffs.push(`verdict ${replayed.verdict}, recorded ${recorded.verdict}`);
  if (!outcome.hashMatches) diffs.push(`state hash ${replayed.stateHash}, recorded ${recorded.stateHash}`);
  if (h.skylane !== undefined) diffs.push(`recorded by Skylane ${h.skylane}`);
  io.out(`${head} (DIFFERS from the recording: ${diffs.join('; ')})`);
  return 1;
}

export async function cmdExportMcap(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string', short: 'o' } } });
  const rec = openOne(positionals, 'export-mcap', io);
  if (!rec) return 2;
  const src = positionals[0]!;
  const out = values.out ?? (src.endsWith('.skyrec.json.gz') ? src.slice(0, -'.skyrec.json.gz'.length) : src) + '.mcap';
  const bytes = await recordingToMcap(rec);
  try {
    writeFileSync(out, bytes);
  } catch (err) {
    throw new UsageError(`-o ${out}: cannot write: ${(err as Error).message}`);
  }
  // Read it back through @mcap/core's indexed reader: what a viewer will see.
  const readable = await FileReadable.open(out);
  try {
    const reader = await McapIndexedReader.Initialize({ readable });
    const topics = [...reader.channelsById.values()].map((c) => `${c.topic} (${reader.schemasById.get(c.schemaId)?.name ?? '?'})`);
    const count = reader.statistics?.messageCount ?? 0n;
    io.out(`wrote ${displayPath(out)}: ${bytes.length} bytes, ${count} messages on ${topics.length} channels: ${topics.join(', ')}`);
  } finally {
    await readable.close();
  }
  if (!rec.header.origin) io.out(`note: ${rec.header.scenario} has no geographic origin (world.airspace.origin), so there are no /gps LocationFix channels`);
  return 0;
}
