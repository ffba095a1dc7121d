/**
 * The agent editor (issue #7 section 4, "In the browser"): a standalone
 * component the app mounts with `mountAgentEditor(parent, opts)`.
 *
 * CodeMirror 6 with TypeScript, line numbers, a lint pass that shows
 * transpile errors (syntax, refused imports) at their line, runtime errors
 * from the sandbox at their line (`showRuntimeError`), completion of the
 * contract's fields with their doc text, the car and drone templates (the
 * repository's examples/agents), download, and share-in-URL (`#agent=`
 * base64url of the UTF-8 source, decoded and validated on load).
 *
 * Running the agent is the app's: `opts.onRun` receives `{ file, source }`
 * (RunOptions.agents' value) and runs it in the chosen scenario in the
 * simulation worker; hand the run's error back to `showRuntimeError`.
 */
import { EditorView, basicSetup } from 'codemirror';
import { javascript, typescriptLanguage } from '@codemirror/lang-javascript';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Text } from '@codemirror/state';
import { AgentSourceError, transpileAgent } from '../agents/user/transpile.ts';
import type { UserAgentSource } from '../agents/user/user-agent.ts';
import { asTemplate, decodeAgentHash, encodeAgentHash, errorLocation, fieldsAfter, PROPERTY_FIELDS, type ContractField } from '../agents/user/editor-support.ts';
import carTemplate from '../examples/agents/car-acc.ts?raw';
import droneTemplate from '../examples/agents/drone-waypoints.ts?raw';

export const AGENT_TEMPLATES = {
  car: { label: 'Car: lane keeping + ACC', file: 'car-agent.ts', source: asTemplate(carTemplate) },
  drone: { label: 'Drone: waypoints + lidar avoidance', file: 'drone-agent.ts', source: asTemplate(droneTemplate) },
} as const;
export type AgentTemplateName = keyof typeof AGENT_TEMPLATES;

export interface AgentEditorOptions {
  /** The source to start with; default: the agent shared in the URL hash if any, else the template. */
  initial?: string;
  /** Template to start with (and to offer first); default 'car'. */
  template?: AgentTemplateName;
  /** File name shown in errors and used for downloads; default the template's. */
  fileName?: string;
  /** Called with the agent when the user presses Run. */
  onRun?: (agent: UserAgentSource) => void;
  /** Read the shared agent from this hash (default location.hash); false: ignore it. */
  hash?: string | false;
  /** The link Share puts in the address bar (default: this page with `#agent=`); the app adds its run part (web/run-link.ts). */
  shareUrl?: (source: string) => string;
}

export interface AgentEditorHandle {
  readonly view: EditorView;
  /** The agent as RunOptions.agents takes it. */
  source(): UserAgentSource;
  setSource(source: string, fileName?: string): void;
  loadTemplate(name: AgentTemplateName): void;
  /** Show a run's error (e.g. RunResult.error) at the line it names; returns that line, or null (shown without a line). */
  showRuntimeError(message: string): number | null;
  clearRuntimeError(): void;
  /** The page URL with this agent in its hash. */
  shareUrl(): string;
  /** Save the source as a file (a Blob download). */
  download(): void;
  destroy(): void;
}

function lineRange(doc: Text, line: number, column: number): { from: number; to: number } {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  const from = Math.min(l.from + Math.max(0, column - 1), l.to);
  return { from, to: Math.max(from, l.to) };
}

function completionOf(f: ContractField): Completion {
  return { label: f.name, type: 'property', detail: f.type, info: f.doc };
}

/** Completion of the contract's fields: after `ctx.`, `input.`, `limits.`, `estimate.`; property names elsewhere. */
function contractCompletions(ctx: CompletionContext): CompletionResult | null {
  const member = ctx.matchBefore(/[A-Za-z_$][\w$]*\.[\w$]*$/);
  if (member) {
    const [obj, partial] = member.text.split('.') as [string, string];
    const fields = fieldsAfter(obj);
    if (fields.length === 0) return null;
    return { from: member.to - partial.length, options: fields.map(completionOf), validFor: /^[\w$]*$/ };
  }
  const word = ctx.matchBefore(/[\w$]+$/);
  if (!word && !ctx.explicit) return null;
  return { from: word ? word.from : ctx.pos, options: PROPERTY_FIELDS.map(completionOf), validFor: /^[\w$]*$/ };
}

export function mountAgentEditor(parent: HTMLElement, opts: AgentEditorOptions = {}): AgentEditorHandle {
  const template = AGENT_TEMPLATES[opts.template ?? 'car'];
  let fileName = opts.fileName ?? template.file;
  let initial = opts.initial ?? template.source;
  let hashError: string | null = null;
  const hash = opts.hash === false ? null : opts.hash ?? (typeof location !== 'undefined' ? location.hash : '');
  if (opts.initial === undefined && hash) {
    const shared = decodeAgentHash(hash);
    if (shared && 'source' in shared) initial = shared.source;
    else if (shared) hashError = shared.error;
  }

  const root = document.createElement('div');
  root.className = 'agent-editor';
  const bar = document.createElement('div');
  bar.className = 'agent-editor-bar';
  const pick = document.createElement('select');
  pick.title = 'Load a template (replaces the source)';
  pick.append(new Option('Template...', ''), ...Object.entries(AGENT_TEMPLATES).map(([k, t]) => new Option(t.label, k)));
  const button = (label: string, title: string, on: () => void) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.title = title;
    b.addEventListener('click', on);
    bar.append(b);
    return b;
  };
  bar.append(pick);
  const status = document.createElement('div');
  status.className = 'agent-editor-status';
  status.setAttribute('role', 'status');
  const host = document.createElement('div');
  root.append(bar, host, status);
  parent.append(root);
  // Typing in the editor is not a shortcut of the page (the app's keys: Space, S, R, ...).
  root.addEventListener('keydown', (e) => e.stopPropagation());

  const setStatus = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('error', error);
  };

  /** The last run's error, kept while the text it points into is unchanged (a lint pass must not drop it). */
  let runtime: { diag: Diagnostic; doc: Text } | null = null;
  const runtimeDiags = (doc: Text): Diagnostic[] => (runtime && runtime.doc === doc ? [runtime.diag] : []);

  /** Transpile errors at their line (the same transform and checks as the runner's), and the run's error. */
  const transpileLint = linter((view) => {
    try {
      transpileAgent(fileName, view.state.doc.toString());
      return runtimeDiags(view.state.doc);
    } catch (err) {
      if (!(err instanceof AgentSourceError)) return [{ from: 0, to: 0, severity: 'error', message: String(err) }];
      const { from, to } = err.line ? lineRange(view.state.doc, err.line, err.column) : { from: 0, to: 0 };
      return [{ from, to, severity: 'error', message: err.detail, source: 'transpile' }];
    }
  }, { delay: 400 });

  const view = new EditorView({
    doc: initial,
    parent: host,
    extensions: [
      basicSetup,
      javascript({ typescript: true }),
      typescriptLanguage.data.of({ autocomplete: contractCompletions }),
      lintGutter(),
      transpileLint,
      EditorView.lineWrapping,
    ],
  });

  const handle: AgentEditorHandle = {
    view,
    source: () => ({ file: fileName, source: view.state.doc.toString() }),
    setSource(source, name) {
      if (name) fileName = name;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: source } });
      setStatus('');
    },
    loadTemplate(name) {
      const t = AGENT_TEMPLATES[name];
      handle.setSource(t.source, t.file);
    },
    showRuntimeError(message) {
      const at = errorLocation(message, fileName);
      const diag: Diagnostic = at
        ? { ...lineRange(view.state.doc, at.line, at.column), severity: 'error', message, source: 'run' }
        : { from: 0, to: 0, severity: 'error', message, source: 'run' };
      runtime = { diag, doc: view.state.doc };
      view.dispatch(setDiagnostics(view.state, [diag]));
      setStatus(at ? `line ${at.line}: ${message}` : message, true);
      return at ? at.line : null;
    },
    clearRuntimeError() {
      runtime = null;
      view.dispatch(setDiagnostics(view.state, []));
      setStatus('');
    },
    shareUrl() {
      if (opts.shareUrl) return opts.shareUrl(view.state.doc.toString());
      const base = typeof location !== 'undefined' ? location.href.replace(/#.*$/, '') : '';
      return base + encodeAgentHash(view.state.doc.toString());
    },
    download() {
      const blob = new Blob([view.state.doc.toString()], { type: 'text/typescript' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = fileName.split('/').pop() || 'agent.ts';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 0);
    },
    destroy() {
      view.destroy();
      root.remove();
    },
  };

  pick.addEventListener('change', () => {
    if (pick.value) handle.loadTemplate(pick.value as AgentTemplateName);
    pick.value = '';
  });
  button('Run', 'Run the agent in the chosen scenario', () => {
    handle.clearRuntimeError();
    opts.onRun?.(handle.source());
  });
  button('Download', 'Save the agent as a file', () => handle.download());
  button('Share', 'Put the agent in the page URL (copied to the clipboard when allowed)', () => {
    try {
      const url = handle.shareUrl();
      history.replaceState(null, '', url);
      void navigator.clipboard?.writeText(url).catch(() => {});
      setStatus('The URL now holds this agent.');
    } catch (err) {
      setStatus((err as Error).message, true);
    }
  });
  if (hashError) setStatus(`${hashError}; the template is loaded instead.`, true);
  return handle;
}
