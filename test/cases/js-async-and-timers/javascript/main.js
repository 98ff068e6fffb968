// Delays leave room for a slow first run on a cold instance: the immediate must still come before the first timer.
setTimeout(() => console.log('timeout 200'), 200);
setImmediate(() => console.log('immediate'));
Promise.resolve().then(() => console.log('microtask'));
process.nextTick(() => console.log('nextTick'));
let n = 0;
const id = setInterval(() => { console.log('interval', ++n); if (n === 3) clearInterval(id); }, 220);
(async () => { await new Promise((r) => setTimeout(r, 900)); console.log('async done'); })();
console.log('sync');
