/**
 * The workspace's files for `@` completion: listed once in the background
 * (the files ripgrep would search: ignore files respected, hidden ones
 * skipped), relative to the workspace, folders included.
 *
 * @module
 */

/** Files listed at most. */
const MAX_FILES = 50_000;
/** A listing older than this is refreshed when asked again. */
const STALE_MS = 30_000;

/**
 * Lists a workspace's files on demand.
 *
 * @example
 * ```ts ignore
 * const files = new WorkspaceFiles(Deno.cwd(), () => region.render());
 * files.get(); // null at first; the listing starts, `onReady` fires when done
 * ```
 */
export class WorkspaceFiles {
  #root: string;
  #onReady: () => void;
  #files: string[] | null = null;
  #listing: Promise<void> | null = null;
  #listedAt = 0;

  constructor(root: string, onReady: () => void = () => {}) {
    this.#root = root.replace(/\/+$/, "");
    this.#onReady = onReady;
  }

  /** The files (and folders, ending in `/`), or `null` until listed. */
  get(): string[] | null {
    const stale = performance.now() - this.#listedAt > STALE_MS;
    if (!this.#listing || (stale && this.#files !== null)) {
      this.#listing = this.#list().finally(() => this.#onReady());
    }
    return this.#files;
  }

  /** Waits for the listing under way. */
  async ready(): Promise<string[]> {
    this.get();
    await this.#listing;
    return this.#files ?? [];
  }

  async #list(): Promise<void> {
    const { walkTree } = await import("../tools/search/walk.ts");
    const files: string[] = [];
    const prefix = `${this.#root}/`;
    const stop = new AbortController();
    try {
      await walkTree(this.#root, (paths) => {
        for (const path of paths) {
          if (path.startsWith(prefix)) files.push(path.slice(prefix.length));
        }
        if (files.length > MAX_FILES) stop.abort();
      }, stop.signal);
    } catch {
      // stopped at the cap, or an unreadable folder: keep what was found
    }
    const folders = new Set<string>();
    for (const file of files) {
      for (let i = file.indexOf("/"); i >= 0; i = file.indexOf("/", i + 1)) {
        folders.add(file.slice(0, i + 1));
      }
    }
    this.#files = [...files.sort(), ...[...folders].sort()];
    this.#listedAt = performance.now();
  }
}
