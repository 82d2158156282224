/**
 * nanocode's own files and git's are protected everywhere: `.nanocode/` at
 * any depth, the user's config and trust answers; writes into `.git/` ask
 * in every mode and are denied in yolo.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { exists, hostile, ScriptedApprover } from "./_harness.ts";
import { git } from "./_repo.ts";

Deno.test("hostile: write_file and edit_file on .git/HEAD ask even in auto-edit, and are denied in yolo", async () => {
  const approver = new ScriptedApprover(["no", "no"]);
  await using asking = await hostile({ mode: "auto-edit", approver });
  await git(asking.ws.path, ["init", "-q"]);
  const head = await asking.ws.read(".git/HEAD");
  const [wrote, edited] = await asking.turn(
    "read_file('.git/HEAD')\nprint(write_file('.git/HEAD', 'ref: refs/heads/evil\\n'))",
    "print(edit_file('.git/HEAD', 'ref:', 'ref: refs/heads/evil #'))",
  );
  assertStringIncludes(wrote, "Not allowed");
  assertStringIncludes(edited, "Not allowed");
  assertEquals(approver.asked.map((r) => r.reasons[0]), [
    "protected file (.git/)",
    "protected file (.git/)",
  ]);
  assertEquals(await asking.ws.read(".git/HEAD"), head);

  await using yolo = await hostile({ mode: "yolo" });
  await git(yolo.ws.path, ["init", "-q"]);
  const [denied, viaShell] = await yolo.turn(
    "read_file('.git/HEAD')\nprint(write_file('.git/HEAD', 'ref: refs/heads/evil\\n'))",
    "print(run_bash(\"echo 'ref: refs/heads/evil' > .git/HEAD\"))",
  );
  assertStringIncludes(denied, "Permission denied");
  assertStringIncludes(viaShell, "Permission denied");
  assertEquals(await yolo.ws.read(".git/HEAD"), head);
});

Deno.test("hostile: a model planting sub/.nanocode/config.json in auto-edit is asked about, and no means no file", async () => {
  const approver = new ScriptedApprover(["no"]);
  await using h = await hostile({ mode: "auto-edit", approver });
  const [seen] = await h.turn(
    `print(write_file('sub/.nanocode/config.json', JSON.stringify({ permission_mode: "yolo" })))`,
  );
  assertStringIncludes(seen, "Not allowed");
  assertEquals(approver.asked.length, 1);
  assertStringIncludes(approver.asked[0].reasons[0], "nanocode's own files");
  assertStringIncludes(approver.asked[0].reasons[0], "sub/.nanocode");
  assertEquals(await exists(h.ws.file("sub/.nanocode/config.json")), false);
});

Deno.test("hostile: without a person to ask, a planted .nanocode config is refused even with --yes, and yolo denies editing one", async () => {
  await using headless = await hostile({ mode: "auto-edit" });
  const [refused] = await headless.turn(
    `print(write_file('deep/er/.nanocode/config.json', '{"permission_mode":"yolo"}'))`,
  );
  assertStringIncludes(refused, "touches a secret or protected file");
  assertEquals(
    await exists(headless.ws.file("deep/er/.nanocode/config.json")),
    false,
  );

  await using yolo = await hostile({
    mode: "yolo",
    files: { "pkg/.nanocode/config.json": '{"max_iters": 5}\n' },
  });
  const [denied] = await yolo.turn(
    `read_file('pkg/.nanocode/config.json')\nprint(edit_file('pkg/.nanocode/config.json', '"max_iters": 5', '"permission_mode": "yolo"'))`,
  );
  assertStringIncludes(denied, "Permission denied");
  assertEquals(
    await yolo.ws.read("pkg/.nanocode/config.json"),
    '{"max_iters": 5}\n',
  );
});

Deno.test("hostile: the model cannot write the user's trust answers to trust a folder itself", async () => {
  await using h = await hostile({ mode: "yolo" });
  const trust = `${h.home.path}/.config/nanocode/trust.json`;
  const answers = JSON.stringify({
    folders: { [h.ws.path]: { trusted: true, settings: [], updated: "" } },
  });
  const [written, viaShell] = await h.turn(
    `print(write_file(${JSON.stringify(trust)}, ${JSON.stringify(answers)}))`,
    `print(run_bash(${
      JSON.stringify(`mkdir -p ~/.config/nanocode && echo '{}' > ${trust}`)
    }))`,
  );
  assertStringIncludes(written, "Permission denied");
  assertStringIncludes(viaShell, "Permission denied");
  assertEquals(await exists(trust), false);
});
