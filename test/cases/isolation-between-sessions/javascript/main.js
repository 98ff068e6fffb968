const fs = require('fs');
const tries = ['../', '/workspace', '/', '/etc/passwd', '..'];
for (const p of tries) {
  try {
    const st = fs.statSync(p);
    const found = st.isDirectory() ? fs.readdirSync(p, { recursive: true }).join(',') : fs.readFileSync(p, 'utf8');
    for (const f of String(found).split(',')) if (f.endsWith('secret.txt')) console.log('LEAK', p, f, fs.readFileSync(require('path').join(p, f), 'utf8'));
  } catch (e) {
    console.log('refused', p, e.code);
  }
}
console.log('own: ' + fs.readdirSync('.').join(','));
