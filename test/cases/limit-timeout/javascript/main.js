// The program a session runs before and after the runaway ones: writes state, then reads it back.
const fs = require('fs');
if (process.argv[2] === 'write') fs.writeFileSync('state.txt', 'kept');
console.log('state:', fs.readFileSync('state.txt', 'utf8'));
