// Parsers for the CLI's human-friendly limit values. Each throws an Error whose message names the flag and the value.

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

function parseAmount(flag: string, raw: string, units: Record<string, number>, examples: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const scale = match ? units[match[2]!.toLowerCase()] : undefined;
  if (!match || scale === undefined) throw new Error(`${flag}: cannot read '${raw}' (examples: ${examples})`);
  const value = Math.round(Number(match[1]) * scale);
  if (value <= 0) throw new Error(`${flag}: '${raw}' must be more than zero`);
  return value;
}

/** `1500` (ms), `1.5s`, `2m`, `500ms`, `1h` → milliseconds. */
export const parseDuration = (flag: string, raw: string) => parseAmount(flag, raw, DURATION_UNITS, '1500, 1.5s, 2m');

/** `64M`, `1G`, `512K`, `67108864` (bytes), `64MiB` → bytes (binary multiples). */
export const parseSize = (flag: string, raw: string) => parseAmount(flag, raw, SIZE_UNITS, '64M, 1G, 67108864');
