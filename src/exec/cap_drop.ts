/**
 * Commands started outside a sandbox by a root agent lose the capabilities
 * that read other processes' memory, so the sealed agent (`./seal.ts`)
 * stays sealed for them too; they keep every other power of root
 * (`apt-get install` works as before). The command is started through
 * `setpriv`, which drops the capabilities from its bounding and
 * inheritable sets: neither it nor anything it runs (`sudo` and setuid
 * programs included) can get them back.
 *
 * An ordinary user's commands have none of these capabilities to lose;
 * nothing is dropped then.
 *
 * @module
 */

import { findExecutable } from "../tools/context.ts";
import { processSealed } from "./seal.ts";

/**
 * The capabilities dropped, with their bit numbers. `sys_ptrace`,
 * `sys_admin` and `perfmon` each open a non-dumpable process's
 * `/proc/<pid>/environ` (checked on Linux 6.18); `bpf` reads memory from a
 * probe, `sys_rawio` through `/proc/kcore` and `/dev/mem`, `sys_module`
 * from the kernel.
 *
 * @example
 * ```ts
 * import { MEMORY_CAPS } from "./cap_drop.ts";
 * console.log(MEMORY_CAPS.sys_ptrace); // 19
 * ```
 */
export const MEMORY_CAPS: Readonly<Record<string, number>> = {
  sys_module: 16,
  sys_rawio: 17,
  sys_ptrace: 19,
  sys_admin: 21,
  perfmon: 38,
  bpf: 39,
};

/** `CAP_SETPCAP`: needed to shrink the bounding set. */
const CAP_SETPCAP = 8;

/** What commands are started through: a prefix to their argv, or why none. */
export type CapDrop =
  | { prefix: string[]; dropped: string[] }
  | { prefix: []; reason: string };

/** Options of {@linkcode commandCapDrop}. */
export interface CapDropOptions {
  /** Whether the agent is sealed (default {@linkcode processSealed}); nothing is dropped when not. */
  sealed?: () => boolean;
  /** The text of `/proc/self/status` (default: read it). */
  status?: () => string;
  /** Where `setpriv` is, or `null` (default: looked up on `PATH`). */
  setpriv?: () => string | null;
  /** Whether running `argv` succeeds (default: runs it). */
  works?: (argv: string[]) => Promise<boolean>;
}

/**
 * The capabilities of {@linkcode MEMORY_CAPS} that commands would get and
 * this process can drop, read from a `/proc/<pid>/status` text: those in
 * its bounding set, when it holds `CAP_SETPCAP`. Empty otherwise (an
 * ordinary user's process).
 *
 * @example
 * ```ts
 * import { capsToDrop } from "./cap_drop.ts";
 * const root = "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n";
 * console.log(capsToDrop(root)); // ["sys_module", "sys_rawio", "sys_ptrace", "sys_admin", "perfmon", "bpf"]
 * console.log(capsToDrop("CapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\n")); // []
 * ```
 */
export function capsToDrop(status: string): string[] {
  const effective = capField(status, "CapEff");
  const bounding = capField(status, "CapBnd");
  if (!has(effective, CAP_SETPCAP)) return [];
  return Object.entries(MEMORY_CAPS)
    .filter(([, bit]) => has(bounding, bit))
    .map(([name]) => name);
}

let cached: Promise<CapDrop> | null = null;

/**
 * How to start a command outside the sandbox: through `setpriv` dropping
 * {@linkcode capsToDrop} (checked once by running `true` that way), or as
 * it is, with the reason (also when the agent is not sealed: there is
 * nothing to keep then). The default answer is cached for the process.
 *
 * @example
 * ```ts ignore
 * const drop = await commandCapDrop();
 * new Deno.Command(drop.prefix[0] ?? "bash", { args: [...drop.prefix.slice(1), "bash", "-c", "make"] });
 * ```
 */
export function commandCapDrop(options?: CapDropOptions): Promise<CapDrop> {
  if (options) return findCapDrop(options);
  return cached ??= findCapDrop({});
}

async function findCapDrop(options: CapDropOptions): Promise<CapDrop> {
  if (!(options.sealed ?? processSealed)()) {
    return { prefix: [], reason: "the agent is not sealed" };
  }
  let status: string;
  try {
    status = (options.status ?? readStatus)();
  } catch {
    return { prefix: [], reason: "there is no /proc/self/status to read" };
  }
  const names = capsToDrop(status);
  if (names.length === 0) {
    return { prefix: [], reason: "commands get none of these capabilities" };
  }
  const setpriv = (options.setpriv ?? (() => findExecutable("setpriv")))();
  if (!setpriv) {
    return {
      prefix: [],
      reason: "setpriv is not installed (Debian/Ubuntu: util-linux)",
    };
  }
  const list = names.map((name) => `-${name}`).join(",");
  const prefix = [setpriv, "--bounding-set", list, "--inh-caps", list, "--"];
  const works = options.works ?? succeeds;
  if (!await works([...prefix, "true"])) {
    return { prefix: [], reason: `${setpriv} could not drop ${list}` };
  }
  return { prefix, dropped: names };
}

function readStatus(): string {
  return Deno.readTextFileSync("/proc/self/status");
}

async function succeeds(argv: string[]): Promise<boolean> {
  try {
    const [program, ...args] = argv;
    const out = await new Deno.Command(program, {
      args,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

function capField(status: string, name: string): bigint {
  const hex = new RegExp(`^${name}:\\s*([0-9a-f]+)`, "m").exec(status)?.[1];
  return hex ? BigInt(`0x${hex}`) : 0n;
}

function has(set: bigint, bit: number): boolean {
  return (set >> BigInt(bit) & 1n) === 1n;
}
