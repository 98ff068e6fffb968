const fs = require('fs');
const input = fs.readFileSync(0, 'utf8');
console.log('stdin: ' + JSON.stringify(input).replace(/"/g, "'"));
console.log(`args: ['${process.argv.slice(2).join("', '")}']`);
console.log(`GREETING=${process.env.GREETING} EMPTY=${process.env.EMPTY} keys=${Object.keys(process.env).sort().join(',')}`);
