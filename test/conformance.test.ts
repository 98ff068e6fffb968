// The conformance suite: every case in test/cases against every component, through the raw golem:exec WIT API of
// the real built component (jco-transpiled, in Node). A case that does not apply to a language says why in its
// case.json; a missing component or missing sources fail.
import { afterEach, describe, test } from 'vitest';
import { LANGUAGES, instantiate, type TestInstance } from './support/components.js';
import { loadCases } from './support/cases.js';
import { CaseRunner } from './support/driver.js';

const cases = loadCases();

for (const language of LANGUAGES) {
  describe(`exec-${language}`, () => {
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
        instance = await instantiate(language, { preopen: !testCase.name.startsWith('no-filesystem'), env: testCase.instanceEnv });
        await new CaseRunner(language, testCase, instance).runAll();
      });
    }
  });
}
