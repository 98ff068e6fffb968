console.log('started');
function fail() {
  throw new Error('boom');
}
fail();
