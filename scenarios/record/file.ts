/**
 * Recordings on disk (Node only): gzip-compressed JSON, `.skyrec.json.gz`.
 * The browser reads the same bytes through scenarios/record/player.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeRecording, parseRecordingText, RecordingError, type Recording, type RecordingDoc } from './format.ts';

/** Write a recording (gzip level 9); creates the folder. Returns the bytes written. */
export function writeRecordingFile(path: string, doc: RecordingDoc): number {
  const bytes = gzipSync(Buffer.from(JSON.stringify(doc), 'utf8'), { level: 9 });
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, bytes);
  return bytes.length;
}

/** Gzip a recording in memory (for tests and tools). */
export function gzipRecording(doc: RecordingDoc): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(doc), 'utf8'), { level: 9 });
}

/** Read and validate a recording file; a RecordingError names the file and what is wrong. */
export function readRecordingFile(path: string, shown = path): Recording {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RecordingError(shown, '', code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`);
  }
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch (err) {
      throw new RecordingError(shown, '', `not a readable gzip file (truncated or corrupted?): ${(err as Error).message}`);
    }
  } else {
    text = bytes.toString('utf8');
    if (!text.trimStart().startsWith('{')) throw new RecordingError(shown, '', 'neither gzip nor JSON: not a Skylane recording (.skyrec.json.gz)');
  }
  return parseRecordingText(text, shown);
}

export { decodeRecording };

/** A file as @mcap/core's IReadable (random access), for McapIndexedReader. Close it when done. */
export class FileReadable {
  private constructor(private readonly fh: FileHandle, private readonly bytes: bigint) {}

  static async open(path: string): Promise<FileReadable> {
    const fh = await open(path, 'r');
    const st = await fh.stat();
    return new FileReadable(fh, BigInt(st.size));
  }

  async size(): Promise<bigint> {
    return this.bytes;
  }

  async read(offset: bigint, size: bigint): Promise<Uint8Array> {
    if (offset + size > this.bytes) throw new RangeError(`read of ${size} bytes at ${offset} is past the end (${this.bytes} bytes)`);
    const out = new Uint8Array(Number(size));
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.fh.read(out, done, out.length - done, Number(offset) + done);
      if (bytesRead === 0) throw new RangeError(`unexpected end of file at ${Number(offset) + done}`);
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
