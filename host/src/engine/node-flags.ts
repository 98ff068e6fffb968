// componentize-py output uses the extended-const wasm proposal, standard from Node 22 (V8 11.4+) and behind a flag on
// Node 20. V8 flags are process-wide and must be set before the first module is compiled.
import { setFlagsFromString } from 'node:v8';

let done = false;

export function ensureWasmFeatures(): void {
  if (done) return;
  done = true;
  if (Number(process.versions.node.split('.')[0]) < 22) setFlagsFromString('--experimental-wasm-extended-const');
}
