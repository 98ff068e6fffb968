// The module scripts/intl-data.mjs generates at build time (an esbuild plugin): the bundled locales' data for the
// FormatJS polyfills, each a function that parses it (from a kept comment, ../lazy-source.ts) when called.
declare module 'virtual:intl-data' {
  interface LocaleData {
    /** Language tag → the bundled locale whose data serves it (`en-US` → `en`). */
    tags: Record<string, string>;
    /** Bundled locale → its data, parsed when called. */
    data: Record<string, () => unknown>;
  }
  export const locales: string[];
  export const numberformat: LocaleData;
  export const datetimeformat: LocaleData;
  export const pluralrules: LocaleData;
  export const relativetimeformat: LocaleData;
  export const listformat: LocaleData;
  /** The IANA time-zone database in FormatJS's packed form, one string per zone, each read when called. */
  export const timeZones: { abbrvs: () => string; offsets: () => string; zones: Record<string, () => string> };
}
