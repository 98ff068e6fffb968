// The conformance suite: every case in test/cases against every component, through the raw golem:exec WIT API of
// the real built component (jco-transpiled, in Node). A case that does not apply to a language says why in its
// case.json; a missing component or missing sources fail.
import { afterEach, describe, test } from 'vitest';
import { DEFAULT_WASI, LANGUAGES, instantiate, type TestInstance, type WasiName } from './support/components.js';
import { loadCases } from './support/cases.js';
import { CaseRunner } from './support/driver.js';

const cases = loadCases();

// Every case runs on the host library's WASI (what the library runs) and on jco's stock preview2-shim (the standard
// path other jco embedders take), so a guest that works on one but not the other shows up here.
const WASIS: WasiName[] = [DEFAULT_WASI, DEFAULT_WASI === 'host' ? 'preview2-shim' : 'host'];

for (const wasi of WASIS) {
  for (const language of LANGUAGES) {
    describe(`exec-${language}${wasi === 'host' ? '' : ` on ${wasi}`}`, () => {
      let instance: TestInstance | undefined;
      afterEach(async () => {
        await instance?.dispose();
        instance = undefined;
      });
      for (const testCase of cases) {
        const reason = testCase.skip[language];
        if (reason) {
          test.skip(`${testCase.name}: not applicable to ${language}: ${reason}`, () => {});
          continue;
        }
        test(`${testCase.name}: ${testCase.description}`, async () => {
          instance = await instantiate(language, { preopen: !testCase.name.startsWith('no-filesystem'), env: testCase.instanceEnv, wasi });
          await new CaseRunner(language, testCase, instance).runAll();
        });
      }
    });
  }
}
