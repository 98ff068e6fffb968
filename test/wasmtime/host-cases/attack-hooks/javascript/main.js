// An attacker's program, run around a victim's run in the same sandbox. `plant` hooks JSON.stringify and a
// module-level class outside the guest's recorded intrinsics (fs.Stats.prototype.isFile), both stashing what later
// runs pass through them (the hook on isFile reads the running program's process.env), re-installs the first from a
// promise chain still running after process.exit, hooks JSON.parse from an exit code's valueOf (run after the
// program) and marks the iterator-helper prototype, and writes a file; `harvest` prints what the hooks caught, whether
// any hook is still there, and whether the file is there (a session keeps its files, nothing else).
const fs = require('fs');

function helperPrototype() {
  return Object.getPrototypeOf([].values().map((x) => x));
}

function plant() {
  const stash = [];
  const stringify = JSON.stringify;
  const hooked = function (...args) {
    stash.push(stringify.apply(this, args));
    return stringify.apply(this, args) + ' /*hooked*/';
  };
  hooked.stash = stash;
  JSON.stringify = hooked;
  const isFile = fs.Stats.prototype.isFile;
  const spy = function () {
    stash.push(stringify(process.env));
    return isFile.call(this);
  };
  spy.stash = stash;
  fs.Stats.prototype.isFile = spy;
  let chain = Promise.resolve();
  for (let i = 0; i < 1000; i++) chain = chain.then(() => {});
  chain.then(() => { JSON.stringify = hooked; });
  const parse = JSON.parse;
  const parseHook = function (...args) {
    stash.push(String(args[0]));
    return parse.apply(this, args);
  };
  parseHook.stash = stash;
  // Refused since issue 14 (process.exitCode takes only what Node's setter takes); an attacker tries it anyway.
  try {
    // Refused since issue 14 (process.exitCode takes only what Node's setter takes); an attacker tries it anyway.
  try {
    process.exitCode = { valueOf() { JSON.parse = parseHook; return 0; } };
  } catch {}
  } catch {}
  helperPrototype().stash = stash;
  fs.writeFileSync('planted.txt', 'planted');
  console.log('planted');
  process.exit(0);
}

function harvest() {
  const hooked = [JSON.stringify, fs.Stats.prototype.isFile, JSON.parse, helperPrototype()].filter((o) => 'stash' in o);
  console.log('caught: ' + hooked.flatMap((o) => o.stash).join(' | '));
  console.log('hooks: ' + (hooked.length > 0));
  console.log('file: ' + (fs.existsSync('planted.txt') ? fs.readFileSync('planted.txt', 'utf8') : 'none'));
}

({ plant, harvest })[process.argv[2]]();
