// Writes past limits.file-size-bytes (4096) fail with EFBIG, which the program can catch; no file grows past it.
const fs = require('fs');
fs.writeFileSync('small.txt', 'a'.repeat(2000));
try {
  fs.writeFileSync('big.txt', 'b'.repeat(8000));
} catch (e) {
  console.log('big:', e.code);
}
try {
  fs.appendFileSync('small.txt', 'c'.repeat(2500));
} catch (e) {
  console.log('append:', e.code);
}
fs.appendFileSync('small.txt', 'd'.repeat(2096));
console.log('small:', fs.statSync('small.txt').size);
console.log('big within the limit:', !fs.existsSync('big.txt') || fs.statSync('big.txt').size <= 4096);
if (process.argv[2] === 'uncaught') fs.writeFileSync('huge.txt', 'x'.repeat(20000));
