// Intl.Collator: a small collator that sorts Latin text as ICU (Node) does for the bundled locales. FormatJS has no
// Collator polyfill, and ICU's collation data (~several MB) is out of proportion for a sandbox.
//
// A string becomes, after canonical decomposition (NFD), a list of collation elements with three weights, compared
// level by level as in the Unicode Collation Algorithm:
// - primary: the base letter (a < b < ...; case and accents ignored), digits before letters, punctuation and symbols
//   before digits in ICU's order; letters of other scripts after Latin, by code point;
// - secondary: the accents (combining marks), in ICU's order of marks (acute < grave < breve < circumflex < ...);
// - tertiary: case (lower before upper, unless caseFirst: 'upper').
// Locale tailorings (Swedish å ä ö after z, Polish ą after a, Czech ch after h, ...) give letters their own primary.
// `sensitivity` picks the levels, `numeric` compares digit runs by value, `ignorePunctuation` skips spaces and
// punctuation (ICU's "variable" characters), and French Canadian compares accents from the end of the word.
import unorm from 'unorm';
import { unicodeRegExp } from '../unicode-regex.js';
import { DEFAULT_LOCALE } from './locale-data.js';

// ICU's primary order of the common spaces, punctuation and symbols; characters in one string share a primary.
const PUNCTUATION = ['\t', '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029', ' \u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000', '_', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', ',', ';', ':', '!', '\u00a1', '?', '\u00bf', '.', '\u2026', '\u00b7', "'\u2018\u2019\u201a\u2039\u203a", '"\u201c\u201d\u201e\u00ab\u00bb', '(', ')', '[', ']', '{', '}', '\u00a7', '\u00b6', '@', '*', '/', '\\', '&', '#', '%', '\u2020', '\u2021'];
const SYMBOLS = '\u2022 ` \u00b4 ^ \u00a8 \u00b0 \u00a9 \u00ae + \u00b1 \u00f7 \u00d7 < = > \u00ac | \u00a6 ~ \u00a4 \u00a2 $ \u00a3 \u00a5 \u20ac'.split(' ');
/** Combining marks in ICU's secondary order (measured with Node's Intl.Collator on 'a' + mark). */
const MARKS = [0x34f, 0x332, 0x313, 0x343, 0x314, 0x301, 0x341, 0x300, 0x340, 0x306, 0x302, 0x30c, 0x30a, 0x342, 0x308, 0x344, 0x30b, 0x303, 0x307, 0x338, 0x327, 0x328, 0x304, 0x30d, 0x30e, 0x312, 0x315, 0x31a, 0x33d, 0x33e, 0x33f, 0x346, 0x34a, 0x34b, 0x34c, 0x350, 0x351, 0x352, 0x357, 0x35b, 0x35d, 0x35e, 0x316, 0x317, 0x318, 0x319, 0x31c, 0x31d, 0x31e, 0x31f, 0x320, 0x329, 0x32a, 0x32b, 0x32c, 0x32f, 0x333, 0x33a, 0x33b, 0x33c, 0x347, 0x348, 0x349, 0x34d, 0x34e, 0x353, 0x354, 0x355, 0x356, 0x359, 0x35a, 0x35c, 0x35f, 0x362, 0x336, 0x337, 0x335, 0x305, 0x309, 0x30f, 0x310, 0x311, 0x31b, 0x321, 0x322, 0x323, 0x324, 0x325, 0x326, 0x32d, 0x32e, 0x330, 0x331, 0x334, 0x339, 0x345, 0x358, 0x360, 0x361, 0x363, 0x368, 0x369, 0x364, 0x36a, 0x365, 0x36b, 0x366, 0x36c, 0x36d, 0x367, 0x36e, 0x36f];
/** A secondary weight for a stroke or other letter variant without a combining mark (đ = d + stroke). */
const STROKE = MARKS.indexOf(0x338) + 2;

const PUNCTUATION_BASE = 1;
const SYMBOL_BASE = 1000;
const DIGIT_BASE = 2000;
const LATIN_BASE = 3000;
const OTHER_BASE = 10000;
/** Weights between letters: a tailored letter sorts after its base letter (`LATIN_BASE + index * STEP + n`). */
const STEP = 10;

const latin = (letter: string, offset = 0) => LATIN_BASE + (letter.charCodeAt(0) - 97) * STEP + offset;

interface Weight {
  p: number;
  s?: number;
  t?: number;
}

/** Letters of root collation beyond a-z: their primary, a secondary variant, or an expansion. */
const ROOT_LETTERS: Record<string, Weight[]> = {
  æ: [{ p: latin('a', 5) }],
  ð: [{ p: latin('d', 5) }],
  đ: [{ p: latin('d'), s: STROKE }],
  ħ: [{ p: latin('h', 5) }],
  ı: [{ p: latin('i', 5) }],
  ĳ: [{ p: latin('i') }, { p: latin('j') }],
  ł: [{ p: latin('l', 5) }],
  ŋ: [{ p: latin('n', 5) }],
  ø: [{ p: latin('o'), s: STROKE }],
  œ: [{ p: latin('o', 6) }],
  ß: [{ p: latin('s'), t: 2 }, { p: latin('s'), t: 2 }],
  ſ: [{ p: latin('s'), t: 2 }],
  þ: [{ p: latin('z', 5) }],
};

/**
 * Tailorings: a sequence (NFD, lower case) → its weights, per language, from CLDR's rules for these languages
 * (`after('z', n)` is the n-th letter after z). Root collation serves the others (en, de, fr, es's other letters,
 * it, nl, pt).
 */
const after = (letter: string, n: number, s = 0): Weight => ({ p: latin(letter, n), s: s || undefined });
const NORDIC_Y = { 'u\u0308': [after('y', 0, 2)], 'u\u030b': [after('y', 0, 3)] };
const TAILORINGS: Record<string, Record<string, Weight[]>> = {
  sv: { ...NORDIC_Y, 'a\u030a': [after('z', 6)], 'a\u0308': [after('z', 7)], æ: [after('z', 7, 2)], 'e\u0328': [after('z', 7, 3)], 'o\u0308': [after('z', 8)], ø: [after('z', 8, 2)], 'o\u030b': [after('z', 8, 3)], œ: [after('z', 8, 4)], 'o\u0302': [after('z', 8, 5)] },
  fi: { ...NORDIC_Y, 'a\u030a': [after('z', 6)], 'a\u0308': [after('z', 7)], æ: [after('z', 7, 2)], 'o\u0308': [after('z', 8)], ø: [after('z', 8, 2)] },
  da: { ...NORDIC_Y, æ: [after('z', 6)], 'a\u0308': [after('z', 6, 2)], ø: [after('z', 7)], 'o\u0308': [after('z', 7, 2)], 'a\u030a': [after('z', 8)] },
  nb: { ...NORDIC_Y, æ: [after('z', 6)], 'a\u0308': [after('z', 6, 2)], 'e\u0328': [after('z', 6, 3)], ø: [after('z', 7)], 'o\u0308': [after('z', 7, 2)], 'a\u030a': [after('z', 8)] },
  pl: { 'a\u0328': [after('a', 6)], 'c\u0301': [after('c', 6)], 'e\u0328': [after('e', 6)], 'n\u0301': [after('n', 6)], 'o\u0301': [after('o', 7)], 's\u0301': [after('s', 6)], 'z\u0301': [after('z', 1)], 'z\u0307': [after('z', 2)] },
  es: { 'n\u0303': [after('n', 6)] },
  cs: { 'c\u030c': [after('c', 6)], ch: [after('h', 6)], 'r\u030c': [after('r', 6)], 's\u030c': [after('s', 6)], 'z\u030c': [after('z', 1)] },
};
TAILORINGS.no = TAILORINGS.nb;
TAILORINGS.nn = TAILORINGS.nb;

// Character classes: the bundler rewrites these calls into plain `u` regexes (scripts/regexpu-properties.mjs).
const isMark = unicodeRegExp('^\\p{M}$', 'u');
const isDigit = unicodeRegExp('^\\p{Nd}$', 'u');
const isSpaceOrPunctuation = unicodeRegExp('^[\\p{Z}\\p{P}\\p{Cc}]$', 'u');
const isSymbol = unicodeRegExp('^\\p{S}$', 'u');

function rankTable(order: string[], base: number): Map<string, number> {
  const table = new Map<string, number>();
  order.forEach((group, rank) => {
    for (const ch of group) table.set(ch, base + rank);
  });
  return table;
}
const PUNCTUATION_RANK = rankTable(PUNCTUATION, PUNCTUATION_BASE);
const SYMBOL_RANK = rankTable(SYMBOLS, SYMBOL_BASE);

/** The value of a decimal digit of any script (digits come in runs of ten from 0). */
function digitValue(cp: number): number {
  let start = cp;
  while (cp - start < 9 && isDigit.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

interface Element {
  p: number;
  /** Secondary weights: 1 for the element itself, then its accents. */
  s: number[];
  t: number;
  /** Spaces and punctuation: skipped with ignorePunctuation. */
  variable: boolean;
}

export interface CollatorOptions {
  tailoring: Record<string, Weight[]> | undefined;
  numeric: boolean;
}

/** Decomposes a string into collation elements. */
export function collationElements(text: string, { tailoring, numeric }: CollatorOptions): Element[] {
  const chars = Array.from(unorm.nfd(text));
  const elements: Element[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const lower = ch.toLowerCase();
    const upper = lower !== ch ? 1 : 0;
    if (tailoring) {
      // The longest tailored sequence starting here (letter plus mark, or a contraction such as Czech "ch").
      let matched = 0;
      for (let n = Math.min(3, chars.length - i); n >= 1 && !matched; n--) {
        const seq = chars.slice(i, i + n).join('').toLowerCase();
        const weights = tailoring[seq];
        if (!weights) continue;
        for (const w of weights) elements.push({ p: w.p, s: w.s ? [1, w.s] : [1], t: upper, variable: false });
        matched = n;
      }
      if (matched) {
        i += matched - 1;
        continue;
      }
    }
    if (isMark.test(ch)) {
      const weight = MARKS.indexOf(ch.codePointAt(0)!);
      if (elements.length) elements[elements.length - 1].s.push(weight >= 0 ? weight + 2 : MARKS.length + 2);
      continue;
    }
    const root = ROOT_LETTERS[lower];
    if (root) {
      for (const w of root) elements.push({ p: w.p, s: w.s ? [1, w.s] : [1], t: (w.t ?? 0) + upper, variable: false });
      continue;
    }
    if (lower >= 'a' && lower <= 'z') {
      elements.push({ p: latin(lower), s: [1], t: upper, variable: false });
      continue;
    }
    if (isDigit.test(ch)) {
      if (!numeric) {
        elements.push({ p: DIGIT_BASE + digitValue(ch.codePointAt(0)!), s: [1], t: 0, variable: false });
        continue;
      }
      // A run of digits compares by value: its length (leading zeros dropped) first, then its digits.
      let digits = '';
      while (i < chars.length && isDigit.test(chars[i])) digits += digitValue(chars[i++].codePointAt(0)!);
      i--;
      digits = digits.replace(/^0+(?=.)/, '');
      elements.push({ p: DIGIT_BASE + 10 + digits.length, s: [1], t: 0, variable: false });
      for (const d of digits) elements.push({ p: DIGIT_BASE + Number(d), s: [1], t: 0, variable: false });
      continue;
    }
    const punctuation = PUNCTUATION_RANK.get(ch) ?? (isSpaceOrPunctuation.test(ch) ? PUNCTUATION_BASE + 500 : undefined);
    if (punctuation !== undefined) {
      elements.push({ p: punctuation, s: [1], t: 0, variable: true });
      continue;
    }
    const symbol = SYMBOL_RANK.get(ch) ?? (isSymbol.test(ch) ? SYMBOL_BASE + 500 : undefined);
    if (symbol !== undefined) {
      elements.push({ p: symbol, s: [1], t: 0, variable: false });
      continue;
    }
    elements.push({ p: OTHER_BASE + lower.codePointAt(0)!, s: [1], t: upper, variable: false });
  }
  return elements;
}

export type Sensitivity = 'base' | 'accent' | 'case' | 'variant';

/** A string's sort key: one list of weights per level. */
export interface SortKey {
  primary: number[];
  secondary: number[];
  tertiary: number[];
}

export interface KeyOptions extends CollatorOptions {
  ignorePunctuation: boolean;
  upperFirst: boolean;
  backwardSecondary: boolean;
}

export function sortKey(text: string, options: KeyOptions): SortKey {
  const key: SortKey = { primary: [], secondary: [], tertiary: [] };
  for (const e of collationElements(text, options)) {
    if (options.ignorePunctuation && e.variable) continue;
    key.primary.push(e.p);
    key.secondary.push(...e.s);
    key.tertiary.push(options.upperFirst ? (e.t === 1 ? 0 : e.t === 0 ? 1 : e.t) : e.t);
  }
  if (options.backwardSecondary) key.secondary.reverse();
  return key;
}

function compareLists(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareKeys(a: SortKey, b: SortKey, sensitivity: Sensitivity): number {
  const primary = compareLists(a.primary, b.primary);
  if (primary || sensitivity === 'base') return primary;
  if (sensitivity !== 'case') {
    const secondary = compareLists(a.secondary, b.secondary);
    if (secondary || sensitivity === 'accent') return secondary;
  }
  return compareLists(a.tertiary, b.tertiary);
}

type ResolvedCollatorOptions = {
  locale: string;
  usage: 'sort' | 'search';
  sensitivity: Sensitivity;
  ignorePunctuation: boolean;
  collation: string;
  numeric: boolean;
  caseFirst: 'upper' | 'lower' | 'false';
};

const slots = new WeakMap<object, { resolved: ResolvedCollatorOptions; keyOptions: KeyOptions; keys: Map<string, SortKey>; bound?: (a: string, b: string) => number }>();

function slotsOf(collator: unknown, method: string) {
  const s = typeof collator === 'object' && collator !== null ? slots.get(collator) : undefined;
  if (!s) throw new TypeError(`Method Intl.Collator.prototype.${method} called on incompatible receiver ${String(collator)}`);
  return s;
}

function option<T extends string>(options: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
  const value = options[name];
  if (value === undefined) return fallback;
  const text = String(value);
  if (!allowed.includes(text as T)) throw new RangeError(`Value ${text} out of range for Intl.Collator options property ${name}`);
  return text as T;
}

/** Keys kept per collator: a sort compares each string many times. */
const KEY_CACHE_LIMIT = 10000;

export class Collator {
  constructor(locales?: string | string[], options?: Record<string, unknown>) {
    if (!new.target) return new Collator(locales, options);
    const opts = options === undefined ? {} : Object(options);
    const requested = Intl.getCanonicalLocales(locales);
    const usage = option(opts, 'usage', ['sort', 'search'] as const, 'sort')!;
    // The first requested locale whose language we know (every language falls back to root collation).
    const locale = requested[0] ?? DEFAULT_LOCALE;
    const parsed = new Intl.Locale(locale);
    const numericOption = opts.numeric === undefined ? undefined : Boolean(opts.numeric);
    const caseFirstOption = option(opts, 'caseFirst', ['upper', 'lower', 'false'] as const, undefined);
    const numeric = numericOption ?? parsed.numeric ?? false;
    const caseFirst = caseFirstOption ?? (parsed.caseFirst as ResolvedCollatorOptions['caseFirst'] | undefined) ?? 'false';
    const sensitivity = option(opts, 'sensitivity', ['base', 'accent', 'case', 'variant'] as const, 'variant')!;
    const ignorePunctuation = opts.ignorePunctuation === undefined ? parsed.language === 'th' : Boolean(opts.ignorePunctuation);
    // The resolved locale keeps the -u- keys that took effect (as ICU reports them) and drops the rest.
    let resolvedLocale = new Intl.Locale(parsed.baseName).toString();
    if (parsed.numeric !== undefined && numericOption === undefined) resolvedLocale += `-u-kn${parsed.numeric ? '' : '-false'}`;
    const resolved: ResolvedCollatorOptions = { locale: resolvedLocale, usage, sensitivity, ignorePunctuation, collation: 'default', numeric, caseFirst };
    const keyOptions: KeyOptions = {
      tailoring: TAILORINGS[parsed.language],
      numeric,
      ignorePunctuation,
      upperFirst: caseFirst === 'upper',
      backwardSecondary: parsed.language === 'fr' && parsed.region === 'CA',
    };
    slots.set(this, { resolved, keyOptions, keys: new Map() });
  }

  get compare(): (a: string, b: string) => number {
    const s = slotsOf(this, 'compare');
    if (!s.bound) {
      const { keys, keyOptions, resolved } = s;
      const keyOf = (text: string) => {
        let key = keys.get(text);
        if (!key) {
          if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
          keys.set(text, (key = sortKey(text, keyOptions)));
        }
        return key;
      };
      s.bound = (a: string, b: string) => {
        const x = String(a);
        const y = String(b);
        return x === y ? 0 : compareKeys(keyOf(x), keyOf(y), resolved.sensitivity);
      };
    }
    return s.bound;
  }

  resolvedOptions(): ResolvedCollatorOptions {
    return { ...slotsOf(this, 'resolvedOptions').resolved };
  }

  static supportedLocalesOf(locales?: string | string[]): string[] {
    return Intl.getCanonicalLocales(locales);
  }
}

Object.defineProperty(Collator.prototype, Symbol.toStringTag, { value: 'Intl.Collator', configurable: true });
