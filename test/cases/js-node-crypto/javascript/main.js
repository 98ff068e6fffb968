const crypto = require('crypto');
const fs = require('node:fs');
for (const alg of ['md5', 'sha1', 'sha256', 'sha384', 'sha512']) {
  console.log(alg, crypto.createHash(alg).update('hello world').digest('hex'));
}
console.log(crypto.createHash('SHA256').update('a').update(Buffer.from('b')).update(new Uint8Array([99])).digest('base64'));
console.log(crypto.createHash('sha256').update('68656c6c6f', 'hex').digest('base64url'));
const h = crypto.createHash('sha1').update('part1');
const copy = h.copy();
console.log(h.digest('hex'), copy.update('part2').digest().length, Buffer.isBuffer(copy));
console.log(crypto.createHmac('sha256', 'secret-key').update('message').digest('hex'));
console.log(crypto.createHmac('sha512', Buffer.from('k')).update('m').digest('base64'));
console.log(crypto.hash('sha1', 'abc'), crypto.hash('md5', 'abc', 'base64'));
fs.writeFileSync('data.bin', Buffer.from('file contents\n'.repeat(1000)));
const fileHash = crypto.createHash('sha256');
fileHash.update(fs.readFileSync('data.bin'));
console.log('file', fileHash.digest('hex'));
const h2 = crypto.createHash('md5'); h2.digest();
try { h2.update('x'); } catch (e) { console.log(e.code, e.message); }
try { crypto.createHash('nope'); } catch (e) { console.log(e.message); }
console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
const rb = crypto.randomBytes(16);
console.log(Buffer.isBuffer(rb), rb.length, crypto.randomBytes(8).toString('hex').length);
let inRange = true;
for (let i = 0; i < 1000; i++) { const n = crypto.randomInt(10, 20); if (n < 10 || n >= 20 || !Number.isInteger(n)) inRange = false; }
console.log('randomInt in range', inRange, crypto.randomInt(1) === 0);
console.log(crypto.getRandomValues(new Uint32Array(4)).length);
console.log(crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abc')), crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abd')));
try { crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('ab')); } catch (e) { console.log(e.code, e.message); }
console.log(crypto.pbkdf2Sync('password', 'salt', 1000, 32, 'sha256').toString('hex'));
console.log(crypto.getHashes().includes('sha256'), typeof crypto.webcrypto.subtle.digest, crypto.subtle === crypto.webcrypto.subtle);
crypto.randomBytes(4, (err, buf) => {
  console.log('async randomBytes', err, buf.length);
  crypto.subtle.digest('SHA-256', new TextEncoder().encode('hello')).then((d) => console.log('subtle', Buffer.from(d).toString('hex')));
});
