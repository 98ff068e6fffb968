// `info()`: what this host runs and how it enforces each limit.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, bindingsDir } from '../engine/core-modules.js';
import { LANGUAGES, type EngineInfo, type Language } from './types.js';

function packageVersion(name: string, from = PACKAGE_ROOT): string {
  try {
    const path = name === 'golem-exec' ? join(from, 'package.json') : join(from, 'node_modules', ...name.split('/'), 'package.json');
    return JSON.parse(readFileSync(path, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

const ENGINES: Record<Language, string> = {
  javascript: 'SpiderMonkey (StarlingMonkey) via ComponentizeJS',
  python: 'CPython 3.14 via componentize-py',
};

/** Versions of the tools the components were built with (written by scripts/build-host.mjs). */
function toolchain(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'build', 'host', 'toolchain.json'), 'utf8'));
  } catch {
    return {};
  }
}

export function describeEngine(defaults: { timeMs: number; memoryBytes: number }): EngineInfo {
  const engines = Object.fromEntries(LANGUAGES.map((language) => {
    const component = join(PACKAGE_ROOT, 'build', `exec-${language}.wasm`);
    let bytes = 0;
    try {
      bytes = statSync(component).size;
    } catch {}
    return [language, { component: bindingsDir(language), bytes, engine: ENGINES[language] }];
  })) as EngineInfo['engines'];
  return {
    version: packageVersion('golem-exec'),
    node: process.versions.node,
    toolchain: toolchain(),
    engines,
    languages: [...LANGUAGES],
    limits: {
      timeMs: 'guest deadline, then the host terminates the sandbox thread (backstop a quarter of the limit later: at least 100 ms, at most 1 s, never past 1.4x the limit)',
      memoryBytes: "the instance's linear memory is capped (declared maximum); a run that reaches it is resource-exceeded",
      fileSizeBytes: 'guest: writes past the limit fail (EFBIG), oversized uploads are resource-exceeded',
      maxProcesses: 'no processes exist in the sandbox',
      output: 'guest: stdout and stderr capped at EXEC_OUTPUT_LIMIT_BYTES (1 MiB) each, with a marker',
    },
    defaults,
  };
}
