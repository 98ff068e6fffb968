// TypeScript sources (.ts, .mts, .cts) as Node 24 runs them with --experimental-transform-types: nothing is
// type-checked; types become whitespace, so every line and column of the rest stays where the user wrote it (what
// Node's own stripper, amaro, does: amaro is swc compiled to WebAssembly, which the guest has no API to run); the
// constructs with a runtime meaning are rewritten in place, on the lines they were written on: `enum`, `namespace`,
// constructor parameter properties. The result is JavaScript for transform.ts.
//
// Parsing is acorn's with @sveltejs/acorn-typescript (~70 KB, and the acorn the guest already has; sucrase keeps lines
// but not columns and drops non-`declare` namespaces without a word; ts-blank-space needs the TypeScript compiler).
// As in Node (whose TypeScript support follows `verbatimModuleSyntax`), only imports marked `type` are removed: an
// unmarked import of a type fails as it does there, with "does not provide an export named".
import * as acorn from 'acorn';
import { tsPlugin } from '@sveltejs/acorn-typescript';
import MagicString from 'magic-string';
import { TransformSyntaxError, patternNames } from './transform.js';

/** Extended once, when the module loads: at build time (Wizer), so a run pays nothing for it. */
const TypeScriptParser = acorn.Parser.extend(tsPlugin() as never);

/** Node 24 runs these as TypeScript: .mts as an ES module, .cts as CommonJS, .ts as a .js file would be. */
export function isTypeScript(path: string): boolean {
  return path.endsWith('.ts') || path.endsWith('.mts') || path.endsWith('.cts');
}

export interface Stripped {
  code: string;
  /** What the file turned out to be (for 'detect': whether it only parses as a module). */
  kind: 'module' | 'commonjs';
}

const options = { ecmaVersion: 'latest', locations: true, allowHashBang: true } as const;

function parse(source: string, module: boolean): acorn.Program {
  return TypeScriptParser.parse(source, module ? { ...options, sourceType: 'module', allowAwaitOutsideFunction: true } : { ...options, sourceType: 'script', allowReturnOutsideFunction: true });
}

function syntaxError(error: unknown): TransformSyntaxError {
  const e = error as { message: string; loc?: { line: number; column: number } };
  if (!e.loc) throw error;
  return new TransformSyntaxError(e.message.replace(/ \(\d+:\d+\)$/, ''), e.loc.line, e.loc.column + 1);
}

/** The JavaScript of a TypeScript file; its syntax errors as TransformSyntaxError (positions in the file). */
export function stripTypes(source: string, kind: 'module' | 'commonjs' | 'detect'): Stripped {
  let ast: acorn.Program;
  let module = kind === 'module';
  try {
    ast = parse(source, module);
  } catch (error) {
    if (kind !== 'detect') throw syntaxError(error);
    try {
      ast = parse(source, true);
      module = true;
    } catch {
      throw syntaxError(error);
    }
  }
  return { code: new Stripper(source).run(ast), kind: module ? 'module' : 'commonjs' };
}

type Node = acorn.Node & Record<string, any>;

/** Words TypeScript allows before a class member's name that JavaScript does not have. */
const MODIFIERS = /\b(?:public|private|protected|readonly|override|declare|abstract)\b/;
/** Enum members whose names cannot be a `const` binding (they are assigned by their quoted name only). */
const RESERVED = /^(?:break|case|catch|class|const|continue|debugger|default|delete|do|else|enum|export|extends|false|finally|for|function|if|import|in|instanceof|new|null|return|super|switch|this|throw|true|try|typeof|var|void|while|with|yield|let|static|implements|interface|package|private|protected|public|await|arguments|eval)$/;

class Stripper {
  private readonly s: MagicString;

  constructor(private readonly source: string) {
    this.s = new MagicString(source);
  }

  run(ast: acorn.Program): string {
    for (const node of ast.body as Node[]) this.visit(node);
    return this.s.toString();
  }

  /** Spaces for every character of [start, end) but line breaks, so positions after it stay as they were. */
  private blank(start: number, end: number) {
    if (end > start) this.s.overwrite(start, end, this.source.slice(start, end).replace(/[^\r\n\u2028\u2029]/g, ' '));
  }

  /** A statement or class member with no runtime meaning: an empty statement (`;` keeps ASI as it was) and spaces. */
  private blankStatement(node: Node) {
    this.s.overwrite(node.start, node.start + 1, ';');
    this.blank(node.start + 1, node.end);
  }

  /** [start, end) replaced by `text`, followed by the line breaks it held (the lines after it stay in place). */
  private replace(start: number, end: number, text: string) {
    this.s.overwrite(start, end, text + this.source.slice(start, end).replace(/[^\r\n\u2028\u2029]/g, ''));
  }

  /** The position of `char` at or after `from` and before `to`, or -1. */
  private find(char: string, from: number, to = this.source.length): number {
    const at = this.source.indexOf(char, from);
    return at !== -1 && at < to ? at : -1;
  }

  /** A list item and the comma after it (`import { type A, b }`, `this` parameters). */
  private blankItem(node: Node, listEnd: number) {
    const comma = this.find(',', node.end, listEnd);
    this.blank(node.start, comma === -1 ? node.end : comma + 1);
  }

  private visitChildren(node: Node) {
    for (const key in node) {
      if (key === 'loc') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item.type === 'string') this.visit(item);
      } else if (value && typeof value.type === 'string') {
        this.visit(value);
      }
    }
  }

  private visit(node: Node): void {
    const { source } = this;
    switch (node.type) {
      case 'TSTypeAnnotation':
      case 'TSTypeParameterDeclaration':
      case 'TSTypeParameterInstantiation':
        return this.blank(node.start, node.end);
      case 'TSInterfaceDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSDeclareFunction':
      case 'TSIndexSignature':
        return this.blankStatement(node);
      case 'TSAsExpression':
      case 'TSSatisfiesExpression': {
        // From the keyword on: the expression may sit in parentheses that end after it.
        this.visit(node.expression);
        const word = node.type === 'TSAsExpression' ? 'as' : 'satisfies';
        let at = node.typeAnnotation.start;
        while (/\s/.test(source[at - 1]!)) at--;
        return this.blank(at - word.length, node.end);
      }
      case 'TSTypeAssertion': // <T>value
        this.blank(node.start, this.find('>', node.typeAnnotation.end) + 1);
        return this.visit(node.expression);
      case 'TSNonNullExpression': // value!
        this.visit(node.expression);
        return this.blank(node.end - 1, node.end);
      case 'TSInstantiationExpression': // f<string>
        this.visit(node.expression);
        return this.blank(node.typeArguments.start, node.typeArguments.end);
      case 'TSParameterProperty': {
        // The modifiers (the parameter's own range may start at them).
        const modifiers = /^(?:\s*\b(?:public|private|protected|readonly|override)\b)+/.exec(source.slice(node.start, node.end))![0];
        this.blank(node.start, node.start + modifiers.length);
        return this.visit(node.parameter);
      }
      case 'TSEnumDeclaration':
        return node.declare ? this.blankStatement(node) : this.enumDeclaration(node);
      case 'TSModuleDeclaration':
        return node.declare || node.id.type !== 'Identifier' || node.global ? this.blankStatement(node) : this.namespace(node);
      case 'TSExportAssignment': // export = value (CommonJS)
        this.replace(node.start, node.expression.start, 'module.exports = ');
        return this.visit(node.expression);
      case 'ImportDeclaration':
        if (node.importKind === 'type') return this.blankStatement(node);
        for (const spec of node.specifiers) if (spec.importKind === 'type') this.blankItem(spec, node.end);
        return;
      case 'ExportNamedDeclaration':
        if (node.exportKind === 'type' || (node.declaration && isTypeOnly(node.declaration))) return this.blankStatement(node);
        for (const spec of node.specifiers) if (spec.exportKind === 'type') this.blankItem(spec, node.end);
        if (node.declaration) this.visit(node.declaration);
        return;
      case 'ExportDefaultDeclaration':
        if (isTypeOnly(node.declaration)) return this.blankStatement(node);
        return this.visit(node.declaration);
      case 'VariableDeclaration':
        if (node.declare) return this.blankStatement(node);
        break;
      case 'VariableDeclarator':
        if (node.definite) this.blankMark('!', node.id.start + node.id.name.length, node.id.typeAnnotation?.start ?? node.end);
        break;
      case 'Identifier':
        if (node.optional) this.blankMark('?', node.start + node.name.length, node.typeAnnotation?.start ?? node.end);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node.declare) return this.blankStatement(node);
        if (node.abstract) this.blank(node.start, source.indexOf('class', node.start));
        if (node.implements?.length) {
          const last = node.implements[node.implements.length - 1];
          this.blank(source.lastIndexOf('implements', node.implements[0].start), last.end);
          node = { ...node, implements: undefined } as Node;
        }
        break;
      case 'PropertyDefinition':
      case 'MethodDefinition':
      case 'AccessorProperty':
        return this.classMember(node);
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const first = node.params[0];
        if (first?.type === 'Identifier' && first.name === 'this') {
          this.blankItem(first, node.body.start);
          node = { ...node, params: node.params.slice(1) } as Node;
        }
        break;
      }
    }
    if (node.type.startsWith('TS')) {
      // Any other TypeScript-only node in a position the cases above do not cover (types inside types are never
      // visited): refuse it rather than pass TypeScript on to the JavaScript parser.
      throw new TransformSyntaxError(`TypeScript ${node.type.slice(2)} is not supported`, node.loc!.start.line, node.loc!.start.column + 1);
    }
    this.visitChildren(node);
  }

  /** `?` (optional) or `!` (definite) between a name and its type. */
  private blankMark(mark: string, from: number, to: number) {
    const at = this.find(mark, from, to);
    if (at !== -1) this.blank(at, at + 1);
  }

  private classMember(node: Node) {
    if (node.declare || node.abstract || node.value?.type === 'TSDeclareMethod') return this.blankStatement(node);
    const { source } = this;
    const keyStart = node.computed ? source.lastIndexOf('[', node.key.start) : node.key.start;
    const prefix = source.slice(node.start, keyStart);
    if (MODIFIERS.test(prefix)) this.s.overwrite(node.start, keyStart, prefix.replace(new RegExp(MODIFIERS, 'g'), (word) => ' '.repeat(word.length)));
    const keyEnd = node.computed ? source.indexOf(']', node.key.end) + 1 : node.key.end;
    const next = node.typeAnnotation?.start ?? node.value?.start ?? node.end;
    if (node.optional) this.blankMark('?', keyEnd, next);
    if (node.definite) this.blankMark('!', keyEnd, next);
    if (node.computed) this.visit(node.key);
    if (node.typeAnnotation) this.visit(node.typeAnnotation);
    if (node.kind === 'constructor') this.parameterProperties(node.value);
    if (node.value) this.visit(node.value);
  }

  /** `constructor(private x: number)`: `this.x = x;` at the start of the body (after a leading `super(...)` call). */
  private parameterProperties(fn: Node) {
    const names = fn.params.filter((p: Node) => p.type === 'TSParameterProperty').map((p: Node) => (p.parameter.type === 'AssignmentPattern' ? p.parameter.left : p.parameter).name);
    if (names.length === 0) return;
    const first = fn.body.body[0];
    const afterSuper = first?.type === 'ExpressionStatement' && first.expression.type === 'CallExpression' && first.expression.callee.type === 'Super';
    this.s.appendLeft(afterSuper ? first.end : fn.body.start + 1, names.map((name: string) => `this.${name} = ${name};`).join(''));
  }

  /**
   * `enum E { A, B = 5, C }` as TypeScript emits it, one member per line as written:
   * `var E; (function (E) { const A = 0; E[E["A"] = A] = "A"; ... })(E || (E = {}));`. A member's `const` lets later
   * initialisers name it; string members get no reverse mapping.
   */
  private enumDeclaration(node: Node) {
    const { source } = this;
    const name = node.id.name;
    const open = source.indexOf('{', node.id.end);
    this.replace(node.start, open + 1, `var ${name}; (function (${name}) {`);
    let previous: string | undefined;
    const members: Node[] = node.members;
    members.forEach((member, i) => {
      const key: string = member.id.type === 'Identifier' ? member.id.name : member.id.value;
      const local = member.id.type === 'Identifier' && !RESERVED.test(key) ? key : undefined;
      const slot = `${name}[${JSON.stringify(key)}]`;
      const init: Node | undefined = member.initializer;
      const isString = init && (init.type === 'Literal' ? typeof init.value === 'string' : init.type === 'TemplateLiteral' && init.expressions.length === 0);
      const value = local ?? slot;
      const assign = isString ? `${slot} = ${value};` : `${name}[${slot} = ${value}] = ${JSON.stringify(key)};`;
      if (init) {
        this.replace(member.start, init.start, local ? `const ${local} = ` : `${slot} = `);
        this.visit(init);
        // Without a local binding the value was stored by the prefix; the reverse mapping reads it back.
        const rest = local ? `; ${assign}` : isString ? ';' : `; ${name}[${slot}] = ${JSON.stringify(key)};`;
        this.s.appendLeft(init.end, rest);
        if (init.end < member.end) this.blank(init.end, member.end);
      } else {
        const auto = previous === undefined ? '0' : `${previous} + 1`;
        this.replace(member.start, member.end, local ? `const ${local} = ${auto}; ${assign}` : `${name}[${slot} = ${auto}] = ${JSON.stringify(key)};`);
      }
      previous = value;
      const end = i + 1 < members.length ? members[i + 1]!.start : node.end - 1;
      const comma = this.find(',', member.end, end);
      if (comma !== -1) this.blank(comma, comma + 1);
    });
    this.replace(node.end - 1, node.end, `})(${name} || (${name} = {}));`);
  }

  /**
   * `namespace N { export const k = 1; }` as an IIFE over the namespace object: `var N; (function (N) { const k = 1;
   * N.k = k; })(N || (N = {}));` (dotted names nest). Differs from TypeScript's emit in one way: an exported variable
   * is copied to the namespace object once, where TypeScript rewrites every use of it to `N.k`, so an exported `let`
   * the namespace reassigns later is not seen through `N`.
   */
  private namespace(node: Node) {
    const names: string[] = [];
    let inner = node;
    for (;;) {
      names.push(inner.id.name);
      if (inner.body?.type !== 'TSModuleDeclaration') break;
      inner = inner.body;
    }
    const block: Node = inner.body;
    const opening = names.map((name) => `var ${name}; (function (${name}) {`).join(' ');
    this.replace(node.start, block.start + 1, opening);
    const self = names[names.length - 1]!;
    for (const statement of block.body as Node[]) {
      if (statement.type !== 'ExportNamedDeclaration' || !statement.declaration) {
        this.visit(statement);
        continue;
      }
      const decl: Node = statement.declaration;
      if (isTypeOnly(decl)) {
        this.blankStatement(statement);
        continue;
      }
      this.blank(statement.start, decl.start);
      this.visit(decl);
      const exported = decl.type === 'VariableDeclaration' ? decl.declarations.flatMap((d: Node) => patternNames(d.id)) : [decl.id.name];
      this.s.appendLeft(decl.end, exported.map((name: string) => ` ${self}.${name} = ${name};`).join(''));
    }
    let closing = '';
    for (let i = names.length - 1; i >= 0; i--) {
      const name = names[i]!;
      const parent = names[i - 1];
      closing += parent === undefined ? `})(${name} || (${name} = {}));` : `})(${name} = ${parent}.${name} || (${parent}.${name} = {})); `;
    }
    this.replace(block.end - 1, node.end, closing);
  }
}

/** Declarations that exist only for the type checker. */
function isTypeOnly(node: Node): boolean {
  switch (node.type) {
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSDeclareFunction':
      return true;
    case 'TSModuleDeclaration':
      return node.declare || node.id.type !== 'Identifier' || !!node.global;
    default:
      return !!node.declare;
  }
}
