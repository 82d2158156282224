/**
 * A stand-in Modaic hub on 127.0.0.1 for tests: git's own HTTP back end
 * (`git http-backend`, run as CGI) behind HTTP basic auth, plus the REST
 * calls nanocode makes (`GET /api/v1/user`, `POST /api/v2/repos`), which
 * are recorded and checked.
 *
 * @module
 */

import { join } from "node:path";

/** A REST request the server received. */
export interface RestRequest {
  method: string;
  path: string;
  /** The `Authorization` header, as sent. */
  authorization: string | null;
  /** The parsed JSON body (POST only). */
  body?: unknown;
  /** The status the server answered with. */
  status: number;
}

/** A git request the server received. */
export interface GitRequest {
  method: string;
  path: string;
  /** The basic-auth user, or `null` for an anonymous request. */
  user: string | null;
  status: number;
}

/** The running server. */
export interface HubServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:1234` (serves git and REST). */
  readonly url: string;
  /** The token the server accepts. */
  readonly token: string;
  /** The user the token belongs to. */
  readonly login: string;
  /** REST requests, in order. */
  readonly rest: RestRequest[];
  /** Git HTTP requests, in order. */
  readonly gitRequests: GitRequest[];
  /** When true, every git request is refused with 401 (REST still works). */
  rejectGit: boolean;
  /** The bare repository's folder. */
  repoPath(owner: string, name: string): string;
  /** Creates a bare repository (with a README commit on `main` unless `empty`). */
  createRepo(
    owner: string,
    name: string,
    options?: { public?: boolean; empty?: boolean },
  ): Promise<void>;
  /** Commits `files` on top of `branch` directly in the repository; returns the commit. */
  commit(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, string>,
    message?: string,
  ): Promise<string>;
  /** Runs git in the bare repository and returns its stdout. */
  git(owner: string, name: string, args: string[]): Promise<string>;
  /** A file's text at `rev`. */
  show(owner: string, name: string, rev: string, path: string): Promise<string>;
  /** Stops the server and removes its folders. */
  close(): Promise<void>;
}

const decoder = new TextDecoder();

/** Runs git with a private environment; throws with stderr on failure. */
async function runGit(
  args: string[],
  home: string,
  cwd?: string,
  env: Record<string, string> = {},
): Promise<string> {
  const output = await new Deno.Command("git", {
    args,
    cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Hub Admin",
      GIT_AUTHOR_EMAIL: "admin@hub.test",
      GIT_COMMITTER_NAME: "Hub Admin",
      GIT_COMMITTER_EMAIL: "admin@hub.test",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `git ${args.join(" ")} failed: ${decoder.decode(output.stderr)}`,
    );
  }
  return decoder.decode(output.stdout);
}

/** Splits a CGI response into status, headers and body. */
function parseCgi(out: Uint8Array): Response {
  let split = -1;
  let gap = 0;
  for (let i = 0; i < out.length - 1; i++) {
    if (out[i] === 10 && out[i + 1] === 10) {
      split = i;
      gap = 2;
      break;
    }
    if (
      out[i] === 13 && out[i + 1] === 10 && out[i + 2] === 13 &&
      out[i + 3] === 10
    ) {
      split = i;
      gap = 4;
      break;
    }
  }
  if (split < 0) return new Response("bad CGI output", { status: 502 });
  const headers = new Headers();
  let status = 200;
  for (const line of decoder.decode(out.subarray(0, split)).split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = parseInt(value, 10);
    else headers.append(name, value);
  }
  return new Response(out.slice(split + gap), { status, headers });
}

/**
 * Starts the stand-in hub.
 *
 * @example
 * ```ts ignore
 * await using hub = await startHubServer();
 * await hub.createRepo("me", "prog");
 * ```
 */
export async function startHubServer(
  options: { token?: string; login?: string } = {},
): Promise<HubServer> {
  const token = options.token ?? "hub-test-token-7f3a9c";
  const login = options.login ?? "alice";
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "nanocode-hub-" }),
  );
  const repos = join(root, "repos");
  const home = join(root, "home");
  await Deno.mkdir(repos);
  await Deno.mkdir(home);
  const publicRepos = new Set<string>();
  const rest: RestRequest[] = [];
  const gitRequests: GitRequest[] = [];
  const repoPath = (owner: string, name: string) =>
    join(repos, owner, `${name}.git`);
  const exists = (path: string) =>
    Deno.stat(path).then(() => true, () => false);

  async function commit(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, string>,
    message = "Commit on the hub",
  ): Promise<string> {
    const work = await Deno.makeTempDir({ dir: root, prefix: "work-" });
    try {
      const bare = repoPath(owner, name);
      await runGit(["init", "-q", "-b", branch, work], home);
      const has = await runGit(
        ["-C", bare, "for-each-ref", `refs/heads/${branch}`],
        home,
      );
      if (has.trim()) {
        await runGit(["fetch", "-q", bare, branch], home, work);
        await runGit(["reset", "-q", "--hard", "FETCH_HEAD"], home, work);
      }
      for (const [path, text] of Object.entries(files)) {
        await Deno.mkdir(join(work, path, ".."), { recursive: true });
        await Deno.writeTextFile(join(work, path), text);
      }
      await runGit(["add", "-A"], home, work);
      await runGit(
        ["commit", "-q", "--allow-empty", "-m", message],
        home,
        work,
      );
      await runGit(
        ["push", "-q", bare, `HEAD:refs/heads/${branch}`],
        home,
        work,
      );
      return (await runGit(["rev-parse", "HEAD"], home, work)).trim();
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  }

  async function createRepo(
    owner: string,
    name: string,
    opts: { public?: boolean; empty?: boolean } = {},
  ): Promise<void> {
    const bare = repoPath(owner, name);
    await Deno.mkdir(join(repos, owner), { recursive: true });
    await runGit(["init", "-q", "--bare", "-b", "main", bare], home);
    if (opts.public) publicRepos.add(`${owner}/${name}`);
    if (!opts.empty) {
      await commit(owner, name, "main", {
        "README.md": `# ${name}\n\nA program on the test hub.\n`,
      }, "Initial commit");
    }
  }

  function userOf(request: Request): string | null {
    const header = request.headers.get("authorization") ?? "";
    if (!header.startsWith("Basic ")) return null;
    const [user, ...rest] = atob(header.slice(6)).split(":");
    return user === login && rest.join(":") === token ? user : "";
  }

  async function restCall(request: Request, path: string): Promise<Response> {
    const record: RestRequest = {
      method: request.method,
      path,
      authorization: request.headers.get("authorization"),
      status: 0,
    };
    rest.push(record);
    const answer = (status: number, body: unknown) => {
      record.status = status;
      return Response.json(body, { status });
    };
    if (record.authorization !== `token ${token}`) {
      return answer(401, { message: "token is required" });
    }
    if (path === "/api/v1/user" && request.method === "GET") {
      return answer(200, {
        login,
        email: `${login}@hub.test`,
        full_name: "Alice Example",
      });
    }
    if (path !== "/api/v2/repos" || request.method !== "POST") {
      return answer(404, { message: "not found" });
    }
    record.body = await request.json().catch(() => undefined);
    const body = record.body as Record<string, unknown> | undefined;
    const expected = [
      "username",
      "name",
      "description",
      "private",
      "auto_init",
      "default_branch",
      "trust_model",
    ];
    if (
      !body ||
      Object.keys(body).sort().join() !== [...expected].sort().join() ||
      typeof body.username !== "string" || typeof body.name !== "string" ||
      body.description !== "" || typeof body.private !== "boolean" ||
      typeof body.auto_init !== "boolean" || body.default_branch !== "main" ||
      body.trust_model !== "default" ||
      request.headers.get("content-type") !== "application/json"
    ) {
      return answer(400, { message: "bad request body" });
    }
    if (body.username !== login) {
      return answer(403, { message: "cannot create for another user" });
    }
    if (await exists(repoPath(body.username, body.name))) {
      return answer(409, {
        message: "The repository with the same name already exists.",
      });
    }
    await createRepo(body.username, body.name, {
      public: !body.private,
      empty: !body.auto_init,
    });
    return answer(201, { name: body.name, private: body.private });
  }

  async function gitCall(
    request: Request,
    url: URL,
    owner: string,
    name: string,
  ): Promise<Response> {
    const user = userOf(request);
    const record: GitRequest = {
      method: request.method,
      path: url.pathname,
      user,
      status: 0,
    };
    gitRequests.push(record);
    const read = url.searchParams.get("service") === "git-upload-pack" ||
      url.pathname.endsWith("/git-upload-pack");
    const anonymousOk = read && publicRepos.has(`${owner}/${name}`);
    if (server.rejectGit || (!user && !anonymousOk) || user === "") {
      record.status = 401;
      await request.body?.cancel();
      return new Response("Unauthorized", {
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="test hub"' },
      });
    }
    const body = new Uint8Array(await request.arrayBuffer());
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_PROJECT_ROOT: repos,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: decodeURIComponent(url.pathname),
      REQUEST_METHOD: request.method,
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers.get("content-type") ?? "",
      CONTENT_LENGTH: String(body.length),
      REMOTE_ADDR: "127.0.0.1",
    };
    if (user) env.REMOTE_USER = user;
    const encoding = request.headers.get("content-encoding");
    if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
    const protocol = request.headers.get("git-protocol");
    if (protocol) env.GIT_PROTOCOL = protocol;
    const child = new Deno.Command("git", {
      args: ["http-backend"],
      clearEnv: true,
      env,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writing = (async () => {
      const writer = child.stdin.getWriter();
      await writer.write(body).catch(() => {});
      await writer.close().catch(() => {});
    })();
    const output = await child.output();
    await writing;
    const response = parseCgi(output.stdout);
    record.status = response.status;
    return response;
  }

  const httpServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      const url = new URL(request.url);
      if (url.pathname.startsWith("/api/")) {
        return restCall(request, url.pathname);
      }
      const match = /^\/([^/]+)\/([^/]+)\.git\//.exec(url.pathname);
      if (!match) return new Response("not found", { status: 404 });
      return gitCall(request, url, match[1], match[2]);
    },
  );

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await httpServer.shutdown();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  };
  const server: HubServer = {
    url: `http://127.0.0.1:${httpServer.addr.port}`,
    token,
    login,
    rest,
    gitRequests,
    rejectGit: false,
    repoPath,
    createRepo,
    commit,
    git: (owner, name, args) =>
      runGit(["--git-dir", repoPath(owner, name), ...args], home),
    show: (owner, name, rev, path) =>
      runGit(
        ["--git-dir", repoPath(owner, name), "show", `${rev}:${path}`],
        home,
      ),
    close,
    [Symbol.asyncDispose]: close,
  };
  return server;
}
