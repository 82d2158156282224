/**
 * Python cells reach the tools through the same bridge, policy and
 * approvals as JavaScript cells: protected files, deny rules, approvals and
 * the command sandbox hold for a model that writes Python.
 *
 * @module
 */

import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { requestsOf } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { exists, hostile, ScriptedApprover } from "./_harness.ts";
import { git } from "./_repo.ts";

const NO_BWRAP = new Deno.Command("sh", {
  args: ["-c", "command -v bwrap"],
}).outputSync().code !== 0;
if (NO_BWRAP) {
  console.log(
    "python_policy_test: bwrap missing, the command-sandbox case is skipped",
  );
}

Deno.test({
  name:
    "hostile Python: protected files, deny rules, approvals and the command sandbox hold as for JavaScript",
  ignore: NO_BWRAP,
  async fn() {
    await using outside = await tempDir({ "keep.txt": "keep\n" });
    const approver = new ScriptedApprover(["no"]);
    await using h = await hostile({
      language: "python",
      mode: "auto-edit",
      approver,
      files: { "secret/key.txt": "k\n", "a.txt": "a\n" },
      permissions: { deny: ["write_file(secret/**)", "run_bash(rm *)"] },
      cellTimeout: 60,
    });
    await git(h.ws.path, ["init", "-q"]);
    const head = await h.ws.read(".git/HEAD");
    const [gitWrite, planted, denied, removed, escaped, fine, unsandboxed] =
      await h.turn(
        "read_file('.git/HEAD')\nprint(write_file(path='.git/HEAD', content='ref: refs/heads/evil\\n'))",
        "print(write_file('sub/.nanocode/config.json', '{\"permission_mode\": \"yolo\"}'))",
        "print(write_file('secret/key.txt', 'stolen'))",
        "print(run_bash(cmd='rm -f a.txt'))",
        `print(run_bash('echo x > ${join(outside.path, "planted.txt")}; cat ${
          outside.file("keep.txt")
        }'))`,
        "print(edit_file('a.txt', 'a', 'b'))",
        `print(run_bash('echo x > ${
          join(outside.path, "out.txt")
        }', sandbox=False))`,
      );
    assertStringIncludes(gitWrite, "Not allowed");
    assertStringIncludes(planted, "Not allowed");
    assertStringIncludes(denied, "Permission denied");
    assertStringIncludes(removed, "Permission denied");
    assert(!/^keep$/m.test(escaped), escaped);
    // The way out it suggests is written in Python, as the prompt's is.
    assertStringIncludes(escaped, "run_bash(cmd, sandbox=False)");
    const system = JSON.stringify(
      requestsOf(h.server.requests, "main-model")[0].body,
    );
    assert(!system.includes("{sandbox: false}"), "a JavaScript call form");
    assertStringIncludes(system, "sandbox=False");
    assertStringIncludes(unsandboxed, "Not allowed");
    assertStringIncludes(fine, "ok: replaced 1 occurrence");
    assertEquals(approver.asked.length, 3);
    assertEquals(await h.ws.read(".git/HEAD"), head);
    assertEquals(await exists(h.ws.file("sub/.nanocode/config.json")), false);
    assertEquals(await h.ws.read("secret/key.txt"), "k\n");
    assertEquals(await exists(h.ws.file("a.txt")), true);
    assertEquals(await h.ws.read("a.txt"), "b\n");
    assertEquals(await exists(join(outside.path, "planted.txt")), false);
    assertEquals(await exists(join(outside.path, "out.txt")), false);
  },
});
