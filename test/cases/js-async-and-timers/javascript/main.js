setTimeout(() => console.log('timeout 50'), 50);
setImmediate(() => console.log('immediate'));
Promise.resolve().then(() => console.log('microtask'));
process.nextTick(() => console.log('nextTick'));
let n = 0;
const id = setInterval(() => { console.log('interval', ++n); if (n === 3) clearInterval(id); }, 60);
(async () => { await new Promise((r) => setTimeout(r, 250)); console.log('async done'); })();
console.log('sync');
