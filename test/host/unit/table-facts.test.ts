// scripts/table-facts.mjs: the build-time finding that lets the reset skip a component's tables must see every
// instruction that changes a table, and nothing else (a data segment spelling an instruction name is not one).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTableFacts } from '../../../scripts/table-facts.mjs';
import { wat } from './wat.js';

const root = mkdtempSync(join(tmpdir(), 'golem-exec-table-facts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes the modules into a directory of their own and returns what the scan wrote there. */
async function facts(modules: Record<string, string>) {
  const dir = mkdtempSync(join(root, 'component-'));
  for (const [name, text] of Object.entries(modules)) writeFileSync(join(dir, name), wat(text));
  await writeTableFacts(dir);
  return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
}

const QUIET = `(module (table 2 funcref) (memory 1) (func $f) (elem (i32.const 0) $f)
  (data (i32.const 0) "\\n  table.set 0\\n  table.grow 0\\n")
  (func (export "call") (call_indirect (i32.const 0))))`;

describe('table facts', () => {
  it('finds no mutator where tables are only filled at instantiation (names in data do not count)', async () => {
    expect(await facts({ 'a.wasm': QUIET })).toEqual({ tablesMutable: false, mutators: [] });
  });

  for (const [instruction, body] of [
    ['table.set', '(table.set 0 (i32.const 1) (ref.null func))'],
    ['table.grow', '(drop (table.grow 0 (ref.null func) (i32.const 1)))'],
    ['table.fill', '(table.fill 0 (i32.const 0) (ref.null func) (i32.const 1))'],
    ['table.copy', '(table.copy 0 0 (i32.const 0) (i32.const 1) (i32.const 1))'],
    ['table.init', '(table.init 0 $seg (i32.const 0) (i32.const 0) (i32.const 1))'],
    ['elem.drop', '(elem.drop $seg)'],
  ]) {
    it(`finds ${instruction} in any module of the component`, async () => {
      const mutator = `(module (table 2 funcref) (func $f) (elem $seg func $f) (func (export "go") ${body}))`;
      expect(await facts({ 'a.wasm': QUIET, 'b.wasm': mutator })).toEqual({ tablesMutable: true, mutators: ['b.wasm'] });
    });
  }
});
