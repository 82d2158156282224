/**
 * The bubblewrap command line for one sandboxed command.
 *
 * @module
 */

/** Everything the bubblewrap command line is made from. */
export interface BwrapPlan {
  /** `workspace`: read-only root, writable folders; `open`: writable root and network. */
  level: "workspace" | "open";
  /** Share the host's network (always at `open`). */
  network: boolean;
  /** Folder the command starts in. */
  cwd: string;
  /**
   * Folders shown empty and read-only at the `workspace` level only
   * (`/run`, `/tmp`: daemons' sockets, mounted secrets).
   */
  hide: readonly string[];
  /** Folders inside hidden ones shown again, read-only (the home folder under `/tmp`). */
  readable: readonly string[];
  /** Folders bound writable at the `workspace` level (workspace roots, the private temp folder). */
  writable: readonly string[];
  /** Git folders (and `.git` files): read-only at the `workspace` level, writable at `open`. */
  gitDirs: readonly string[];
  /** nanocode's folders in the workspace (`.nanocode/`): read-only at every level. */
  ownDirs: readonly string[];
  /** Secret files: shown empty at every level. */
  maskFiles: readonly string[];
  /** An empty, read-only regular file bound over each secret file. */
  emptyFile: string;
  /** Secret folders: shown empty at every level. */
  maskDirs: readonly string[];
  /** Files or folders inside masked folders the user approved for this command: shown as they are. */
  reveal: readonly string[];
  /** Files shown with other contents (git configs without their credentials), read-only. */
  replace: readonly { source: string; path: string }[];
}

/**
 * The `bwrap` arguments (without the program name) that run `argv` under
 * `plan`: new PID, IPC and (unless `network`) network namespaces, a
 * private `/proc`, no capabilities (also when nanocode runs as root, where
 * bubblewrap would otherwise keep them and a command could unmount its
 * masks), a new session (no controlling terminal), killed with its parent.
 *
 * @example
 * ```ts
 * import { bwrapArgs } from "./bwrap_args.ts";
 * const args = bwrapArgs({
 *   level: "workspace", network: false, cwd: "/w", hide: [], readable: [],
 *   writable: ["/w"], gitDirs: ["/w/.git"], ownDirs: [], maskFiles: ["/w/.env"],
 *   maskDirs: [], reveal: [], replace: [], emptyFile: "/tmp/nanocode-exec-1/empty",
 * }, ["/bin/bash", "-c", "ls"]);
 * console.log(args.slice(0, 3)); // ["--ro-bind", "/", "/"]
 * ```
 */
export function bwrapArgs(
  plan: BwrapPlan,
  argv: readonly string[],
): string[] {
  const workspace = plan.level === "workspace";
  const args: string[] = workspace
    ? ["--ro-bind", "/", "/", "--dev", "/dev"]
    : ["--bind", "/", "/", "--dev-bind", "/dev", "/dev"];
  args.push("--proc", "/proc");
  if (workspace) {
    // Hidden folders stay writable to bubblewrap until what lies inside
    // them is bound, then turn read-only.
    for (const dir of plan.hide) args.push("--perms", "0555", "--tmpfs", dir);
    for (const dir of plan.readable) args.push("--ro-bind", dir, dir);
    for (const dir of plan.writable) args.push("--bind", dir, dir);
    for (const dir of plan.hide) args.push("--remount-ro", dir);
    for (const dir of plan.gitDirs) args.push("--ro-bind", dir, dir);
    for (const { source, path } of plan.replace) {
      args.push("--ro-bind", source, path);
    }
  }
  for (const dir of plan.ownDirs) args.push("--ro-bind", dir, dir);
  // Masked folders turn read-only once what the user approved in them is bound back.
  for (const dir of plan.maskDirs) args.push("--perms", "0555", "--tmpfs", dir);
  for (const path of plan.reveal) {
    args.push(workspace ? "--ro-bind" : "--bind", path, path);
  }
  for (const dir of plan.maskDirs) args.push("--remount-ro", dir);
  for (const file of plan.maskFiles) {
    args.push("--ro-bind", plan.emptyFile, file);
  }
  args.push("--unshare-pid", "--unshare-ipc", "--cap-drop", "ALL");
  if (workspace && !plan.network) args.push("--unshare-net");
  args.push(
    "--die-with-parent",
    "--new-session",
    "--chdir",
    plan.cwd,
    "--",
    ...argv,
  );
  return args;
}
