/**
 * A local npm registry on 127.0.0.1 serving the packages of `deno.lock`
 * from Deno's own npm cache, so a test can run nanocode with an empty
 * DENO_DIR (a cold cache: Deno downloads every package, printing its
 * progress on the terminal) without leaving the machine.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** A running mirror. */
export interface NpmMirror extends AsyncDisposable {
  /** Registry URL for `NPM_CONFIG_REGISTRY`. */
  readonly url: string;
  /** Paths requested, in order. */
  readonly requests: string[];
}

const LOCK = fileURLToPath(new URL("../../deno.lock", import.meta.url));

/** The `name@version` packages the lock file pins. */
function lockedPackages(): { name: string; version: string }[] {
  const lock = JSON.parse(Deno.readTextFileSync(LOCK)) as {
    npm?: Record<string, unknown>;
  };
  const seen = new Set<string>();
  return Object.keys(lock.npm ?? {}).flatMap((key) => {
    // `fdir@6.5.0_picomatch@4.0.7`: a peer dependency suffix after the version.
    const match = /^(@?[^@]+)@([^_]+)/.exec(key);
    if (!match || seen.has(`${match[1]}@${match[2]}`)) return [];
    seen.add(`${match[1]}@${match[2]}`);
    return [{ name: match[1], version: match[2] }];
  });
}

/** Where Deno keeps the packages of the npm registry. */
function cacheRoot(): string {
  const denoDir = Deno.env.get("DENO_DIR") ??
    `${Deno.env.get("HOME")}/.cache/deno`;
  return `${denoDir}/npm/registry.npmjs.org`;
}

/**
 * Why the mirror cannot run here (a locked package missing from the cache),
 * or `null` when it can.
 *
 * @example
 * ```ts ignore
 * Deno.test({ name: "...", ignore: mirrorMissing() !== null, fn: ... });
 * ```
 */
export function mirrorMissing(): string | null {
  for (const { name, version } of lockedPackages()) {
    let entry: Record<string, unknown> | undefined;
    try {
      const doc = JSON.parse(
        Deno.readTextFileSync(`${cacheRoot()}/${name}/registry.json`),
      ) as { versions: Record<string, Record<string, unknown>> };
      entry = doc.versions[version];
    } catch {
      return `${name} is not in Deno's npm cache`;
    }
    if (!entry) return `${name}@${version} is not in Deno's npm cache`;
    if (!forThisMachine(entry)) continue;
    try {
      Deno.statSync(`${cacheRoot()}/${name}/${version}/package.json`);
    } catch {
      return `${name}@${version} is not in Deno's npm cache`;
    }
  }
  return null;
}

const NODE_OS: Record<string, string> = { darwin: "darwin", windows: "win32" };
const NODE_CPU: Record<string, string> = { x86_64: "x64", aarch64: "arm64" };

/** Whether a package version is for this OS and CPU (npm's `os` and `cpu` fields). */
function forThisMachine(entry: Record<string, unknown>): boolean {
  const os = NODE_OS[Deno.build.os] ?? Deno.build.os;
  const cpu = NODE_CPU[Deno.build.arch] ?? Deno.build.arch;
  const fits = (field: unknown, value: string) =>
    !Array.isArray(field) || field.includes(value) ||
    (field.every((f) => String(f).startsWith("!")) &&
      !field.includes(`!${value}`));
  return fits(entry.os, os) && fits(entry.cpu, cpu);
}

async function tarball(dir: string): Promise<Uint8Array> {
  const out = await new Deno.Command("tar", {
    args: ["-czf", "-", "-C", dir, "--transform", "s,^\\.,package,", "."],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return out.stdout;
}

async function sha512(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>),
  );
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `sha512-${btoa(binary)}`;
}

/**
 * Starts the mirror (tarballs are packed from the cache on start).
 *
 * @example
 * ```ts ignore
 * await using mirror = await startNpmMirror();
 * // run deno with DENO_DIR=<empty> NPM_CONFIG_REGISTRY=mirror.url
 * ```
 */
export async function startNpmMirror(): Promise<NpmMirror> {
  const root = cacheRoot();
  const packuments = new Map<string, unknown>();
  const tarballs = new Map<string, Uint8Array>();
  const requests: string[] = [];
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    requests.push(path);
    const tgz = tarballs.get(path);
    if (tgz) {
      return new Response(tgz as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "application/octet-stream" },
      });
    }
    const doc = packuments.get(path.slice(1));
    if (doc) return Response.json(doc);
    return Response.json({ error: "Not found" }, { status: 404 });
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  const byName = new Map<string, string[]>();
  for (const { name, version } of lockedPackages()) {
    byName.set(name, [...(byName.get(name) ?? []), version]);
  }
  for (const [name, versions] of byName) {
    const cached = JSON.parse(
      await Deno.readTextFile(`${root}/${name}/registry.json`),
    ) as { versions: Record<string, Record<string, unknown>> };
    const doc: Record<string, unknown> = {
      name,
      "dist-tags": { latest: versions.at(-1) },
      versions: {},
    };
    for (const version of versions) {
      const entry = cached.versions[version];
      const path = `/-/tarballs/${name}/${version}.tgz`;
      // Packages for other machines are listed (with their real hashes) but
      // never fetched: Deno skips them by their os and cpu fields.
      let integrity = (entry.dist as { integrity?: string })?.integrity;
      if (forThisMachine(entry)) {
        const bytes = await tarball(`${root}/${name}/${version}`);
        tarballs.set(path, bytes);
        integrity = await sha512(bytes);
      }
      (doc.versions as Record<string, unknown>)[version] = {
        ...entry,
        name,
        version,
        dist: { tarball: `${url}${path.slice(1)}`, integrity },
      };
    }
    packuments.set(name, doc);
  }
  return {
    url,
    requests,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
