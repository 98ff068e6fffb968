// Validation and decoding of what callers pass in: file contents per encoding, and sandbox-relative paths.
import { badInput, type File } from './contract.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** The file's bytes after decoding `content` per `encoding` (utf8 when absent); invalid input names the file. */
export function decodeFileContent(file: File): Uint8Array {
  const encoding = file.encoding ?? 'utf8';
  if (encoding === 'utf8') {
    try {
      utf8.decode(file.content);
    } catch {
      throw badInput(`file '${file.name}': content is not valid UTF-8 (declare encoding base64 or hex for binary data)`);
    }
    return file.content;
  }
  // base64 and hex content is itself text: the encoded characters as UTF-8 bytes.
  const text = latin1(file.content).replace(/\s+/g, '');
  if (encoding === 'base64') {
    if (!BASE64.test(text)) throw badInput(`file '${file.name}': content is not valid base64`);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  if (!HEX.test(text)) throw badInput(`file '${file.name}': content is not valid hex (an even number of 0-9a-f digits)`);
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
  return bytes;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/**
 * A caller-supplied path (file name, entrypoint, directory) resolved against `base` (segments below the sandbox
 * root) into segments below the root. Absolute paths, empty names, NUL and `..` that would leave the root are refused.
 */
export function sandboxPath(path: string, base: readonly string[], what: string, allowRoot = false): string[] {
  if (typeof path !== 'string' || path.includes('\0')) throw badInput(`${what} '${path}' contains a NUL character`);
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\')) {
    throw badInput(`${what} '${path}' is absolute; paths are relative to the sandbox directory`);
  }
  if (path === '' && !allowRoot) throw badInput(`${what} is empty`);
  const segments = [...base];
  for (const part of path.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) throw badInput(`${what} '${path}' leaves the sandbox directory`);
      segments.pop();
    } else {
      segments.push(part);
    }
  }
  if (segments.length === 0 && !allowRoot) throw badInput(`${what} '${path}' names no file`);
  return segments;
}
