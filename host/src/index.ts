// golem-exec: run untrusted JavaScript and Python in WebAssembly sandboxes from Node.
//
//   import { Executor } from 'golem-exec';
//   const exec = new Executor();
//   const result = await exec.run({ language: 'python', code: 'print(6 * 7)' });   // result.stdout === '42\n'
//
// Everything public is exported from this file.
export { Executor, type ExecutorOptions } from './api/executor.js';
export { Session } from './api/session.js';
export { RunStream, type StdinWriter } from './api/run-stream.js';
export { ExecError, ExecutorClosedError, OptionError, type ExecErrorTag } from './api/errors.js';
export type {
  EngineInfo, Encoding, FileInput, Language, LimitEnforcement, Limits, Mount, RunCommon, RunOptions, RunResult, SessionOptions,
  SessionRunOptions, StageResult, StreamEvent, EvalOptions, EvalResult,
} from './api/types.js';
export { LANGUAGES } from './api/types.js';
export { LANGUAGE_NAMES, type LanguageName } from './api/languages.js';

export { run } from './api/shared.js';

// Executor and Session have `[Symbol.asyncDispose]` (for `await using`). TypeScript declares that symbol from 5.2 on
// with lib esnext.disposable, and @types/node does the same for older versions; this is the same declaration (identical
// redeclarations merge), so index.d.ts type-checks in a consumer with a default tsconfig and TypeScript >= 5.0.
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}
