// Parsers for the service flags' human-friendly values; each error names the flag and quotes the value.
import { InvalidArgumentError } from 'commander';

const DURATION: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

function amount(raw: string, units: Record<string, number>, examples: string, allowZero: boolean): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const scale = match ? units[match[2]!.toLowerCase()] : undefined;
  if (!match || scale === undefined) throw new InvalidArgumentError(`cannot read '${raw}' (examples: ${examples})`);
  const value = Math.round(Number(match[1]) * scale);
  if (value === 0 && !allowZero) throw new InvalidArgumentError(`'${raw}' must be more than zero`);
  return value;
}

/** `1500` (ms), `1.5s`, `30m`, `2h`, `1d` → ms. */
export const duration = (raw: string) => amount(raw, DURATION, '1500, 1.5s, 30m, 2h', false);
/** Like `duration`, and `0` means never. */
export const durationOrNever = (raw: string) => amount(raw, DURATION, '0 (never), 90s, 30m, 2h', true);
/** `16M`, `1G`, bytes → bytes. */
export const size = (raw: string) => amount(raw, SIZE, '16M, 1G, 1048576', false);

export function count(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got '${raw}'`);
  return Number(raw);
}

export function port(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 65535) throw new InvalidArgumentError(`expected a port number 0-65535 (0: any free port), got '${raw}'`);
  return Number(raw);
}
