// Unicode property escapes (`\p{L}`, `\P{Script=Greek}`) and the `v` flag in regular expressions. The engine is built
// without ICU and rejects both; regexpu-core (Babel's) rewrites such a pattern into an equivalent `u` pattern of
// explicit code point ranges. Regex literals are rewritten when a file is transformed (node/transform.ts), patterns
// built at run time by the RegExp constructor, which is wrapped at build time (installed before the globals snapshot).
//
// Differences that remain: a rewritten regex's `source` (and so its printed form) is the expanded pattern, and a `v`
// regex reports the flag `u` (`flags`, `unicodeSets`).
//
// regexpu-core and its property tables are a bundle kept as a comment and evaluated on a run's first rewrite
// (scripts/lazy-bundle.mjs): compiled at build time they cost every instance ~8 MB more pre-initialised memory, which
// every run copies back (README, "What Intl costs"). The runtime's own patterns (the Collator's character classes)
// are rewritten when the bundle is built (scripts/regexpu-properties.mjs).
import type rewritePatternType from 'regexpu-core';
import { regexpu } from 'virtual:lazy-bundles';
import { evaluateBundle } from './lazy-source.js';

let rewritePattern: typeof rewritePatternType | undefined;

const NativeRegExp = RegExp;
const OPTIONS = { unicodePropertyEscapes: 'transform', unicodeSetsFlag: 'transform' } as const;

/** Whether a pattern with these flags needs rewriting before the engine can compile it. */
export function needsRewrite(pattern: string, flags: string): boolean {
  return flags.includes('v') || (flags.includes('u') && (pattern.includes('\\p{') || pattern.includes('\\P{')));
}

/** The pattern and flags the engine compiles in place of these (throws a SyntaxError for an invalid pattern). */
export function rewriteRegExp(pattern: string, flags: string): { pattern: string; flags: string } {
  try {
    rewritePattern ??= evaluateBundle<typeof rewritePatternType>(regexpu);
    return { pattern: rewritePattern(pattern, flags, OPTIONS), flags: flags.replace('v', 'u') };
  } catch (error) {
    throw new SyntaxError(`Invalid regular expression: /${pattern}/${flags}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Rewritten patterns of this instance's run, by flags and pattern: a regex built in a loop is rewritten once. */
const rewritten = new Map<string, { pattern: string; flags: string }>();

function cachedRewrite(pattern: string, flags: string) {
  const key = `${flags}/${pattern}`;
  let result = rewritten.get(key);
  if (!result) {
    if (rewritten.size >= 1000) rewritten.clear();
    rewritten.set(key, (result = rewriteRegExp(pattern, flags)));
  }
  return result;
}

/**
 * A RegExp for a pattern that may use property escapes, for the runtime's own use. A call whose arguments are string
 * literals is replaced by the rewritten regex when the bundle is built (scripts/regexpu-properties.mjs).
 */
export function unicodeRegExp(pattern: string, flags: string): RegExp {
  const { pattern: p, flags: f } = needsRewrite(pattern, flags) ? cachedRewrite(pattern, flags) : { pattern, flags };
  return new NativeRegExp(p, f);
}

/**
 * Replaces the global RegExp by a proxy that rewrites string patterns with property escapes or the `v` flag. The
 * proxy forwards everything else to the engine's constructor: its statics, `prototype`, `instanceof`, subclassing
 * (`new.target` is passed through). `RegExp.prototype.constructor` stays the engine's, so the engine's fast paths
 * for split and matchAll, which check it, still apply.
 */
export function installRegExpRewriting(): void {
  const { construct, apply } = Reflect;
  const rewriteArgs = (args: unknown[]): unknown[] => {
    const [pattern, flags] = args;
    if (typeof pattern !== 'string' || (flags !== undefined && typeof flags !== 'string')) return args;
    const f = flags ?? '';
    if (!needsRewrite(pattern, f)) return args;
    const result = cachedRewrite(pattern, f);
    return [result.pattern, result.flags];
  };
  const proxy: RegExpConstructor = new Proxy(NativeRegExp, {
    construct: (target, args, newTarget) => construct(target, rewriteArgs(args), newTarget === proxy ? target : newTarget),
    apply: (target, self, args) => apply(target, self, rewriteArgs(args)),
  });
  Object.defineProperty(globalThis, 'RegExp', { value: proxy, writable: true, enumerable: false, configurable: true });
}
