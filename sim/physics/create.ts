/**
 * Backend factory. Rapier's WebAssembly modules are imported and initialised
 * lazily, once per module (the compat builds carry their wasm inline, so this
 * works unchanged in Node and in the browser); the deterministic build is only
 * loaded when asked for.
 */
import { BACKEND_IDS, type BackendId, type PhysicsBackend, type PhysicsWorldOptions } from './backend.ts';
import { CannonBackend } from './cannon.ts';
import { RapierBackend, type RapierModule } from './rapier.ts';

let rapier: Promise<RapierModule> | undefined;
let rapierDeterministic: Promise<RapierModule> | undefined;

async function initRapier(load: () => Promise<unknown>): Promise<RapierModule> {
  // Both packages expose the same API; the deterministic one's classes are
  // nominally distinct types (private members), hence the cast.
  const mod = (await load()) as RapierModule;
  // init() with no argument passes the inline wasm the non-deprecated way (no warning).
  await mod.init();
  return mod;
}

function loadRapier(): Promise<RapierModule> {
  rapier ??= initRapier(() => import('@dimforge/rapier3d-compat')).catch((e: unknown) => {
    rapier = undefined;
    throw e;
  });
  return rapier;
}

function loadRapierDeterministic(): Promise<RapierModule> {
  rapierDeterministic ??= initRapier(() => import('@dimforge/rapier3d-deterministic-compat')).catch((e: unknown) => {
    rapierDeterministic = undefined;
    throw e;
  });
  return rapierDeterministic;
}

export async function createBackend(id: BackendId, opts: PhysicsWorldOptions = {}): Promise<PhysicsBackend> {
  switch (id) {
    case 'rapier':
      return new RapierBackend(await loadRapier(), opts, 'rapier');
    case 'rapier-deterministic':
      return new RapierBackend(await loadRapierDeterministic(), opts, 'rapier-deterministic');
    case 'cannon':
      return new CannonBackend(opts, 'cannon');
    default:
      throw new Error(`Unknown physics backend "${String(id)}"; expected one of: ${BACKEND_IDS.join(', ')}`);
  }
}
