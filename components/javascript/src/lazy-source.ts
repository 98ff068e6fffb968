// Reading back the code and data the build keeps as comments (scripts/lazy-bundle.mjs: a comment costs the
// pre-initialised memory its size; the same text as code costs about nine times that). A kept text is the comment of
// a function declared by the build, `function __golemLazyN() {/*<text>*/}`, which Function.prototype.toString returns
// as written: SpiderMonkey keeps every script's source for it.

/** What stands for `*\/` inside a kept text (scripts/lazy-bundle.mjs, COMMENT_END_ESCAPE). */
const COMMENT_END_ESCAPE = '*\\u002f';
// Captured at build time: a program may replace them before its first use of Intl.
const { apply } = Reflect;
const functionToString = Function.prototype.toString;
const { indexOf, lastIndexOf, slice, replaceAll } = String.prototype;
const parseJSON = JSON.parse;
const NativeFunction = Function;

/** The text kept in `holder`'s comment. */
export function commentText(holder: Function): string {
  const source: string = apply(functionToString, holder, []);
  const start = apply(indexOf, source, ['{/*']);
  const end = apply(lastIndexOf, source, ['*/}']);
  if (start < 0 || end < start) throw new Error(`internal: ${holder.name} holds no kept text (was the engine's source discarded?)`);
  const text: string = apply(slice, source, [start + 3, end]);
  return apply(replaceAll, text, [COMMENT_END_ESCAPE, '*/']);
}

/** The value of the JSON kept in `holder`'s comment. */
export const commentJSON = (holder: Function): unknown => parseJSON(commentText(holder));

/** The value of the JavaScript expression kept in `holder`'s comment. */
export const commentValue = (holder: Function): unknown => new NativeFunction(`return (${commentText(holder)});`)();

/** A bundle kept as a comment (scripts/lazy-bundle.mjs, lazyBundle), compiled and run with these arguments. */
export interface LazyBundle {
  parameters: string[];
  source: Function;
}

/** Compiles and runs a kept bundle; returns its exports. */
export function evaluateBundle<T>(bundle: LazyBundle, ...args: unknown[]): T {
  return new NativeFunction(...bundle.parameters, commentText(bundle.source))(...args) as T;
}
