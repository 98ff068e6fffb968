// The bundles scripts/build-javascript.mjs builds apart from the main bundle and keeps as comments
// (scripts/lazy-bundle.mjs), evaluated on a run's first use (lazy-source.ts, evaluateBundle).
declare module 'virtual:lazy-bundles' {
  import type { LazyBundle } from './lazy-source.js';
  /** components/javascript/src/intl/install.ts: Intl and the locale-dependent methods; parameter `intlData`. */
  export const intl: LazyBundle;
  /** regexpu-core (with its Unicode property tables): exports `rewritePattern`. */
  export const regexpu: LazyBundle;
}
