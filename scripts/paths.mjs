// Paths every build script shares, resolved from this file so scripts work from any cwd.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const WIT_DIR = join(ROOT, 'wit');
export const WIT_DEPS_DIR = join(WIT_DIR, 'deps');
export const BUILD_DIR = join(ROOT, 'build');
export const COMPONENTS_DIR = join(ROOT, 'components');
/** Where `jco transpile` output goes: build/jco/<language>/. */
export const TRANSPILED_DIR = join(BUILD_DIR, 'jco');
export const WORLD = 'exec';
/** The WASI release whose WIT the world imports (the one ComponentizeJS 0.23's engine is spliced against). */
export const WASI_VERSION = '0.2.12';
export const LANGUAGES = ['javascript', 'python'];
export const componentPath = (language) => join(BUILD_DIR, `exec-${language}.wasm`);
