// The golem:exec/repl interface's state for one session: evaluation of code against globals that persist between
// evaluations, with the completion value inspected as Node's REPL shows it.
//
// Node's REPL runs input as a vm.Script, whose top-level `let`/`const`/`class` live on in the global lexical scope.
// StarlingMonkey has no Script API, only eval, whose lexical declarations end with the eval: so top-level `let`,
// `const` and `class` declarations are rewritten to `var` (as Node's REPL itself did for `await` input), and the
// evaluation is an indirect eval, whose `var`s and functions become properties of the global object. Those the
// evaluation added or changed are kept here and put back on the global object for the next evaluation: the restore
// after each run (isolation.ts) removes them from the global object itself, so no run of the session sees them.
import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { CompileError, noteLocation, syntaxDiagnostic } from './node/compile.js';
import { inspect } from './node/inspect.js';
import type { Loader } from './node/loader.js';

/** The name stack traces and syntax errors give REPL input. */
const REPL_NAME = 'REPL';

const { defineProperty, getOwnPropertyDescriptor } = Object;
const { ownKeys, deleteProperty } = Reflect;

/** One evaluation as runProgram drives it (program.ts): set up, run, and keep what the state gained. */
export interface Evaluation {
  enter(loader: Loader): void;
  run(): Promise<void>;
  leave(): void;
}

export class ReplState {
  /** The globals evaluations defined or changed, by name. */
  private readonly globals = new Map<PropertyKey, PropertyDescriptor>();
  /** The last evaluation's value as Node's REPL prints it; undefined when it had none. */
  value: string | undefined;

  /** The evaluation of `code` in this state; `dir` is the working directory (an absolute guest path). */
  evaluation(code: string, dir: string): Evaluation {
    const g = globalThis as Record<PropertyKey, unknown>;
    let before: Map<PropertyKey, PropertyDescriptor> | undefined;
    this.value = undefined;
    return {
      enter: (loader) => {
        // require resolves from the working directory, as in a REPL started there.
        const require = (specifier: string) => loader.require(specifier, `${dir}/${REPL_NAME}`);
        defineProperty(g, 'require', { value: require, writable: true, configurable: true, enumerable: false });
        before = new Map(ownKeys(g).map((key) => [key, getOwnPropertyDescriptor(g, key)!]));
        for (const [key, descriptor] of this.globals) defineProperty(g, key, descriptor);
      },
      run: async () => {
        const source = replSource(code);
        noteLocation(REPL_NAME);
        let value: unknown;
        try {
          value = (0, eval)(`${source}\n//# sourceURL=${REPL_NAME}`);
        } catch (error) {
          if (error instanceof SyntaxError) {
            const e = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
            throw new CompileError(syntaxDiagnostic(REPL_NAME, code, { message: e.message, line: e.lineNumber ?? 1, column: e.columnNumber ?? 1 }));
          }
          throw error;
        }
        if (value !== undefined) {
          this.value = inspect(value);
          defineProperty(g, '_', { value, writable: true, configurable: true, enumerable: false });
        }
      },
      leave: () => {
        for (const key of this.globals.keys()) if (!(key in g)) this.globals.delete(key);
        for (const key of ownKeys(g)) {
          const now = getOwnPropertyDescriptor(g, key)!;
          const then = before?.get(key);
          if (!then || now.value !== then.value || now.get !== then.get || now.set !== then.set) this.globals.set(key, now);
        }
        deleteProperty(g, 'require');
      },
    };
  }
}

/** REPL input with its top-level lexical declarations turned into `var`s (see the top of this file). */
function replSource(code: string): string {
  let program: acorn.Program;
  try {
    program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true });
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    const message = e.message.replace(/ \(\d+:\d+\)$/, '');
    throw new CompileError(syntaxDiagnostic(REPL_NAME, code, { message, line: e.loc?.line ?? 1, column: (e.loc?.column ?? 0) + 1 }));
  }
  const out = new MagicString(code);
  for (const node of program.body) {
    if (node.type === 'VariableDeclaration' && node.kind !== 'var') {
      out.overwrite(node.start, node.start + node.kind.length, 'var');
    } else if (node.type === 'ClassDeclaration' && node.id) {
      out.appendLeft(node.start, `var ${node.id.name} = `);
      out.appendRight(node.end, ';');
    }
  }
  return out.toString();
}
