const fs = require('fs');
const n = Number(fs.readFileSync('data/input.txt', 'utf8'));
fs.mkdirSync('out', { recursive: true });
fs.writeFileSync('out/result.txt', `${n + 1}\n`);
console.log(`read ${n}, wrote out/result.txt`);
