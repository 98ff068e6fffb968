// Bench-only Python virtual environments under .cache/ (gitignored): made once by the bench itself, with pinned
// packages, never a dependency of the package. A stamp file names what was installed, so a changed pin re-creates it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The venv at `dir` with `packages` (pinned `name==version` strings), created with `python` unless its stamp
 * already names those packages. Returns the venv's interpreter. Throws when a step fails.
 */
export function ensureVenv({ dir, python, packages, log = () => {} }) {
  const venvPython = join(dir, 'bin', 'python');
  const stamp = join(dir, '.golem-exec-bench');
  const wanted = packages.join(' ');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(venvPython)) return venvPython;
  mkdirSync(dirname(dir), { recursive: true });
  const run = (command, args) => {
    const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  };
  log('creating', dir, 'with', wanted);
  run(python, ['-m', 'venv', '--clear', dir]);
  run(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...packages]);
  writeFileSync(stamp, wanted);
  return venvPython;
}
