// esbuild plugin for the lazily evaluated bundles (scripts/lazy-bundle.mjs): large object and array literals made of
// plain data (the CLDR alias tables of @formatjs/intl-getcanonicallocales, unorm's normalisation tables, ...) become
// `JSON.parse('<json>')`. The guest compiles these bundles in the run that first uses them, and its engine compiles
// every literal property into bytecode and then runs it in the interpreter; a string literal is one token and
// JSON.parse is native.
import { readFileSync } from 'node:fs';
import * as acorn from 'acorn';
import { full } from 'acorn-walk';

/** Literals smaller than this stay as they are. */
const MIN_BYTES = 512;

/** The value of a literal made only of JSON values, or `undefined`. */
function jsonValue(node) {
  switch (node.type) {
    case 'Literal':
      // JSON has no NaN, Infinity or -0 (a literal can be 1e999).
      if (node.regex || typeof node.value === 'bigint' || (typeof node.value === 'number' && (!Number.isFinite(node.value) || Object.is(node.value, -0)))) return undefined;
      return { value: node.value };
    case 'UnaryExpression': {
      const inner = node.operator === '-' && jsonValue(node.argument);
      return inner && typeof inner.value === 'number' && inner.value !== 0 ? { value: -inner.value } : undefined;
    }
    case 'ArrayExpression': {
      const values = [];
      for (const element of node.elements) {
        const v = element && element.type !== 'SpreadElement' && jsonValue(element);
        if (!v) return undefined;
        values.push(v.value);
      }
      return { value: values };
    }
    case 'ObjectExpression': {
      const object = {};
      for (const p of node.properties) {
        if (p.type !== 'Property' || p.computed || p.kind !== 'init' || p.method || p.shorthand) return undefined;
        const key = p.key.type === 'Identifier' ? p.key.name : p.key.value;
        if (typeof key !== 'string' || key === '__proto__' || Object.hasOwn(object, key)) return undefined;
        const v = jsonValue(p.value);
        if (!v) return undefined;
        object[key] = v.value;
      }
      return { value: object };
    }
    default:
      return undefined;
  }
}

/** The source with its large plain-data literals replaced by JSON.parse calls (outermost literals only). */
export function jsonLiterals(source) {
  const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  const replacements = [];
  full(ast, (node) => {
    if ((node.type !== 'ObjectExpression' && node.type !== 'ArrayExpression') || node.end - node.start < MIN_BYTES) return;
    if (jsonValue(node)) replacements.push(node);
  });
  // Keep the outermost of nested replaceable literals.
  replacements.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const node of replacements) {
    if (node.start < at) continue;
    out += `${source.slice(at, node.start)}JSON.parse(${JSON.stringify(JSON.stringify(jsonValue(node).value))})`;
    at = node.end;
  }
  return out + source.slice(at);
}

/** esbuild plugin: applies jsonLiterals to the JavaScript files of node_modules. */
export function jsonLiteralsPlugin() {
  return {
    name: 'json-literals',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.(m?js|cjs)$/ }, ({ path }) => ({ contents: jsonLiterals(readFileSync(path, 'utf8')), loader: 'js' }));
    },
  };
}
