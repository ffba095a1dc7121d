/**
 * The sandbox a user agent runs in, behind one interface for Node
 * (sandbox-node.ts: a node:vm context) and the browser's simulation worker
 * (sandbox-worker.ts: strict-mode code with shadowed globals). Browser-safe.
 *
 * JSON in, JSON out: the host hands the guest a JSON string and gets a JSON
 * string back, so no object of the host ever reaches agent code (the classic
 * vm escape goes through a host object's constructor) and nothing the agent
 * builds (a getter, a Proxy, a Promise) ever runs in the host.
 *
 * The guest runtime below is plain JavaScript text evaluated inside the
 * sandbox (the same text in both), so the agent sees the same world in Node
 * and in the browser: the same `require` (the contract only), the same
 * stubs for the DOM, the network, timers and the clock, which throw a clear
 * error when touched, the same seeded `random()`.
 */

/** What the sandbox learnt from the module's default export. */
export interface AgentDescription {
  kind: string;
  rateHz: number;
  requiredSensors: string[];
  hasInit: boolean;
}

/** A call's failure inside the sandbox: the message and, when the stack shows it, the line and column in the agent's source. */
export interface GuestFailure {
  message: string;
  line?: number;
  column?: number;
}

export class AgentCallError extends Error {
  constructor(readonly failure: GuestFailure, readonly file: string) {
    super(`${failure.message}${failure.line ? ` (${file}:${failure.line}:${failure.column ?? 0})` : ''}`);
  }
}

/**
 * One agent's sandbox. Every call is synchronous (the world steps agents in
 * its tick) and bounded by the budget: past it the call fails with
 * `budgetExceededReason` (Node interrupts the call; the worker can only
 * measure it, and a call that never returns there is the watchdog's).
 * Calls throw AgentCallError on any failure of the agent.
 */
export interface AgentSandbox {
  /** Evaluate the transpiled module (transpile.ts) and describe its default export. */
  load(code: string, file: string): AgentDescription;
  /** Call `init(ctx)` (if any) and seed `random()`; `ctxJson` is the InitContext without `random`. */
  init(ctxJson: string, seed: number): void;
  /**
   * Call `step(input)`; returns the output as plain data parsed by the host
   * from the guest's JSON text (non-finite numbers arrive as the strings
   * "NaN", "Infinity", "-Infinity", for the validator to name them).
   */
  step(inputJson: string): unknown;
  dispose(): void;
}

export interface SandboxOptions {
  /** Per-call wall-time budget, ms. */
  budgetMs: number;
}

/** Injected by the caller of the runner: the CLI passes the Node one, the web worker the Worker one. */
export type SandboxFactory = (opts: SandboxOptions) => AgentSandbox;

/** Globals an agent may not use, with why; each is a stub that throws `<name> is unavailable in an agent (<why>)` when touched. */
export const BLOCKED_GLOBALS: Readonly<Record<string, string>> = {
  window: 'no DOM', document: 'no DOM', self: 'no host globals', navigator: 'no host globals', location: 'no host globals',
  global: 'no host globals', process: 'no host process', Deno: 'no host process', Bun: 'no host process',
  fetch: 'no network', XMLHttpRequest: 'no network', WebSocket: 'no network', EventSource: 'no network', WebTransport: 'no network',
  importScripts: 'no network', Worker: 'no threads', SharedWorker: 'no threads', postMessage: 'no messages to the host',
  BroadcastChannel: 'no messages to the host', indexedDB: 'no storage', caches: 'no storage', localStorage: 'no storage',
  setTimeout: 'no timers: step must return its command synchronously', setInterval: 'no timers: step must return its command synchronously',
  setImmediate: 'no timers: step must return its command synchronously', queueMicrotask: 'no timers: step must return its command synchronously',
  performance: 'no clock: use input.time', Date: 'no clock: use input.time', world: 'no ground truth: use input.sensors',
  WebAssembly: 'no WebAssembly', SharedArrayBuffer: 'no shared memory', Atomics: 'no shared memory',
};

/**
 * The guest runtime: a function expression `(moduleFn, file, lineOffset, stub) => dispatch`.
 * `dispatch(method, arg)` always returns a JSON string: {"ok":true,"value":...} or
 * {"ok":false,"error":"...","line":n,"column":n}. It never throws (all agent
 * code runs inside its try), so the host never touches a guest object.
 */
export const GUEST_RUNTIME = String.raw`(function (moduleFn, file, lineOffset) {
  'use strict';
  var parse = JSON.parse, stringify = JSON.stringify, Str = String, isFin = isFinite, ObjectKeys = Object.keys;
  var mod = { exports: {} };
  function contract() { return { __esModule: true, defineAgent: function (a) { return a; } }; }
  function requireFn(spec) {
    spec = Str(spec);
    if (spec === 'skylane/agent' || /(^|\/)contract(\.ts|\.js)?$/.test(spec)) return contract();
    throw new Error("require('" + spec + "') is unavailable in an agent (no modules, no network, no file system)");
  }
  var seed = 0x9e3779b9 >>> 0;
  // mulberry32 (Tommy Ettinger, public domain): a small seeded uniform generator.
  function random() {
    seed = (seed + 0x6d2b79f5) >>> 0;
    var t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function replacer(k, v) {
    if (typeof v === 'number' && !isFin(v)) return Str(v);
    if (typeof v === 'bigint') return Str(v) + 'n';
    return v;
  }
  var esc = file.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  var where = new RegExp(esc + ':(\\d+):(\\d+)');
  function fail(e) {
    var msg, line = 0, column = 0;
    try {
      if (e !== null && (typeof e === 'object' || typeof e === 'function') && typeof e.message === 'string') {
        msg = (typeof e.name === 'string' && e.name !== 'Error' ? e.name + ': ' : '') + e.message;
        var m = typeof e.stack === 'string' ? where.exec(e.stack) : null;
        if (m) { line = +m[1] - lineOffset; column = +m[2]; }
      } else msg = 'threw ' + (typeof e === 'string' ? stringify(e) : Str(e));
    } catch (_) { msg = 'threw a value that cannot be printed'; }
    if (msg.length > 500) msg = msg.slice(0, 500) + '...';
    return stringify({ ok: false, error: msg, line: line > 0 ? line : undefined, column: line > 0 ? column : undefined });
  }
  function isThenable(x) { return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof x.then === 'function'; }
  var agent = null;
  return function dispatch(method, arg) {
    try {
      if (method === 'load') {
        moduleFn.call(undefined, mod.exports, requireFn, mod);
        var ex = mod.exports;
        var a = ex && typeof ex === 'object' && 'default' in ex ? ex['default'] : ex;
        if (a === null || typeof a !== 'object') return stringify({ ok: false, error: 'the module has no default export of an agent object: write "export default defineAgent({ kind, rateHz, step })"' });
        agent = a;
        var req = a.requiredSensors;
        return stringify({ ok: true, value: {
          kind: typeof a.kind === 'string' ? a.kind : Str(a.kind),
          rateHz: typeof a.rateHz === 'number' ? a.rateHz : NaN,
          requiredSensors: Array.isArray(req) ? req.map(Str) : [],
          hasInit: typeof a.init === 'function',
          hasStep: typeof a.step === 'function',
          requiredSensorsType: req === undefined || Array.isArray(req) ? 'ok' : typeof req
        } }, replacer);
      }
      if (agent === null) return stringify({ ok: false, error: 'the agent is not loaded' });
      var input = parse(arg);
      if (method === 'init') {
        seed = input.seed >>> 0;
        var ctx = input.ctx;
        ctx.random = random;
        if (typeof agent.init === 'function') {
          var r = agent.init(ctx);
          if (isThenable(r)) return stringify({ ok: false, error: 'init returned a Promise (an async init?): init must be synchronous' });
        }
        return '{"ok":true,"value":null}';
      }
      if (method === 'step') {
        input.random = random;
        var out = agent.step(input);
        if (isThenable(out)) return stringify({ ok: false, error: 'step returned a Promise (an async step?): step must return its command synchronously' });
        var s = stringify(out === undefined ? null : out, replacer);
        return '{"ok":true,"value":' + s + '}';
      }
      return stringify({ ok: false, error: 'unknown call ' + Str(method) });
    } catch (e) {
      return fail(e);
    }
  };
})`;

/**
 * Guest code that builds the throwing stubs of BLOCKED_GLOBALS:
 * `(names, whys) => stubs[]`, each a Proxy over a function that throws on
 * any use (call, construct, property read or write).
 */
export const GUEST_STUBS = String.raw`(function (names, whys) {
  'use strict';
  return names.map(function (name, i) {
    var why = whys[i];
    function no() { throw new Error(name + ' is unavailable in an agent (' + why + ')'); }
    return new Proxy(function () {}, { get: no, set: no, has: no, apply: no, construct: no, defineProperty: no, deleteProperty: no, getPrototypeOf: no, ownKeys: no, getOwnPropertyDescriptor: no });
  });
})`;

/** Parse a dispatch reply (host side: a string from the guest). */
export function parseReply(reply: unknown, file: string): unknown {
  if (typeof reply !== 'string') throw new AgentCallError({ message: 'the sandbox returned no reply' }, file);
  if (reply.length > 4_000_000) throw new AgentCallError({ message: `returned ${reply.length} characters of output; at most 4000000` }, file);
  const r = JSON.parse(reply) as { ok: boolean; value?: unknown; error?: string; line?: number; column?: number };
  if (!r.ok) throw new AgentCallError({ message: r.error ?? 'failed', ...(r.line ? { line: r.line, column: r.column ?? 0 } : {}) }, file);
  return r.value;
}

/** JSON for the guest: typed arrays as plain arrays, non-finite numbers as null. */
export function toGuestJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (n) => (Number.isFinite(n) ? n : null));
    return v;
  });
}

/** A description, checked (host side). */
export function readDescription(v: unknown, file: string): AgentDescription & { hasStep: boolean } {
  const d = v as AgentDescription & { hasStep: boolean; requiredSensorsType: string };
  if (d.requiredSensorsType !== 'ok') throw new AgentCallError({ message: `requiredSensors is a ${d.requiredSensorsType}: expected an array of sensor types` }, file);
  return d;
}
