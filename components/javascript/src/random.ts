// Math.random as xoshiro128** (two 32-bit draws make one double), seeded from the host's entropy once per run.
// StarlingMonkey's Math.random asks the host for entropy on every call (a wasi:random call through the glue: ~35-50 µs
// here, which made it ~60x slower than quickjs-emscripten's, issue "speed"); one call per run is enough for a
// generator that is not cryptographic in any engine (V8's is xorshift128+). Seeded at the start of every run
// (runProgram): a host that puts the instance back after each run would otherwise replay the same numbers.

// Captured at build time: a program that replaces Math.imul or crypto.getRandomValues does not reach the generator.
const imul = Math.imul;
const getRandomValues = crypto.getRandomValues.bind(crypto);

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

/** A double in [0, 1) with 53 random bits, as Math.random gives. */
function random(): number {
  return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

/** The build-time warm-up runs without the host's entropy (the component is being pre-initialised): a fixed seed. */
let entropy = true;
export function useEntropy(on: boolean): void {
  entropy = on;
}

/** New state from the host's entropy (an all-zero state would only give zeros). */
export function seedRandom(): void {
  const seed = entropy ? getRandomValues(new Uint32Array(4)) : new Uint32Array([0x9e3779b9, 0x243f6a88, 0xb7e15162, 1]);
  [s0, s1, s2, s3] = [seed[0]! | 0, seed[1]! | 0, seed[2]! | 0, seed[3]! | 1];
}

/** Installs the generator as Math.random (at build time, before the pristine globals are recorded). */
export function installRandom(): void {
  const descriptor = Object.getOwnPropertyDescriptor(Math, 'random');
  Object.defineProperty(Math, 'random', { ...descriptor, value: random });
}
