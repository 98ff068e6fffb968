// host/src/cli/units.ts: the command line's durations, sizes, counts and ports; every refusal quotes the value
// (and, for `run`'s flags, names the flag); the service parsers throw commander's InvalidArgumentError.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { count, duration, durationOrNever, parseDuration, parseSize, port, size } from '../../../build/host/cli/units.js';

const KiB = 2 ** 10;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** The error `fn` throws (fails the test if it returns). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('parseDuration (run flags)', () => {
  it.each([
    ['1500', 1500],
    ['1', 1],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2s', 2000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['0.5h', 1_800_000],
    ['1.5', 2], // milliseconds, rounded
    ['10MS', 10],
    ['3S', 3000],
    [' 2 s ', 2000],
  ])('reads %j as %i ms', (raw, ms) => {
    expect(parseDuration('--timeout', raw)).toBe(ms);
  });

  it.each(['', 'abc', '-1', '-1s', '1e3', '.5s', '1.s', '1,5s', '5 min', '1d', '1 2s', 's', '1.5.5s'])(
    'refuses %j, naming the flag and quoting the value',
    (raw) => {
      const error = thrown(() => parseDuration('--timeout', raw));
      expect(error.message).toBe(`--timeout: cannot read '${raw}' (examples: 1500, 1.5s, 2m)`);
    },
  );

  it('refuses zero, and amounts that round to zero', () => {
    expect(thrown(() => parseDuration('--timeout', '0')).message).toBe("--timeout: '0' must be more than zero");
    expect(thrown(() => parseDuration('--timeout', '0s')).message).toBe("--timeout: '0s' must be more than zero");
    expect(thrown(() => parseDuration('--timeout', '0.4')).message).toBe("--timeout: '0.4' must be more than zero");
    expect(thrown(() => parseDuration('--timeout', '0.0001s')).message).toBe("--timeout: '0.0001s' must be more than zero");
  });
});

describe('parseSize (run flags)', () => {
  it.each([
    ['67108864', 64 * MiB],
    ['1', 1],
    ['10b', 10],
    ['512K', 512 * KiB],
    ['512kb', 512 * KiB],
    ['512KiB', 512 * KiB],
    ['64M', 64 * MiB],
    ['64mb', 64 * MiB],
    ['64MiB', 64 * MiB],
    ['1G', GiB],
    ['1gib', GiB],
    ['1.5k', 1536],
    ['0.5M', 512 * KiB],
    [' 2 g ', 2 * GiB],
  ])('reads %j as %i bytes', (raw, bytes) => {
    expect(parseSize('--memory', raw)).toBe(bytes);
  });

  it.each(['', 'big', '-5M', '1T', '1TB', '5 megabytes', '1e6', '.5M', '64MB!', '1Gi'])('refuses %j with the examples', (raw) => {
    expect(thrown(() => parseSize('--memory', raw)).message).toBe(`--memory: cannot read '${raw}' (examples: 64M, 1G, 67108864)`);
  });

  it('refuses zero', () => {
    expect(thrown(() => parseSize('--file-size', '0M')).message).toBe("--file-size: '0M' must be more than zero");
    expect(thrown(() => parseSize('--file-size', '0.1')).message).toBe("--file-size: '0.1' must be more than zero");
  });
});

describe('the service commands\' parsers', () => {
  it('duration reads days too, and throws InvalidArgumentError', () => {
    expect(duration('1d')).toBe(86_400_000);
    expect(duration('1.5D')).toBe(129_600_000);
    expect(duration('30m')).toBe(1_800_000);
    expect(duration('250')).toBe(250);
    const error = thrown(() => duration('soon'));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe("cannot read 'soon' (examples: 1500, 1.5s, 30m, 2h)");
    expect((error as InvalidArgumentError).code).toBe('commander.invalidArgument');
    expect(thrown(() => duration('0')).message).toBe("'0' must be more than zero");
    expect(thrown(() => duration('1w')).message).toBe("cannot read '1w' (examples: 1500, 1.5s, 30m, 2h)");
  });

  it('durationOrNever takes 0 as never', () => {
    expect(durationOrNever('0')).toBe(0);
    expect(durationOrNever('0s')).toBe(0);
    expect(durationOrNever('90s')).toBe(90_000);
    expect(durationOrNever('2d')).toBe(172_800_000);
    const error = thrown(() => durationOrNever('never'));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe("cannot read 'never' (examples: 0 (never), 90s, 30m, 2h)");
  });

  it('size reads the same units as --memory', () => {
    expect(size('16M')).toBe(16 * MiB);
    expect(size('1G')).toBe(GiB);
    expect(size('1048576')).toBe(MiB);
    const error = thrown(() => size('16Q'));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe("cannot read '16Q' (examples: 16M, 1G, 1048576)");
    expect(thrown(() => size('0')).message).toBe("'0' must be more than zero");
  });

  it('count takes whole numbers of at least 1', () => {
    expect(count('1')).toBe(1);
    expect(count('16')).toBe(16);
    expect(count(' 4 ')).toBe(4);
    for (const raw of ['0', '-1', '1.5', 'two', '', '3x', '1e2']) {
      const error = thrown(() => count(raw));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toBe(`expected a whole number of at least 1, got '${raw}'`);
    }
  });

  it('port takes 0-65535', () => {
    expect(port('0')).toBe(0);
    expect(port('8080')).toBe(8080);
    expect(port('65535')).toBe(65535);
    for (const raw of ['65536', '-1', '80.5', 'http', '', '99999']) {
      const error = thrown(() => port(raw));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toBe(`expected a port number 0-65535 (0: any free port), got '${raw}'`);
    }
  });
});
