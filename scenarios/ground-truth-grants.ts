/**
 * Where a scenario lets an agent read ground truth. Agents see only noisy
 * sensors unless the scenario grants more, explicitly (issue #3: "Agents never
 * read ground truth unless the scenario grants it explicitly, and the report
 * then says so"). Two grants exist: an object list with `groundTruth: true`
 * (an oracle: all around, exact, never missed or occluded) and any sensor
 * with `noiseScale: 0` (exact measurements of what it can see). Only sensors
 * of actors driven by an agent count: NPC drivers are part of the world.
 */
import type { Scenario } from './schema.ts';

export function groundTruthGrants(s: Scenario): string[] {
  const out: string[] = [];
  for (const a of s.actors) {
    if (!('sensors' in a) || !('agent' in a) || a.agent === undefined) continue;
    for (const sensor of a.sensors) {
      if (sensor.type === 'object-list' && sensor.groundTruth) out.push(`${a.id}.${sensor.name}: object list is a ground-truth oracle (groundTruth: true)`);
      else if ('noiseScale' in sensor && sensor.noiseScale === 0) out.push(`${a.id}.${sensor.name}: ${sensor.type} without noise (noiseScale: 0)`);
    }
  }
  return out;
}
