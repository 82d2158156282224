/**
 * Where nanocode keeps its files, following the XDG base directories.
 *
 * @module
 */

import { join } from "../util/path.ts";

/** Reads an environment variable; missing `--allow-env` reads as unset. */
export type EnvReader = (name: string) => string | undefined;

/**
 * The process environment as an {@linkcode EnvReader}.
 *
 * @example
 * ```ts
 * import { processEnv } from "./paths.ts";
 * console.log(typeof processEnv("HOME")); // "string"
 * ```
 */
export const processEnv: EnvReader = (name) => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
};

/**
 * An XDG base directory variable, or `undefined` when it is unset, empty or
 * relative: the XDG spec says a relative path is invalid and must be ignored
 * (taken as it is, it would put the user's config, trust store or snapshots
 * inside whatever folder nanocode was started in).
 *
 * @example
 * ```ts
 * import { xdgDir } from "./paths.ts";
 * console.log(xdgDir(() => "k", "XDG_DATA_HOME")); // undefined
 * console.log(xdgDir(() => "/x", "XDG_DATA_HOME")); // "/x"
 * ```
 */
export function xdgDir(
  env: EnvReader,
  name: "XDG_CONFIG_HOME" | "XDG_DATA_HOME" | "XDG_CACHE_HOME",
): string | undefined {
  const value = env(name);
  return value && (value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value))
    ? value
    : undefined;
}

function home(env: EnvReader): string {
  const dir = env("HOME") ?? env("USERPROFILE");
  if (!dir) throw new Error("Cannot find the home folder: set HOME");
  return dir;
}

/**
 * The user config file: `$XDG_CONFIG_HOME/nanocode/config.json`
 * (default `~/.config/nanocode/config.json`).
 *
 * @example
 * ```ts
 * import { userConfigPath } from "./paths.ts";
 * console.log(userConfigPath((n) => ({ HOME: "/h" } as Record<string, string>)[n])); // "/h/.config/nanocode/config.json"
 * ```
 */
export function userConfigPath(env: EnvReader): string {
  const base = xdgDir(env, "XDG_CONFIG_HOME") || join(home(env), ".config");
  return join(base, "nanocode", "config.json");
}

/**
 * nanocode's data folder (sessions, undo snapshots):
 * `$XDG_DATA_HOME/nanocode` (default `~/.local/share/nanocode`).
 *
 * @example
 * ```ts
 * import { dataDir } from "./paths.ts";
 * console.log(dataDir((n) => ({ HOME: "/h" } as Record<string, string>)[n])); // "/h/.local/share/nanocode"
 * ```
 */
export function dataDir(env: EnvReader): string {
  const base = xdgDir(env, "XDG_DATA_HOME") ||
    join(home(env), ".local", "share");
  return join(base, "nanocode");
}

/**
 * The project config file of a folder: `<dir>/.nanocode/config.json`.
 *
 * @example
 * ```ts
 * import { projectConfigPath } from "./paths.ts";
 * console.log(projectConfigPath("/repo")); // "/repo/.nanocode/config.json"
 * ```
 */
export function projectConfigPath(dir: string): string {
  return join(dir, ".nanocode", "config.json");
}
