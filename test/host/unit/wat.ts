// Test helper: WAT text → core module bytes with the project's wasm-tools (.venv/bin/wasm-tools; wabt is not
// installed). `wasm-tools parse` encodes without validating, so malformed-but-encodable modules can be written too.
// `print` turns bytes back into text, to look at what a rewrite produced without instantiating it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WASM_TOOLS = fileURLToPath(new URL('../../../.venv/bin/wasm-tools', import.meta.url));

export function wat(text: string): Uint8Array {
  return new Uint8Array(execFileSync(WASM_TOOLS, ['parse', '-'], { input: text }));
}

export function print(bytes: Uint8Array): string {
  return execFileSync(WASM_TOOLS, ['print', '-'], { input: bytes, encoding: 'utf8' });
}

export function compile(bytes: Uint8Array): WebAssembly.Module {
  return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
}
