/**
 * The command line's modules that load on demand. They are imported through
 * computed URLs on purpose: Deno resolves every literal `import()` of a
 * module when that module loads, so literal imports here would make the
 * interactive prompt wait for the whole program (model SDK included).
 * Single-file builds cannot follow computed URLs, so their entry
 * (`entry.ts`) imports the same modules statically and `provide`s them.
 *
 * @module
 */

/** The modules, by name. */
export interface LazyModules {
  interactive: typeof import("./interactive.ts");
  sessionActions: typeof import("./session_actions.ts");
  input: typeof import("../ui/input.ts");
  headless: typeof import("./headless.ts");
  codingAgent: typeof import("../agent/coding_agent.ts");
  instructions: typeof import("../agent/instructions.ts");
  precompiled: typeof import("../program/precompiled.ts");
  batch: typeof import("../batch/cli.ts");
  undoCli: typeof import("./undo_cli.ts");
}

const PATHS: Record<keyof LazyModules, string> = {
  interactive: "./interactive.ts",
  sessionActions: "./session_actions.ts",
  input: "../ui/input.ts",
  headless: "./headless.ts",
  codingAgent: "../agent/coding_agent.ts",
  instructions: "../agent/instructions.ts",
  precompiled: "../program/precompiled.ts",
  batch: "../batch/cli.ts",
  undoCli: "./undo_cli.ts",
};

const provided: Partial<LazyModules> = {};
const loaders: Partial<LazyLoaders> = {};

/** Functions that load each module (literal `import()`s a bundler can follow). */
export type LazyLoaders = {
  [K in keyof LazyModules]: () => Promise<LazyModules[K]>;
};

/**
 * Registers how to load the modules in single-file builds: literal
 * `import()`s, which a bundler keeps in the file and evaluates only when
 * called (so `--version` does not pay for the whole program).
 *
 * @example
 * ```ts ignore
 * provide({ headless: () => import("./headless.ts") });
 * ```
 */
export function provide(modules: Partial<LazyLoaders>): void {
  Object.assign(loaders, modules);
}

/**
 * Loads a module by name (once; later calls get the same module).
 *
 * @example
 * ```ts ignore
 * const { runHeadless } = await load("headless");
 * ```
 */
export async function load<K extends keyof LazyModules>(
  name: K,
): Promise<LazyModules[K]> {
  const ready = provided[name];
  if (ready) return ready;
  const loader = loaders[name] as (() => Promise<LazyModules[K]>) | undefined;
  const module = loader ? await loader() : (await import(
    new URL(PATHS[name], import.meta.url).href
  )) as LazyModules[K];
  provided[name] = module;
  return module;
}
