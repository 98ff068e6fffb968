const { Readable, Writable, Transform, PassThrough, Duplex, pipeline, finished } = require('stream');
const { pipeline: pipelineAsync } = require('stream/promises');
const fs = require('fs');
const zlib = require('zlib');

const upper = () => new Transform({
  transform(chunk, encoding, callback) { callback(null, chunk.toString().toUpperCase()); },
});
const collected = [];
const sink = new Writable({
  write(chunk, encoding, callback) { collected.push(chunk.toString()); callback(); },
});

async function main() {
  await pipelineAsync(Readable.from(['alpha\n', 'beta\n', 'gamma\n']), upper(), sink);
  console.log('pipeline', JSON.stringify(collected));

  const objects = Readable.from([{ n: 1 }, { n: 2 }, { n: 3 }]);
  const doubled = new Transform({ objectMode: true, transform(obj, _e, cb) { cb(null, { n: obj.n * 2 }); } });
  const seen = [];
  for await (const obj of objects.pipe(doubled)) seen.push(obj.n);
  console.log('object mode', seen);

  const readable = new Readable({ read() {} });
  readable.push('a'); readable.push('b'); readable.push(null);
  let text = '';
  readable.setEncoding('utf8');
  readable.on('data', (d) => { text += d; });
  await new Promise((resolve) => readable.on('end', resolve));
  console.log('events', text);

  fs.writeFileSync('in.txt', 'line one\nline two\n');
  await pipelineAsync(fs.createReadStream('in.txt'), zlib.createGzip(), fs.createWriteStream('in.txt.gz'));
  console.log('gz file', zlib.gunzipSync(fs.readFileSync('in.txt.gz')).toString() === 'line one\nline two\n');
  await pipelineAsync(fs.createReadStream('in.txt.gz'), zlib.createGunzip(), upper(), process.stdout);
  console.log('after stdout pipeline');

  const chunks = [];
  for await (const chunk of fs.createReadStream('in.txt', { encoding: 'utf8', highWaterMark: 4 })) chunks.push(chunk);
  console.log('chunks', chunks.length, chunks.join('').length);

  const pass = new PassThrough();
  pass.end('through');
  console.log('passthrough', (await pass.toArray()).map(String));

  const failing = new Transform({ transform(_c, _e, cb) { cb(new Error('boom')); } });
  pipeline(Readable.from(['x']), failing, new PassThrough(), (err) => console.log('pipeline error:', err && err.message));
  await new Promise((r) => setTimeout(r, 10));

  const w = new Writable({ write(_c, _e, cb) { cb(); } });
  finished(w, (err) => console.log('finished', err));
  w.end('done');
  await new Promise((r) => setTimeout(r, 10));
  console.log(Readable.from([1, 2, 3]).readableObjectMode, typeof Duplex, require('stream').Stream === require('stream'));
}
main();
