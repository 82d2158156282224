import { assert, assertEquals } from "../helpers/assert.ts";
import { bwrapArgs, type BwrapPlan } from "../../src/exec/bwrap_args.ts";

const PLAN: BwrapPlan = {
  level: "workspace",
  network: false,
  cwd: "/w/src",
  hide: ["/run", "/tmp"],
  readable: ["/tmp/h"],
  writable: ["/w", "/tmp/nanocode-exec-1/tmp"],
  gitDirs: ["/w/.git"],
  ownDirs: ["/w/.nanocode"],
  maskFiles: ["/w/.env"],
  maskDirs: ["/h/.ssh"],
  reveal: ["/h/.ssh/config"],
  replace: [{ source: "/tmp/nanocode-exec-1/git/0", path: "/w/.git/config" }],
  emptyFile: "/tmp/nanocode-exec-1/empty",
};

/** The index of a run of words in `args`, or -1. */
function find(args: string[], ...words: string[]): number {
  return args.findIndex((_, i) => words.every((w, j) => args[i + j] === w));
}

Deno.test("bwrapArgs() makes the root read-only and the workspace writable, then protects and masks inside it", () => {
  const args = bwrapArgs(PLAN, ["/bin/bash", "-c", "ls"]);
  assertEquals(args.slice(0, 5), ["--ro-bind", "/", "/", "--dev", "/dev"]);
  const order = [
    find(args, "--ro-bind", "/", "/"),
    find(args, "--tmpfs", "/run"),
    find(args, "--tmpfs", "/tmp"),
    find(args, "--ro-bind", "/tmp/h", "/tmp/h"),
    find(args, "--bind", "/w", "/w"),
    find(
      args,
      "--bind",
      "/tmp/nanocode-exec-1/tmp",
      "/tmp/nanocode-exec-1/tmp",
    ),
    find(args, "--remount-ro", "/tmp"),
    find(args, "--ro-bind", "/w/.git", "/w/.git"),
    find(args, "--ro-bind", "/tmp/nanocode-exec-1/git/0", "/w/.git/config"),
    find(args, "--ro-bind", "/w/.nanocode", "/w/.nanocode"),
    find(args, "--tmpfs", "/h/.ssh"),
    find(args, "--ro-bind", "/h/.ssh/config", "/h/.ssh/config"),
    find(args, "--remount-ro", "/h/.ssh"),
    find(args, "--ro-bind", "/tmp/nanocode-exec-1/empty", "/w/.env"),
  ];
  assert(order.every((i) => i >= 0), JSON.stringify(order));
  assertEquals([...order].sort((a, b) => a - b), order);
  for (
    const flag of [
      "--unshare-pid",
      "--unshare-net",
      "--die-with-parent",
      "--new-session",
    ]
  ) {
    assert(args.includes(flag), flag);
  }
  assert(find(args, "--cap-drop", "ALL") >= 0, "no capabilities");
  assertEquals(args.slice(-6), [
    "--chdir",
    "/w/src",
    "--",
    "/bin/bash",
    "-c",
    "ls",
  ]);
});

Deno.test("bwrapArgs() at the open level writes everywhere, shares the network, still masks and hides /proc", () => {
  const args = bwrapArgs({ ...PLAN, level: "open", network: true }, ["true"]);
  assertEquals(args.slice(0, 3), ["--bind", "/", "/"]);
  assert(!args.includes("--unshare-net"));
  assert(args.includes("--unshare-pid"));
  assert(find(args, "--proc", "/proc") >= 0);
  assertEquals(find(args, "--ro-bind", "/w/.git", "/w/.git"), -1);
  assertEquals(find(args, "--tmpfs", "/run"), -1);
  assertEquals(find(args, "--tmpfs", "/tmp"), -1);
  assertEquals(find(args, "/w/.git/config"), -1);
  assert(find(args, "--cap-drop", "ALL") >= 0, "no capabilities");
  assert(find(args, "--ro-bind", "/w/.nanocode", "/w/.nanocode") >= 0);
  assert(find(args, "--ro-bind", "/tmp/nanocode-exec-1/empty", "/w/.env") >= 0);
  assert(find(args, "--tmpfs", "/h/.ssh") >= 0);
});

Deno.test("bwrapArgs() shares the network at the workspace level only when asked", () => {
  assert(
    !bwrapArgs({ ...PLAN, network: true }, ["true"]).includes("--unshare-net"),
  );
});
