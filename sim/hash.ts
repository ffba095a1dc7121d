/**
 * A hash of ground truth: SHA-256 over the little-endian float64 bytes of every
 * actor's pose and velocities (ids and presence included), in world order.
 * Bit-identical states give the same hash; any difference in any bit differs.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { TickSnapshot } from './snapshot.ts';

const encoder = new TextEncoder();

export function hashSnapshot(snap: TickSnapshot): string {
  const h = sha256.create();
  const nums = new Float64Array(13);
  const view = new DataView(nums.buffer);
  const bytes = new Uint8Array(nums.buffer);
  h.update(encoder.encode(`step:${snap.step}`));
  for (const a of snap.actors) {
    h.update(encoder.encode(`|${a.id}:${a.present ? 1 : 0}`));
    const vals = [...a.position, ...a.rotation, ...a.linearVelocity, ...a.angularVelocity];
    vals.forEach((v, i) => view.setFloat64(i * 8, v, true));
    h.update(bytes);
  }
  return bytesToHex(h.digest()).slice(0, 32);
}
