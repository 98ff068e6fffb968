// Run after a program that tampered with builtins in the ways case.json's first step lists: all of it must be undone.
const dirty = [
  'leak' in Array.prototype.map,
  typeof Object.getOwnPropertyDescriptor(Array.prototype, 'filter').value !== 'function',
  typeof Object.getOwnPropertyDescriptor(Array.prototype, 'some').value !== 'function',
  Object.getOwnPropertyDescriptor(Array.prototype, 'every').enumerable,
  typeof Object.getOwnPropertyDescriptor(Array.from, 'length').value !== 'number',
  [1, 2].join('-') !== '1-2',
  'joined' in Array.prototype,
  Reflect.ownKeys({ a: 1 }).length !== 1,
  [...[1, 2]].length !== 2,
  new WeakSet([Array]).has(Array) !== true,
  new Set().has(1),
];
console.log(dirty.some(Boolean) ? `dirty: ${dirty}` : 'clean');
