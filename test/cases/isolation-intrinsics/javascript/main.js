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
  Object.getPrototypeOf(Array.prototype.map) !== Function.prototype,
  Object.getPrototypeOf(JSON) !== Object.prototype,
  Object.getPrototypeOf(Math) !== Object.prototype,
  Object.getPrototypeOf(Number.prototype) !== Object.prototype,
  Object.getOwnPropertyDescriptor(Array.prototype, '0') !== undefined,
  Array.prototype.map.name !== 'map' || Object.getOwnPropertyDescriptor(Array.prototype.map, 'name').writable,
  typeof Object.prototype.__lookupGetter__.call(RegExp.prototype, 'flags') !== 'function',
  /a/g.flags !== 'g' || /a/.flags !== '',
];
console.log(dirty.some(Boolean) ? `dirty: ${dirty}` : 'clean');
