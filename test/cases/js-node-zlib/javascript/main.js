const zlib = require('zlib');
const { promisify } = require('util');
const payload = JSON.stringify({ users: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `user${i}`, active: i % 2 === 0 })) });
const gz = zlib.gzipSync(payload);
console.log('gzip', gz.length, gz.subarray(0, 10).toString('hex'), Buffer.isBuffer(gz));
console.log('sha of gzip', require('crypto').createHash('sha1').update(gz).digest('hex'));
const back = zlib.gunzipSync(gz).toString();
console.log('round trip', back === payload, JSON.parse(back).users.length);
console.log('deflate', zlib.deflateSync('hello hello hello hello').toString('base64'));
console.log('deflateRaw', zlib.deflateRawSync('hello hello hello hello').toString('hex'));
console.log('level 9', zlib.deflateSync(payload, { level: 9 }).length, 'level 1', zlib.deflateSync(payload, { level: 1 }).length);
// made by Node: zlib.gzipSync('made by node\n').toString('base64') with mtime 0
console.log(zlib.gunzipSync(Buffer.from('H4sIAAAAAAAAA8tNTElVSKpUyMtPSeUCAJl4Or4NAAAA', 'base64')).toString().trim());
console.log(zlib.inflateSync(zlib.deflateSync(Buffer.from([1, 2, 3]))));
console.log(zlib.inflateRawSync(zlib.deflateRawSync('raw')).toString(), zlib.unzipSync(gz).length, zlib.unzipSync(zlib.deflateSync('z')).toString());
try { zlib.gunzipSync(Buffer.from('not gzip at all')); } catch (e) { console.log(e.code, e.errno, e.message); }
try { zlib.inflateSync(Buffer.from([0x78, 0x9c, 1, 2])); } catch (e) { console.log(e.code, e.errno, e.message); }
zlib.gzip('callback form', (err, buf) => {
  zlib.gunzip(buf, (err2, out) => console.log('callback', err, err2, out.toString()));
});
(async () => {
  const deflated = await promisify(zlib.deflate)('promisified');
  console.log('promise', (await promisify(zlib.inflate)(deflated)).toString());
  console.log(zlib.constants.Z_BEST_COMPRESSION, zlib.constants.Z_DEFAULT_COMPRESSION, typeof zlib.crc32 === 'function' ? zlib.crc32('hello') : 'no crc32');
})();
