// Builds build/exec-javascript.wasm: guest types from wit/ (jco guest-types), a type-check of the TypeScript guest
// against them (tsc), a bundle (esbuild), and componentize-js 0.23's own API (`jco componentize` pulls 0.22).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import './shim-preopens.mjs';
import { componentize } from '@bytecodealliance/componentize-js';
import { createRequire } from 'node:module';
import { intlDataParameterPlugin, intlDataPlugin } from './intl-data.mjs';
import { jsonLiteralsPlugin } from './json-literals.mjs';
import { LazyTexts, lazyBundle, lazyBundlesPlugin } from './lazy-bundle.mjs';
import { regexpuPropertiesPlugin } from './regexpu-properties.mjs';
import { BUILD_DIR, COMPONENTS_DIR, WIT_DIR, WORLD, componentPath } from './paths.mjs';
import { jco, runNode, toolPath } from './run-tool.mjs';
import { writeWitDeps } from './wit-deps.mjs';

const GUEST_DIR = join(COMPONENTS_DIR, 'javascript');
const TYPES_DIR = join(BUILD_DIR, 'guest-types', 'javascript');
const BUNDLE = join(BUILD_DIR, 'javascript', 'guest.js');

/** StarlingMonkey features left out: no wasi:http import at all, so eval'd code has no network. */
const DISABLED_FEATURES = ['http', 'fetch-event'];

/**
 * readable-stream requires the `process/` package, whose entry returns Node's global `process` (absent in the guest);
 * the guest's stand-in looks up the run's own process object at each use.
 */
const processShim = {
  name: 'process-shim',
  setup(build) {
    build.onResolve({ filter: /^process\/?$/ }, () => ({ path: join(GUEST_DIR, 'src', 'node', 'modules', 'process-shim.cjs') }));
  },
};

/** `aot`: compile the guest ahead of time with weval (opt-in, see scripts/build.mjs and scripts/setup-weval.mjs). */
export async function buildJavaScript({ aot = false } = {}) {
  await writeWitDeps();
  jco(['guest-types', WIT_DIR, '--world-name', WORLD, '--out-dir', TYPES_DIR, '--quiet']);
  runNode(toolPath('typescript', 'bin/tsc'), ['--project', join(GUEST_DIR, 'tsconfig.json')]);
  await mkdir(join(BUILD_DIR, 'javascript'), { recursive: true });
  // Bundles evaluated on a run's first use, kept in the main bundle as comments (scripts/lazy-bundle.mjs).
  const lazy = new LazyTexts();
  const bundles = {
    intl: { parameters: ['intlData'], body: await lazyBundle({ entry: join(GUEST_DIR, 'src', 'intl', 'install.ts'), plugins: [intlDataParameterPlugin(), regexpuPropertiesPlugin(), jsonLiteralsPlugin()] }) },
    regexpu: { parameters: [], body: await lazyBundle({ entry: createRequire(import.meta.url).resolve('regexpu-core'), plugins: [regexpuPropertiesPlugin(), jsonLiteralsPlugin()] }) },
  };
  const { outputFiles: [bundle] } = await build({
    entryPoints: [join(GUEST_DIR, 'src', 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    external: ['wasi:*', 'golem:*'],
    outfile: BUNDLE,
    write: false,
    logLevel: 'warning',
    plugins: [processShim, intlDataPlugin(lazy), lazyBundlesPlugin(lazy, bundles)],
    // Node-era packages (@pkgjs/parseargs' primordials) name the global object `global`.
    define: { global: 'globalThis' },
  });
  await writeFile(BUNDLE, `${bundle.text}\n${lazy.declarations()}`);
  const { component } = await componentize({
    sourcePath: BUNDLE,
    witPath: WIT_DIR,
    worldName: WORLD,
    disableFeatures: DISABLED_FEATURES,
    ...(aot ? { enableAot: true, wevalBin: await (await import('./setup-weval.mjs')).setupWeval() } : {}),
  });
  await writeFile(componentPath('javascript'), component);
  console.log(`built ${componentPath('javascript')}${aot ? ' (AOT, weval)' : ''} (${(component.length / 1e6).toFixed(1)} MB)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await buildJavaScript();
