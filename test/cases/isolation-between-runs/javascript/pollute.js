globalThis.leak = 'global';
Array.prototype.leak = 'proto';
String.prototype.trim = () => 'patched';
Math.max = () => 42;
require('fs').readFileSync = () => 'patched';
console.log('polluted');
