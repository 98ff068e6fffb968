const { triple } = require('./lib/triple');
const util = require('./util');
const c = require('./other.cjs');
const data = require('./data.json');
console.log(triple(2), util.name, c, data.n, __dirname.startsWith('/'), require('path').basename(__filename));
for (const m of ['child_process', './nope']) {
  try { require(m); } catch (e) { console.log(e.message.split('\n')[0], e.code); }
}
