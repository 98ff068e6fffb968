// Lazy locale and time-zone data for the FormatJS polyfills. Each polyfill keeps its data in `C.localeData` (tag →
// data) and the tags it can resolve in `C.availableLocales`. When the Intl bundle is evaluated we add every bundled
// tag to `availableLocales` and put a getter in `localeData` that registers the locale's data (kept as a comment
// until then, scripts/intl-data.mjs) through the polyfill's own `__addLocaleData` the first time it is read, so a run
// pays for the locales it uses (a few ms each, plus parsing a DateTimeFormat locale's patterns).
//
// What we registered stays in `registered`: if something puts a getter back (a session's rollback of a changed
// global), the next read reuses the data instead of registering it again.
import type { LocaleData } from 'virtual:intl-data';

interface LocaleDataConstructor {
  localeData: Record<string, unknown>;
  availableLocales: Set<string>;
  __addLocaleData(...data: unknown[]): void;
  __defaultLocale: string;
}

// Captured before any program runs: it may replace Reflect's methods.
const { defineProperty, deleteProperty } = Reflect;

/** The locale of a run that names none: what Node prints in a sandbox without LANG (`en-US`). */
export const DEFAULT_LOCALE = 'en-US';

export function lazyLocaleData(C: LocaleDataConstructor, { tags, data }: LocaleData): void {
  const byLocale = new Map<string, string[]>();
  for (const [tag, locale] of Object.entries(tags)) byLocale.set(locale, [...(byLocale.get(locale) ?? []), tag]);
  /** Locale → the values its registration gave its tags. */
  const registered = new Map<string, Record<string, unknown>>();
  const load = (locale: string) => {
    const own = byLocale.get(locale)!;
    let values = registered.get(locale);
    if (!values) {
      for (const tag of own) deleteProperty(C.localeData, tag);
      C.__addLocaleData({ locale, data: data[locale]() });
      values = Object.fromEntries(own.map((tag) => [tag, C.localeData[tag]]));
      registered.set(locale, values);
    }
    for (const tag of own) defineProperty(C.localeData, tag, { value: values[tag], writable: true, enumerable: true, configurable: true });
  };
  for (const [tag, locale] of Object.entries(tags)) {
    C.availableLocales.add(tag);
    defineProperty(C.localeData, tag, {
      enumerable: true,
      configurable: true,
      get() {
        load(locale);
        return C.localeData[tag];
      },
    });
  }
  C.__defaultLocale = DEFAULT_LOCALE;
}

interface TimeZoneConstructor {
  tzData: Record<string, unknown>;
  __addTZData(data: { abbrvs: string; offsets: string; zones: string[] }): void;
}

/**
 * DateTimeFormat's time zones, unpacked one zone at a time: `tzData` becomes an accessor returning an object whose
 * zone properties unpack on first read. The polyfill's `__addTZData` unpacks a whole database into `tzData`; we hand
 * it a database of one zone and catch what it assigns.
 */
export function lazyTimeZones(C: TimeZoneConstructor, packed: { abbrvs: () => string; offsets: () => string; zones: Record<string, () => string> }): void {
  const zones: Record<string, unknown> = {};
  let assigned: Record<string, unknown> = {};
  let abbrvs: string | undefined;
  let offsets: string | undefined;
  for (const [name, zone] of Object.entries(packed.zones)) {
    defineProperty(zones, name, {
      enumerable: true,
      configurable: true,
      get() {
        abbrvs ??= packed.abbrvs();
        offsets ??= packed.offsets();
        C.__addTZData({ abbrvs, offsets, zones: [zone()] });
        const value = assigned[name];
        defineProperty(zones, name, { value, writable: true, enumerable: true, configurable: true });
        return value;
      },
    });
  }
  defineProperty(C, 'tzData', {
    enumerable: true,
    configurable: true,
    get: () => zones,
    set: (value: Record<string, unknown>) => {
      assigned = value;
    },
  });
}
