console.log(require('fs').readFileSync('first.txt', 'utf8'));
