// Date and time together, as every bundled locale joins them in Node 24 ("July 1, 2024 at 12:30 PM", "1. Juli 2024 um
// 12:30"), and the plain space V8 puts before AM/PM; the expected output is what Node 24 prints.
const d = new Date(Date.UTC(2024, 6, 1, 10, 30, 5));
const combos = [
  { dateStyle: 'full', timeStyle: 'short' }, { dateStyle: 'long', timeStyle: 'short' }, { dateStyle: 'medium', timeStyle: 'short' }, { dateStyle: 'short', timeStyle: 'short' },
  { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  { month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  { hour: 'numeric', minute: '2-digit' }, { dateStyle: 'long' },
];
for (const loc of ['en-US', 'en-GB', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'sv']) {
  for (const o of combos) console.log(loc, JSON.stringify(o), new Intl.DateTimeFormat(loc, { timeZone: 'Europe/Berlin', ...o }).format(d));
}
console.log(d.toLocaleString('en-US'), '|', d.toLocaleString('de-DE'), '|', d.toLocaleTimeString('en-US'));
