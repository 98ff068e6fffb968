const fs = require('fs');
fs.writeFileSync('tmp.txt', 'ok');
console.log('wrote and read back: ' + fs.readFileSync('tmp.txt', 'utf8'));
