// esbuild plugin: lets regexpu-core (bundled into the JavaScript guest, see components/javascript/src/unicode-regex.ts)
// load its Unicode property tables. regexpu-core requires them by a computed name
// (`require(\`regenerate-unicode-properties/${path}.js\`)`), which esbuild cannot follow; we replace that call by a
// lookup in a generated table of static requires. Each table stays an unevaluated CommonJS module (a function body
// SpiderMonkey has only syntax-checked) until a pattern uses its property.
//
// It also rewrites, in the guest's own sources, each `unicodeRegExp('<pattern>', '<flags>')` whose arguments are
// string literals into the regex regexpu-core makes of it here, in Node: the guest's build-time initialisation (the
// Collator's character classes) then needs no regexpu-core, which the guest requires on a run's first use only.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { COMPONENTS_DIR, ROOT } from './paths.mjs';

const rewritePattern = createRequire(import.meta.url)('regexpu-core');
const GUEST_SOURCES = join(COMPONENTS_DIR, 'javascript', 'src');
/** `unicodeRegExp('...', '...')` with single-quoted literal arguments (the guest's style). */
const LITERAL_CALL = /\bunicodeRegExp\(\s*('(?:[^'\\\n]|\\.)*')\s*,\s*'([a-z]*)'\s*\)/g;

/** The source with its literal unicodeRegExp calls replaced by the RegExps they make. */
function inlineUnicodeRegExps(source) {
  return source.replace(LITERAL_CALL, (_, literal, flags) => {
    const pattern = new Function(`return ${literal}`)();
    // The options of the guest's rewriteRegExp (components/javascript/src/unicode-regex.ts).
    const rewritten = rewritePattern(pattern, flags, { unicodePropertyEscapes: 'transform', unicodeSetsFlag: 'transform' });
    return `new RegExp(${JSON.stringify(rewritten)}, ${JSON.stringify(flags.replace('v', 'u'))})`;
  });
}

const PROPERTIES = join(ROOT, 'node_modules', 'regenerate-unicode-properties');
const DYNAMIC_REQUIRE = 'require(`regenerate-unicode-properties/${ path }.js`)';

export function regexpuPropertiesPlugin() {
  return {
    name: 'regexpu-properties',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, ({ path }) => {
        if (!path.startsWith(GUEST_SOURCES)) return undefined;
        const source = readFileSync(path, 'utf8');
        return source.search(LITERAL_CALL) !== -1 ? { contents: inlineUnicodeRegExps(source), loader: 'ts' } : undefined;
      });
      build.onLoad({ filter: /regexpu-core[\\/]rewrite-pattern\.js$/ }, ({ path }) => {
        const source = readFileSync(path, 'utf8');
        if (!source.includes(DYNAMIC_REQUIRE)) throw new Error(`${path}: the property require to replace is gone (regexpu-core changed)`);
        return { contents: source.replace(DYNAMIC_REQUIRE, "require('virtual:unicode-properties')(path)"), loader: 'js' };
      });
      build.onResolve({ filter: /^virtual:unicode-properties$/ }, (args) => ({ path: args.path, namespace: 'unicode-properties' }));
      build.onLoad({ filter: /.*/, namespace: 'unicode-properties' }, () => {
        const entries = [];
        for (const dir of readdirSync(PROPERTIES, { withFileTypes: true })) {
          if (!dir.isDirectory()) continue;
          for (const file of readdirSync(join(PROPERTIES, dir.name))) {
            if (!file.endsWith('.js')) continue;
            const name = `${dir.name}/${file.slice(0, -3)}`;
            entries.push(`${JSON.stringify(name)}: () => require(${JSON.stringify(`regenerate-unicode-properties/${name}.js`)})`);
          }
        }
        const contents = `const tables = {\n${entries.join(',\n')}\n};\nmodule.exports = (path) => {\n  if (!Object.hasOwn(tables, path)) throw new Error('no such property table: ' + path);\n  return tables[path]();\n};\n`;
        return { contents, loader: 'js', resolveDir: ROOT };
      });
    },
  };
}
