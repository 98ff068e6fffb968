// The first N primes (N from the command line, default 10): `golem-exec run host/examples/primes.js 20`.
function primes(count) {
  const found = [];
  for (let candidate = 2; found.length < count; candidate++) {
    if (found.every((p) => p * p > candidate || candidate % p !== 0)) found.push(candidate);
  }
  return found;
}

const count = Number(process.argv[2] ?? 10);
console.log(`JavaScript: the first ${count} primes:`, ...primes(count));
