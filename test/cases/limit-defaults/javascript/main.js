// Busy for about 600 ms of wall time.
const end = Date.now() + 600;
while (Date.now() < end) {}
console.log('done');
console.log('and more');
