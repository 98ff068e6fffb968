// The locale and time-zone data of the JavaScript guest's Intl (the FormatJS polyfills), generated at build time from
// the pinned @formatjs packages into the virtual module `virtual:intl-data` (declared in
// components/javascript/src/intl/data.d.ts).
//
// The data is large (~120 kB of JSON per locale, 1.3 MB of time zones) and most runs use none of it, so each locale's
// data and each time zone is text kept as a comment (scripts/lazy-bundle.mjs: that costs the pre-initialised memory
// its size, where a string literal costs about three times and parsed objects far more), which a run that formats in
// German reads back and parses then (the host's reset forgets it after the run). Plural rules come as code and are
// compiled instead.
//
// The module is part of the main bundle; the lazily evaluated Intl bundle gets it as its parameter `intlData`
// (`intlDataParameterPlugin`).
//
// Which language tags each locale's data serves (`en` also serves `en-US`, `en-GB` falls back to `en`, ...) is what
// the polyfill's own registration computes: we register every locale with the Node-side ponyfill here and read it off.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS_DIR, ROOT } from './paths.mjs';

/** The guest's readers of comment text. */
const LAZY_SOURCE = join(COMPONENTS_DIR, 'javascript', 'src', 'lazy-source.ts');

/**
 * The bundled locales: English and the common European languages. Each costs ~120 kB of component and of the
 * instance's memory (the bundle's source is kept in the heap), which the host copies back after every run; other
 * tags fall back to their language, or to en-US.
 */
export const INTL_LOCALES = ['en', 'en-GB', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv'];

/**
 * DateTimeFormat's interval formats (formatRange) are ~60% of its data, and the polyfill parses them all with the
 * locale's formats on a locale's first DateTimeFormat (~1 s in the guest's interpreter for en): we keep only the
 * fallback pattern ("{0} – {1}"), so formatRange joins two full dates.
 */
function withoutIntervalFormats(data) {
  const only = (formats) => formats && { intervalFormatFallback: formats.intervalFormatFallback };
  const calendarData = data.calendarData && Object.fromEntries(Object.entries(data.calendarData).map(([name, c]) => [name, { ...c, intervalFormats: only(c.intervalFormats) }]));
  return { ...data, intervalFormats: only(data.intervalFormats), ...(calendarData ? { calendarData } : {}) };
}

/**
 * How a date and a time are joined, by the date's length (ICU pattern syntax), as Node 24 (ICU 77, CLDR 46) joins them:
 * CLDR 42 added the "atTime" forms that ICU uses for full and long dates ("July 1, 2024 at 10:30 AM"); the FormatJS
 * data still has the older ones ("July 1, 2024, 10:30 AM"). Read off Node 24 for each bundled locale.
 */
const DATE_TIME_GLUE = {
  en: { full: "{1} 'at' {0}", long: "{1} 'at' {0}", medium: '{1}, {0}', short: '{1}, {0}' },
  'en-GB': { full: "{1} 'at' {0}", long: "{1} 'at' {0}", medium: '{1}, {0}', short: '{1}, {0}' },
  de: { full: "{1} 'um' {0}", long: "{1} 'um' {0}", medium: '{1}, {0}', short: '{1}, {0}' },
  fr: { full: "{1} 'à' {0}", long: "{1} 'à' {0}", medium: '{1}, {0}', short: '{1} {0}' },
  es: { full: '{1}, {0}', long: "{1} 'a las' {0}", medium: '{1}, {0}', short: '{1}, {0}' },
  it: { full: "{1} 'alle ore' {0}", long: "{1} 'alle ore' {0}", medium: '{1}, {0}', short: '{1}, {0}' },
  nl: { full: "{1} 'om' {0}", long: "{1} 'om' {0}", medium: '{1}, {0}', short: '{1}, {0}' },
  pt: { full: "{1} 'às' {0}", long: "{1} 'às' {0}", medium: '{1}, {0}', short: '{1}, {0}' },
  pl: { full: '{1} {0}', long: '{1} {0}', medium: '{1}, {0}', short: '{1}, {0}' },
  sv: { full: "{1} 'kl'. {0}", long: "{1} 'kl'. {0}", medium: '{1} {0}', short: '{1} {0}' },
};

const join2 = (glue, date, time) => glue.replace('{1}', date).replace('{0}', time);

/** The date length ICU picks the glue by: a long weekday and month is full, a long month long, a short one medium. */
function dateWidth(skeleton) {
  if (/MMMM|LLLL/.test(skeleton)) return /EEEE/.test(skeleton) ? 'full' : 'long';
  return /MMM|LLL/.test(skeleton) ? 'medium' : 'short';
}

/**
 * `data` with Node 24's glue (DATE_TIME_GLUE): the dateStyle + timeStyle glue, and the polyfill's combined date-and-time
 * formats (keyed "<date skeleton><glue><time skeleton>", made with the old glue) joined anew.
 */
function withNodeGlue(locale, data) {
  const glue = DATE_TIME_GLUE[locale];
  if (!glue) return data;
  const old = data.dateTimeFormat;
  const rejoin = (formats) => Object.fromEntries(Object.entries(formats).map(([key, pattern]) => {
    for (const width of ['full', 'long', 'medium', 'short']) {
      const [dateKey, timeKey] = splitKey(key, old[width]);
      if (dateKey === undefined || !(dateKey in formats) || !(timeKey in formats)) continue;
      if (pattern !== join2(old[width], formats[dateKey], formats[timeKey])) continue;
      return [key, join2(glue[dateWidth(dateKey)], formats[dateKey], formats[timeKey])];
    }
    return [key, pattern];
  }));
  const formats = Object.fromEntries(Object.entries(data.formats).map(([calendar, f]) => [calendar, rejoin(f)]));
  return { ...data, dateTimeFormat: { ...glue }, formats };
}

/** A combined format's key split into its date and time skeletons by `glue`, or [] if it is not one. */
function splitKey(key, glue) {
  const [lead, rest] = glue.split('{1}');
  const [middle, tail] = rest.split('{0}');
  if (!key.startsWith(lead) || !key.endsWith(tail)) return [];
  const inner = key.slice(lead.length, key.length - tail.length);
  const at = inner.lastIndexOf(middle);
  if (middle === '' || at < 0) return [];
  return [inner.slice(0, at), inner.slice(at + middle.length)];
}

/**
 * CLDR 42+ puts a narrow no-break space (U+202F) before AM/PM ("10:30\u202fAM"); V8's date formatting gives a plain
 * space there instead (a web-compatibility change of Chromium's after pages that parsed the output broke; observed:
 * Node 24.22 prints "10:30 AM"). The data's patterns get plain spaces.
 */
function withAsciiSpaces(data) {
  return JSON.parse(JSON.stringify(data).replaceAll('\u202f', ' '));
}

/** Polyfill package → the name of its class in its ponyfill module. */
const KINDS = {
  numberformat: 'NumberFormat',
  datetimeformat: 'DateTimeFormat',
  pluralrules: 'PluralRules',
  relativetimeformat: 'RelativeTimeFormat',
  listformat: 'ListFormat',
};

const packageDir = (kind) => join(ROOT, 'node_modules', '@formatjs', `intl-${kind}`);

/** Runs one of the packages' generated data files against a stand-in `Intl`, returning what it passes to `method`. */
function captureData(file, method) {
  let captured;
  const constructor = { [method]: (...data) => (captured = data[0]) };
  const fakeIntl = new Proxy({}, { get: () => constructor, has: () => true });
  new Function('Intl', readFileSync(file, 'utf8'))(fakeIntl);
  if (captured === undefined) throw new Error(`${file} did not call ${method}`);
  return captured;
}

/** JavaScript source of data that may hold functions (plural rules come as code). */
function toSource(value) {
  if (typeof value === 'function') return value.toString();
  if (Array.isArray(value)) return `[${value.map(toSource).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toSource(v)}`).join(',')}}`;
  return JSON.stringify(value);
}
const hasFunction = (value) => typeof value === 'function' || (value !== null && typeof value === 'object' && Object.values(value).some(hasFunction));

/** A lazily made value: its JSON (or, for data with functions, its source) kept as a comment. */
const lazyValue = (lazy, value) => (hasFunction(value) ? `() => commentValue(${lazy.add(toSource(value))})` : `() => commentJSON(${lazy.add(JSON.stringify(value))})`);

async function localeModule(lazy, kind) {
  const dir = packageDir(kind);
  const module = await import(join(dir, 'index.js'));
  const Constructor = module[KINDS[kind]] ?? module.default;
  const owner = new Map(); // registered data object → locale
  const loaders = [];
  for (const locale of INTL_LOCALES) {
    let file = join(dir, 'locale-data', `${locale}.js`);
    try {
      readFileSync(file);
    } catch {
      continue; // e.g. plural rules exist per language only (en-GB uses en's)
    }
    const captured = captureData(file, '__addLocaleData');
    const entry = kind === 'datetimeformat' ? { ...captured, data: withNodeGlue(locale, withAsciiSpaces(withoutIntervalFormats(captured.data))) } : captured;
    const before = new Set(Object.values(Constructor.localeData));
    Constructor.__addLocaleData(entry);
    for (const data of Object.values(Constructor.localeData)) if (!before.has(data)) owner.set(data, locale);
    loaders.push(`${JSON.stringify(locale)}: ${lazyValue(lazy, entry.data)}`);
  }
  const tags = Object.fromEntries(Object.entries(Constructor.localeData).map(([tag, data]) => [tag, owner.get(data)]));
  return `export const ${kind} = { tags: ${JSON.stringify(tags)}, data: {\n${loaders.join(',\n')}\n} };\n`;
}

function timeZoneModule(lazy) {
  const { abbrvs, offsets, zones } = captureData(join(packageDir('datetimeformat'), 'add-all-tz.js'), '__addTZData');
  // One packed zone is "Name|transition|transition|...": each stays a comment until a run asks for that zone.
  const entries = zones.map((zone) => `${JSON.stringify(zone.slice(0, zone.indexOf('|')))}: () => commentText(${lazy.add(zone)})`);
  return `export const timeZones = { abbrvs: () => commentText(${lazy.add(abbrvs)}), offsets: () => commentText(${lazy.add(offsets)}), zones: {\n${entries.join(',\n')}\n} };\n`;
}

/** esbuild plugin for the main bundle: resolves `virtual:intl-data`, its texts kept in `lazy` (a LazyTexts). */
export function intlDataPlugin(lazy) {
  return {
    name: 'intl-data',
    setup(build) {
      build.onResolve({ filter: /^virtual:intl-data$/ }, (args) => ({ path: args.path, namespace: 'intl-data' }));
      build.onLoad({ filter: /.*/, namespace: 'intl-data' }, async () => {
        const parts = [`import { commentJSON, commentText, commentValue } from ${JSON.stringify(LAZY_SOURCE)};\n`, `export const locales = ${JSON.stringify(INTL_LOCALES)};\n`, timeZoneModule(lazy)];
        for (const kind of Object.keys(KINDS)) parts.push(await localeModule(lazy, kind));
        return { contents: parts.join(''), loader: 'js', resolveDir: ROOT };
      });
    },
  };
}

/** esbuild plugin for the lazily evaluated Intl bundle: `virtual:intl-data` is the bundle's parameter `intlData`. */
export function intlDataParameterPlugin() {
  return {
    name: 'intl-data-parameter',
    setup(build) {
      build.onResolve({ filter: /^virtual:intl-data$/ }, (args) => ({ path: args.path, namespace: 'intl-data' }));
      build.onLoad({ filter: /.*/, namespace: 'intl-data' }, () => ({ contents: 'module.exports = intlData;', loader: 'js' }));
    },
  };
}
