// One program run as the executor asks for it: the one record a run travels in, from the WIT call (executor.ts)
// through runProgram (program.ts) to the run's state (node/context.ts, which derives the deadline, the file-size limit
// and the output sinks from it).
import type { Limits } from './contract.js';
import type { StdinSource } from './node/stdin.js';
import type { ChunkListener } from './output.js';
import type { Volume } from './volume/volume.js';

export interface RunRequest {
  /** The sandbox's files (a session's directory, a stateless run's, or memory). */
  volume: Volume;
  /** The guest path at which the volume's root appears to the program, e.g. `/workspace/session-…` (see layout.ts). */
  rootPath: string;
  /** Working directory, as segments below the root. */
  cwd: string[];
  /** Entry file, as segments below the root. */
  entry: string[];
  args: string[];
  env: [string, string][];
  stdin: StdinSource;
  /** The call's limits, as the WIT passes them. */
  limits: Limits | undefined;
  /** The sandbox's paths are used by this run only (a stateless run's `run-<hex>`): nothing is cached by path. */
  ephemeral: boolean;
  /** Receives output chunks as they are written (streamed runs). */
  listener?: ChunkListener;
}
