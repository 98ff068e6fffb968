// Which session runs go to the data-work interpreter (api/data-run.ts sessionDataEntry): the session's own files on
// the host decide, never what a symlink in it points at. Needs the interpreter installed (npm run setup:data).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionDataEntry } from '../../../build/host/api/data-run.js';
import { setupDataPython } from '../../../build/host/engine/data-python/setup.js';

const SESSION = 'session-0123456789abcdef';
let workspace: string;
let outside: string;

beforeAll(async () => {
  await setupDataPython();
  workspace = mkdtempSync(join(tmpdir(), 'golem-exec-routing-'));
  outside = mkdtempSync(join(tmpdir(), 'golem-exec-routing-outside-'));
  writeFileSync(join(outside, 'evil.py'), 'import numpy\n');
  const root = join(workspace, SESSION);
  mkdirSync(join(root, 'work', 'lib'), { recursive: true });
  writeFileSync(join(root, 'plain.py'), 'print(1)\n');
  writeFileSync(join(root, 'work', 'main.py'), 'import helper\n');
  writeFileSync(join(root, 'work', 'lib', 'helper.py'), 'import os, pandas as pd\n');
  writeFileSync(join(root, 'script'), 'from matplotlib import pyplot\n');
}, 600_000);
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const route = (cwd: string, entrypoint: string) => sessionDataEntry({ workspace, sessionDir: SESSION, cwd, entrypoint });

describe('session routing', () => {
  it('an entry importing a data package, or one beside a module that does, goes to the data interpreter', () => {
    expect(route('', 'script')).toBe(`${SESSION}/script`);
    expect(route('work', 'main.py')).toBe(`${SESSION}/work/main.py`);
    expect(route('work/lib', '../main.py')).toBe(`${SESSION}/work/main.py`);
  });

  it('a missing entry, or one outside the session, stays with the session sandbox (which reports it)', () => {
    rmSync(join(workspace, SESSION, 'work', 'lib', 'helper.py'));
    try {
      expect(route('', 'plain.py')).toBeUndefined();
      expect(route('', 'missing.py')).toBeUndefined();
      expect(route('', '../other/x.py')).toBeUndefined();
    } finally {
      writeFileSync(join(workspace, SESSION, 'work', 'lib', 'helper.py'), 'import os, pandas as pd\n');
    }
  });

  it('symlinks to host files are not read: not as the entry, not on its way, not as another module', () => {
    const attack = mkdtempSync(join(tmpdir(), 'golem-exec-routing-attack-'));
    const root = join(attack, SESSION);
    mkdirSync(root);
    writeFileSync(join(root, 'main.py'), 'print(1)\n');
    symlinkSync(join(outside, 'evil.py'), join(root, 'link.py'));
    symlinkSync(outside, join(root, 'dir'));
    try {
      const at = (entrypoint: string) => sessionDataEntry({ workspace: attack, sessionDir: SESSION, cwd: '', entrypoint });
      expect(at('link.py')).toBeUndefined();
      expect(at('dir/evil.py')).toBeUndefined();
      expect(at('main.py')).toBeUndefined();
    } finally {
      rmSync(attack, { recursive: true, force: true });
    }
  });
});
