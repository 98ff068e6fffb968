// Unicode property escapes and the v flag, in literals and in new RegExp().
console.log('Hello wörld, Καλημέρα κόσμε 123'.match(/\p{L}+/gu));
console.log('Καλημέρα world'.match(/\p{Script=Greek}+/u)[0], /^\P{L}+$/u.test('123 !?'), /\p{Lu}/u.test('É'), /\p{Emoji_Presentation}/u.test('ok 👍'));
console.log('naïve café'.replace(/\p{M}/gu, ''), 'naïve café'.normalize('NFD').replace(/\p{Diacritic}/gu, ''));
const dynamic = new RegExp('\\p{Letter}+', 'gu');
console.log('a1 βγ2 дж'.match(dynamic), RegExp('\\p{N}+', 'u').exec('abc 42')[0], new RegExp('[\\p{L}--[a-z]]', 'v').test('b'), new RegExp('[\\p{L}--[a-z]]', 'v').test('B'));
console.log(/[\p{L}&&\p{Script=Latin}]+/v.exec('Ωmega latin')[0], /[\p{Decimal_Number}--[0-9]]/v.test('٣'), /^\p{RGI_Emoji}$/v.test('👨‍👩‍👧'));
const slug = (s) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
console.log(slug('Ärger über Öl — Straße № 5!'));
console.log(new RegExp('\\p{L}', 'u') instanceof RegExp, /x/ instanceof RegExp, typeof RegExp.prototype.exec, 'a-b_c'.split(/[\p{P}]/u));
try { new RegExp('\\p{NotAProperty}', 'u'); } catch (e) { console.log(e.name); }
