// Math.random from a buffer of the host's entropy: 8,192 random 32-bit words per host call (two make one double).
// StarlingMonkey's Math.random asks the host for entropy on every call (a wasi:random call through the glue: ~35-50 µs
// here, which made it ~60x slower than quickjs-emscripten's, issue "speed"); a generator in JavaScript (xoshiro128**,
// Session 5) still cost ~5 µs a call in the interpreter, most of it its calls (Math.imul, a rotate, two draws). Reading
// the buffer is one call with a few operations. The buffer is refilled on the first call of every run (seedRandom):
// a host that puts the instance back after each run would otherwise replay the same numbers.

// Captured at build time: a program that replaces Math.imul or crypto.getRandomValues does not reach the generator.
const imul = Math.imul;
const getRandomValues = crypto.getRandomValues.bind(crypto);

/** Words per refill (32 KiB: within getRandomValues' 64 KiB); even, two words per number. A constant, not
 *  `buffer.length` (the program could redefine %TypedArray%.prototype.length). */
const WORDS = 8192;
const buffer = new Uint32Array(WORDS);
let at = WORDS;

// xoshiro128**: fills the buffer during the build-time warm-up only, where the host's entropy cannot be read.
let s0 = 0;
let s1 = 0;
let s2 = 0;
let s3 = 1;

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

function next(): number {
  const result = imul(rotl(imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return result;
}

function refill(): void {
  if (entropy) getRandomValues(buffer);
  else for (let i = 0; i < WORDS; i++) buffer[i] = next();
  at = 0;
}

/** A double in [0, 1) with 53 random bits, as Math.random gives. */
function random(): number {
  if (at >= WORDS) refill();
  const high = buffer[at]! >>> 5;
  const low = buffer[at + 1]! >>> 6;
  at += 2;
  return (high * 67108864 + low) / 9007199254740992;
}

/** The build-time warm-up runs without the host's entropy (the component is being pre-initialised): a fixed seed. */
let entropy = true;
export function useEntropy(on: boolean): void {
  entropy = on;
}

/** Starts every run with numbers no earlier run saw: the buffer is refilled at the run's first call. */
export function seedRandom(): void {
  at = WORDS;
  if (!entropy) [s0, s1, s2, s3] = [0x9e3779b9 | 0, 0x243f6a88, 0xb7e15162 | 0, 1];
}

/** Installs the generator as Math.random (at build time, before the pristine globals are recorded). */
export function installRandom(): void {
  const descriptor = Object.getOwnPropertyDescriptor(Math, 'random');
  Object.defineProperty(Math, 'random', { ...descriptor, value: random });
}
