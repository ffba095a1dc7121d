/**
 * The scenario library, bundled at build time: every file in
 * scenarios/library/ and its subfolders (but data/ folders) is inlined as text and validated with the same loader
 * the CLI uses. A broken file becomes an entry with its error, not a crash.
 */
import { loadScenarioText, type LoadedScenario } from '../scenarios/loader.ts';

export interface LibraryEntry {
  /** The scenario's `name` (deep-link id), or the file's base name if it failed to load. */
  id: string;
  /** Repo-relative path, as the CLI reports it. */
  file: string;
  loaded: LoadedScenario | null;
  /** One readable message when the file does not load. */
  error: string | null;
  /** The file's text as bundled (a recording keeps it, so the run can be re-simulated anywhere). */
  source?: string;
}

// Files under a data/ folder are data the scenarios reference (zone files), not scenarios (scenarios/node-io.ts DATA_FOLDER).
const texts = import.meta.glob<string>(['../scenarios/library/**/*.{yaml,yml,json}', '!../scenarios/library/**/data/**'], { query: '?raw', import: 'default', eager: true });
/** Data files the scenarios reference (world.airspace.files), bundled too: the browser reads no files. */
const dataTexts = import.meta.glob<string>('../scenarios/library/**/data/**/*.json', { query: '?raw', import: 'default', eager: true });

/** `rel` resolved against the folder of `path` (both '/'-separated). */
function resolveRelative(path: string, rel: string): string {
  const parts = path.split('/').slice(0, -1);
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

export function loadLibrary(): LibraryEntry[] {
  const entries: LibraryEntry[] = [];
  for (const [path, text] of Object.entries(texts)) {
    // path is '../scenarios/library/<sub/dirs/>name.yaml'.
    const file = path.slice(path.indexOf('scenarios/library/'));
    const base = path.slice(path.lastIndexOf('/') + 1);
    try {
      const loaded = loadScenarioText(text, file, {
        readFile: (rel) => {
          const t = dataTexts[resolveRelative(path, rel)];
          if (t === undefined) throw new Error('not bundled (only files under a data/ folder of scenarios/library/ are)');
          return t;
        },
      });
      entries.push({ id: loaded.scenario.name, file, loaded, error: null, source: text });
    } catch (err) {
      entries.push({ id: base.replace(/\.(ya?ml|json)$/, ''), file, loaded: null, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return entries.sort((a, b) => a.id.localeCompare(b.id));
}
