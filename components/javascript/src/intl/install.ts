// Intl and the locale- and Unicode-dependent string methods: the bundle that ./index.ts evaluates on a run's first
// use of any of them (scripts/lazy-bundle.mjs says why it is not evaluated at build time). The engine
// (StarlingMonkey's SpiderMonkey) is built without ICU: no `Intl`, no String.prototype.normalize, `localeCompare` by
// code unit, `toLocaleString` ignoring its arguments. Evaluating this installs into the run's globals:
// - the FormatJS polyfills (Intl.getCanonicalLocales, Locale, PluralRules, NumberFormat, DateTimeFormat,
//   RelativeTimeFormat, ListFormat, Segmenter, supportedValuesOf), which also route Number/BigInt/Date
//   toLocale*String through Intl, with the bundled locales' data loaded on first use (locale-data.ts);
// - our Collator (collator.ts), behind String.prototype.localeCompare;
// - String.prototype.normalize (unorm), toLocaleUpperCase/LowerCase with the Turkish/Azeri dotted and dotless i,
//   Array.prototype.toLocaleString passing locales and options on.
// and returns the methods it installed, which the build-time stubs of ./index.ts call.
import '@formatjs/intl-getcanonicallocales/polyfill-force.js';
import '@formatjs/intl-locale/polyfill-force.js';
import '@formatjs/intl-pluralrules/polyfill-force.js';
import '@formatjs/intl-numberformat/polyfill-force.js';
import '@formatjs/intl-datetimeformat/polyfill-force.js';
import '@formatjs/intl-relativetimeformat/polyfill-force.js';
import '@formatjs/intl-listformat/polyfill-force.js';
import '@formatjs/intl-segmenter/polyfill-force.js';
import '@formatjs/intl-supportedvaluesof/polyfill-force.js';
import unorm from 'unorm';
import * as data from 'virtual:intl-data';
import { Collator } from './collator.js';
import { lazyLocaleData, lazyTimeZones } from './locale-data.js';

type AnyConstructor = Parameters<typeof lazyLocaleData>[0];

/** The methods installed here, by `<Constructor>.<name>` (what ./index.ts's stubs call). */
export const methods: Record<string, Function> = {};
const OWNERS = new Map<object, string>([[Number.prototype, 'Number'], [BigInt.prototype, 'BigInt'], [Date.prototype, 'Date'], [Array.prototype, 'Array'], [String.prototype, 'String']]);

/** Installs a method the way built-in methods are (writable, configurable, not enumerable). */
function method(target: object, name: string, fn: Function, length: number): void {
  methods[`${OWNERS.get(target)}.${name}`] = fn;
  Object.defineProperty(fn, 'name', { value: name });
  Object.defineProperty(fn, 'length', { value: length });
  Object.defineProperty(target, name, { value: fn, writable: true, enumerable: false, configurable: true });
}

const NORMALIZE: Record<string, (s: string) => string> = { NFC: unorm.nfc, NFD: unorm.nfd, NFKC: unorm.nfkc, NFKD: unorm.nfkd };
const ASCII = /^[\x00-\x7f]*$/;

function thisString(value: unknown, name: string): string {
  if (value === null || value === undefined) throw new TypeError(`String.prototype.${name} called on null or undefined`);
  return String(value);
}

/** Collators of `localeCompare` calls, by their locales and options (a sort calls it with the same ones each time). */
const collators = new Map<string, Collator>();

function collatorFor(locales: unknown, options: unknown): Collator {
  const cacheable = (locales === undefined || typeof locales === 'string') && (options === undefined || (typeof options === 'object' && options !== null && Object.getPrototypeOf(options) === Object.prototype));
  if (!cacheable) return new Collator(locales as string, options as Record<string, unknown>);
  const key = `${locales}\0${options === undefined ? '' : JSON.stringify(options)}`;
  let collator = collators.get(key);
  if (!collator) {
    if (collators.size >= 64) collators.clear();
    collators.set(key, (collator = new Collator(locales as string | undefined, options as Record<string, unknown>)));
  }
  return collator;
}

function turkic(locales: unknown): boolean {
  const [locale] = Intl.getCanonicalLocales(locales as string | string[] | undefined);
  return locale !== undefined && /^(tr|az)(-|$)/.test(locale);
}

installIntl();

function installIntl(): void {
  const intl = Intl as unknown as Record<string, AnyConstructor & Function>;
  for (const kind of ['numberformat', 'datetimeformat', 'pluralrules', 'relativetimeformat', 'listformat'] as const) {
    const name = { numberformat: 'NumberFormat', datetimeformat: 'DateTimeFormat', pluralrules: 'PluralRules', relativetimeformat: 'RelativeTimeFormat', listformat: 'ListFormat' }[kind];
    lazyLocaleData(intl[name], data[kind]);
  }
  lazyTimeZones(intl.DateTimeFormat as unknown as Parameters<typeof lazyTimeZones>[0], data.timeZones);
  Object.defineProperty(Intl, 'Collator', { value: Collator, writable: true, enumerable: false, configurable: true });
  installStringMethods();
  installCachedToLocaleString();
}

const DATE_FIELDS = ['weekday', 'year', 'month', 'day'];
const TIME_FIELDS = ['dayPeriod', 'hour', 'minute', 'second', 'fractionalSecondDigits'];

/** ECMA-402's ToDateTimeOptions for a plain options object: the fields a toLocale*String shows by default. */
function dateTimeOptions(options: Record<string, unknown> | undefined, required: 'date' | 'time' | 'any'): Record<string, unknown> {
  const o = { ...options };
  const has = (fields: string[]) => fields.some((f) => o[f] !== undefined);
  const needDefaults = !(o.dateStyle !== undefined || o.timeStyle !== undefined || (required !== 'time' && has(DATE_FIELDS)) || (required !== 'date' && has(TIME_FIELDS)));
  if (required === 'date' && o.timeStyle !== undefined) throw new TypeError('Invalid option : timeStyle');
  if (required === 'time' && o.dateStyle !== undefined) throw new TypeError('Invalid option : dateStyle');
  if (needDefaults && required !== 'time') Object.assign(o, { year: 'numeric', month: 'numeric', day: 'numeric' });
  if (needDefaults && required !== 'date') Object.assign(o, { hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return o;
}

/**
 * toLocaleString and its relatives build a formatter per call (the polyfills' do, and so does V8, which caches
 * them): building one costs ~50 ms in the guest's interpreter. We keep the formatters of the calls whose locales
 * and options can serve as a cache key (a string or nothing; a plain object of plain values), per run.
 */
function installCachedToLocaleString(): void {
  const formatters = new Map<string, { format(x: unknown): string }>();
  const cacheKey = (kind: string, locales: unknown, options: unknown): string | undefined => {
    if (locales !== undefined && typeof locales !== 'string') return undefined;
    if (options !== undefined && (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype)) return undefined;
    if (options && Object.values(options).some((v) => typeof v === 'object' && v !== null)) return undefined;
    return `${kind}\0${locales ?? ''}\0${options === undefined ? '' : JSON.stringify(options)}`;
  };
  const formatter = (key: string, make: () => { format(x: unknown): string }) => {
    let f = formatters.get(key);
    if (!f) {
      if (formatters.size >= 256) formatters.clear();
      formatters.set(key, (f = make()));
    }
    return f;
  };
  const dateProto = Date.prototype as unknown as Record<string, Function>;
  const getTime = Date.prototype.getTime;
  for (const [name, required] of [['toLocaleString', 'any'], ['toLocaleDateString', 'date'], ['toLocaleTimeString', 'time']] as const) {
    const original = dateProto[name];
    method(Date.prototype, name, function (this: Date, locales?: unknown, options?: unknown) {
      const key = cacheKey(name, locales, options);
      if (key === undefined) return original.call(this, locales, options);
      const time = getTime.call(this);
      if (Number.isNaN(time)) return 'Invalid Date';
      return formatter(key, () => new Intl.DateTimeFormat(locales as string, dateTimeOptions(options as Record<string, unknown>, required))).format(time);
    }, 0);
  }
  for (const proto of [Number.prototype, BigInt.prototype] as Record<string, any>[]) {
    const original: Function = proto.toLocaleString;
    const valueOf = proto.valueOf;
    method(proto, 'toLocaleString', function (this: unknown, locales?: unknown, options?: unknown) {
      const key = cacheKey('number', locales, options);
      if (key === undefined) return original.call(this, locales, options);
      return formatter(key, () => new Intl.NumberFormat(locales as string, options as Intl.NumberFormatOptions)).format(valueOf.call(this));
    }, 0);
  }
}

function installStringMethods(): void {
  const string = String.prototype;
  method(string, 'normalize', function (this: unknown, form?: unknown) {
    const s = thisString(this, 'normalize');
    const f = form === undefined ? 'NFC' : String(form);
    const normalize = NORMALIZE[f];
    if (!normalize || !Object.hasOwn(NORMALIZE, f)) throw new RangeError('The normalization form should be one of NFC, NFD, NFKC, NFKD.');
    return ASCII.test(s) ? s : normalize(s);
  }, 0);
  method(string, 'localeCompare', function (this: unknown, that: unknown, locales?: unknown, options?: unknown) {
    return collatorFor(locales, options).compare(thisString(this, 'localeCompare'), String(that));
  }, 1);
  const { toLowerCase, toUpperCase } = string;
  method(string, 'toLocaleLowerCase', function (this: unknown, locales?: unknown) {
    const s = thisString(this, 'toLocaleLowerCase');
    return turkic(locales) ? toLowerCase.call(s.replace(/\u0130/g, 'i').replace(/I\u0307/g, 'i').replace(/I/g, '\u0131')) : toLowerCase.call(s);
  }, 0);
  method(string, 'toLocaleUpperCase', function (this: unknown, locales?: unknown) {
    const s = thisString(this, 'toLocaleUpperCase');
    return turkic(locales) ? toUpperCase.call(s.replace(/i/g, '\u0130')) : toUpperCase.call(s);
  }, 0);

  // Array.prototype.toLocaleString: the elements' own toLocaleString with the locales and options (ECMA-402), a
  // cycle printing as the empty string (as in V8).
  const inProgress = new Set<object>();
  method(Array.prototype, 'toLocaleString', function (this: unknown, locales?: unknown, options?: unknown) {
    const array = Object(this) as ArrayLike<unknown>;
    if (inProgress.has(array)) return '';
    inProgress.add(array);
    try {
      const parts: string[] = [];
      for (let i = 0; i < array.length; i++) {
        const e = array[i];
        parts.push(e === null || e === undefined ? '' : String((Object(e) as { toLocaleString(l?: unknown, o?: unknown): unknown }).toLocaleString(locales, options)));
      }
      return parts.join(',');
    } finally {
      inProgress.delete(array);
    }
  }, 0);
}
