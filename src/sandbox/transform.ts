/**
 * Rewrites a model-written cell into the body of an async function with
 * REPL semantics. Pure text work, done in the agent process so the sandbox
 * stays small:
 *
 * - TypeScript annotations are stripped (only when the text is not already
 *   valid JavaScript), keeping every line where it was.
 * - Top-level `const`/`let`/`var`/`class` become assignments to properties
 *   of the global object, so they persist to later cells and can be
 *   declared again; top-level functions are published after hoisting.
 * - Static `import` becomes `await import()` (permission-checked).
 * - A final expression statement becomes the cell's return value.
 * - Every `catch` rethrows the SUBMIT signal, so a `try/catch` in the cell
 *   cannot swallow `SUBMIT(...)`.
 *
 * Edits never add or remove line breaks, so a line number in an error is a
 * line number of the model's cell.
 *
 * @module
 */

import type * as Acorn from "acorn";

/** A syntax error found before the cell ran. */
export interface CellSyntaxError {
  name: "SyntaxError";
  message: string;
  /** 1-based line within the cell. */
  line: number;
}

/** Outcome of {@linkcode transformCell}. */
export type TransformResult =
  | { ok: true; code: string }
  | { ok: false; error: CellSyntaxError };

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface Edit {
  at: number;
  end: number;
  text: string;
}

let acornModule: typeof Acorn | undefined;
type StripTypes = (
  code: string,
  options?: { mode?: "strip" | "transform"; sourceMap?: boolean },
) => string;
let stripper: StripTypes | undefined;

/**
 * Loads the parser. Called once; cheap afterwards. Start it early (while the
 * first model request is in flight) to keep it off the critical path. The
 * TypeScript stripper (Deno's built-in `node:module` `stripTypeScriptTypes`)
 * loads only when a cell needs it.
 */
export function loadTransform(): Promise<void> {
  return loading ??= import("acorn").then((module) => {
    acornModule = module;
    // One small cell through the parser and the rewriter compiles their
    // code now (during warm-up), so the first real cell does not pay for it.
    rewrite(parse(WARM_CELL), WARM_CELL);
  });
}

let loading: Promise<void> | undefined;

const WARM_CELL = "const a = await f(1);\nlet b = [a];\nprint(`${b}`)";

async function loadStripper(): Promise<StripTypes> {
  if (!stripper) {
    const { stripTypeScriptTypes } = await import("node:module");
    stripper = stripTypeScriptTypes as StripTypes;
  }
  return stripper;
}

function parse(code: string): AstNode {
  return acornModule!.parse(code, {
    ecmaVersion: "latest",
    sourceType: "script",
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowHashBang: true,
  }) as unknown as AstNode;
}

function syntaxError(error: unknown, source: string): CellSyntaxError {
  const record = error as { message?: string; loc?: { line?: number } };
  const message = String(record.message ?? error).replace(
    /\s*\(\d+:\d+\)$/,
    "",
  );
  const line = record.loc?.line ?? 1;
  return {
    name: "SyntaxError",
    message,
    line: Math.min(Math.max(1, line), source.split("\n").length),
  };
}

/**
 * Removes TypeScript types, keeping every line (and column) where it was.
 * Syntax that needs code generated (`enum`, `namespace`, parameter
 * properties) is transformed instead; then lines may move.
 */
async function stripTypes(source: string): Promise<string> {
  const strip = await loadStripper();
  try {
    return strip(source, { mode: "strip" });
  } catch {
    // Not valid TypeScript either (then this throws too), or it needs code
    // generated.
    return strip(source, { mode: "transform", sourceMap: false });
  }
}

function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null &&
    typeof (value as { type?: unknown }).type === "string";
}

function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key in node) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

function walk(node: AstNode, visit: (node: AstNode) => void): void {
  visit(node);
  for (const child of children(node)) walk(child, visit);
}

/** Identifiers bound by a declaration pattern. */
function patternNames(pattern: AstNode, out: string[]): void {
  switch (pattern.type) {
    case "Identifier":
      out.push(pattern.name as string);
      break;
    case "ObjectPattern":
      for (const prop of pattern.properties as AstNode[]) {
        patternNames(
          prop.type === "RestElement"
            ? prop.argument as AstNode
            : prop.value as AstNode,
          out,
        );
      }
      break;
    case "ArrayPattern":
      for (const element of pattern.elements as (AstNode | null)[]) {
        if (element) patternNames(element, out);
      }
      break;
    case "AssignmentPattern":
      patternNames(pattern.left as AstNode, out);
      break;
    case "RestElement":
      patternNames(pattern.argument as AstNode, out);
      break;
  }
}

function declarationEdits(
  decl: AstNode,
  names: string[],
  edits: Edit[],
): void {
  const declarators = decl.declarations as AstNode[];
  const kind = decl.kind as string;
  // `const a = 1, {b} = o;` becomes `;(a = 1, {b} = o);`: only the keyword
  // and the closing parenthesis change, so edits inside the initialisers
  // (guarded catch blocks) still apply.
  edits.push({ at: decl.start, end: decl.start + kind.length, text: ";(" });
  for (const d of declarators) {
    const id = d.id as AstNode;
    patternNames(id, names);
    if (!d.init && kind !== "var") {
      edits.push({ at: id.end, end: id.end, text: " = undefined" });
    }
  }
  const last = declarators[declarators.length - 1];
  edits.push({ at: last.end, end: last.end, text: ")" });
}

function importEdits(
  node: AstNode,
  source: string,
  names: string[],
  edits: Edit[],
): void {
  const from = source.slice(
    (node.source as AstNode).start,
    (node.source as AstNode).end,
  );
  const specifiers = node.specifiers as AstNode[];
  const parts: string[] = [];
  let namespace: string | undefined;
  for (const s of specifiers) {
    const local = (s.local as AstNode).name as string;
    names.push(local);
    if (s.type === "ImportNamespaceSpecifier") namespace = local;
    else if (s.type === "ImportDefaultSpecifier") {
      parts.push(`default: ${local}`);
    } else {
      const imported = s.imported as AstNode;
      const key = imported.type === "Identifier"
        ? imported.name as string
        : source.slice(imported.start, imported.end);
      parts.push(`${JSON.stringify(key)}: ${local}`);
    }
  }
  const load = `await import(${from})`;
  let text: string;
  if (namespace) text = `;(${namespace} = ${load});`;
  else if (parts.length) text = `;({${parts.join(", ")}} = ${load});`;
  else text = `;${load};`;
  const breaks = source.slice(node.start, node.end).split("\n").length - 1;
  edits.push({
    at: node.start,
    end: node.end,
    text: text + "\n".repeat(breaks),
  });
}

function applyEdits(source: string, edits: Edit[]): string {
  edits.sort((a, b) => a.at - b.at || a.end - b.end);
  let out = "";
  let cursor = 0;
  for (const edit of edits) {
    if (edit.at < cursor) continue; // overlapping edit: keep the first
    out += source.slice(cursor, edit.at) + edit.text;
    cursor = edit.end;
  }
  return out + source.slice(cursor);
}

function rewrite(program: AstNode, source: string): string {
  const edits: Edit[] = [];
  const names: string[] = [];
  const functions: string[] = [];
  const body = program.body as AstNode[];

  walk(program, (node) => {
    if (node.type !== "CatchClause") return;
    const param = node.param as AstNode | null;
    const block = node.body as AstNode;
    if (param && param.type === "Identifier") {
      edits.push({
        at: block.start + 1,
        end: block.start + 1,
        text: `__nc.guard(${param.name});`,
      });
    } else {
      const text = param ? source.slice(param.start, param.end) : "";
      if (param) {
        edits.push({ at: param.start, end: param.end, text: "__nc_e" });
      } else {edits.push({
          at: node.start + 5,
          end: node.start + 5,
          text: " (__nc_e)",
        });}
      edits.push({
        at: block.start + 1,
        end: block.start + 1,
        text: `__nc.guard(__nc_e);${param ? `let ${text} = __nc_e;` : ""}`,
      });
    }
  });

  body.forEach((statement, index) => {
    let node = statement;
    if (
      node.type === "ExportNamedDeclaration" && node.declaration
    ) {
      edits.push({
        at: node.start,
        end: (node.declaration as AstNode).start,
        text: "",
      });
      node = node.declaration as AstNode;
    } else if (node.type === "ExportDefaultDeclaration") {
      edits.push({
        at: node.start,
        end: (node.declaration as AstNode).start,
        text: "",
      });
      node = node.declaration as AstNode;
    }
    switch (node.type) {
      case "VariableDeclaration":
        if (
          node.kind === "var" || node.kind === "let" || node.kind === "const"
        ) {
          declarationEdits(node, names, edits);
        }
        break;
      case "FunctionDeclaration":
        if (node.id) functions.push((node.id as AstNode).name as string);
        break;
      case "ClassDeclaration": {
        const name = (node.id as AstNode).name as string;
        names.push(name);
        edits.push({ at: node.start, end: node.start, text: `;${name} = ` });
        edits.push({ at: node.end, end: node.end, text: ";" });
        break;
      }
      case "ImportDeclaration":
        importEdits(node, source, names, edits);
        break;
      case "ExpressionStatement":
        if (index === body.length - 1 && node.directive !== "use strict") {
          // The statement's range includes any parentheses around the
          // expression; only a trailing semicolon stays outside.
          const end = source[node.end - 1] === ";" ? node.end - 1 : node.end;
          edits.push({ at: node.start, end: node.start, text: "return (" });
          edits.push({ at: end, end, text: ")" });
        }
        break;
    }
  });

  const prelude = [
    names.length ? `__nc.decl(${JSON.stringify([...new Set(names)])});` : "",
    ...functions.map((name) => `__nc.def(${JSON.stringify(name)}, ${name});`),
  ].join("");
  return prelude + applyEdits(source, edits);
}

/**
 * Rewrites a cell for the sandbox.
 *
 * @example
 * ```ts
 * import { transformCell } from "./transform.ts";
 * const result = await transformCell("const x: number = 1\nx + 1");
 * console.log(result.ok); // true
 * ```
 */
export async function transformCell(source: string): Promise<TransformResult> {
  await loadTransform();
  let program: AstNode;
  let code = source;
  try {
    program = parse(source);
  } catch (jsError) {
    try {
      code = await stripTypes(source);
      program = parse(code);
    } catch {
      return { ok: false, error: syntaxError(jsError, source) };
    }
  }
  return { ok: true, code: rewrite(program, code) };
}
