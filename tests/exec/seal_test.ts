import { fileURLToPath } from "node:url";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { findExecutable } from "../../src/tools/context.ts";
import { sealAgentProcess, sealNote } from "../../src/exec/seal.ts";

const CHILD = fileURLToPath(new URL("./_sealed_child.ts", import.meta.url));
const SECRET = "sealed-secret-5d0c2f7e";
const LINUX = Deno.build.os === "linux";
const ROOT = LINUX && Deno.uid() === 0;
const SETPRIV = findExecutable("setpriv");
const AS_NOBODY = [
  SETPRIV ?? "setpriv",
  "--reuid=nobody",
  "--regid=nogroup",
  "--clear-groups",
  "--",
];
/** Whether `nobody` can read this checkout (not where it lies under /root). */
const NOBODY_READS = ROOT && SETPRIV !== null &&
  new Deno.Command(SETPRIV, {
    args: [...AS_NOBODY.slice(1), "test", "-r", CHILD],
    stdout: "null",
    stderr: "null",
  }).outputSync().success;

interface ChildReport {
  seal: { sealed: boolean; reason?: string };
  drop: { prefix: string[]; dropped?: string[]; reason?: string };
  uid: number;
  output: string;
}

/** Runs the stand-in agent, optionally through `wrapper` (e.g. setpriv to another user). */
async function child(
  options: {
    wrapper?: string[];
    deno?: string;
    denoDir?: string;
    args?: string[];
  } = {},
): Promise<ChildReport> {
  const argv = [
    ...options.wrapper ?? [],
    options.deno ?? Deno.execPath(),
    "run",
    "-A",
    "--no-lock",
    CHILD,
    ...options.args ?? [],
  ];
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      SEALED_SECRET: SECRET,
      DENO_DIR: options.denoDir ?? Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("HOME")}/.cache/deno`,
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert(out.success, new TextDecoder().decode(out.stderr) + text);
  return JSON.parse(text);
}

Deno.test("sealAgentProcess() says why when FFI is not allowed, and off Linux", () => {
  const denied = sealAgentProcess({
    os: "linux",
    control: () => {
      throw new Deno.errors.NotCapable('Requires ffi access to "libc.so.6"');
    },
  });
  assertEquals(denied, {
    sealed: false,
    reason: "FFI is not allowed: run with -A or --allow-ffi",
  });
  assertEquals(
    sealNote(denied),
    "Commands outside the sandbox can read nanocode's environment through /proc (FFI is not allowed: run with -A or --allow-ffi).",
  );
  assertEquals(sealAgentProcess({ os: "darwin" }), {
    sealed: false,
    reason: "there is no way to seal it on darwin",
  });
  assertEquals(sealNote({ sealed: true }), null);
});

Deno.test("sealAgentProcess() reports a failing call in one line", () => {
  const failed = sealAgentProcess({
    os: "linux",
    control: () => ({
      setDumpable() {
        throw new Error("prctl(PR_SET_DUMPABLE) returned -1\nstack");
      },
    }),
  });
  assertEquals(failed, {
    sealed: false,
    reason: "prctl(PR_SET_DUMPABLE) returned -1",
  });
});

Deno.test({
  name:
    "sealAgentProcess() keeps the environment out of a command's reach; unsealed, the command reads it",
  ignore: !LINUX,
  fn: async () => {
    const open = await child({ args: ["--no-seal"] });
    assertStringIncludes(open.output, `SEALED_SECRET=${SECRET}`);
    const sealed = await child();
    assertEquals(sealed.seal, { sealed: true });
    assert(!sealed.output.includes(SECRET), sealed.output);
    assertStringIncludes(sealed.output, "environ denied");
    assertStringIncludes(sealed.output, "maps denied");
  },
});

if (LINUX && !ROOT) {
  console.log(
    "(the test as another user is ignored: it needs root to switch users)",
  );
}

Deno.test({
  name:
    "sealAgentProcess() keeps the environment out of reach of an ordinary user's command (run as nobody)",
  ignore: !NOBODY_READS,
  fn: async () => {
    // The deno binary and a cache folder nobody can use.
    await using dir = await tempDir();
    await Deno.chmod(dir.path, 0o755);
    const deno = dir.file("deno");
    await Deno.copyFile(Deno.execPath(), deno);
    await Deno.chmod(deno, 0o755);
    const denoDir = dir.file("deno-dir");
    await Deno.mkdir(denoDir, { mode: 0o777 });
    await Deno.chmod(denoDir, 0o777);
    const wrapper = AS_NOBODY;
    const open = await child({ wrapper, deno, denoDir, args: ["--no-seal"] });
    assert(open.uid !== 0);
    assertStringIncludes(open.output, `SEALED_SECRET=${SECRET}`);
    const sealed = await child({ wrapper, deno, denoDir });
    assertEquals(sealed.seal, { sealed: true });
    // Nothing to drop for an ordinary user.
    assertEquals(sealed.drop, {
      prefix: [],
      reason: "commands get none of these capabilities",
    });
    assert(!sealed.output.includes(SECRET), sealed.output);
    assertStringIncludes(sealed.output, "environ denied");
  },
});
