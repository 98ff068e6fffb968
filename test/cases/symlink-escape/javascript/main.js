const fs = require('fs');
try {
  console.log(fs.readFileSync('etc-link/passwd', 'utf8').slice(0, 20));
} catch (e) {
  console.log('refused', e.code);
}
