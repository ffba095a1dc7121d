/**
 * Re-simulate a recorded run from its header alone (the scenario's text and
 * data files, seed, backend, run extras) and compare the verdict and final
 * state hash with the recorded ones. No Node imports: the browser can
 * verify a recording the same way.
 */
import type { BackendId } from '../../sim/physics/backend.ts';
import { loadScenarioText, type LoadedScenario } from '../loader.ts';
import type { RunResult } from '../result.ts';
import { runScenario, type RunOptions } from '../runner.ts';
import { validateBreakIt } from '../break-it.ts';
import { RecordingError, type Recording } from './format.ts';

export interface ReplayOutcome {
  recorded: RunResult;
  replayed: RunResult;
  verdictMatches: boolean;
  hashMatches: boolean;
  matches: boolean;
}

/** The recorded scenario, loaded from the recording's own copy of its text and data files (throws ScenarioError). */
export function loadRecordedScenario(rec: Recording): LoadedScenario {
  const files = rec.header.dataFiles;
  return loadScenarioText(rec.header.source, rec.header.file, {
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw new Error(`the recording holds no copy of "${p}"`);
      return text;
    },
  });
}

/**
 * Run the recorded scenario again. `more` adds run options that cannot be
 * recorded as JSON (e.g. a sandbox factory for user agents, a clock); the
 * recorded extras are passed as they were.
 */
export async function replayRecording(rec: Recording, more: Partial<RunOptions> = {}, file = 'the recording'): Promise<ReplayOutcome> {
  if (rec.header.extras.breakIt !== undefined) {
    try {
      validateBreakIt(rec.header.extras.breakIt, 'breakIt');
    } catch (err) {
      throw new RecordingError(file, 'header.extras', err instanceof Error ? err.message : String(err));
    }
  }
  const loaded = loadRecordedScenario(rec);
  const replayed = await runScenario(loaded, { ...(rec.header.extras as Partial<RunOptions>), ...more, seed: rec.header.seed, backend: rec.header.backend as BackendId });
  const recorded = rec.result;
  const verdictMatches = replayed.verdict === recorded.verdict;
  const hashMatches = replayed.stateHash === recorded.stateHash;
  return { recorded, replayed, verdictMatches, hashMatches, matches: verdictMatches && hashMatches };
}
