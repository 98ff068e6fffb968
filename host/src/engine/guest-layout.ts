// The guest directory layout as the hosts see it: the second contract between the guests and their hosts, besides
// the WIT. The guests own it (components/javascript/src/layout.ts and components/python/golem_exec/layout.py, where
// it is written out whole); this is the hosts' mirror. Change all three together.
//
//   <host dir> preopened at WORKSPACE_PATH (always the first preopen; mounts follow it)
//     session-<16 hex>/   one guest session's files: a host adopting an old workspace finds them by SESSION_DIR
//     run-<16 hex>/       a stateless run's files (the Python guest keeps one, emptied, for its next run: RUN_DIR)

/** The guest path the workspace is preopened at; the guests take the first preopen as theirs. */
export const WORKSPACE_PATH = '/workspace';

/** A guest session's directory in the workspace. */
export const SESSION_DIR = /^session-[0-9a-f]{16}$/;

/** A stateless run's directory in the workspace. */
export const RUN_DIR = /^run-[0-9a-f]{16}$/;

/** The entry file a program given as `code` is stored under (the WIT's `run` takes the first file as the entry). */
export const ENTRY_FILE = { javascript: 'main.js', python: 'main.py' } as const;
