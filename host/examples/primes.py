# The first N primes (N from the command line, default 10): `golem-exec run host/examples/primes.py 20`.
import sys

def primes(count):
    found = []
    candidate = 2
    while len(found) < count:
        if all(candidate % p for p in found if p * p <= candidate):
            found.append(candidate)
        candidate += 1
    return found

count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
print(f"Python {sys.version.split()[0]}: the first {count} primes:", *primes(count))
