/**
 * Where the user's trust answers live: `trust.json` next to the user
 * config (`$XDG_CONFIG_HOME/nanocode/trust.json`), one record per folder,
 * with the exact settings the user saw when they answered.
 *
 * @module
 */

import { dirname, join } from "../util/path.ts";
import { type EnvReader, userConfigPath } from "../config/paths.ts";

/** One folder's answer. */
export interface TrustRecord {
  /** Whether the user trusted the folder. */
  trusted: boolean;
  /** Ids of the settings (`Loosening.id`) the user saw when answering. */
  settings: string[];
  /** When they answered (ISO time). */
  updated: string;
}

/**
 * The trust answers file. Reading a missing or broken file gives no
 * answers (nothing is trusted); writing replaces it atomically.
 *
 * @example
 * ```ts ignore
 * const store = TrustStore.forUser(processEnv);
 * await store.remember("/home/me/repo", true, ["permission_mode=auto-edit"]);
 * console.log((await store.read())["/home/me/repo"].trusted); // true
 * ```
 */
export class TrustStore {
  /** Absolute path of the file. */
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /**
   * The store of the user whose environment `env` is.
   *
   * @throws {Error} when there is no home folder to find it in.
   * @example
   * ```ts
   * import { TrustStore } from "./store.ts";
   * const store = TrustStore.forUser((n) => ({ HOME: "/h" } as Record<string, string>)[n]);
   * console.log(store.path); // "/h/.config/nanocode/trust.json"
   * ```
   */
  static forUser(env: EnvReader): TrustStore {
    return new TrustStore(join(dirname(userConfigPath(env)), "trust.json"));
  }

  /**
   * Every folder's answer, by real folder path.
   *
   * @example
   * ```ts ignore
   * const answers = await store.read();
   * ```
   */
  async read(): Promise<Record<string, TrustRecord>> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await Deno.readTextFile(this.path));
    } catch {
      return {};
    }
    const folders = (parsed as { folders?: unknown })?.folders;
    if (typeof folders !== "object" || folders === null) return {};
    const out: Record<string, TrustRecord> = {};
    for (const [folder, value] of Object.entries(folders)) {
      const record = value as Partial<TrustRecord> | null;
      if (
        typeof record?.trusted === "boolean" &&
        Array.isArray(record.settings) &&
        record.settings.every((s) => typeof s === "string")
      ) {
        out[folder] = {
          trusted: record.trusted,
          settings: record.settings,
          updated: String(record.updated ?? ""),
        };
      }
    }
    return out;
  }

  /**
   * Records the user's answer for `folder` (replacing an earlier one).
   *
   * @example
   * ```ts ignore
   * await store.remember("/home/me/repo", false, ["api_base=http://x"]);
   * ```
   */
  async remember(
    folder: string,
    trusted: boolean,
    settings: string[],
  ): Promise<void> {
    const folders = await this.read();
    folders[folder] = {
      trusted,
      settings: [...settings],
      updated: new Date().toISOString(),
    };
    const text = `${JSON.stringify({ folders }, null, 2)}\n`;
    await Deno.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // Written beside and renamed into place: a reader never sees half a file.
    const temporary = `${this.path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    try {
      await Deno.writeTextFile(temporary, text, { mode: 0o600 });
      await Deno.rename(temporary, this.path);
    } catch (error) {
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
  }
}
