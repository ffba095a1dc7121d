/**
 * The Node sandbox of a user agent: a fresh `node:vm` context per agent with
 * nothing but the JavaScript built-ins, code generation from strings off
 * (`eval`, `new Function`, and so `this.constructor.constructor('return
 * process')()`, throw), microtasks drained inside each call (a Promise job
 * cannot run later, outside the budget), and a `timeout` on every call that
 * interrupts an infinite loop. Import this file only from Node code paths
 * (the CLI, scenarios/cli/execute.ts); the web bundle uses sandbox-worker.ts.
 *
 * Every call is one precompiled script that reads its two string arguments
 * from non-configurable data properties of the context's global (an agent
 * cannot turn them into accessors, so the host's write runs no agent code)
 * and returns a string: the host never reads a guest object.
 */
import vm from 'node:vm';
import { types } from 'node:util';
import { budgetExceededReason, loadBudgetMs } from './reasons.ts';
import { AgentCallError, BLOCKED_GLOBALS, GUEST_RUNTIME, GUEST_STUBS, parseReply, readDescription, type AgentDescription, type AgentSandbox, type SandboxFactory, type SandboxOptions } from './sandbox.ts';

const HARDEN = `(function (stubs, names) {
  'use strict';
  for (var i = 0; i < names.length; i++) Object.defineProperty(globalThis, names[i], { value: stubs[i], writable: false, configurable: false, enumerable: false });
  Object.defineProperty(Math, 'random', { value: function random() { throw new Error('Math.random is unavailable in an agent (determinism): use input.random(), seeded from the scenario'); }, writable: false, configurable: false });
})`;

export class NodeSandbox implements AgentSandbox {
  private readonly ctx: vm.Context;
  private file = 'agent';
  private disposed = false;

  constructor(private readonly opts: SandboxOptions) {
    this.ctx = vm.createContext(Object.create(null), {
      name: 'skylane user agent',
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
    });
    const names = Object.keys(BLOCKED_GLOBALS);
    const whys = names.map((n) => BLOCKED_GLOBALS[n]!);
    this.run(`(${HARDEN})((${GUEST_STUBS})(${JSON.stringify(names)}, ${JSON.stringify(whys)}), ${JSON.stringify(names)})`, 'skylane-sandbox-setup', 1000, 'the sandbox setup');
  }

  /** Run a script in the context with a timeout; returns the (string) result, or throws AgentCallError. */
  private run(source: string, filename: string, timeoutMs: number, what: string): unknown {
    let script: vm.Script;
    try {
      script = new vm.Script(source, { filename });
    } catch (err) {
      const e = err as Error;
      const m = /:(\d+)\n/.exec(e.stack ?? '');
      throw new AgentCallError({ message: `syntax error: ${e.message}`, ...(m ? { line: Number(m[1]), column: 0 } : {}) }, this.file);
    }
    return this.exec(script, timeoutMs, what);
  }

  private exec(script: vm.Script, timeoutMs: number, what: string): unknown {
    try {
      return script.runInContext(this.ctx, { timeout: Math.max(1, Math.ceil(timeoutMs)), breakOnSigint: false, displayErrors: false });
    } catch (err) {
      // Only host errors are read: a guest value (a Proxy, an object with getters) is never touched.
      // The timeout error is created in the context's realm: read its own `code` data property, never a getter.
      const code = !types.isProxy(err) && types.isNativeError(err) ? Object.getOwnPropertyDescriptor(err, 'code') : undefined;
      if (code && 'value' in code && code.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new AgentCallError({ message: budgetExceededReason(what, timeoutMs) }, this.file);
      }
      throw new AgentCallError({ message: `${what} failed outside its step` }, this.file);
    }
  }

  load(code: string, file: string): AgentDescription {
    this.file = file;
    // The module body sits on the wrapper's first line, so its line numbers are the source's.
    this.run(`(function () { 'use strict'; var install = ${GUEST_RUNTIME};
      // The call's arguments: data properties the agent cannot turn into accessors (non-configurable),
      // so the host's plain write of a string never runs agent code.
      Object.defineProperty(globalThis, '__skylaneMethod', { value: '', writable: true, configurable: false, enumerable: false });
      Object.defineProperty(globalThis, '__skylaneArg', { value: '', writable: true, configurable: false, enumerable: false });
      Object.defineProperty(globalThis, '__skylaneInstall', { value: function (fn) {
        Object.defineProperty(globalThis, '__skylaneDispatch', { value: install(fn, ${JSON.stringify(file)}, 0), writable: false, configurable: false, enumerable: false });
      }, writable: false, configurable: true, enumerable: false });
    })()`, 'skylane-sandbox-runtime', 1000, 'the sandbox runtime');
    this.run(`__skylaneInstall(function (exports, require, module) {${code}\n});`, file, loadBudgetMs(this.opts.budgetMs), `loading ${file}`);
    return readDescription(parseReply(this.call('load', ''), file), file);
  }

  private readonly callScript = new vm.Script('__skylaneDispatch(__skylaneMethod, __skylaneArg)', { filename: 'skylane-sandbox-call' });

  private call(method: string, arg: string, budgetMs = loadBudgetMs(this.opts.budgetMs)): unknown {
    if (this.disposed) throw new AgentCallError({ message: 'the sandbox is disposed' }, this.file);
    const g = this.ctx as Record<string, unknown>;
    g.__skylaneMethod = method;
    g.__skylaneArg = arg;
    return this.exec(this.callScript, budgetMs, `${method} of ${this.file}`);
  }

  init(ctxJson: string, seed: number): void {
    parseReply(this.call('init', JSON.stringify({ ctx: JSON.parse(ctxJson), seed })), this.file);
  }

  step(inputJson: string): unknown {
    return parseReply(this.call('step', inputJson, this.opts.budgetMs), this.file);
  }

  dispose(): void {
    this.disposed = true;
  }
}

export const nodeSandbox: SandboxFactory = (opts) => new NodeSandbox(opts);

/** Line and column (1-based) of the first syntax error in `code`, from node:vm's parser (its stack shows "file:line", the line and a caret). */
export function locateSyntaxError(code: string): [number, number] | null {
  try {
    new vm.Script(`(function (exports, require, module) {${code}\n})`, { filename: 'agent' });
    return null;
  } catch (err) {
    const m = /^agent:(\d+)\n(.*)\n( *)\^/.exec((err as Error).stack ?? '');
    if (!m) return null;
    const line = Number(m[1]);
    const col = m[3]!.length + 1 - (line === 1 ? '(function (exports, require, module) {'.length : 0);
    return [line, Math.max(1, col)];
  }
}
