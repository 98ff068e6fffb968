// `assert` and `assert/strict` with Node 24's AssertionError: code ERR_ASSERTION, actual/expected/operator,
// generatedMessage, and its messages (`1 !== 2`, the stacked string diff with its ^ marker, the line diff of
// inspected values with `+ actual - expected`). assert.ok's message cannot quote the call's source text as Node's does
// (README, Known gaps): it shows the value instead.
import { inspect } from '../inspect.js';
import { deepEqual } from './deep-equal.js';

const HEADERS: Record<string, string> = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};

/** Unchanged lines shown around a change before the rest of a run of them is folded into "...". */
const CONTEXT_LINES = 5;

/** How assertion messages show values: every level, one property a line, keys sorted (as Node's assert does). */
const show = (value: unknown) => inspect(value, { compact: false, depth: 1000, sorted: true });
const isObject = (value: unknown) => (typeof value === 'object' && value !== null) || typeof value === 'function';

type Op = [kind: '+' | '-' | ' ', line: string];

/**
 * A line diff by longest common subsequence; lines that differ only by a trailing comma count as equal (the last
 * property of an object has none). Within a change, the actual (+) lines come before the expected (-) ones.
 */
function diffLines(actual: string[], expected: string[], commaBlind: boolean): Op[] {
  const same = (a: string, e: string) => a === e || (commaBlind && (`${a},` === e || a === `${e},`));
  const n = actual.length;
  const m = expected.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = same(actual[i], expected[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: Op[] = [];
  let plus: Op[] = [];
  let minus: Op[] = [];
  const flush = () => {
    ops.push(...plus, ...minus);
    plus = [];
    minus = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(actual[i], expected[j])) {
      flush();
      ops.push([' ', commaBlind && !actual[i].endsWith(',') ? expected[j] : actual[i]]);
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      plus.push(['+', actual[i++]]);
    } else {
      minus.push(['-', expected[j++]]);
    }
  }
  flush();
  return ops;
}

/** Prints a line diff, folding long runs of unchanged lines; says whether it folded any. */
function printDiff(ops: Op[]): { text: string; skipped: boolean } {
  let text = '';
  let skipped = false;
  let run = 0;
  ops.forEach(([kind, line], index) => {
    if (kind !== ' ' && run > 0) {
      if (run === CONTEXT_LINES + 1) text += `  ${ops[index - 1][1]}\n`;
      else if (run === CONTEXT_LINES + 2) text += `  ${ops[index - 2][1]}\n  ${ops[index - 1][1]}\n`;
      else if (run > CONTEXT_LINES + 2) {
        text += `...\n  ${ops[index - 1][1]}\n`;
        skipped = true;
      }
      run = 0;
    }
    if (kind === ' ') {
      if (run < CONTEXT_LINES) text += `  ${line}\n`;
      run++;
    } else {
      text += `${kind} ${line}\n`;
    }
  });
  return { text: `\n${text.trimEnd()}`, skipped };
}

/** The message of a failed strictEqual / deepStrictEqual. */
function diffMessage(actual: unknown, expected: unknown, operator: string): string {
  if (operator === 'strictEqual' && isObject(actual) && isObject(expected) && typeof actual === typeof expected) operator = 'strictEqualObject';
  const shownActual = show(actual);
  const shownExpected = show(expected);
  const linesActual = shownActual.split('\n');
  const linesExpected = shownExpected.split('\n');
  let header = '+ actual - expected';
  let body: string;
  let skipped = false;
  if (linesActual.length === 1 && linesExpected.length === 1 && (!isObject(actual) || !isObject(expected))) {
    const length = shownActual.length + shownExpected.length - (typeof actual === 'string' ? 2 : 0) - (typeof expected === 'string' ? 2 : 0);
    if (length <= 12 && (actual !== 0 || expected !== 0)) {
      header = '';
      body = `${shownActual} !== ${shownExpected}`;
    } else {
      body = `\n+ ${shownActual}\n- ${shownExpected}`;
      if (typeof actual === 'string' && typeof expected === 'string' && shownActual.length + shownExpected.length <= 80) {
        const at = [...shownActual].findIndex((c, i) => c !== shownExpected[i]);
        if (at >= 3) body += `\n${' '.repeat(at + 2)}^`;
      }
    }
  } else if (shownActual === shownExpected) {
    operator = 'notIdentical';
    header = '';
    skipped = linesActual.length > 50;
    body = skipped ? `${linesActual.slice(0, 50).join('\n')}\n...}` : shownActual;
  } else {
    ({ text: body, skipped } = printDiff(diffLines(linesActual, linesExpected, isObject(actual))));
  }
  return `${HEADERS[operator]}\n${header}${skipped ? '\n... Skipped lines' : ''}\n${body}\n`;
}

/** The message of the other comparisons: notStrictEqual / notDeepStrictEqual, deepEqual, `a == b`. */
function otherMessage(actual: unknown, expected: unknown, operator: string): string {
  if (operator === 'notStrictEqual' || operator === 'notDeepStrictEqual') {
    const header = operator === 'notStrictEqual' && isObject(actual) ? HEADERS.notStrictEqualObject : HEADERS[operator];
    let lines = show(actual).split('\n');
    if (lines.length > 50) lines = [...lines.slice(0, 46), '...'];
    return lines.length === 1 ? `${header}${lines[0].length > 5 ? '\n\n' : ' '}${lines[0]}` : `${header}\n\n${lines.join('\n')}\n`;
  }
  const cut = (s: string) => (s.length > 512 ? `${s.slice(0, 509)}...` : s);
  const shownActual = show(actual);
  const shownExpected = show(expected);
  if (operator === 'notDeepEqual' && shownActual === shownExpected) return cut(`${HEADERS.notDeepEqual}\n\n${shownActual}`);
  if (operator === 'deepEqual') return `${HEADERS.deepEqual}\n\n${cut(shownActual)}\n\nshould loosely deep-equal\n\n${cut(shownExpected)}`;
  if (operator === 'notDeepEqual') return `${HEADERS.notDeepEqualUnequal}\n\n${cut(shownActual)}\n\nshould not loosely deep-equal\n\n${cut(shownExpected)}`;
  return `${cut(shownActual)} ${operator} ${cut(shownExpected)}`;
}

export class AssertionError extends Error {
  readonly code = 'ERR_ASSERTION';
  actual: unknown;
  expected: unknown;
  operator: string | undefined;
  generatedMessage: boolean;

  constructor(options: { message?: unknown; actual?: unknown; expected?: unknown; operator?: string }) {
    const { message, actual, expected, operator = '' } = options;
    const diffed = operator === 'strictEqual' || operator === 'deepStrictEqual';
    super(message != null ? String(message) : diffed ? diffMessage(actual, expected, operator) : otherMessage(actual, expected, operator));
    this.name = 'AssertionError';
    this.generatedMessage = message == null;
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

type Check = (actual: unknown, expected: unknown, message?: unknown) => void;

export function createAssert() {
  /**
   * Throws the caller's message (an Error as it is), else `generated`: a message of Node's own wording, which Node
   * reports with generatedMessage: true (except for "Missing expected exception", which Node marks as given).
   */
  const fail = (options: ConstructorParameters<typeof AssertionError>[0], generated?: string): never => {
    if (options.message instanceof Error) throw options.message;
    const error = new AssertionError(options.message == null && generated !== undefined ? { ...options, message: generated } : options);
    if (options.message == null) error.generatedMessage = !/^Missing expected (exception|rejection)/.test(error.message);
    throw error;
  };
  const comparison = (operator: string, holds: (actual: unknown, expected: unknown) => boolean): Check =>
    (actual, expected, message) => {
      if (!holds(actual, expected)) fail({ actual, expected, operator, message });
    };
  const ok = (value: unknown, message?: unknown) => {
    if (!value) {
      fail({ actual: value, expected: true, operator: '==', message }, `The expression evaluated to a falsy value:\n\n  assert.ok(${inspect(value)})\n`);
    }
  };

  const matches = (error: unknown, expected: unknown, operator: string, message: unknown): void => {
    if (expected === undefined) return;
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && error instanceof (expected as Function)) return;
      if (Error.isPrototypeOf(expected) || expected === Error) {
        fail({ actual: error, expected, operator, message }, `The error is expected to be an instance of "${(expected as Function).name}". Received "${(error as Error)?.constructor?.name}"`);
      }
      if ((expected as Function).call({}, error) === true) return;
      fail({ actual: error, expected, operator, message }, `The ${(expected as Function).name ? `"${(expected as Function).name}" ` : ''}validation function is expected to return "true". Received ${inspect((expected as Function)(error))}`);
    }
    if (expected instanceof RegExp) {
      if (expected.test(String(error))) return;
      fail({ actual: error, expected, operator, message }, `The input did not match the regular expression ${expected}. Input:\n\n${inspect(String(error))}\n`);
    }
    if (typeof expected === 'object' && expected !== null) {
      const keys = Object.keys(expected);
      if (expected instanceof Error) keys.push('name', 'message');
      for (const key of keys) {
        const want = (expected as any)[key];
        const got = (error as any)?.[key];
        const same = want instanceof RegExp && typeof got === 'string' ? want.test(got) : deepEqual(got, want, true);
        if (!same) {
          // Node compares the listed keys only and shows them as a "Comparison" object diff.
          const shown = (source: any) => Object.assign(Object.create(Comparison.prototype), Object.fromEntries(keys.filter((k) => k in Object(source)).map((k) => [k, source[k]])));
          if (message !== undefined) fail({ actual: error, expected, operator, message });
          const diff = new AssertionError({ actual: shown(error), expected: shown(expected), operator: 'deepStrictEqual' });
          throw Object.assign(diff, { actual: error, expected, operator });
        }
      }
    }
  };
  class Comparison {}

  const throws = (fn: unknown, expected?: unknown, message?: unknown) => {
    if (typeof fn !== 'function') throw Object.assign(new TypeError(`The "fn" argument must be of type function. Received ${inspect(fn)}`), { code: 'ERR_INVALID_ARG_TYPE' });
    if (typeof expected === 'string') [message, expected] = [expected, undefined];
    try {
      fn();
    } catch (error) {
      return matches(error, expected, 'throws', message);
    }
    const name = typeof expected === 'function' && expected.name ? ` (${expected.name})` : '';
    fail({ actual: undefined, expected, operator: 'throws' }, `Missing expected exception${name}.${message ? `: ${message}` : ''}`);
  };
  const rejects = async (promiseOrFn: unknown, expected?: unknown, message?: unknown) => {
    if (typeof expected === 'string') [message, expected] = [expected, undefined];
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (error) {
      return matches(error, expected, 'rejects', message);
    }
    const name = typeof expected === 'function' && expected.name ? ` (${expected.name})` : '';
    fail({ actual: undefined, expected, operator: 'rejects' }, `Missing expected rejection${name}.${message ? `: ${message}` : ''}`);
  };
  const noThrow = (operator: string, kind: string) => (error: unknown, message: unknown) =>
    fail({ actual: error, operator }, `Got unwanted ${kind}${message ? `: ${message}` : '.'}\nActual message: "${(error as Error)?.message}"`);

  const loose = {
    ok,
    AssertionError,
    fail: (message?: unknown) => fail({ message, operator: 'fail' }, 'Failed'),
    equal: comparison('==', (a, b) => a == b || (a !== a && b !== b)),
    notEqual: comparison('!=', (a, b) => !(a == b || (a !== a && b !== b))),
    strictEqual: comparison('strictEqual', Object.is),
    notStrictEqual: comparison('notStrictEqual', (a, b) => !Object.is(a, b)),
    deepEqual: comparison('deepEqual', (a, b) => deepEqual(a, b, false)),
    notDeepEqual: comparison('notDeepEqual', (a, b) => !deepEqual(a, b, false)),
    deepStrictEqual: comparison('deepStrictEqual', (a, b) => deepEqual(a, b, true)),
    notDeepStrictEqual: comparison('notDeepStrictEqual', (a, b) => !deepEqual(a, b, true)),
    throws,
    rejects,
    doesNotThrow: (fn: Function, message?: unknown) => {
      try {
        fn();
      } catch (error) {
        noThrow('doesNotThrow', 'exception')(error, message);
      }
    },
    doesNotReject: async (promiseOrFn: unknown, message?: unknown) => {
      try {
        await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
      } catch (error) {
        noThrow('doesNotReject', 'rejection')(error, message);
      }
    },
    match: (actual: unknown, regexp: RegExp, message?: unknown) => {
      if (typeof actual !== 'string' || !regexp.test(actual)) {
        const text = typeof actual !== 'string' ? `The "string" argument must be of type string. Received type ${typeof actual} (${inspect(actual)})` : `The input did not match the regular expression ${regexp}. Input:\n\n${inspect(actual)}\n`;
        fail({ actual, expected: regexp, operator: 'match', message }, text);
      }
    },
    doesNotMatch: (actual: unknown, regexp: RegExp, message?: unknown) => {
      if (typeof actual !== 'string' || regexp.test(actual)) {
        fail({ actual, expected: regexp, operator: 'doesNotMatch', message }, `The input was expected to not match the regular expression ${regexp}. Input:\n\n${inspect(actual)}\n`);
      }
    },
    ifError: (value: unknown) => {
      if (value !== null && value !== undefined) throw value instanceof Error ? value : new AssertionError({ actual: value, expected: null, operator: 'ifError', message: `ifError got unwanted exception: ${inspect(value)}` });
    },
  };
  const strictVariant = { ...loose, equal: loose.strictEqual, notEqual: loose.notStrictEqual, deepEqual: loose.deepStrictEqual, notDeepEqual: loose.notDeepStrictEqual };
  const assert = Object.assign((value: unknown, message?: unknown) => loose.ok(value, message), loose);
  const strict = Object.assign((value: unknown, message?: unknown) => loose.ok(value, message), strictVariant);
  Object.assign(assert, { strict });
  Object.assign(strict, { strict });
  return { assert, strict };
}
