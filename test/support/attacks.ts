// Attacks on the isolation between runs (issue 13), shared by the library and HTTP service attack tests.
//
// Each leak is three programs, run one after the other on the same sandbox (a pool of one instance, or one session):
//   1. `plant`: the attacker installs a hook or stash, or just warms the instance (the no-setup leaks);
//   2. the victim: an ordinary program with a secret in its environment, stdin, source or files;
//   3. `read`: the attacker prints whatever it can find.
// The secret must never reach the attacker's output, and the victim must see exactly what an untouched sandbox gives.
// Every program here was checked by hand to leak on the code of issue 13 (pooled instance rolled back by the guest).
import type { FileInput, Language } from '../../build/host/index.js';

export interface Victim {
  code?: string;
  files?: FileInput[];
  env?: Record<string, string>;
  stdin?: string;
}

export interface Leak {
  id: string;
  language: Language;
  /** What the attack does (test name). */
  title: string;
  /** Where it comes from: named in issue 13, or a variation an attacker would try next. */
  origin: 'issue 13' | 'variation';
  plant: string;
  /**
   * The plant's stdout on an untouched sandbox; `'runtime-failed'` when the plant ends by throwing, by design; null
   * when it prints whatever it finds (the read program run once ahead).
   */
  plantOutcome: string | null;
  victim: (secret: string) => Victim;
  /** The victim's result on an untouched sandbox. */
  expected: (secret: string) => { stdout: string; stderr: string; exitCode: number };
  /** The attacker's read-back program (absent when the attack is on the victim's integrity only). */
  read?: string;
  /** Whether the attack makes sense inside one session (run 1 plants, run 2 is the victim, run 3 reads). */
  inSession: boolean;
  /**
   * Whether the attack also makes sense across two callers of the HTTP service (no-setup leaks of the previous caller's
   * program, or hooks that the service's stateless runs carry from one token to the next).
   */
  overHttp: boolean;
}

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

/** The stash most JS attacks use: a module-level class the guest does not roll back. */
const JS_STASH = "require('fs').Stats.prototype";
const JS_READ_STASH = `let loot; try { loot = ${JS_STASH}.loot; } catch (e) { loot = 'read failed: ' + e; }\nconsole.log(String(loot));`;

/** A JSON.stringify replacement that records the environment of the run it is called in, and marks its output. */
const JS_PATCH_STRINGIFY = `const stash = ${JS_STASH};
  const stringify = JSON.stringify;
  JSON.stringify = function (value, ...rest) {
    try { stash.loot = stringify(process.env); } catch {}
    return stringify.call(this, value, ...rest) + ' [tampered]';
  };`;

export const JS_LEAKS: Leak[] = [
  {
    id: 'js-stats-isfile',
    language: 'javascript',
    title: "a hook on require('fs').Stats.prototype.isFile reads the next run's process.env",
    origin: 'issue 13',
    plant: `const P = require('fs').Stats.prototype;
const isFile = P.isFile;
P.isFile = function () { try { P.loot = JSON.stringify(process.env); } catch {} return isFile.call(this); };
console.log('planted');`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({
      code: "const fs = require('fs');\nfs.writeFileSync('data.txt', 'x');\nconsole.log(fs.statSync('data.txt').isFile(), JSON.stringify({ ok: true }));",
      env: { API_KEY: secret },
    }),
    expected: () => ok('true {"ok":true}\n'),
    read: JS_READ_STASH,
    inSession: true,
    overHttp: true,
  },
  {
    id: 'js-promise-chain-after-exit',
    language: 'javascript',
    title: 'a long promise chain scheduled before process.exit(0) replaces JSON.stringify for the next run',
    origin: 'issue 13',
    plant: `let chain = Promise.resolve();
for (let i = 0; i < 20000; i++) chain = chain.then(() => {});
chain.then(() => {
  ${JS_PATCH_STRINGIFY}
});
console.log('planted');
process.exit(0);`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: 'console.log(JSON.stringify({ ok: true }));', env: { API_KEY: secret } }),
    expected: () => ok('{"ok":true}\n'),
    read: JS_READ_STASH,
    inSession: true,
    overHttp: true,
  },
  {
    id: 'js-exitcode-valueof',
    language: 'javascript',
    title: 'process.exitCode = { valueOf() { ...patch JSON.parse... } } runs after the restore and reads the next stdin',
    origin: 'issue 13',
    plant: `const stash = ${JS_STASH};
process.exitCode = { valueOf() {
  const parse = JSON.parse;
  JSON.parse = function (text, ...rest) {
    try { stash.loot = String(text); } catch {}
    const value = parse.call(this, text, ...rest);
    if (value && typeof value === 'object') value.tampered = true;
    return value;
  };
  return 0;
} };
console.log('planted');`,
    // process.exitCode takes only what Node's setter takes (issue 14): the assignment itself throws.
    plantOutcome: 'runtime-failed',
    victim: (secret) => ({
      code: "console.log(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))));",
      stdin: JSON.stringify({ token: secret }),
    }),
    expected: (secret) => ok(`${JSON.stringify({ token: secret })}\n`),
    read: JS_READ_STASH,
    inSession: true,
    overHttp: false,
  },
  {
    id: 'js-exitcode-toprimitive',
    language: 'javascript',
    title: 'process.exitCode = { [Symbol.toPrimitive]() { ...patch JSON.stringify... } } (the valueOf attack, renamed)',
    origin: 'variation',
    plant: `process.exitCode = { [Symbol.toPrimitive]() {
  ${JS_PATCH_STRINGIFY}
  return 0;
} };
console.log('planted');`,
    // process.exitCode takes only what Node's setter takes (issue 14): the assignment itself throws.
    plantOutcome: 'runtime-failed',
    victim: (secret) => ({ code: 'console.log(JSON.stringify({ ok: true }));', env: { API_KEY: secret } }),
    expected: () => ok('{"ok":true}\n'),
    read: JS_READ_STASH,
    inSession: true,
    overHttp: false,
  },
  {
    id: 'js-error-stack-getter',
    language: 'javascript',
    title: "a thrown Error whose stack getter runs when the guest formats it, after the restore, and patches JSON.stringify",
    origin: 'variation',
    plant: `const error = new Error('boom');
Object.defineProperty(error, 'stack', { get() {
  ${JS_PATCH_STRINGIFY}
  return 'Error: boom';
} });
throw error;`,
    plantOutcome: 'runtime-failed',
    victim: (secret) => ({ code: 'console.log(JSON.stringify({ ok: true }));', env: { API_KEY: secret } }),
    expected: () => ok('{"ok":true}\n'),
    read: JS_READ_STASH,
    inSession: true,
    overHttp: false,
  },
  {
    id: 'js-iterator-helper',
    language: 'javascript',
    title: 'a hook on the iterator-helper prototype (Object.getPrototypeOf([].values().map(x => x))) persists',
    origin: 'issue 13',
    plant: `const H = Object.getPrototypeOf([].values().map((x) => x));
const next = H.next;
H.next = function () {
  const step = next.call(this);
  try { H.loot = (H.loot || '') + JSON.stringify(process.env) + (step.done ? '' : String(step.value)) + '|'; } catch {}
  return step;
};
console.log('planted');`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({
      code: "console.log([...['a', process.env.API_KEY].values().map((s) => s.length)].join(' '));",
      env: { API_KEY: secret },
    }),
    expected: (secret) => ok(`1 ${secret.length}\n`),
    read: "let loot; try { loot = Object.getPrototypeOf([].values().map((x) => x)).loot; } catch (e) { loot = String(e); }\nconsole.log(String(loot));",
    inSession: true,
    overHttp: true,
  },
  {
    id: 'js-wrap-for-valid-iterator',
    language: 'javascript',
    title: 'a hook on another hidden intrinsic (%WrapForValidIteratorPrototype%, from Iterator.from) reads the next run\'s values',
    origin: 'variation',
    plant: `const W = Object.getPrototypeOf(Iterator.from({ next() { return { done: true, value: undefined }; } }));
const next = W.next;
W.next = function () {
  const step = next.call(this);
  try { if (!step.done) W.loot = (W.loot || '') + String(step.value) + '|'; } catch {}
  return step;
};
console.log('planted');`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({
      code: `const source = { i: 0, next() { return this.i++ ? { done: true, value: undefined } : { done: false, value: process.env.API_KEY }; } };
console.log([...Iterator.from(source)].length);`,
      env: { API_KEY: secret },
    }),
    expected: () => ok('1\n'),
    read: "let loot; try { loot = Object.getPrototypeOf(Iterator.from({ next() { return { done: true }; } })).loot; } catch (e) { loot = String(e); }\nconsole.log(String(loot));",
    inSession: true,
    overHttp: false,
  },
  {
    id: 'js-dirent',
    language: 'javascript',
    title: "a hook on another module-level class (require('fs').Dirent.prototype.isFile) reads the next run's process.env",
    origin: 'variation',
    plant: `const fs = require('fs');
fs.writeFileSync('probe.txt', 'x');
const D = Object.getPrototypeOf(fs.readdirSync('.', { withFileTypes: true })[0]);
const isFile = D.isFile;
D.isFile = function () { try { D.loot = JSON.stringify(process.env); } catch {} return isFile.call(this); };
console.log('planted');`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({
      code: "const fs = require('fs');\nfs.writeFileSync('data.txt', 'x');\nconsole.log(fs.readdirSync('.', { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort().join());",
      env: { API_KEY: secret },
    }),
    // A stateless run sees its own files (main.js) and what it writes; a session also sees the earlier runs' files.
    expected: () => ok('data.txt,main.js\n'),
    read: "const fs = require('fs');\nfs.writeFileSync('probe2.txt', 'x');\nlet loot; try { loot = Object.getPrototypeOf(fs.readdirSync('.', { withFileTypes: true })[0]).loot; } catch (e) { loot = String(e); }\nconsole.log(String(loot));",
    inSession: false,
    overHttp: false,
  },
  {
    id: 'js-string-decoder',
    language: 'javascript',
    title: "a hook on require('string_decoder').StringDecoder.prototype.write reads the next run's stdin",
    origin: 'variation',
    plant: `const P = require('string_decoder').StringDecoder.prototype;
const write = P.write;
P.write = function (bytes) { const text = write.call(this, bytes); try { P.loot = (P.loot || '') + text; } catch {} return text; };
console.log('planted');`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({
      code: "const { StringDecoder } = require('string_decoder');\nconsole.log(new StringDecoder('utf8').write(require('fs').readFileSync(0)).length);",
      stdin: secret,
    }),
    expected: (secret) => ok(`${secret.length}\n`),
    read: "let loot; try { loot = require('string_decoder').StringDecoder.prototype.loot; } catch (e) { loot = String(e); }\nconsole.log(String(loot));",
    inSession: true,
    overHttp: false,
  },
  {
    id: 'js-regexp-legacy-statics',
    language: 'javascript',
    title: 'no setup: RegExp.input / lastMatch / $1 (realm-wide legacy statics) still hold the previous run\'s last match',
    origin: 'variation',
    // The attacker runs its read program once first, so that its second run's source is cached by the guest's
    // transform (which would otherwise run regexes of its own before the program starts).
    plant: 'console.log(JSON.stringify([RegExp.input, RegExp.lastMatch, RegExp.leftContext, RegExp.rightContext, RegExp.$1]));',
    plantOutcome: null,
    victim: (secret) => ({ code: "console.log(/token=(\\S+)/.test('token=' + process.env.API_KEY));", env: { API_KEY: secret } }),
    expected: () => ok('true\n'),
    read: 'console.log(JSON.stringify([RegExp.input, RegExp.lastMatch, RegExp.leftContext, RegExp.rightContext, RegExp.$1]));',
    inSession: false,
    overHttp: true,
  },
];

const PY_STASH_READ = (expr: string) => `try:
    loot = ${expr}
except BaseException as e:
    loot = "read failed: %r" % (e,)
print(loot)`;

export const PY_LEAKS: Leak[] = [
  {
    id: 'py-json-encoder-logging',
    language: 'python',
    title: "a hook on json.JSONEncoder.encode plus a root logging handler capture the next run's environment",
    origin: 'issue 13',
    plant: `import json, logging, os
_encode = json.JSONEncoder.encode
def encode(self, o):
    logging.getLogger("golem").warning("env=%s out=%s", dict(os.environ), _encode(self, o))
    return _encode(self, o)
json.JSONEncoder.encode = encode
class Capture(logging.Handler):
    def emit(self, record):
        json.JSONEncoder.loot = getattr(json.JSONEncoder, "loot", "") + record.getMessage() + "|"
logging.getLogger().addHandler(Capture())
print("planted")`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: 'import json, os\nprint(json.dumps({"ok": True, "n": len(os.environ["API_KEY"])}))', env: { API_KEY: secret } }),
    expected: (secret) => ok(`{"ok": true, "n": ${secret.length}}\n`),
    read: PY_STASH_READ('getattr(__import__("json").JSONEncoder, "loot", None)'),
    inSession: true,
    overHttp: true,
  },
  {
    id: 'py-code-cache',
    language: 'python',
    title: 'no setup: sys.modules["golem_exec.runner"]._code_cache holds the source of earlier runs (of any caller)',
    origin: 'issue 13',
    plant: 'print("planted")',
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: `token = "${secret}"\nprint(len(token))` }),
    expected: (secret) => ok(`${secret.length}\n`),
    read: PY_STASH_READ('[bytes(k) if isinstance(k, (bytes, bytearray)) else k for k in getattr(__import__("sys").modules.get("golem_exec.runner"), "_code_cache", {})]'),
    inSession: false,
    overHttp: true,
  },
  {
    id: 'py-gc-scan',
    language: 'python',
    title: 'no setup: a gc.get_objects() scan finds the previous run\'s source constants',
    origin: 'variation',
    plant: 'print("planted")',
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: `token = "${secret}"\nprint(len(token))` }),
    expected: (secret) => ok(`${secret.length}\n`),
    // The needle is built at run time so that the scanner's own source does not contain it.
    read: `import gc
needle = "golem" + "-secret-"
hits = set()
def look(v):
    if isinstance(v, str) and needle in v: hits.add(v)
    elif isinstance(v, (bytes, bytearray)) and needle.encode() in v: hits.add(bytes(v).decode("utf-8", "replace"))
for o in gc.get_objects():
    try:
        if isinstance(o, dict):
            for k, v in list(o.items()): look(k); look(v)
        elif isinstance(o, (list, tuple, set, frozenset)):
            for v in list(o): look(v)
        elif hasattr(o, "co_consts"):
            for v in o.co_consts: look(v)
    except Exception:
        pass
print(sorted(hits))`,
    inSession: false,
    overHttp: true,
  },
  {
    id: 'py-re-cache',
    language: 'python',
    title: "no setup: re's compiled-pattern cache holds the previous run's patterns",
    origin: 'variation',
    plant: 'print("planted")',
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: `import re\nprint(bool(re.search("${secret}", "x ${secret} y")))` }),
    expected: () => ok('True\n'),
    read: PY_STASH_READ('[str(k) for k in list(getattr(__import__("re"), "_cache", {})) + list(getattr(__import__("re"), "_cache2", {}))]'),
    inSession: false,
    overHttp: true,
  },
  {
    id: 'py-counter-repr',
    language: 'python',
    title: "patching a stdlib class attribute (collections.Counter.__repr__) tampers with and reads the next run",
    origin: 'variation',
    plant: `import collections, os
_repr = collections.Counter.__repr__
def tampered(self):
    collections.Counter.loot = dict(os.environ)
    return _repr(self) + " [tampered]"
collections.Counter.__repr__ = tampered
print("planted")`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: 'import collections\nprint(collections.Counter("aab"))', env: { API_KEY: secret } }),
    expected: () => ok("Counter({'a': 2, 'b': 1})\n"),
    read: PY_STASH_READ('getattr(__import__("collections").Counter, "loot", None)'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-output-sink',
    language: 'python',
    title: "a hook on the guest's own output class (golem_exec.output.Sink.write) captures the next run's stdout",
    origin: 'variation',
    plant: `import sys
Sink = sys.modules["golem_exec.output"].Sink
_write = Sink.write
def write(self, b):
    Sink.loot = getattr(Sink, "loot", b"") + bytes(b)
    return _write(self, b)
Sink.write = write
print("planted")`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: 'import os\nprint(os.environ["API_KEY"])', env: { API_KEY: secret } }),
    expected: (secret) => ok(`${secret}\n`),
    read: PY_STASH_READ('getattr(getattr(__import__("sys").modules.get("golem_exec.output"), "Sink", None), "loot", b"")'),
    inSession: true,
    overHttp: true,
  },
  {
    id: 'py-environ-class',
    language: 'python',
    title: "a hook on os.environ's class (os._Environ.__getitem__) reads the next run's variables",
    origin: 'variation',
    plant: `import os
Environ = type(os.environ)
_getitem = Environ.__getitem__
def getitem(self, key):
    value = _getitem(self, key)
    Environ.loot = getattr(Environ, "loot", "") + "%s=%s|" % (key, value)
    return value
Environ.__getitem__ = getitem
print("planted")`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: 'import os\nprint(len(os.environ["API_KEY"]))', env: { API_KEY: secret } }),
    expected: (secret) => ok(`${secret.length}\n`),
    read: PY_STASH_READ('getattr(type(__import__("os").environ), "loot", None)'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-pathlib-read-text',
    language: 'python',
    title: "a hook on pathlib.Path.read_text reads the next run's files",
    origin: 'variation',
    plant: `import pathlib
_read_text = pathlib.Path.read_text
def read_text(self, *args, **kwargs):
    text = _read_text(self, *args, **kwargs)
    pathlib.Path.loot = getattr(pathlib.Path, "loot", "") + text + "|"
    return text
pathlib.Path.read_text = read_text
print("planted")`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({
      files: [
        { name: 'main.py', content: 'import pathlib\nprint(len(pathlib.Path("secret.txt").read_text()))' },
        { name: 'secret.txt', content: secret },
      ],
    }),
    expected: (secret) => ok(`${secret.length}\n`),
    read: PY_STASH_READ('getattr(__import__("pathlib").Path, "loot", None)'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-json-decoder-stdin',
    language: 'python',
    title: "a hook on json.JSONDecoder.decode reads the next run's stdin",
    origin: 'variation',
    plant: `import json
_decode = json.JSONDecoder.decode
def decode(self, s, *args, **kwargs):
    json.JSONDecoder.loot = getattr(json.JSONDecoder, "loot", "") + s + "|"
    return _decode(self, s, *args, **kwargs)
json.JSONDecoder.decode = decode
print("planted")`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: 'import json, sys\nprint(len(json.loads(sys.stdin.read())["token"]))', stdin: JSON.stringify({ token: secret }) }),
    expected: (secret) => ok(`${secret.length}\n`),
    read: PY_STASH_READ('getattr(__import__("json").JSONDecoder, "loot", None)'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-default-encoder-instance',
    language: 'python',
    title: 'a hook on a module-level object of an already-imported stdlib module (json._default_encoder)',
    origin: 'variation',
    plant: `import json, os
_encode = json._default_encoder.encode
def encode(o):
    json._default_encoder.loot = dict(os.environ)
    return _encode(o) + " [tampered]"
json._default_encoder.encode = encode
print("planted")`,
    plantOutcome: 'planted\n',
    victim: (secret) => ({ code: 'import json\nprint(json.dumps({"ok": True}))', env: { API_KEY: secret } }),
    expected: () => ok('{"ok": true}\n'),
    read: PY_STASH_READ('getattr(__import__("json")._default_encoder, "loot", None)'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-random-seed',
    language: 'python',
    title: "random.seed() in one run fixes the next run's random numbers (the attacker can replay them)",
    origin: 'variation',
    plant: 'import random\nrandom.seed(1234)\nprint("planted")',
    plantOutcome: 'planted\n',
    victim: () => ({ code: 'import random\nprint(random.random() == 0.9664535356921388)' }),
    // 0.9664535356921388 is random.Random(1234).random(): an untouched sandbox draws it with probability ~0.
    expected: () => ok('False\n'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-decimal-context',
    language: 'python',
    title: "the decimal module's context (precision) set in one run applies to the next",
    origin: 'variation',
    plant: 'import decimal\ndecimal.getcontext().prec = 3\nprint("planted")',
    plantOutcome: 'planted\n',
    victim: () => ({ code: 'from decimal import Decimal\nprint(Decimal(1) / Decimal(7))' }),
    expected: () => ok('0.1428571428571428571428571429\n'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-warnings-filter',
    language: 'python',
    title: "a warnings filter ('error') set in one run turns the next run's warning into a failure",
    origin: 'variation',
    plant: 'import warnings\nwarnings.simplefilter("error")\nprint("planted")',
    plantOutcome: 'planted\n',
    victim: () => ({ code: 'import warnings\nwith warnings.catch_warnings(record=True) as caught:\n    warnings.warn("careful")\nprint("after", len(caught))' }),
    expected: () => ok('after 1\n'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-atexit',
    language: 'python',
    title: "an atexit handler registered in one run does not run in (or patch) the next (guard: passes on issue 13's code)",
    origin: 'variation',
    plant: `import atexit, json
def patch():
    _dumps = json.dumps
    json.dumps = lambda *a, **k: _dumps(*a, **k) + " [atexit]"
atexit.register(patch)
print("planted")`,
    plantOutcome: 'planted\n',
    victim: () => ({ code: 'import json\nprint(json.dumps({"ok": True}))' }),
    expected: () => ok('{"ok": true}\n'),
    inSession: true,
    overHttp: false,
  },
  {
    id: 'py-builtins-module',
    language: 'python',
    title: "a print hook through sys.modules['builtins'] (guard: passes on issue 13's code)",
    origin: 'variation',
    plant: `import sys
b = sys.modules["builtins"]
_print = b.print
def hooked(*args, **kwargs):
    b.__dict__.setdefault("loot", []).append(args)
    return _print(*args, "[tampered]", **kwargs)
b.print = hooked
print("planted")`,
    plantOutcome: 'planted [tampered]\n',
    victim: (secret) => ({ code: `print("${secret}")` }),
    expected: (secret) => ok(`${secret}\n`),
    read: PY_STASH_READ('getattr(__import__("builtins"), "loot", None)'),
    inSession: true,
    overHttp: false,
  },
];

export const LEAKS: Leak[] = [...JS_LEAKS, ...PY_LEAKS];

/** A fresh secret per test: nothing of an earlier test can match it. */
export function newSecret(id: string): string {
  return `golem-secret-${id}-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}

/** The run's file name in a session for the program of `step`. */
export function entryName(language: Language, step: string): string {
  return `${step}.${language === 'python' ? 'py' : 'js'}`;
}
