// Node flags the components need. componentize-py output uses wasm extended-const, standard from V8 11.4 (Node 22);
// Node 20's V8 has it behind a flag, which newer releases no longer accept.
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

export const WASM_NODE_FLAGS = NODE_MAJOR < 22 ? ['--experimental-wasm-extended-const'] : [];
