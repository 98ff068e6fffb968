// The language names callers may give (library, CLI, HTTP service, MCP server): each runs on one component (the WIT's
// language kind) and names the file a program given as one source string (`code`) is saved as. TypeScript runs on the
// JavaScript component, which strips the types of .ts/.mts/.cts files as Node 24 does (README, "TypeScript").
import { ENTRY_FILE } from '../engine/guest-layout.js';
import type { Language } from './types.js';

export const LANGUAGE_NAMES = {
  javascript: { language: 'javascript', entry: ENTRY_FILE.javascript },
  js: { language: 'javascript', entry: ENTRY_FILE.javascript },
  typescript: { language: 'javascript', entry: 'main.ts' },
  ts: { language: 'javascript', entry: 'main.ts' },
  python: { language: 'python', entry: ENTRY_FILE.python },
  py: { language: 'python', entry: ENTRY_FILE.python },
} as const satisfies Record<string, { language: Language; entry: string }>;

/** A name `language` options accept: a component language or an alias of one. */
export type LanguageName = keyof typeof LANGUAGE_NAMES;

export const LANGUAGE_NAME_LIST = Object.keys(LANGUAGE_NAMES) as LanguageName[];

/** The entry file's extensions that tell the language of a program given as files (the CLI's FILE). */
export const LANGUAGE_OF_EXTENSION: Record<string, Language> = {
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
  '.ts': 'javascript', '.mts': 'javascript', '.cts': 'javascript',
  '.py': 'python',
};

export function isLanguageName(name: unknown): name is LanguageName {
  return typeof name === 'string' && Object.hasOwn(LANGUAGE_NAMES, name);
}
