/**
 * The browser sandbox of a user agent, for the simulation Web Worker
 * (web/sim-worker.ts): no DOM exists there, and this module locks the rest
 * before any agent code loads. Browser-safe; no Node imports.
 *
 * - `lockWorkerGlobals()` (called by the first `load`, or by the worker
 *   itself earlier): the worker's network and thread APIs (fetch,
 *   XMLHttpRequest, WebSocket, EventSource, WebTransport, importScripts,
 *   Worker, SharedWorker, BroadcastChannel, indexedDB, caches) are replaced
 *   by throwing stubs; the Function constructors reachable from any function
 *   (`(() => {}).constructor`, async, generator) throw; and the shared
 *   intrinsics' prototypes are frozen, so an agent, which runs in the
 *   worker's own realm, cannot patch Array.prototype or JSON under the
 *   simulation's feet.
 * - The module is compiled with `new Function` as a strict-mode function
 *   whose parameters shadow every dangerous global (BLOCKED_GLOBALS, plus
 *   globalThis, eval, Function, and Math with a throwing `random`): a name
 *   like `document` or `fetch` resolves to a stub that throws a clear error.
 * - Every call is JSON in, JSON out (sandbox.ts), timed with performance.now
 *   against the budget. A call that never returns cannot be interrupted from
 *   inside the worker: the main thread's watchdog terminates the worker and
 *   shows reasons.ts AGENT_WATCHDOG_REASON.
 */
import { budgetExceededReason, loadBudgetMs } from './reasons.ts';
import { AgentCallError, BLOCKED_GLOBALS, GUEST_RUNTIME, GUEST_STUBS, parseReply, readDescription, type AgentDescription, type AgentSandbox, type SandboxFactory, type SandboxOptions } from './sandbox.ts';

/** Captured before any agent code runs. */
const now: () => number = typeof performance !== 'undefined' ? performance.now.bind(performance) : () => 0;
const FunctionCtor = Function;

/** The worker's network and thread APIs that lockWorkerGlobals replaces. */
export const LOCKED_WORKER_APIS = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'importScripts', 'Worker', 'SharedWorker', 'BroadcastChannel', 'indexedDB', 'caches'] as const;

let locked = false;

export interface LockOptions {
  /** Freeze the shared intrinsics (default true). */
  freezeIntrinsics?: boolean;
}

/**
 * Lock the worker's global scope for agent code (idempotent). Call it in
 * web/sim-worker.ts after its own imports and set-up (it removes the
 * worker's fetch), before the first user agent loads; `load` calls it too.
 */
export function lockWorkerGlobals(opts: LockOptions = {}): void {
  if (locked) return;
  locked = true;
  const g = globalThis as Record<string, unknown>;
  for (const name of LOCKED_WORKER_APIS) {
    const stub = function blocked(): never {
      throw new Error(`${name} is unavailable in the simulation worker (user agents run here: no network)`);
    };
    try {
      Object.defineProperty(g, name, { value: stub, writable: false, configurable: false, enumerable: false });
    } catch {
      // A non-configurable platform property: shadowing in the agent's scope still hides it.
    }
  }
  const noCtor = function blockedConstructor(): never {
    throw new Error('the Function constructor is unavailable in the simulation worker (no code from strings)');
  };
  const fns: unknown[] = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const f of fns) {
    const proto = Object.getPrototypeOf(f) as object;
    try {
      Object.defineProperty(proto, 'constructor', { value: noCtor, writable: false, configurable: false });
    } catch {
      // already locked
    }
  }
  if (opts.freezeIntrinsics ?? true) freezeIntrinsics();
}

/**
 * Names whose assignment on an ordinary object must keep working once the
 * prototype holding them is frozen. Freezing turns `obj.toString = f` or an
 * Error subclass's `this.name = 'X'` into a TypeError in strict code (the
 * "override mistake" of ES5), which would break the simulation's own code in
 * the worker (ScenarioError sets `this.name`). As SES's "enablements" do, each
 * such property becomes an accessor whose setter defines an own property on
 * the object assigned to, and refuses an assignment on the prototype itself.
 */
const OVERRIDABLE = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'toJSON', 'name', 'message'] as const;

/** Make `names` of `proto` (writable data properties only) assignable on objects inheriting from it, before it is frozen. */
export function enableOverrides(proto: object, names: readonly string[]): void {
  for (const name of names) {
    const desc = Object.getOwnPropertyDescriptor(proto, name);
    if (!desc || !('value' in desc) || !desc.writable || !desc.configurable) continue;
    const value: unknown = desc.value;
    Object.defineProperty(proto, name, {
      get: function get() {
        return value;
      },
      set: function set(this: unknown, v: unknown) {
        if (this === proto || this === null || (typeof this !== 'object' && typeof this !== 'function')) {
          throw new TypeError(`Cannot assign to read only property '${name}' of a shared prototype (frozen in the simulation worker)`);
        }
        Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable ?? false,
      configurable: false,
    });
  }
}

/** Freeze the prototypes and namespaces an agent could patch to reach into the simulation (same realm). */
export function freezeIntrinsics(): void {
  // Everything of Object.prototype and Function.prototype (hasOwnProperty, bind, ...), the common names elsewhere.
  enableOverrides(Object.prototype, Object.getOwnPropertyNames(Object.prototype));
  enableOverrides(Function.prototype, Object.getOwnPropertyNames(Function.prototype));
  const ctors = [Object, Array, Function, String, Number, Boolean, Symbol, Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, Promise, Map, Set, WeakMap, WeakSet, RegExp, Date, ArrayBuffer, DataView,
    Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint8ClampedArray, Uint16Array, Uint32Array, BigInt];
  for (const c of ctors) {
    enableOverrides(c.prototype, OVERRIDABLE);
    Object.freeze(c.prototype);
    Object.freeze(c);
  }
  const typedArray = Object.getPrototypeOf(Int8Array) as { prototype: object };
  enableOverrides(typedArray.prototype, OVERRIDABLE);
  Object.freeze(typedArray.prototype);
  Object.freeze(typedArray);
  for (const ns of [JSON, Math, Reflect]) Object.freeze(ns);
  Object.freeze(Object.getPrototypeOf([][Symbol.iterator]()));
}

/** A copy of Math whose `random` throws (the sandbox's `Math`). */
function safeMath(): typeof Math {
  const m: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(Math)) m[k] = (Math as unknown as Record<string, unknown>)[k];
  m.random = () => {
    throw new Error('Math.random is unavailable in an agent (determinism): use input.random(), seeded from the scenario');
  };
  return Object.freeze(m) as unknown as typeof Math;
}

let lineOffsetCache: number | null = null;
/** How many lines `new Function` puts before the body in this engine (V8: 2), read from a probe's stack. */
function functionLineOffset(): number {
  if (lineOffsetCache !== null) return lineOffsetCache;
  try {
    new FunctionCtor('throw new Error("probe")\n//# sourceURL=skylane-line-probe')();
  } catch (err) {
    const m = /skylane-line-probe:(\d+)/.exec(String((err as Error).stack));
    lineOffsetCache = m ? Number(m[1]) - 1 : 0;
  }
  return lineOffsetCache ?? 0;
}

export class WorkerSandbox implements AgentSandbox {
  private dispatch: ((method: string, arg: string) => string) | null = null;
  private file = 'agent';

  constructor(private readonly opts: SandboxOptions) {}

  private timed(method: string, arg: string, budgetMs: number): unknown {
    if (!this.dispatch) throw new AgentCallError({ message: 'the agent is not loaded' }, this.file);
    const t0 = now();
    const reply = this.dispatch(method, arg);
    const spent = now() - t0;
    const value = parseReply(reply, this.file);
    if (spent > budgetMs) throw new AgentCallError({ message: budgetExceededReason(`${method} of ${this.file}`, budgetMs) }, this.file);
    return value;
  }

  load(code: string, file: string): AgentDescription {
    lockWorkerGlobals();
    this.file = file;
    const names = Object.keys(BLOCKED_GLOBALS);
    const stubsOf = new FunctionCtor(`return ${GUEST_STUBS}`)() as (n: string[], w: string[]) => unknown[];
    const extra = ['globalThis', 'eval', 'Function'];
    const stubs = stubsOf([...names, ...extra], [...names.map((n) => BLOCKED_GLOBALS[n]!), 'no host globals', 'no code from strings', 'no code from strings']);
    const offset = functionLineOffset();
    let factory: (...a: unknown[]) => unknown;
    try {
      // The module body starts on the wrapper's first body line, so its lines are the source's (+ the engine's offset).
      factory = new FunctionCtor(...names, ...extra, 'Math', `return function (exports, require, module) {"use strict";${code}\n}\n//# sourceURL=${file.replace(/\s/g, '_')}`) as typeof factory;
    } catch (err) {
      throw new AgentCallError({ message: `syntax error: ${(err as Error).message}` }, file);
    }
    const moduleFn = factory(...stubs, safeMath());
    const runtime = new FunctionCtor(`return ${GUEST_RUNTIME}`)() as (fn: unknown, file: string, lineOffset: number) => (m: string, a: string) => string;
    this.dispatch = runtime(moduleFn, file.replace(/\s/g, '_'), offset);
    return readDescription(this.timed('load', '', loadBudgetMs(this.opts.budgetMs)), file);
  }

  init(ctxJson: string, seed: number): void {
    this.timed('init', JSON.stringify({ ctx: JSON.parse(ctxJson), seed }), loadBudgetMs(this.opts.budgetMs));
  }

  step(inputJson: string): unknown {
    return this.timed('step', inputJson, this.opts.budgetMs);
  }

  dispose(): void {
    this.dispatch = null;
  }
}

/** The factory web/sim-worker.ts passes as RunOptions.sandbox. */
export const workerSandbox: SandboxFactory = (opts) => new WorkerSandbox(opts);
