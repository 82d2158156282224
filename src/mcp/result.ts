/**
 * What a cell gets back from an MCP tool: its `structuredContent` when
 * present, else its text; other content (images, audio, resources) as
 * described objects. A result flagged `isError` becomes a thrown error.
 *
 * @module
 */

/** One content item of a tool result, as the server sends it. */
export interface ContentItem {
  /** `text`, `image`, `audio`, `resource` or `resource_link`. */
  type: string;
  /** The text of a `text` item. */
  text?: string;
  /** Base64 data of an image or audio item. */
  data?: string;
  /** MIME type of the data. */
  mimeType?: string;
  /** URI of a resource link. */
  uri?: string;
  /** Name of a resource link. */
  name?: string;
  /** Description of a resource link. */
  description?: string;
  /** An embedded resource (text or base64 blob). */
  resource?: { uri?: string; mimeType?: string; text?: string; blob?: string };
  /** Anything else the server sent. */
  [key: string]: unknown;
}

/** A `tools/call` result, as far as nanocode reads it. */
export interface ToolResult {
  /** The content items. */
  content?: ContentItem[];
  /** The structured result, when the tool gives one. */
  structuredContent?: Record<string, unknown>;
  /** Set when the tool failed; the text says why. */
  isError?: boolean;
  /** Anything else the server sent. */
  [key: string]: unknown;
}

/** A tool result flagged as an error; its message is the tool's text. */
export class McpToolError extends Error {
  /** Always `"McpToolError"`. */
  override name = "McpToolError";
}

function base64Bytes(data: string): number {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.floor(data.length * 3 / 4) - padding;
}

/**
 * An item the cell can look at without printing a blob: type, MIME type,
 * size, and the data itself (base64) for passing on.
 *
 * @example
 * ```ts
 * import { describeItem } from "./result.ts";
 * console.log(describeItem({ type: "image", mimeType: "image/png", data: "AAAA" }));
 * // { type: "image", mimeType: "image/png", bytes: 3, data: "AAAA" }
 * ```
 */
export function describeItem(item: ContentItem): unknown {
  switch (item.type) {
    case "text":
      return { type: "text", text: item.text ?? "" };
    case "image":
    case "audio":
      return {
        type: item.type,
        mimeType: item.mimeType,
        bytes: base64Bytes(item.data ?? ""),
        data: item.data ?? "",
      };
    case "resource": {
      const r = item.resource ?? {};
      return r.text !== undefined
        ? { type: "resource", uri: r.uri, mimeType: r.mimeType, text: r.text }
        : {
          type: "resource",
          uri: r.uri,
          mimeType: r.mimeType,
          bytes: base64Bytes(r.blob ?? ""),
          blob: r.blob ?? "",
        };
    }
    case "resource_link":
      return {
        type: "resource_link",
        uri: item.uri,
        name: item.name,
        mimeType: item.mimeType,
        description: item.description,
      };
    default:
      return item;
  }
}

/**
 * The value for the cell.
 *
 * @throws {McpToolError} with the result's text when `isError` is set.
 * @example
 * ```ts
 * import { resultValue } from "./result.ts";
 * console.log(resultValue({ content: [{ type: "text", text: "hi" }] })); // "hi"
 * console.log(resultValue({ content: [], structuredContent: { sum: 3 } })); // { sum: 3 }
 * ```
 */
export function resultValue(result: ToolResult): unknown {
  const content = Array.isArray(result.content) ? result.content : [];
  const texts = content.filter((item) => item.type === "text").map((item) =>
    item.text ?? ""
  );
  if (result.isError) {
    throw new McpToolError(
      texts.join("\n").trim() || "the tool reported an error without a message",
    );
  }
  if (
    typeof result.structuredContent === "object" &&
    result.structuredContent !== null
  ) {
    return result.structuredContent;
  }
  if (texts.length === content.length) return texts.join("\n");
  return content.map(describeItem);
}
