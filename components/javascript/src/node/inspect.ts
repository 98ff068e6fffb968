// util.inspect / util.format with Node's output for the common cases: quoting, nesting depth, `[Object]`, class
// names, Map/Set/TypedArray/Buffer/Error/Date/RegExp forms, circular refs, and the 72/80-column line breaking of
// Node's default `compact: 3` mode.

export interface InspectOptions {
  depth?: number | null;
  breakLength?: number;
  compact?: number | boolean;
  showHidden?: boolean;
  colors?: boolean;
  sorted?: boolean;
}

interface Ctx {
  depth: number;
  breakLength: number;
  seen: unknown[];
  indentation: number;
  circular: Map<unknown, number>;
  currentDepth: number;
  sorted: boolean;
  /** Node's `compact`: how many inner levels may be joined on one line (3), none (false), or every short one (true). */
  compact: number | boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
export const customInspect = Symbol.for('nodejs.util.inspect.custom');

export function inspect(value: unknown, options: InspectOptions = {}): string {
  const ctx: Ctx = {
    depth: options.depth === null ? Infinity : (options.depth ?? 2),
    breakLength: options.breakLength ?? 80,
    seen: [],
    indentation: 0,
    circular: new Map(),
    currentDepth: 0,
    sorted: !!options.sorted,
    compact: options.compact ?? 3,
  };
  return formatValue(ctx, value, 0, false);
}
inspect.custom = customInspect;

export function quote(s: string): string {
  let q = "'";
  if (s.includes("'")) q = !s.includes('"') ? '"' : !s.includes('`') && !s.includes('${') ? '`' : "'";
  const escaped = s.replace(/[\\\x00-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return IDENTIFIER.test(key) ? key : quote(key);
}

function formatPrimitive(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
  }
  if (value === null) return 'null';
  return undefined;
}

function constructorName(obj: object): string | null {
  let proto = Object.getPrototypeOf(obj);
  while (proto) {
    const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (desc && typeof desc.value === 'function' && desc.value.name) return desc.value.name;
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function prefix(name: string | null, fallback: string, size = ''): string {
  if (name === null) return `[${fallback}${size}: null prototype] `;
  if (name !== fallback) return `${name}${size} [${fallback}] `;
  return `${name}${size} `;
}

function formatFunction(fn: Function): string {
  const source = Function.prototype.toString.call(fn);
  if (source.startsWith('class') && /^class\b/.test(source)) {
    const ext = Object.getPrototypeOf(fn);
    return `[class ${fn.name || '(anonymous)'}${ext && ext.name ? ` extends ${ext.name}` : ''}]`;
  }
  const kind = source.startsWith('async function*') ? 'AsyncGeneratorFunction' : source.startsWith('async') ? 'AsyncFunction' : /^function\s*\*/.test(source) ? 'GeneratorFunction' : 'Function';
  return fn.name ? `[${kind}: ${fn.name}]` : `[${kind} (anonymous)]`;
}

export function formatError(err: Error): string {
  const stack = typeof err.stack === 'string' && err.stack ? nodeStack(err) : '';
  const head = `${err.name ?? 'Error'}: ${err.message ?? ''}`.replace(/: $/, '');
  return stack ? `${head}\n${stack}` : `[${head}]`;
}

/** Converts SpiderMonkey's `fn@file:line:col` frames to Node's `    at fn (file:line:col)`, user frames only. */
export function nodeStack(err: Error): string {
  const frames = String(err.stack).split('\n').filter(Boolean);
  const out: string[] = [];
  for (const frame of frames) {
    const at = frame.lastIndexOf('@');
    if (at < 0) continue;
    const fn = frame.slice(0, at);
    const location = stackLocation(frame.slice(at + 1));
    if (!location) continue;
    out.push(`    at ${fn ? `${fn.replace(/[/<]+$/, '')} (${location})` : location}`);
  }
  return out.join('\n');
}

/** Hook set by the loader: maps an engine location to a user-visible one, or undefined for runtime-internal frames. */
export let stackLocation: (location: string) => string | undefined = (location) => location;
export function setStackLocationMapper(mapper: (location: string) => string | undefined) {
  stackLocation = mapper;
}

function formatValue(ctx: Ctx, value: unknown, recurseTimes: number, typedArray: boolean): string {
  const primitive = formatPrimitive(value);
  if (primitive !== undefined) return primitive;
  const obj = value as Record<string | symbol, unknown>;
  const custom = obj[customInspect];
  if (typeof custom === 'function' && custom !== inspect) {
    const result = custom.call(obj, ctx.depth - recurseTimes, { depth: ctx.depth, breakLength: ctx.breakLength }, inspect);
    if (result !== obj) return typeof result === 'string' ? result : formatValue(ctx, result, recurseTimes, false);
  }
  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) ctx.circular.set(value, (index = ctx.circular.size + 1));
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, obj, recurseTimes, typedArray);
}

function formatRaw(ctx: Ctx, value: any, recurseTimes: number, typedArray: boolean): string {
  const name = constructorName(value);
  let keys: (string | symbol)[] = Object.keys(value);
  const symbols = Object.getOwnPropertySymbols(value).filter((s) => Object.getOwnPropertyDescriptor(value, s)?.enumerable);
  let braces: [string, string] = ['{', '}'];
  let base = '';
  let formatter: () => string[] = () => [];
  let kind: 'object' | 'array' = 'object';
  let noEntries = false;

  if (Array.isArray(value)) {
    kind = 'array';
    keys = keys.filter((k) => !isIndex(k as string));
    const p = name !== 'Array' ? prefix(name, 'Array', `(${value.length})`) : '';
    braces = [`${p}[`, ']'];
    if (value.length === 0 && keys.length === 0 && symbols.length === 0) return `${braces[0]}]`;
    formatter = () => formatList(ctx, value, recurseTimes);
  } else if (value instanceof Set) {
    const p = prefix(name, 'Set', `(${value.size})`);
    if (value.size === 0 && keys.length === 0) return `${p}{}`;
    braces = [`${p}{`, '}'];
    formatter = () => [...value].map((v) => formatValue(ctx, v, recurseTimes + 1, false));
  } else if (value instanceof Map) {
    const p = prefix(name, 'Map', `(${value.size})`);
    if (value.size === 0 && keys.length === 0) return `${p}{}`;
    braces = [`${p}{`, '}'];
    formatter = () => [...value].map(([k, v]) => `${formatValue(ctx, k, recurseTimes + 1, false)} => ${formatValue(ctx, v, recurseTimes + 1, false)}`);
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    kind = 'array';
    const ta = value as unknown as ArrayLike<number | bigint> & { length: number };
    keys = keys.filter((k) => !isIndex(k as string));
    const fallback = Object.prototype.toString.call(value).slice(8, -1);
    if (name === 'Buffer') {
      const bytes = [...(value as Uint8Array).subarray(0, 50)].map((b) => b.toString(16).padStart(2, '0'));
      return `<Buffer${bytes.length ? ' ' + bytes.join(' ') : ''}${ta.length > 50 ? ` ... ${ta.length - 50} more bytes` : ''}>`;
    }
    braces = [`${prefix(name, fallback, `(${ta.length})`)}[`, ']'];
    if (ta.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = () => {
      const out: string[] = [];
      const max = Math.min(ta.length, 100);
      for (let i = 0; i < max; i++) out.push(typeof ta[i] === 'bigint' ? `${ta[i]}n` : formatPrimitive(ta[i])!);
      if (ta.length > max) out.push(`... ${ta.length - max} more item${ta.length - max > 1 ? 's' : ''}`);
      return out;
    };
  } else if (typeof value === 'function') {
    base = formatFunction(value);
    keys = keys.filter((k) => k !== 'prototype');
    if (keys.length === 0 && symbols.length === 0) return base;
  } else if (value instanceof RegExp) {
    base = RegExp.prototype.toString.call(value);
    if (keys.length === 0) return base;
  } else if (value instanceof Date) {
    base = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (keys.length === 0) return base;
  } else if (value instanceof Error) {
    base = formatError(value);
    keys = keys.filter((k) => k !== 'stack' && k !== 'message');
    if (keys.length === 0 && symbols.length === 0) return base;
  } else if (value instanceof Promise) {
    base = 'Promise { <pending> }';
    return base;
  } else if (value instanceof WeakMap || value instanceof WeakSet) {
    return `${name} { <items unknown> }`;
  } else if (value instanceof ArrayBuffer) {
    const bytes = [...new Uint8Array(value).subarray(0, 50)].map((b) => b.toString(16).padStart(2, '0'));
    return `ArrayBuffer { [Uint8Contents]: <${bytes.join(' ')}${value.byteLength > 50 ? ` ... ${value.byteLength - 50} more bytes` : ''}>, byteLength: ${value.byteLength} }`;
  } else if (typeof value[Symbol.iterator] === 'function' && Object.prototype.toString.call(value).includes('Iterator')) {
    return `Object [${Object.prototype.toString.call(value).slice(8, -1)}] {}`;
  } else {
    const tag = value[Symbol.toStringTag];
    if (name === 'Object') {
      if (tag && typeof tag === 'string') braces[0] = `Object [${tag}] {`;
    } else if (name === null) {
      braces[0] = '[Object: null prototype] {';
    } else {
      braces[0] = `${name}${tag && typeof tag === 'string' && tag !== name ? ` [${tag}]` : ''} {`;
    }
    noEntries = true;
    if (keys.length === 0 && symbols.length === 0) return `${braces[0]}}`;
  }

  if (recurseTimes > ctx.depth) {
    return kind === 'array' ? '[Array]' : `[${name ?? 'Object'}]`;
  }

  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output: string[];
  try {
    output = noEntries ? [] : formatter();
    const all = [...keys, ...symbols];
    if (ctx.sorted) all.sort();
    for (const key of all) output.push(formatProperty(ctx, value, recurseTimes, key, kind));
  } finally {
    ctx.seen.pop();
  }
  const index = ctx.circular.get(value);
  if (index !== undefined) {
    const reference = `<ref *${index}>`;
    if (base) base = `${reference} ${base}`;
    else braces[0] = `${reference} ${braces[0]}`;
  }
  if (base) braces[0] = `${base} {`;
  return reduceToSingleString(ctx, output, braces, kind, recurseTimes, value);
}

function isIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key);
}

function formatList(ctx: Ctx, value: unknown[], recurseTimes: number): string[] {
  const out: string[] = [];
  const max = Math.min(value.length, 100);
  let holes = 0;
  for (let i = 0; i < max; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      holes++;
      continue;
    }
    if (holes) (out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`), (holes = 0));
    out.push(formatValue(ctx, value[i], recurseTimes + 1, false));
  }
  if (holes) out.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
  if (value.length > max) out.push(`... ${value.length - max} more item${value.length - max > 1 ? 's' : ''}`);
  return out;
}

function formatProperty(ctx: Ctx, value: any, recurseTimes: number, key: string | symbol, kind: string): string {
  const desc = Object.getOwnPropertyDescriptor(value, key) ?? { value: value[key], enumerable: true };
  let str: string;
  if (desc.value !== undefined || !('get' in desc)) {
    ctx.indentation += 2;
    str = formatValue(ctx, desc.value, recurseTimes + 1, false);
    ctx.indentation -= 2;
  } else if (desc.get) {
    str = desc.set ? '[Getter/Setter]' : '[Getter]';
  } else {
    str = desc.set ? '[Setter]' : 'undefined';
  }
  return `${formatKey(key)}: ${str}`;
}

function groupArrayElements(ctx: Ctx, output: string[], value: unknown): string[] {
  let totalLength = 0;
  let maxLength = 0;
  let i = 0;
  let outputLength = output.length;
  if (outputLength > 6 && value && Array.isArray(value) && value.length > 100) outputLength--;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentation < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax), Math.floor((ctx.breakLength - ctx.indentation) / actualMax), 4 * 2.5, 15);
    if (columns <= 1) return output;
    const tmp: string[] = [];
    const maxLineLength: number[] = [];
    for (let c = 0; c < columns; c++) {
      let lineLength = 0;
      for (let j = c; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    const numeric = Array.isArray(value) && value.every((v) => typeof v === 'number' || typeof v === 'bigint');
    for (let r = 0; r < outputLength; r += columns) {
      const max = Math.min(r + columns, outputLength);
      let str = '';
      let j = r;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - r] + output[j].length - dataLen[j];
        str += numeric ? `${output[j]}, `.padStart(padding, ' ') : `${output[j]}, `.padEnd(padding, ' ');
      }
      if (numeric) {
        const padding = maxLineLength[j - r] + output[j].length - dataLen[j] - separatorSpace;
        str += output[j].padStart(padding, ' ');
      } else {
        str += output[j];
      }
      tmp.push(str);
    }
    if (outputLength < output.length) tmp.push(output[outputLength]);
    return tmp;
  }
  return output;
}

function reduceToSingleString(ctx: Ctx, output: string[], braces: [string, string], kind: string, recurseTimes: number, value: unknown): string {
  if (ctx.compact === true) {
    const length = output.reduce((sum, s) => sum + s.length, 0) + output.length + ctx.indentation + braces[0].length;
    if (length <= ctx.breakLength && !output.some((s) => s.includes('\n'))) return `${braces[0]} ${output.join(', ')} ${braces[1]}`;
    const indentation = ' '.repeat(ctx.indentation);
    return `${braces[0]} ${output.join(`,\n${indentation}  `)} ${braces[1]}`;
  }
  const entries = output.length;
  const compact = ctx.compact === false ? 0 : ctx.compact;
  if (compact >= 1 && kind === 'array' && entries > 6) output = groupArrayElements(ctx, output, value);
  if (ctx.currentDepth - recurseTimes < compact && entries === output.length) {
    const start = output.length + ctx.indentation + braces[0].length + 10;
    const totalLength = output.reduce((sum, s) => sum + s.length, 0) + start;
    if (totalLength + output.length <= ctx.breakLength) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) return `${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentation)}`;
  return `${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

/** util.format: printf-style %s %d %i %f %j %o %O %c %%, then the remaining arguments inspected. */
export function format(...args: unknown[]): string {
  const first = args[0];
  let out = '';
  let a = 1;
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue;
      const c = first[i + 1];
      if (c === '%') {
        out += first.slice(last, i) + '%';
        last = i + 2;
        i++;
        continue;
      }
      if (a >= args.length || !'sdifjoOc'.includes(c)) continue;
      const arg = args[a++];
      let rep: string;
      switch (c) {
        case 's':
          rep = typeof arg === 'string' ? arg : typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'object' && arg !== null ? inspect(arg, { depth: 0 }) : String(arg);
          break;
        case 'd':
        case 'i':
          rep = typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : String(c === 'i' ? parseInt(String(arg)) : Number(arg));
          break;
        case 'f':
          rep = typeof arg === 'symbol' ? 'NaN' : String(parseFloat(String(arg)));
          break;
        case 'j':
          try {
            rep = JSON.stringify(arg);
          } catch {
            rep = '[Circular]';
          }
          break;
        case 'o':
          rep = inspect(arg, { showHidden: true, depth: 4 });
          break;
        case 'O':
          rep = inspect(arg);
          break;
        default:
          rep = '';
      }
      out += first.slice(last, i) + rep;
      last = i + 2;
      i++;
    }
    out += first.slice(last);
  } else {
    a = 0;
  }
  for (; a < args.length; a++) {
    const arg = args[a];
    out += (out || a > 0 ? ' ' : '') + (typeof arg === 'string' ? arg : inspect(arg));
  }
  return out;
}
