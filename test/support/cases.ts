// Loads the conformance cases (test/cases/*/case.json plus per-language sources) as data.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, type LanguageName } from './components.js';

export const CASES_DIR = join(ROOT, 'test', 'cases');

export interface CaseFile {
  name: string;
  content: string;
  contentEncoding?: 'utf8' | 'base64' | 'hex';
  encoding?: 'utf8' | 'base64' | 'hex' | null;
}

export interface Step {
  call: string;
  byLanguage?: Record<string, Partial<Step>>;
  expect?: Expectation;
  [field: string]: unknown;
}

export interface Expectation {
  ok?: boolean;
  error?: string;
  stdout?: string;
  stderr?: string;
  stdoutIncludes?: string[];
  stderrIncludes?: string[];
  stdoutExcludes?: string[];
  stderrExcludes?: string[];
  messageIncludes?: string[];
  stdoutMatches?: string;
  stderrMatches?: string;
  exitCode?: number | null;
  bytes?: { utf8?: string; hex?: string; base64?: string };
  files?: string[];
  filesInclude?: string[];
  filesExclude?: string[];
  events?: { order?: string[]; last?: string };
  /** For `eval`: the final expression's value as text, or null for none. */
  value?: string | null;
  liveStdout?: string;
  liveStderr?: string;
  /** wasmtime host cases: what a call the host stopped printed before the stop (the outcome's `printed`). */
  printed?: { stdout: string; stderr: string };
}

export interface Case {
  name: string;
  description: string;
  skip: Partial<Record<LanguageName, string>>;
  steps: Step[];
  /** The component's own environment (EXEC_* defaults) for the case's instance. */
  instanceEnv: Record<string, string>;
  /** Files of the program per language, entry first. */
  sources: Partial<Record<LanguageName, CaseFile[]>>;
}

const ENTRY = /^main\.(js|mjs|cjs|ts|mts|cts|py)$/;

function readSources(dir: string): CaseFile[] {
  const files: CaseFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ name: relative(dir, path).split('\\').join('/'), content: readFileSync(path).toString('base64'), contentEncoding: 'base64' });
    }
  };
  walk(dir);
  return files.sort((a, b) => Number(ENTRY.test(b.name)) - Number(ENTRY.test(a.name)));
}

export function loadCases(dir = CASES_DIR): Case[] {
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'case.json')))
    .sort()
    .map((name) => {
      const spec = JSON.parse(readFileSync(join(dir, name, 'case.json'), 'utf8'));
      const sources: Case['sources'] = {};
      for (const language of ['javascript', 'python'] as const) {
        const sourceDir = join(dir, name, language);
        if (existsSync(sourceDir)) sources[language] = readSources(sourceDir);
      }
      if (!spec.description || !Array.isArray(spec.steps)) throw new Error(`test/cases/${name}/case.json needs a description and steps`);
      return { name, description: spec.description, skip: spec.skip ?? {}, steps: spec.steps, instanceEnv: spec.instanceEnv ?? {}, sources };
    });
}
