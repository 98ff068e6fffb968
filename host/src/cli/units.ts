// Parsers for the command line's human-friendly values (durations, sizes, counts, ports), shared by `run` and the
// service commands. Every message quotes the value; `run` prefixes the flag, commander does for the service flags.
import { InvalidArgumentError } from 'commander';

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Service lifetimes (idle expiry) may also be given in days. */
const LONG_DURATION_UNITS: Record<string, number> = { ...DURATION_UNITS, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

/** A number with an optional unit, scaled; throws an Error that quotes `raw`. */
function parseAmount(raw: string, units: Record<string, number>, examples: string, allowZero = false): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const scale = match ? units[match[2]!.toLowerCase()] : undefined;
  if (!match || scale === undefined) throw new Error(`cannot read '${raw}' (examples: ${examples})`);
  const value = Math.round(Number(match[1]) * scale);
  if (value === 0 && !allowZero) throw new Error(`'${raw}' must be more than zero`);
  return value;
}

function forFlag(flag: string, parse: () => number): number {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${flag}: ${(error as Error).message}`);
  }
}

/** For commander's argument parsers: the same messages as InvalidArgumentError. */
function asArgument(parse: () => number): number {
  try {
    return parse();
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

// ---- `golem-exec run` (errors name the flag) ----

/** `1500` (ms), `1.5s`, `2m`, `500ms`, `1h` → milliseconds. */
export const parseDuration = (flag: string, raw: string) => forFlag(flag, () => parseAmount(raw, DURATION_UNITS, '1500, 1.5s, 2m'));

/** `64M`, `1G`, `512K`, `67108864` (bytes), `64MiB` → bytes (binary multiples). */
export const parseSize = (flag: string, raw: string) => forFlag(flag, () => parseAmount(raw, SIZE_UNITS, '64M, 1G, 67108864'));

// ---- the service commands (commander argument parsers) ----

/** `1500` (ms), `1.5s`, `30m`, `2h`, `1d` → ms. */
export const duration = (raw: string) => asArgument(() => parseAmount(raw, LONG_DURATION_UNITS, '1500, 1.5s, 30m, 2h'));
/** Like `duration`, and `0` means never. */
export const durationOrNever = (raw: string) => asArgument(() => parseAmount(raw, LONG_DURATION_UNITS, '0 (never), 90s, 30m, 2h', true));
/** `16M`, `1G`, bytes → bytes. */
export const size = (raw: string) => asArgument(() => parseAmount(raw, SIZE_UNITS, '16M, 1G, 1048576'));

export function count(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got '${raw}'`);
  return Number(raw);
}

export function port(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 65535) throw new InvalidArgumentError(`expected a port number 0-65535 (0: any free port), got '${raw}'`);
  return Number(raw);
}
