// `npm run build`: builds and transpiles each component whose inputs changed since its last build (inputs: wit/,
// the guest's sources, the build scripts, the lockfile), so `npm test` on an unchanged tree starts in seconds.
//
//   node scripts/build.mjs [javascript|python ...] [--force] [--aot]
//     --aot (or GOLEM_EXEC_AOT=1)  opt-in: the JavaScript guest compiled ahead of time with weval (scripts/setup-weval.mjs
//                                  builds weval with cargo on first use); the default build needs no weval.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_DIR, COMPONENTS_DIR, LANGUAGES, ROOT, WIT_DIR, componentPath } from './paths.mjs';
import { transpile } from './transpile.mjs';

/** The opt-in ahead-of-time (weval) build of the JavaScript guest. */
const AOT = process.argv.includes('--aot') || process.env.GOLEM_EXEC_AOT === '1';

const BUILDERS = {
  javascript: async () => (await import('./build-javascript.mjs')).buildJavaScript({ aot: AOT }),
  python: async () => (await import('./build-python.mjs')).buildPython(),
};

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'deps' || name === 'node_modules' || name === '__pycache__') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function inputsHash(language) {
  const hash = createHash('sha256');
  const files = [...filesUnder(WIT_DIR), ...filesUnder(join(COMPONENTS_DIR, language)), ...filesUnder(join(ROOT, 'scripts')), join(ROOT, 'package-lock.json')];
  // The Python component has the sockets-denied stub composed in (scripts/wasi-stubs.mjs).
  if (language === 'python') files.push(...filesUnder(join(COMPONENTS_DIR, 'wasi-stubs')));
  for (const file of files.sort()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  // Switching between the default and the AOT build rebuilds.
  if (language === 'javascript' && AOT) hash.update('\0aot');
  return hash.digest('hex');
}

export async function buildAll(languages = LANGUAGES, { force = false } = {}) {
  for (const language of languages) {
    const stamp = join(BUILD_DIR, `.inputs-${language}`);
    const digest = inputsHash(language);
    const upToDate = !force && existsSync(componentPath(language)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
    if (upToDate) {
      console.log(`exec-${language}.wasm is up to date`);
      continue;
    }
    const started = Date.now();
    await BUILDERS[language]();
    await transpile(language);
    writeFileSync(stamp, digest);
    console.log(`exec-${language}.wasm built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  await buildAll(args.filter((a) => !a.startsWith('--')).length ? args.filter((a) => !a.startsWith('--')) : LANGUAGES, { force: args.includes('--force') });
}
