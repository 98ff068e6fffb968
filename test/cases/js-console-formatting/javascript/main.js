console.log({ a: 1, b: 'two', c: [1, 2, 3], d: { e: { f: { g: 1 } } } });
console.log(new Map([['k', 'v']]), new Set([1, 2]), function named() {}, null, undefined, 10n);
console.log(['x', 'y'], true, 1.5, -0);
process.stdout.write('raw-no-newline|');
console.log('%s formatted %d %j', '%s', 42, { j: 1 });
console.log(Buffer.from('hi'), new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), /re/g);
console.error('to stderr');
console.warn('warn too');
