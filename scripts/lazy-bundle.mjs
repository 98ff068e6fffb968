// Code and data the JavaScript guest keeps as comments and evaluates (or parses) on a run's first use, instead of
// compiling and running them at build time.
//
// Why: whatever the guest's bundle holds as code costs the pre-initialised memory about nine times its size (bytecode,
// scopes, atoms, and the compiler's peak, which the wasm memory keeps: it never shrinks), and string literals about
// three times; every run copies that memory back (host/src/engine/instance-state.ts). The text of a comment costs its
// size once: SpiderMonkey keeps a script's source (for Function.prototype.toString) and only skips comments when it
// parses. So the Intl polyfills and regexpu-core are each built into a separate bundle that the main bundle holds as
// the comment of a function, `function () {/*<code>*/}`; the guest reads it back with toString (see
// components/javascript/src/lazy-source.ts) and compiles it when a run first needs it. README, "What Intl costs",
// has the measurements.
import { build } from 'esbuild';

// What stands for the end of a comment (star, slash) inside a kept text: the one sequence a comment cannot hold.
// components/javascript/src/lazy-source.ts undoes it.
export const COMMENT_END_ESCAPE = '*\\u002f';

/**
 * The texts one bundle keeps as comments. esbuild drops comments, so a module refers to a text by the name of a
 * function declaration (`add` returns it, an identifier esbuild leaves alone because nothing in the bundle binds it)
 * and `declarations()` is appended to esbuild's output: function declarations are hoisted, so the bundle's code can
 * use them before the end of the module.
 */
export class LazyTexts {
  #texts = [];

  add(text) {
    if (text.includes(COMMENT_END_ESCAPE)) throw new Error(`lazy text contains ${COMMENT_END_ESCAPE}, which stands for */`);
    this.#texts.push(text);
    return `__golemLazy${this.#texts.length - 1}`;
  }

  declarations() {
    return this.#texts.map((text, i) => `function __golemLazy${i}() {/*${text.replaceAll('*/', COMMENT_END_ESCAPE)}*/}\n`).join('');
  }
}

/**
 * Bundles `entry` into the body of a function that returns the entry's exports (what lazy-source.ts compiles with
 * `new Function(...parameters, body)`; the entry's free variables are the parameters). Minified (whitespace and syntax, names kept for stack traces):
 * the text is what every instance holds.
 */
export async function lazyBundle({ entry, plugins = [] }) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: '__lazyExports',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins,
  });
  const [output] = result.outputFiles;
  return `${output.text}\nreturn __lazyExports;`;
}

/**
 * esbuild plugin for the main bundle: `virtual:lazy-bundles` (declared in components/javascript/src/lazy-bundles.d.ts)
 * exports each of `bundles` (name → { parameters, body }) as { parameters, source }, `source` holding the body as a
 * comment kept in `lazy` (a LazyTexts).
 */
export function lazyBundlesPlugin(lazy, bundles) {
  return {
    name: 'lazy-bundles',
    setup(build) {
      build.onResolve({ filter: /^virtual:lazy-bundles$/ }, (args) => ({ path: args.path, namespace: 'lazy-bundles' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-bundles' }, () => {
        const contents = Object.entries(bundles)
          .map(([name, { parameters, body }]) => `export const ${name} = { parameters: ${JSON.stringify(parameters)}, source: ${lazy.add(body)} };\n`)
          .join('');
        return { contents, loader: 'js' };
      });
    },
  };
}
