import { defineConfig } from 'vitest/config';
import { WASM_NODE_FLAGS } from './scripts/node-flags.mjs';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Components take seconds to instantiate on a 2-core CI machine; the cases are not timed assertions.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { execArgv: WASM_NODE_FLAGS } },
  },
});
