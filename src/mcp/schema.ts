/**
 * An MCP tool's JSON Schemas in the model's terms: TypeScript-style types
 * for `mcp_help`, the parameter list, and a zod schema that checks the
 * top-level arguments before a call goes out (the server checks the rest).
 *
 * @module
 */

import { z } from "zod";
import type { ToolParam } from "../tools/types.ts";

/** A JSON Schema, as far as nanocode reads it. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  [key: string]: unknown;
}

const MAX_DEPTH = 4;

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === "object" && value !== null ? value as JsonSchema : {};
}

/**
 * A TypeScript-style type for a JSON Schema, on one line.
 *
 * @example
 * ```ts
 * import { tsType } from "./schema.ts";
 * console.log(tsType({ type: "object", properties: { a: { type: "number" }, b: { type: "string" } }, required: ["a"] }));
 * // "{ a: number; b?: string }"
 * ```
 */
export function tsType(schema: JsonSchema, depth = 0): string {
  if (depth > MAX_DEPTH) return "unknown";
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length) {
    return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union) && union.length) {
    return [...new Set(union.map((s) => tsType(asSchema(s), depth + 1)))]
      .join(" | ");
  }
  const types = Array.isArray(schema.type)
    ? schema.type
    : schema.type
    ? [schema.type]
    : schema.properties
    ? ["object"]
    : [];
  if (types.length === 0) return "unknown";
  return types.map((type) => oneType(type, schema, depth)).join(" | ");
}

function oneType(type: string, schema: JsonSchema, depth: number): string {
  switch (type) {
    case "string":
    case "boolean":
    case "null":
      return type;
    case "number":
    case "integer":
      return "number";
    case "array": {
      const items = Array.isArray(schema.items)
        ? `[${schema.items.map((s) => tsType(asSchema(s), depth + 1))}]`
        : null;
      if (items) return items;
      const item = tsType(asSchema(schema.items), depth + 1);
      return /[ |]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case "object": {
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0) {
        const extra = schema.additionalProperties;
        return typeof extra === "object"
          ? `Record<string, ${tsType(extra, depth + 1)}>`
          : "Record<string, unknown>";
      }
      const required = new Set(schema.required ?? []);
      const fields = props.map(([name, s]) =>
        `${key(name)}${required.has(name) ? "" : "?"}: ${
          tsType(asSchema(s), depth + 1)
        }`
      );
      return `{ ${fields.join("; ")} }`;
    }
    default:
      return "unknown";
  }
}

/**
 * The tool's parameters (the input schema's properties, in order), for
 * argument checking and messages.
 *
 * @example
 * ```ts
 * import { toolParams } from "./schema.ts";
 * console.log(toolParams({ type: "object", properties: { a: { type: "number", description: "first" } }, required: ["a"] }));
 * // [{ name: "a", type: "number", optional: false, description: "first" }]
 * ```
 */
export function toolParams(input: JsonSchema): ToolParam[] {
  const required = new Set(input.required ?? []);
  return Object.entries(input.properties ?? {}).map(([name, s]) => ({
    name,
    type: tsType(asSchema(s)),
    optional: !required.has(name),
    description: String(asSchema(s).description ?? ""),
  }));
}

/** Whether a call may carry keys the schema does not list. */
export function acceptsOtherKeys(input: JsonSchema): boolean {
  if (input.additionalProperties === false) return false;
  if (input.additionalProperties !== undefined) return true;
  return Object.keys(input.properties ?? {}).length === 0;
}

function typeCheck(schema: JsonSchema): z.ZodType {
  const types = Array.isArray(schema.type)
    ? schema.type
    : schema.type
    ? [schema.type]
    : [];
  const checks: z.ZodType[] = [];
  for (const type of types) {
    if (type === "string") checks.push(z.string());
    else if (type === "number") checks.push(z.number());
    else if (type === "integer") checks.push(z.number().int());
    else if (type === "boolean") checks.push(z.boolean());
    else if (type === "null") checks.push(z.null());
    else if (type === "array") checks.push(z.array(z.unknown()));
    else if (type === "object") {
      checks.push(z.record(z.string(), z.unknown()));
    } else return z.unknown();
  }
  let check: z.ZodType = checks.length === 0
    ? z.unknown()
    : checks.length === 1
    ? checks[0]
    : z.union(checks as [z.ZodType, z.ZodType]);
  if (Array.isArray(schema.enum) && schema.enum.length) {
    const allowed = schema.enum.map((v) => JSON.stringify(v));
    check = check.refine(
      (v) => allowed.includes(JSON.stringify(v)),
      `must be one of ${allowed.join(", ")}`,
    );
  }
  return check;
}

/**
 * A zod schema for the arguments object: each listed property's top-level
 * type (and enum) is checked, required ones must be present; other keys
 * pass when the schema allows them.
 *
 * @example
 * ```ts
 * import { argumentSchema } from "./schema.ts";
 * const schema = argumentSchema({ type: "object", properties: { a: { type: "number" } }, required: ["a"] });
 * console.log(schema.safeParse({ a: "x" }).success); // false
 * ```
 */
export function argumentSchema(input: JsonSchema): z.ZodObject {
  const required = new Set(input.required ?? []);
  const shape: Record<string, z.ZodType> = {};
  for (const [name, s] of Object.entries(input.properties ?? {})) {
    const check = typeCheck(asSchema(s));
    shape[name] = required.has(name)
      ? check.refine((v) => v !== undefined, "is required")
      : check.optional();
  }
  return acceptsOtherKeys(input) ? z.looseObject(shape) : z.strictObject(shape);
}
