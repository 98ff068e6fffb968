// Dates in UTC, Europe/Berlin and America/New_York; relative times and lists.
const d = new Date(Date.UTC(2024, 2, 31, 0, 30, 15)); // the night Europe switches to summer time
console.log(d.toLocaleString('de-DE', { timeZone: 'Europe/Berlin' }));
console.log(new Date(Date.UTC(2024, 2, 31, 1, 30)).toLocaleString('de-DE', { timeZone: 'Europe/Berlin' }));
// Dates with times in every bundled locale: case js-intl-date-time.
console.log(d.toLocaleDateString('en-US', { timeZone: 'UTC' }), d.toLocaleDateString(undefined, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }));
console.log(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d));
console.log(new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' }).format(d));
console.log(new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(d));
console.log(new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeZone: 'UTC' }).format(d), '|', new Intl.DateTimeFormat('it-IT', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d));
console.log(new Intl.DateTimeFormat('en-US', { hour12: false, hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' }).format(d));
console.log(new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin' }).resolvedOptions().timeZone, new Intl.DateTimeFormat().resolvedOptions().timeZone);
console.log(new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).formatToParts(d).map((p) => `${p.type}:${p.value}`).join(' '));
try { new Intl.DateTimeFormat('en-US', { timeZone: 'Mars/Olympus' }); } catch (e) { console.log(e.name); }
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
console.log(rtf.format(-1, 'day'), '|', rtf.format(2, 'week'), '|', new Intl.RelativeTimeFormat('de').format(-3, 'hour'), '|', new Intl.RelativeTimeFormat('en', { style: 'short' }).format(5, 'minute'));
console.log(new Intl.ListFormat('en', { type: 'conjunction' }).format(['apples', 'pears', 'plums']), '|', new Intl.ListFormat('en', { type: 'disjunction' }).format(['a', 'b']), '|', new Intl.ListFormat('de').format(['Äpfel', 'Birnen', 'Pflaumen']));
console.log(new Date(NaN).toLocaleString(), typeof Intl.DateTimeFormat.supportedLocalesOf, Intl.DateTimeFormat.supportedLocalesOf(['de-DE', 'fr']));
