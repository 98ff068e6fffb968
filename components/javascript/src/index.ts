// Entry of exec-javascript.wasm: the golem:exec world's exports. Everything here runs once at build time inside
// Wizer (the pre-initialised snapshot), so the pristine-globals snapshot costs nothing per instance.
import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import * as executorImpl from './executor.js';
import { snapshotGlobals } from './isolation.js';
import { trackEngineAsync } from './node/engine-async.js';
import { installIntl } from './intl/index.js';
import { installRandom } from './random.js';
import { installRegExpRewriting } from './unicode-regex.js';
import { warmUp } from './warmup.js';

export const types = {};
export const executor = {
  run: executorImpl.run,
  runStreaming: executorImpl.runStreaming,
  ExecStream: executorImpl.ExecStream,
  Session: executorImpl.Session,
};
export const repl = {
  eval: (session: executorImpl.Session, code: string, constraints: Parameters<executorImpl.Session['evaluate']>[1]) => session.evaluate(code, constraints),
};
export const files = {
  remove: (session: executorImpl.Session, path: string) => session.remove(path),
};

// The network surface beyond fetch (which each run replaces with a refusal, see program.ts) is removed for good
// before the snapshot: deleting a global per run would put it back last at every restore and change the key order.
delete (globalThis as { Request?: unknown }).Request;
trackEngineAsync();
installRandom();
installIntl();
installRegExpRewriting();
snapshotGlobals([Buffer, EventEmitter]);
// After the snapshot of the pristine globals: the warm-up's runs end with the same restore as every run.
await warmUp();
