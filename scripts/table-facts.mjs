// Whether a transpiled component's tables can change after instantiation, written to build/jco/<language>/state.json
// for the host's reset (host/src/engine/core-modules.ts). A wasm table changes only through table.set / table.grow /
// table.fill / table.copy / table.init (and elem.drop, which table.init depends on) in some core module's code, or
// through JavaScript calling Table.prototype.set/grow (jco's glue does not: it fills tables with element segments at
// instantiation). When no core module of the component has such an instruction, the sandbox thread need not record or
// compare its tables on every reset: ~0.9 ms a reset for the 5,700-7,800 entries the components have (V8's table.get
// costs ~0.1 µs). wasm-tools (a real parser) prints each module; its text format puts every instruction on a line of
// its own, after indentation, so strings in data segments cannot match.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupPython, venvBin } from './setup-python.mjs';

/** An instruction line that changes a table (POSIX ERE, for grep). */
const MUTATING = '^[[:space:]]+(table[.](set|grow|fill|copy|init)|elem[.]drop)([[:space:]]|$)';

/** Names of the core modules in `dir` whose code can change a table. */
function tableMutators(dir) {
  const mutators = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.wasm'))) {
    // Streamed through grep: the text of the JavaScript engine's module is larger than a JavaScript string can be.
    const script = 'set -o pipefail; "$0" print "$1" | { grep -cE "$2" || test $? -eq 1; }';
    const counted = spawnSync('bash', ['-c', script, venvBin('wasm-tools'), join(dir, name), MUTATING], { encoding: 'utf8' });
    if (counted.status !== 0) throw new Error(`scanning ${name} with wasm-tools print failed: ${counted.error?.message ?? counted.stderr}`);
    if (Number(counted.stdout.trim()) > 0) mutators.push(name);
  }
  return mutators;
}

/** Writes `state.json` beside the transpiled glue in `dir`: `{ tablesMutable, mutators }`. */
export async function writeTableFacts(dir) {
  await setupPython(); // wasm-tools comes with the build's Python tools (a fresh clone may build JavaScript first)
  const mutators = tableMutators(dir);
  writeFileSync(join(dir, 'state.json'), `${JSON.stringify({ tablesMutable: mutators.length > 0, mutators })}\n`);
}
