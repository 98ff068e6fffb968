// `info()`: what this host runs and how it enforces each limit.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT, bindingsDir } from '../engine/core-modules.js';
import { LIMITS, LIMIT_NAMES, type EffectiveLimits } from './limits.js';
import { LANGUAGES, type EngineInfo, type Language } from './types.js';

function packageVersion(name: string, from = PACKAGE_ROOT): string {
  try {
    const path = name === 'golem-exec' ? join(from, 'package.json') : join(from, 'node_modules', ...name.split('/'), 'package.json');
    return JSON.parse(readFileSync(path, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** This package's version. */
export function libraryVersion(): string {
  return packageVersion('golem-exec');
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

export function describeEngine(defaults: EffectiveLimits): EngineInfo {
  const engines = Object.fromEntries(LANGUAGES.map((language) => {
    const component = join(PACKAGE_ROOT, 'build', `exec-${language}.wasm`);
    let bytes = 0;
    try {
      bytes = statSync(component).size;
    } catch {}
    return [language, { component: bindingsDir(language), bytes, engine: ENGINES[language] }];
  })) as EngineInfo['engines'];
  return {
    version: libraryVersion(),
    node: process.versions.node,
    toolchain: toolchain(),
    engines,
    languages: [...LANGUAGES],
    limits: {
      ...Object.fromEntries(LIMIT_NAMES.map((name) => [name, LIMITS[name].enforcement])) as Record<keyof typeof LIMITS, string>,
      output: `host: stdout and stderr cut at ${defaults.outputBytes} bytes each (results and streamed chunks), with one marker line`,
      isolation: 'host: every run starts from the instance state recorded after its warm-up (memory, globals, tables, handles restored after each run)',
    },
    defaults: { ...defaults },
  };
}
