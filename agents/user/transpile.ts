/**
 * A user agent's source (TypeScript or JavaScript) to the CommonJS-style
 * script the sandboxes evaluate. The same sucrase transform runs in Node and
 * in the browser, so one file behaves the same in both. Sucrase keeps line
 * numbers (type-only lines become blank, the module header shares line 1),
 * so a runtime error's line in the transpiled code is the line in the source.
 *
 * Imports: only the contract (`skylane/agent`, or a path ending in
 * `contract`, `contract.ts` or `contract.js`) may be imported, for its types
 * and `defineAgent`; anything else is refused here, with the line.
 * Browser-safe.
 */
import { parser as jsParser } from '@lezer/javascript';
import { transform } from 'sucrase';

export class AgentSourceError extends Error {
  constructor(
    readonly file: string,
    /** 1-based; 0 when unknown. */
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}:${column}` : ''}: ${detail}`);
  }
}

/** True for a specifier that names the agent contract. */
export function isContractSpecifier(spec: string): boolean {
  return spec === 'skylane/agent' || /(^|\/)contract(\.ts|\.js)?$/.test(spec);
}

/** The transpiled module, ready for a sandbox. */
export interface TranspiledAgent {
  file: string;
  /** CommonJS-style code: uses `exports`, `module` and `require`. */
  code: string;
}

const IMPORT_RES = [/(^|[\n;])\s*(?:import|export)\b[^'";]*?\bfrom\s*(['"])([^'"]+)\2/g, /(^|[\n;])\s*import\s*(['"])([^'"]+)\2/g];
const DYNAMIC_IMPORT_RE = /\bimport\s*\(/g;

function lineCol(src: string, index: number): [number, number] {
  let line = 1, last = -1;
  for (let i = 0; i < index; i++) if (src.charCodeAt(i) === 10) { line++; last = i; }
  return [line, index - last];
}

export interface TranspileOptions {
  /** A better locator of a syntax error's line and column than lezer's (Node: node:vm's parser, sandbox-node.ts `locateSyntaxError`). */
  locateSyntaxError?: (code: string) => [number, number] | null;
}

/** Transpile and check one agent source. Throws AgentSourceError naming file:line:column. */
export function transpileAgent(file: string, source: string, opts: TranspileOptions = {}): TranspiledAgent {
  if (typeof source !== 'string') throw new AgentSourceError(file, 0, 0, 'expected the agent source as text');
  if (source.length > 1_000_000) throw new AgentSourceError(file, 0, 0, `is ${source.length} characters; at most 1000000`);
  const transforms: ('typescript' | 'imports')[] = /\.jsx?$|\.mjs$|\.cjs$/.test(file) ? ['imports'] : ['typescript', 'imports'];
  let esm: string, code: string;
  try {
    // Pass 1: types stripped, imports kept, to see the imports that remain at run time (type-only ones are gone).
    esm = transform(source, { transforms: transforms.filter((t) => t !== 'imports'), filePath: file }).code;
    code = transform(source, { transforms, filePath: file }).code;
  } catch (err) {
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const msg = String(e.message ?? err).replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '');
    throw new AgentSourceError(file, e.loc?.line ?? 0, (e.loc?.column ?? -1) + 1, `syntax error: ${msg}`);
  }
  for (const m of IMPORT_RES.flatMap((re) => [...esm.matchAll(re)])) {
    const spec = m[3]!;
    if (isContractSpecifier(spec)) continue;
    const [line, col] = lineCol(esm, m.index! + m[0].search(/import|export/));
    throw new AgentSourceError(file, line, col, `imports '${spec}': an agent may import only the agent contract ('skylane/agent', for its types and defineAgent); everything else must be in the one file`);
  }
  for (const m of esm.matchAll(DYNAMIC_IMPORT_RE)) {
    const [line, col] = lineCol(esm, m.index!);
    throw new AgentSourceError(file, line, col, 'uses import(): an agent may not load code at run time');
  }
  checkSyntax(file, code, opts.locateSyntaxError);
  return { file, code };
}

/**
 * Sucrase is lenient: it strips types without checking the grammar. The
 * engine's own parser decides (`new Function` parses without running), and
 * lezer's JavaScript grammar, error-tolerant, locates the first error (the
 * engine's SyntaxError carries no line in the browser). Lines are the
 * source's: sucrase keeps them.
 */
function checkSyntax(file: string, code: string, locate?: (code: string) => [number, number] | null): void {
  try {
    // eslint-disable-next-line no-new-func
    new Function('exports', 'require', 'module', code);
  } catch (err) {
    if (!(err instanceof SyntaxError)) return;
    const exact = locate?.(code);
    if (exact) throw new AgentSourceError(file, exact[0], exact[1], `syntax error: ${err.message}`);
    let at = -1;
    jsParser.parse(code).iterate({
      enter: (n) => {
        if (at < 0 && n.type.isError) at = n.from;
        return at < 0;
      },
    });
    const [line, col] = at >= 0 ? lineCol(code, at) : [0, 0];
    throw new AgentSourceError(file, line, col, `syntax error: ${err.message}`);
  }
}
