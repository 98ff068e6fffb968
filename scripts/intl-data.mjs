// The locale and time-zone data of the JavaScript guest's Intl (the FormatJS polyfills), generated at build time from
// the pinned @formatjs packages into the virtual module `virtual:intl-data` (declared in
// components/javascript/src/intl/data.d.ts).
//
// The data is large (~200 kB of JSON per locale, 1.3 MB of time zones) and most runs use none of it, so each locale's
// data is a function returning `JSON.parse('...')` (or the data's source, for plural rules, which are code): SpiderMonkey only syntax-checks a function body until it is first
// called, so the pre-initialised heap holds the source text and no objects or atoms; a run that formats in German
// parses the German data then (the host's reset forgets it after the run).
//
// Which language tags each locale's data serves (`en` also serves `en-US`, `en-GB` falls back to `en`, ...) is what
// the polyfill's own registration computes: we register every locale with the Node-side ponyfill here and read it off.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

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

/** A lazily made value: `() => JSON.parse('<json>')`, or `() => (<source>)` for data with functions. */
const lazyValue = (value) => (hasFunction(value) ? `() => (${toSource(value)})` : `() => JSON.parse(${JSON.stringify(JSON.stringify(value))})`);

async function localeModule(kind) {
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
    const entry = kind === 'datetimeformat' ? { ...captured, data: withoutIntervalFormats(captured.data) } : captured;
    const before = new Set(Object.values(Constructor.localeData));
    Constructor.__addLocaleData(entry);
    for (const data of Object.values(Constructor.localeData)) if (!before.has(data)) owner.set(data, locale);
    loaders.push(`${JSON.stringify(locale)}: ${lazyValue(entry.data)}`);
  }
  const tags = Object.fromEntries(Object.entries(Constructor.localeData).map(([tag, data]) => [tag, owner.get(data)]));
  return `export const ${kind} = { tags: ${JSON.stringify(tags)}, data: {\n${loaders.join(',\n')}\n} };\n`;
}

function timeZoneModule() {
  const { abbrvs, offsets, zones } = captureData(join(packageDir('datetimeformat'), 'add-all-tz.js'), '__addTZData');
  // One packed zone is "Name|transition|transition|...": each stays a string until a run asks for that zone.
  const entries = zones.map((zone) => `${JSON.stringify(zone.slice(0, zone.indexOf('|')))}: () => ${JSON.stringify(zone)}`);
  return `export const timeZones = { abbrvs: ${JSON.stringify(abbrvs)}, offsets: ${JSON.stringify(offsets)}, zones: {\n${entries.join(',\n')}\n} };\n`;
}

/** esbuild plugin: resolves `virtual:intl-data`. */
export function intlDataPlugin() {
  return {
    name: 'intl-data',
    setup(build) {
      build.onResolve({ filter: /^virtual:intl-data$/ }, (args) => ({ path: args.path, namespace: 'intl-data' }));
      build.onLoad({ filter: /.*/, namespace: 'intl-data' }, async () => {
        const parts = [`export const locales = ${JSON.stringify(INTL_LOCALES)};\n`, timeZoneModule()];
        for (const kind of Object.keys(KINDS)) parts.push(await localeModule(kind));
        return { contents: parts.join(''), loader: 'js' };
      });
    },
  };
}
