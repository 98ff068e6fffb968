// Output past the cap: `raw` writes Buffers through process.stdout / process.stderr, `raise` strings through
// console, `utf8` 3-byte characters (cut inside one). 1.12 MB per stream (Buffer writes are slow in this guest); the host cuts what it returns, streams and
// forwards at 1 MiB per stream with one marker.
const KB = 1000;
if (process.argv[2] === 'raw') {
  process.stdout.write(Buffer.alloc(560 * KB, 'x'));
  process.stdout.write(Buffer.alloc(560 * KB, 'x'));
  process.stderr.write(Buffer.alloc(1120 * KB, 'y'));
} else if (process.argv[2] === 'utf8') {
  process.stdout.write('\u20ac'.repeat(400 * KB));
} else {
  console.log('x'.repeat(1120 * KB));
  console.error('y'.repeat(1120 * KB));
}
