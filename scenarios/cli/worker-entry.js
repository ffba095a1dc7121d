// Worker bootstrap: let this thread import TypeScript, then start the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
