/**
 * Debugging aid: run one scenario and print the ego's ground truth and, for
 * ha-pilot, its mode, MRM reason and leader every `--every` seconds.
 * Usage: npx tsx scripts/trace.ts <scenario> [--seed N] [--backend B] [--every S] [--actor ID]
 */
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../scenarios/node-io.ts';
import { startRun } from '../scenarios/runner.ts';
import type { BackendId } from '../sim/physics/backend.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string' }, backend: { type: 'string' }, every: { type: 'string' }, actor: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('usage: npx tsx scripts/trace.ts <scenario> [--seed N] [--backend B] [--every S] [--actor ID]');
  process.exit(2);
}
const run = await startRun(loadScenarioFile(file), { ...(values.seed ? { seed: Number(values.seed) } : {}), backend: (values.backend ?? 'rapier') as BackendId });
const id = values.actor ?? 'ego';
const every = Number(values.every ?? 1);
const slot = (run.world as unknown as { byId: Map<string, { agent?: Record<string, unknown> }> }).byId.get(id);
const agent = slot?.agent;
run.world.events$.subscribe((e) => {
  if (e.type === 'collision' || e.type === 'timeline' || e.type === 'fault' || e.type === 'stop') console.log(`  event ${JSON.stringify(e)}`);
});
let next = 0;
while (!run.done) {
  run.step();
  if (run.time + 1e-9 < next) continue;
  next += every;
  const s = run.world.stateOf(id);
  const v = Math.hypot(s.linearVelocity[0], s.linearVelocity[1]);
  const extra = agent ? ` mode=${String(agent.mode)} ${agent.mrmReason ? `(${String(agent.mrmReason)})` : ''} leader=${JSON.stringify(agent.leader)} a=${Number(agent.accelDemandMps2).toFixed(2)}` : '';
  console.log(`t=${run.time.toFixed(1)} x=${s.position[0].toFixed(1)} y=${s.position[1].toFixed(2)} v=${v.toFixed(2)}${extra}`);
}
const r = run.result();
console.log(r.verdict, r.criteria.map((c) => `${c.name}: ${c.reason}`).join(' | '));
