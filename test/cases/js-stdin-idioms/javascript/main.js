const fs = require('fs');
const text = fs.readFileSync('/dev/stdin', 'utf8').trim().split('\n');
console.log('lines:', text[0], '|', text[1]);
console.log('sum', text[1].split(' ').map(Number).reduce((a, b) => a + b));
