const fs = require('fs');
for (const p of ['/etc/passwd', '../../../../etc/passwd', '/proc/self/environ']) {
  try { console.log(fs.readFileSync(p, 'utf8').slice(0, 40)); } catch (e) { console.log('refused ' + p); }
}
