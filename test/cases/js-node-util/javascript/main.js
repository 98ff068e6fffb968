const util = require('util');
const { parseArgs } = require('node:util');

const { values, positionals } = parseArgs({
  args: ['--name', 'Ada', '-v', '--count=3', 'input.txt', '--tag', 'a', '--tag', 'b'],
  options: {
    name: { type: 'string', short: 'n' },
    verbose: { type: 'boolean', short: 'v' },
    count: { type: 'string' },
    tag: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'fast' },
  },
  allowPositionals: true,
});
console.log(values, positionals);
try { parseArgs({ args: ['--bogus'], options: {} }); } catch (e) { console.log(e.code, e.message); }
try { parseArgs({ args: ['file'], options: {} }); } catch (e) { console.log(e.code, e.message); }
const { tokens } = parseArgs({ args: ['-ab', '--', 'rest'], options: { a: { type: 'boolean' }, b: { type: 'boolean' } }, tokens: true, allowPositionals: true });
console.log(tokens.map((t) => t.kind + ':' + (t.name ?? t.value ?? '')).join(' '));

const nested = { a: { b: { c: { d: { e: 1 } } } }, list: [1, 2, 3], z: 'str' };
console.log(util.inspect(nested));
console.log(util.inspect(nested, { depth: 0 }));
console.log(util.inspect(nested, { depth: null, compact: false }));
console.log(util.inspect(nested, { breakLength: Infinity, depth: Infinity }));
console.log(util.inspect({ b: 2, a: 1, c: [3] }, { sorted: true, colors: false }));
console.log(util.format('%s is %d years and %i days, %j %%', 'Ada', 36.5, 12.9, { x: 1 }));
console.log(util.format('extra', 1, 'two', { three: 3 }));

const sleep = util.promisify(setTimeout);
function legacy(a, cb) { setTimeout(() => cb(null, a * 2), 1); }
function custom() {}
custom[util.promisify.custom] = () => Promise.resolve('custom!');
console.log(util.promisify.custom === Symbol.for('nodejs.util.promisify.custom'), util.promisify(custom)() instanceof Promise);
async function answer(x) { return x + 1; }
util.callbackify(answer)(41, (err, v) => console.log('callbackify', err, v));
(async () => {
  await sleep(5);
  console.log('promisify', await util.promisify(legacy)(21), await util.promisify(custom)());
  try { await util.promisify((cb) => cb(new Error('nope')))(); } catch (e) { console.log('rejected', e.message); }
})();

const t = util.types;
console.log(t.isDate(new Date()), t.isRegExp(/x/), t.isPromise(Promise.resolve()), t.isTypedArray(new Uint8Array()), t.isTypedArray(new DataView(new ArrayBuffer(1))),
  t.isMap(new Map()), t.isSet(new Set()), t.isAsyncFunction(answer), t.isGeneratorFunction(function* () {}), t.isArrayBuffer(new ArrayBuffer(1)), t.isNativeError(new TypeError()), t.isBoxedPrimitive(Object(1)));
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return `${this.name} speaks`; };
function Dog(name) { Animal.call(this, name); }
util.inherits(Dog, Animal);
console.log(new Dog('Rex').speak(), Dog.super_ === Animal, Object.getPrototypeOf(Dog) === Function.prototype);
console.log(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), util.isDeepStrictEqual([1], ['1']), util.isDeepStrictEqual(new Set([1, 2]), new Set([2, 1])));
const old = util.deprecate(() => 'still works', 'old() is deprecated, use neu()', 'DEP_X');
console.log(old(), old());
console.log(new util.TextDecoder().decode(new util.TextEncoder().encode('héllo')), util.stripVTControlCharacters('\u001b[31mred\u001b[0m'), util.styleText('red', 'plain'));
console.log(typeof util.debuglog('x'), util.inspect('str'), util.inspect(new Error('e').message));
