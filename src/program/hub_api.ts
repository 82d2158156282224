/**
 * The Modaic hub's REST calls: who the token belongs to, and creating a
 * repository.
 *
 * @module
 */

import { redact } from "./git.ts";

/** The account a token belongs to. */
export interface HubUser {
  /** The user name (also the git user name). */
  login: string;
  /** The email address commits are made with. */
  email: string;
  /** The display name commits are made with. */
  full_name: string;
}

/** Where and how to call the hub. */
export interface HubApiOptions {
  /** The access token (`MODAIC_TOKEN`). */
  token?: string;
  /** The git server's base URL (serves `/api/v1/user`). */
  gitUrl: string;
  /** The REST API's base URL (serves `/api/v2/repos`). */
  apiUrl: string;
  /** The HTTP client (default `fetch`). */
  fetch?: typeof fetch;
}

/**
 * The error for a missing token, saying to set `MODAIC_TOKEN`.
 *
 * @example
 * ```ts
 * import { tokenMissing } from "./hub_api.ts";
 * console.log(tokenMissing().message);
 * ```
 */
export function tokenMissing(): Error {
  return new Error(
    "The Modaic hub needs an access token for this: set MODAIC_TOKEN",
  );
}

/** `base` + `path`, keeping a path prefix of `base`. */
function endpoint(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}

async function call(
  options: HubApiOptions,
  url: string,
  init: RequestInit,
): Promise<{ status: number; text: string }> {
  const token = options.token;
  if (!token) throw tokenMissing();
  const headers = new Headers(init.headers);
  headers.set("Authorization", `token ${token}`);
  headers.set("Accept", "application/json");
  try {
    const response = await (options.fetch ?? fetch)(url, { ...init, headers });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    throw new Error(
      `Cannot reach the Modaic hub at ${redact(url, [token])}: ${
        redact((error as Error).message, [token])
      }`,
    );
  }
}

function authError(status: number): Error {
  return new Error(
    `The Modaic hub rejected the access token (HTTP ${status}): set MODAIC_TOKEN to a valid token`,
  );
}

function snippet(text: string, token: string | undefined): string {
  const line = text.replace(/\s+/g, " ").trim().slice(0, 200);
  return redact(line || "no details", token ? [token] : []);
}

/**
 * Asks the hub who the token belongs to (`GET {gitUrl}/api/v1/user`).
 *
 * @throws {Error} saying to set `MODAIC_TOKEN` when it is missing or rejected.
 * @example
 * ```ts
 * import { getUser } from "./hub_api.ts";
 * const user = await getUser({ token: "t", gitUrl: "https://git.modaic.dev", apiUrl: "https://api.modaic.dev" });
 * console.log(user.login);
 * ```
 */
export async function getUser(options: HubApiOptions): Promise<HubUser> {
  const url = endpoint(options.gitUrl, "/api/v1/user");
  const { status, text } = await call(options, url, { method: "GET" });
  if (status === 401 || status === 403) throw authError(status);
  if (status < 200 || status >= 300) {
    throw new Error(
      `The Modaic hub answered HTTP ${status} when asked for the token's user: ${
        snippet(text, options.token)
      }`,
    );
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    body = {};
  }
  if (typeof body?.login !== "string" || body.login === "") {
    throw new Error("The Modaic hub's user answer has no login name");
  }
  const login = body.login;
  return {
    login,
    email: typeof body.email === "string" && body.email
      ? body.email
      : `${login}@noreply.modaic.dev`,
    full_name: typeof body.full_name === "string" && body.full_name.trim()
      ? body.full_name
      : login,
  };
}

/**
 * Creates `owner/name` on the hub (`POST {apiUrl}/api/v2/repos`, with a
 * `README.md` on branch `main`). A repository that already exists (HTTP
 * 409 or 422, or an "already exists" message) is not an error.
 *
 * @returns `"created"` or `"exists"`.
 * @throws {Error} saying to set `MODAIC_TOKEN` on HTTP 401 or 403.
 * @example
 * ```ts
 * import { createRepository } from "./hub_api.ts";
 * const options = { token: "t", gitUrl: "https://git.modaic.dev", apiUrl: "https://api.modaic.dev" };
 * console.log(await createRepository(options, "me", "nanocode", { private: true }));
 * ```
 */
export async function createRepository(
  options: HubApiOptions,
  owner: string,
  name: string,
  settings: { private?: boolean } = {},
): Promise<"created" | "exists"> {
  const url = endpoint(options.apiUrl, "/api/v2/repos");
  const body = {
    username: owner,
    name,
    description: "",
    private: settings.private ?? true,
    auto_init: true,
    default_branch: "main",
    trust_model: "default",
  };
  const { status, text } = await call(options, url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (status === 401 || status === 403) throw authError(status);
  if (status === 409 || status === 422 || /already exists/i.test(text)) {
    return "exists";
  }
  if (status < 200 || status >= 300) {
    throw new Error(
      `Cannot create ${owner}/${name} on the Modaic hub (HTTP ${status}): ${
        snippet(text, options.token)
      }`,
    );
  }
  return "created";
}
