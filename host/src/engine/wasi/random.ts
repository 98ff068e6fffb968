// wasi:random/*, from Node's CSPRNG (the insecure variants too: nothing here needs to be cheaper).
import { randomBytes } from 'node:crypto';

const u64 = () => randomBytes(8).readBigUInt64LE(0);
const bytes = (len: bigint) => new Uint8Array(randomBytes(Number(len)));

export const random = { getRandomBytes: bytes, getRandomU64: u64 };
export const insecure = { getInsecureRandomBytes: bytes, getInsecureRandomU64: u64 };
const seed: [bigint, bigint] = [u64(), u64()];
export const insecureSeed = { insecureSeed: () => seed };
