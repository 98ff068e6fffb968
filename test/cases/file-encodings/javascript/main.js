const fs = require('fs');
for (const name of ['all-bytes.bin', 'hex.bin', 'text.txt', 'default.txt']) {
  const b = fs.readFileSync(name);
  console.log(name, b.length, b[0], b[b.length - 1], b.reduce((a, x) => a + x, 0));
}
