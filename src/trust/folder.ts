/**
 * The trust question for one folder, answered the same way for everything
 * a folder can bring (its `.nanocode/config.json` now, its `.mcp.json`
 * servers later): trusted when the user said so for this run
 * (`--trust-project`), lists the folder in `trusted_folders` of their own
 * config, or trusted it before with the same (or fewer) loosening
 * settings; otherwise not, and the interactive session may ask.
 *
 * @module
 */

import { isWithin } from "../policy/classify.ts";
import type { Loosening } from "./loosening.ts";
import type { TrustStore } from "./store.ts";

/** The answer for one folder, and why. */
export type TrustVerdict =
  | { trusted: true; why: string }
  | {
    trusted: false;
    why: string;
    /** Whether asking the user makes sense (no remembered "no" for these settings). */
    ask: boolean;
  };

/** What {@linkcode FolderTrust} decides from. */
export interface FolderTrustOptions {
  /** The user's stored answers. */
  store: TrustStore;
  /** `trusted_folders` of the user's own config: these folders and everything below. */
  trustedFolders?: string[];
  /** `--trust-project`: trust every folder for this run. */
  trustAll?: boolean;
}

/**
 * Decides and remembers folder trust.
 *
 * @example
 * ```ts ignore
 * const trust = new FolderTrust({ store: TrustStore.forUser(env), trustAll: false });
 * const verdict = await trust.check("/repo", items);
 * if (!verdict.trusted && verdict.ask && await askUser()) await trust.remember("/repo", items, true);
 * ```
 */
export class FolderTrust {
  readonly #options: FolderTrustOptions;

  constructor(options: FolderTrustOptions) {
    this.#options = options;
  }

  /**
   * Whether `folder` (a real, absolute path) is trusted to apply `items`.
   *
   * @example
   * ```ts ignore
   * const { trusted, why } = await trust.check("/repo", items);
   * ```
   */
  async check(folder: string, items: Loosening[]): Promise<TrustVerdict> {
    if (this.#options.trustAll) {
      return { trusted: true, why: "--trust-project was given" };
    }
    const listed = (this.#options.trustedFolders ?? []).find((dir) =>
      dir.startsWith("/") && isWithin(folder, dir.replace(/\/+$/, "") || "/")
    );
    if (listed !== undefined) {
      return {
        trusted: true,
        why: `${listed} is in trusted_folders of your config`,
      };
    }
    const record = (await this.#options.store.read())[folder];
    const covered = record !== undefined &&
      items.every((item) => record.settings.includes(item.id));
    const when = record?.updated.slice(0, 10) ?? "";
    if (record?.trusted && covered) {
      return { trusted: true, why: `you trusted this folder on ${when}` };
    }
    if (record && !record.trusted && covered) {
      return {
        trusted: false,
        why: `you declined to trust this folder on ${when}`,
        ask: false,
      };
    }
    return {
      trusted: false,
      why: record
        ? "its config changed since you answered"
        : "you have not trusted this folder",
      ask: true,
    };
  }

  /**
   * Stores the user's answer for `folder` and these settings.
   *
   * @example
   * ```ts ignore
   * await trust.remember("/repo", items, true);
   * ```
   */
  async remember(
    folder: string,
    items: Loosening[],
    trusted: boolean,
  ): Promise<void> {
    await this.#options.store.remember(
      folder,
      trusted,
      items.map((item) => item.id),
    );
  }
}
