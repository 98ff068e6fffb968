// `querystring`: Node's own semantics, not URLSearchParams': repeated keys become arrays, `+` decodes to a space,
// malformed percent escapes are kept as written, nested objects and non-finite numbers stringify to empty values, and
// the result has a null prototype.
import { Buffer } from 'buffer';
import { nodeError } from './errors.js';

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** Decodes %XX escapes into bytes, leaving malformed ones as they are (and `+` as a space with decodeSpaces). */
function unescapeBuffer(s: string, decodeSpaces = false): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length + 0 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === 43 && decodeSpaces) {
      bytes.push(32);
    } else {
      const code = s.codePointAt(i)!;
      for (const byte of Buffer.from(String.fromCodePoint(code))) bytes.push(byte);
      if (code > 0xffff) i++;
    }
  }
  return Buffer.from(bytes);
}

function unescape(s: string, decodeSpaces = false): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return unescapeBuffer(s, decodeSpaces).toString();
  }
}

function escape(value: unknown): string {
  const s = typeof value === 'string' ? value : typeof value === 'object' ? String(value) : `${value}`;
  try {
    return encodeURIComponent(s);
  } catch {
    throw nodeError(URIError, 'ERR_INVALID_URI', 'URI malformed');
  }
}

function primitive(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? `${value}` : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return `${value}`;
  return '';
}

function stringify(obj: unknown, sep = '&', eq = '=', options?: { encodeURIComponent?: (s: string) => string }): string {
  if (obj === null || typeof obj !== 'object') return '';
  const encode = options?.encodeURIComponent ?? escape;
  const pairs: string[] = [];
  for (const key of Object.keys(obj)) {
    const value = (obj as Record<string, unknown>)[key];
    const prefix = `${encode(primitive(key))}${eq}`;
    if (Array.isArray(value)) {
      for (const item of value) pairs.push(prefix + encode(primitive(item)));
    } else {
      pairs.push(prefix + encode(primitive(value)));
    }
  }
  return pairs.join(sep);
}

function parse(input: unknown, sep = '&', eq = '=', options?: { maxKeys?: number; decodeURIComponent?: (s: string) => string }): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null);
  if (typeof input !== 'string' || input.length === 0) return result;
  const maxKeys = options?.maxKeys ?? 1000;
  const decode = (s: string) => {
    const spaced = s.replace(/\+/g, ' ');
    return options?.decodeURIComponent ? options.decodeURIComponent(spaced) : unescape(spaced, true);
  };
  let pieces = input.split(sep || '&');
  if (maxKeys > 0) pieces = pieces.slice(0, maxKeys);
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const at = piece.indexOf(eq || '=');
    const key = decode(at >= 0 ? piece.slice(0, at) : piece);
    const value = decode(at >= 0 ? piece.slice(at + (eq || '=').length) : '');
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[key] = [existing, value];
  }
  return result;
}

export function createQuerystring() {
  return { parse, decode: parse, stringify, encode: stringify, escape, unescape, unescapeBuffer };
}
