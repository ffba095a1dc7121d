#!/usr/bin/env node
// The `skylane` command: lets Node import the TypeScript sources, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scenarios/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // An internal failure, not bad input: say what it was, keep the trace for a bug report.
  process.stderr.write(`skylane: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  if (process.env.SKYLANE_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  else process.stderr.write('(set SKYLANE_DEBUG=1 for the stack trace)\n');
  process.exitCode = 1;
}
