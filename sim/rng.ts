/**
 * The one source of randomness on the simulation path.
 *
 * Every consumer (a sensor's noise, the scenario's varied parameters, an
 * obstacle scatter) draws from its own named stream, derived from the
 * scenario seed and the stream name by SHA-256. Adding a sensor therefore
 * never shifts the numbers another sensor sees, and a run is a pure function
 * of (scenario, seed, backend). The generator is xoroshiro128+ from
 * `pure-rand` (Blackman & Vigna 2018); normals use the Marsaglia polar method.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

const encoder = new TextEncoder();

export class Rng {
  private readonly gen: RandomGenerator;
  private spare = 0;
  private hasSpare = false;

  private constructor(readonly seed: number, readonly stream: string) {
    const d = sha256(encoder.encode(`skylane/v1/${seed}/${stream}`));
    const w = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const s: number[] = [w.getInt32(0), w.getInt32(4), w.getInt32(8), w.getInt32(12)];
    if (!s.some((x) => x !== 0)) s[0] = 1; // the all-zero state is a fixed point
    this.gen = xoroshiro128plusFromState(s);
  }

  /** A stream named `stream` under scenario seed `seed`. */
  static stream(seed: number, stream: string): Rng {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    return new Rng(seed, stream);
  }

  /** An independent child stream, e.g. `rng.fork('lidar')`. */
  fork(name: string): Rng {
    return new Rng(this.seed, `${this.stream}/${name}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.gen);
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Normal with the given mean and standard deviation. */
  normal(mean = 0, sd = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + sd * this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return mean + sd * u * m;
  }
}
