const fs = require('fs');
console.log(`gone.txt: ${fs.existsSync('gone.txt') ? 'present' : 'absent'}, keep.txt: ${fs.readFileSync('keep.txt', 'utf8')}`);
