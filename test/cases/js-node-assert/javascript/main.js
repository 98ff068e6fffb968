const assert = require('assert');
const strict = require('node:assert/strict');
function show(fn) {
  try { fn(); console.log('no throw'); } catch (e) { console.log(`${e.name} [${e.code}] ${e.operator} generated=${e.generatedMessage}\n${e.message}\n---`); }
}
show(() => assert.strictEqual(1, 2));
show(() => assert.strictEqual('hello world', 'hello there'));
show(() => assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }));
show(() => assert.deepStrictEqual([1, 2, 3], [1, 2, 3]));
show(() => assert.equal(1, '1'));
show(() => assert.notStrictEqual(5, 5));
show(() => assert.ok(0));
show(() => assert(false, 'custom message'));
show(() => assert.throws(() => { throw new TypeError('bad'); }, TypeError));
show(() => assert.throws(() => { throw new TypeError('bad'); }, /bad/));
show(() => assert.throws(() => {}));
show(() => assert.throws(() => { throw new Error('wrong'); }, { message: 'right' }));
show(() => assert.match('abc', /^x/));
show(() => strict.equal(1, '1'));
show(() => assert.deepEqual({ a: 1 }, { a: '1' }));
show(() => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }));
show(() => assert.fail('boom'));
console.log(assert.strict === strict, typeof assert.AssertionError, new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' }).message);
assert.rejects(Promise.reject(new Error('async fail')), /async/).then(() => console.log('rejects ok'));
assert.rejects(Promise.resolve(1)).catch((e) => console.log('rejects:', e.message));
