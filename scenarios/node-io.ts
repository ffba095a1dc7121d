/** Node-only file access for scenarios: read files, expand folders. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadScenarioText, ScenarioError, type LoadedScenario } from './loader.ts';

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** A path shown to people: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), resolve(p));
  return rel && !rel.startsWith('..') ? rel : resolve(p);
}

export function loadScenarioFile(path: string): LoadedScenario {
  const shown = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioError(shown, '', code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`);
  }
  // world.airspace.files are named relative to the scenario file.
  const dir = dirname(path);
  return loadScenarioText(text, shown, { readFile: (rel) => readFileSync(resolve(dir, rel), 'utf8') });
}

/** A folder with this name holds data files (zone files, maps) that scenarios reference, not scenarios. */
export const DATA_FOLDER = 'data';

/** Files and folders -> sorted scenario file list (folders recursively, skipping `data/` folders). */
export function expandScenarioPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== DATA_FOLDER) walk(p);
      }
      else if (SCENARIO_EXTENSIONS.some((e) => name.endsWith(e))) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ScenarioError(displayPath(p), '', 'file or folder not found');
    }
    if (st.isDirectory()) {
      const before = out.length;
      walk(p);
      if (out.length === before) throw new ScenarioError(displayPath(p), '', `no scenario files (${SCENARIO_EXTENSIONS.join(', ')}) in this folder`);
    } else out.push(p);
  }
  return [...new Set(out)];
}
