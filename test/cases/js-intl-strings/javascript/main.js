// localeCompare and Collator, normalize, segmenter, locale case mapping.
const words = ['Resume', 'apple', 'résumé', 'resume', 'Zebra', 'zebra', 'éclair', 'Eclair', 'banana', 'Äpfel', 'apfel'];
console.log([...words].sort((a, b) => a.localeCompare(b)).join(','));
console.log([...words].sort(new Intl.Collator('en', { sensitivity: 'base' }).compare).join(','));
const names = ['Östberg', 'Ørsted', 'Zoë', 'Åsa', 'Ängel', 'Anders', 'Émile', 'Eve', 'Łukasz', 'Lars', 'Ñandú', 'Nora', 'Çelik', 'Chris', 'Cordelia', 'Ülrich', 'Yvonne'];
for (const locale of ['en', 'de', 'fr', 'es', 'sv', 'pl', 'it', 'nl', 'pt']) console.log(locale, [...names].sort(new Intl.Collator(locale).compare).join(' '));
console.log(['item10', 'item2', 'item1', 'Item3'].sort(new Intl.Collator('en', { numeric: true }).compare).join(' '), ['a10', 'a9'].sort(new Intl.Collator('en-u-kn').compare).join(' '));
console.log(['b', 'B', 'a', 'A'].sort(new Intl.Collator('en', { caseFirst: 'upper' }).compare).join(''), 'a'.localeCompare('B'), 'a'.localeCompare('A'), 'a'.localeCompare('á', undefined, { sensitivity: 'base' }));
console.log(['co-op', 'coop', 'co op', 'Coop'].sort(new Intl.Collator('en', { ignorePunctuation: true }).compare).join('|'), ['co-op', 'coop', 'co op', 'cop'].sort(new Intl.Collator('en').compare).join('|'));
console.log(new Intl.Collator('de').resolvedOptions().sensitivity, new Intl.Collator('en', { numeric: true }).resolvedOptions().numeric);
const composed = 'Crème brûlée', decomposed = composed.normalize('NFD');
console.log(decomposed.length, composed.length, decomposed.normalize('NFC') === composed, 'ﬁ①'.normalize('NFKC'), 'Å'.normalize('NFKD').length);
try { 'x'.normalize('nope'); } catch (e) { console.log(e.name, e.message); }
const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
console.log([...segmenter.segment("Don't split me, please: it's 3.5 km!")].filter((s) => s.isWordLike).map((s) => s.segment));
console.log([...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment('e\u0301👍🏽🇩🇪')].length, [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment('Hi there. How are you? Fine!')].map((s) => s.segment.trim()));
console.log('istanbul'.toLocaleUpperCase('tr-TR'), 'İSTANBUL'.toLocaleLowerCase('tr'), 'TITLE'.toLocaleLowerCase('en-US'), 'straße'.toLocaleUpperCase('de'));
console.log(Intl.getCanonicalLocales(['EN-us', 'de-de']), new Intl.Locale('en-Latn-US').language, new Intl.Locale('de', { region: 'AT' }).toString(), Intl.supportedValuesOf('currency').includes('EUR'));
