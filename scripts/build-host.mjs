// Compiles the host library and CLI (host/src, TypeScript) into build/host with tsc: type-checks and emits ESM + .d.ts.
import { runNode, toolPath } from './run-tool.mjs';

export function buildHost() {
  runNode(toolPath('typescript', 'bin/tsc'), ['-p', 'host/tsconfig.json']);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  buildHost();
  console.log(`host library built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
