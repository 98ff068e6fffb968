// One acorn pass over each user file turns it into the body of a function the loader can call, keeping line numbers:
// - ES module syntax becomes calls into the loader ($$load / $$export), hoisted onto line 1;
// - a deadline check goes at every loop back-edge and function entry, so runaway code stops in the guest: a
//   decrement of a per-file budget ($$budget), calling $$tick (which reads the clock and hands out the next budget)
//   only when it runs out, because a function call per iteration costs ~10x in SpiderMonkey's interpreter;
// - a call whose result is discarded (`main();`) goes through $$discard, which fails the run if it is a promise that
//   rejects: StarlingMonkey exposes no unhandled-rejection hook (no upstream issue; its own tracker only logs them,
//   bytecodealliance/StarlingMonkey#217), and nobody else can handle a discarded promise;
// - `import.meta` and dynamic `import()` become $$meta / $$import;
// - a regex literal with Unicode property escapes or the `v` flag becomes the equivalent `u` literal the engine can
//   compile (../unicode-regex.ts); only files whose text could contain one are looked at.
import * as acorn from 'acorn';
import { ancestor } from 'acorn-walk';
import MagicString from 'magic-string';
import { needsRewrite, rewriteRegExp } from '../unicode-regex.js';

export interface Transformed {
  /** Source of a function expression taking the loader's helpers. */
  code: string;
  /** Characters added before the user's first line (to correct columns on line 1). */
  prefixLength: number;
  isModule: boolean;
  isAsync: boolean;
  /** Static dependencies of an ES module, in evaluation order. */
  imports: string[];
}

export class TransformSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

// The file's function is created inside a closure that holds its deadline budget (one per compiled file, kept
// across runs: $$tick hands out a fresh budget, so a leftover one only delays the first clock read).
const BUDGET = '(function(){let $$budget=0;return ';
const CJS_PARAMS = 'exports, require, module, __filename, __dirname, $$tick, $$discard, $$import';
const ESM_PARAMS = '$$load, $$export, $$meta, $$tick, $$discard, $$import';

/** The deadline check as a statement and as an expression (for arrow functions with an expression body). */
const CHECK = 'if(--$$budget<0)$$budget=$$tick();';
const CHECK_EXPR = '(--$$budget<0&&($$budget=$$tick()))';
/** Names the inserted code relies on: user code may not declare or assign them (it could switch the checks off). */
const RESERVED = new Set(['$$budget', '$$tick', '$$discard', '$$import', '$$load', '$$export', '$$meta', '$$default', '$$named']);

function checkReserved(token: acorn.Token & { value?: unknown }) {
  if (token.type.label === 'name' && RESERVED.has(token.value as string)) {
    const loc = token.loc!.start;
    throw new TransformSyntaxError(`Identifier '${token.value}' is reserved by the golem-exec sandbox`, loc.line, loc.column + 1);
  }
}

const baseOptions = { ecmaVersion: 'latest', locations: true, allowHashBang: true, onToken: checkReserved } as const;

function parse(source: string, module: boolean): acorn.Program {
  return acorn.parse(source, module ? { ...baseOptions, sourceType: 'module', allowAwaitOutsideFunction: true } : { ...baseOptions, sourceType: 'script', allowReturnOutsideFunction: true });
}

function syntaxError(error: unknown): TransformSyntaxError {
  if (error instanceof TransformSyntaxError) return error;
  const e = error as { message: string; loc?: { line: number; column: number } };
  return new TransformSyntaxError(e.message.replace(/ \(\d+:\d+\)$/, ''), e.loc?.line ?? 1, (e.loc?.column ?? 0) + 1);
}

/**
 * `kind`: 'module' / 'commonjs' when the file's extension or package.json decides, 'detect' for Node's syntax
 * detection (a .js file that only parses as a module, with import/export/import.meta/top-level await, is one).
 */
/** `deadlineChecks: false` leaves loops and functions as written (a host that stops runs itself needs none). */
export function transform(source: string, kind: 'module' | 'commonjs' | 'detect', { deadlineChecks = true } = {}): Transformed {
  let ast: acorn.Program;
  let isModule = kind === 'module';
  if (kind === 'module') {
    try {
      ast = parse(source, true);
    } catch (error) {
      throw syntaxError(error);
    }
  } else {
    try {
      ast = parse(source, false);
    } catch (scriptError) {
      if (kind === 'commonjs') throw syntaxError(scriptError);
      try {
        ast = parse(source, true);
        isModule = true;
      } catch {
        throw syntaxError(scriptError);
      }
    }
  }
  return rewrite(source, ast, isModule, deadlineChecks);
}

type Node = acorn.Node & Record<string, any>;

function rewrite(source: string, ast: acorn.Program, isModule: boolean, deadlineChecks: boolean): Transformed {
  const s = new MagicString(source);
  const header: string[] = [];
  const imports: string[] = [];
  let isAsync = false;
  let counter = 0;

  const blank = (node: Node) => {
    // Keep newlines so that line numbers of the rest stay as the user wrote them.
    s.overwrite(node.start, node.end, source.slice(node.start, node.end).replace(/[^\n]/g, ' '));
  };
  const load = (specifier: string, attributes?: Node[]) => {
    const name = `$$m${counter++}`;
    const type = attributes?.find((a) => (a.key.name ?? a.key.value) === 'type')?.value.value;
    imports.push(specifier);
    header.push(`const ${name} = await $$load(${JSON.stringify(specifier)}${type ? `, ${JSON.stringify(type)}` : ''});`);
    return name;
  };
  const exportGetter = (exported: string, local: string) => header.push(`$$export(${JSON.stringify(exported)}, () => ${local});`);
  const nameOf = (node: Node) => (node.type === 'Identifier' ? node.name : node.value);

  if (isModule) {
    for (const node of ast.body as Node[]) {
      switch (node.type) {
        case 'ImportDeclaration': {
          const ns = load(node.source.value, node.attributes);
          for (const spec of node.specifiers) {
            if (spec.type === 'ImportNamespaceSpecifier') header.push(`const ${spec.local.name} = ${ns};`);
            else if (spec.type === 'ImportDefaultSpecifier') header.push(`const ${spec.local.name} = $$default(${ns});`);
            else header.push(`const ${spec.local.name} = $$named(${ns}, ${JSON.stringify(nameOf(spec.imported))});`);
          }
          blank(node);
          break;
        }
        case 'ExportNamedDeclaration': {
          if (node.source) {
            const ns = load(node.source.value, node.attributes);
            for (const spec of node.specifiers) exportGetter(nameOf(spec.exported), `$$named(${ns}, ${JSON.stringify(nameOf(spec.local))})`);
            blank(node);
          } else if (node.declaration) {
            const decl = node.declaration;
            const names = decl.type === 'VariableDeclaration' ? decl.declarations.flatMap((d: Node) => patternNames(d.id)) : [decl.id.name];
            for (const name of names) exportGetter(name, name);
            s.overwrite(node.start, decl.start, ' '.repeat(decl.start - node.start));
          } else {
            for (const spec of node.specifiers) exportGetter(nameOf(spec.exported), nameOf(spec.local));
            blank(node);
          }
          break;
        }
        case 'ExportAllDeclaration': {
          const ns = load(node.source.value, node.attributes);
          if (node.exported) exportGetter(nameOf(node.exported), ns);
          else header.push(`$$export("*", ${ns});`);
          blank(node);
          break;
        }
        case 'ExportDefaultDeclaration': {
          const decl = node.declaration;
          if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) {
            exportGetter('default', decl.id.name);
            s.overwrite(node.start, decl.start, ' '.repeat(decl.start - node.start));
          } else {
            header.push('let $$default_export;');
            exportGetter('default', '$$default_export');
            s.overwrite(node.start, decl.start, '$$default_export = ');
            if (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') s.appendLeft(decl.end, ';');
          }
          break;
        }
      }
    }
  }

  const tickBlock = (body: Node) => {
    if (!deadlineChecks) return;
    if (body.type === 'BlockStatement') s.appendLeft(body.start + 1, CHECK);
    else {
      s.appendLeft(body.start, `{${CHECK}`);
      s.appendRight(body.end, '}');
    }
  };

  const regexCandidates = source.includes('\\p{') || source.includes('\\P{') || /\/[dgimsuy]*v/.test(source);
  ancestor(ast as any, {
    Literal: (node: Node) => {
      if (!regexCandidates || !node.regex || !needsRewrite(node.regex.pattern, node.regex.flags)) return;
      try {
        const { pattern, flags } = rewriteRegExp(node.regex.pattern, node.regex.flags);
        s.overwrite(node.start, node.end, `/${pattern}/${flags}`);
      } catch (error) {
        throw new TransformSyntaxError((error as Error).message, node.loc!.start.line, node.loc!.start.column + 1);
      }
    },
    WhileStatement: (node: Node) => tickBlock(node.body),
    DoWhileStatement: (node: Node) => tickBlock(node.body),
    ForStatement: (node: Node) => tickBlock(node.body),
    ForInStatement: (node: Node) => tickBlock(node.body),
    ForOfStatement: (node: Node, _state: unknown, ancestors: Node[]) => {
      tickBlock(node.body);
      if (node.await && !ancestors.some(isFunction)) isAsync = true;
    },
    Function: (node: Node) => {
      if (!deadlineChecks) return;
      if (node.body.type === 'BlockStatement') s.appendLeft(node.body.start + 1, CHECK);
      else {
        // `x => expr`: the check joins the expression (parenthesised, so object literals and sequences stay intact).
        s.appendLeft(node.body.start, `(${CHECK_EXPR},`);
        s.appendRight(node.body.end, ')');
      }
    },
    AwaitExpression: (_node: Node, _state: unknown, ancestors: Node[]) => {
      if (!ancestors.some(isFunction)) isAsync = true;
    },
    ExpressionStatement: (node: Node) => {
      const e = node.expression;
      if (e.type === 'CallExpression' || e.type === 'NewExpression' || (e.type === 'ChainExpression' && e.expression.type === 'CallExpression')) {
        if (e.type === 'CallExpression' && e.callee.type === 'Super') return;
        s.appendRight(e.start, '$$discard(');
        s.appendLeft(e.end, ')');
      }
    },
    MetaProperty: (node: Node) => {
      if (node.meta.name === 'import') s.overwrite(node.start, node.end, '$$meta');
    },
    ImportExpression: (node: Node) => {
      s.overwrite(node.start, node.source.start, '$$import(');
    },
  } as any);

  if (source.startsWith('#!')) s.overwrite(0, source.indexOf('\n') === -1 ? source.length : source.indexOf('\n'), '');

  let prefix: string;
  if (isModule) {
    isAsync = true; // module bodies await their dependencies' evaluation ($$load)
    prefix = `${BUDGET}async function (${ESM_PARAMS}) {"use strict";const $$default = (m) => m.default, $$named = (m, k) => m[k];${header.join('')}`;
  } else {
    prefix = `${BUDGET}function (${CJS_PARAMS}) {`;
  }
  s.prepend(prefix);
  s.append('\n}})()');
  return { code: s.toString(), prefixLength: prefix.length, isModule, isAsync, imports };
}

function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

/** The names a binding pattern declares. */
export function patternNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p: Node) => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return pattern.elements.filter(Boolean).flatMap(patternNames);
    case 'RestElement':
      return patternNames(pattern.argument);
    case 'AssignmentPattern':
      return patternNames(pattern.left);
  }
  return [];
}
