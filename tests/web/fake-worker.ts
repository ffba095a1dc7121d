/**
 * A stand-in for the simulation worker (web/sim-worker.ts) for tests of the
 * main thread's frame source (web/frame-source.ts) without a browser: it
 * records what it is sent and emits what a test makes it say.
 */
import type { FromWorker, ToWorker } from '../../web/sim-protocol.ts';

export class FakeWorker {
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  sent: ToWorker[] = [];
  terminated = false;
  postMessage(m: ToWorker): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(m: FromWorker): void {
    this.onmessage?.({ data: m } as MessageEvent<FromWorker>);
  }
}
