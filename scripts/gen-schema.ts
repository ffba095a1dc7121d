/**
 * Writes scenarios/schema/scenario.schema.json from the zod schema, so editors
 * (YAML language server, VS Code) autocomplete and check scenario files.
 * `npm run schema` regenerates it; a test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from '../scenarios/json-schema.ts';

const out = fileURLToPath(new URL('../scenarios/schema/scenario.schema.json', import.meta.url));
writeFileSync(out, JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out}`);
