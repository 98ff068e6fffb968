// The snippets and an agent's currency table.
console.log((91000.25).toLocaleString('en-US', { minimumFractionDigits: 2 }));
console.log((0.256).toLocaleString('en-US', { style: 'percent' }));
console.log(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(1234567.891));
console.log(new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234567.891));
console.log(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(-9876.5));
console.log(new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', currencyDisplay: 'name' }).format(2));
console.log(new Intl.NumberFormat('en-US', { notation: 'compact' }).format(1234567), new Intl.NumberFormat('en-US', { notation: 'compact', compactDisplay: 'long' }).format(98765));
console.log(new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(123456), (1e21).toLocaleString('en-US'));
console.log(new Intl.NumberFormat('en-US', { style: 'unit', unit: 'kilometer-per-hour' }).format(88), new Intl.NumberFormat('de', { style: 'unit', unit: 'liter', unitDisplay: 'long' }).format(3));
console.log((1234.5).toLocaleString(), (12345678901234567890n).toLocaleString('en-US'), [1234.5, 9876.25].toLocaleString('de-DE'));
const rows = [['Widget', 1299.5, 3], ['Gadget', 49.99, 12], ['Gizmo', 0.5, 1000]];
for (const locale of ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR', 'pl-PL', 'sv-SE']) {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
  const count = new Intl.NumberFormat(locale);
  console.log(locale.padEnd(6), rows.map(([name, price, qty]) => `${name} ${count.format(qty)} × ${money.format(price)} = ${money.format(price * qty)}`).join(' | '));
}
const pr = new Intl.PluralRules('en-US');
console.log([0, 1, 2].map((n) => pr.select(n)), [1, 2, 3, 4, 11].map((n) => new Intl.PluralRules('en-US', { type: 'ordinal' }).select(n)), [1, 2, 5, 22].map((n) => new Intl.PluralRules('pl').select(n)));
console.log(new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).formatToParts(0.1234).map((p) => p.type).join(','));
console.log(new Intl.NumberFormat('de-DE').resolvedOptions().locale, new Intl.NumberFormat().resolvedOptions().locale);
