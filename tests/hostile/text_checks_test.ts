/**
 * What the text checks still have to catch: where there is no sandbox (the
 * `sandbox` setting off, or bubblewrap missing), they are all `yolo` has.
 */

import { assert, assertStringIncludes } from "../helpers/assert.ts";
import { hostile } from "./_harness.ts";

const SECRET = "sk-live-text-0123456789";
const run = (cmd: string) => `print(run_bash(${JSON.stringify(cmd)}))`;

Deno.test("hostile: without the sandbox, yolo denies a command reading ~/.ssh or ~/.aws through $HOME or ${HOME}", async () => {
  await using h = await hostile({
    mode: "yolo",
    sandbox: "off",
    homeFiles: {
      ".ssh/id_ed25519": `-----BEGIN ${SECRET}\n`,
      ".aws/credentials": `aws_secret_access_key = ${SECRET}\n`,
    },
  });
  const seen = await h.turn(
    run('cat "$HOME/.ssh/id_ed25519"'),
    run("cat ${HOME}/.aws/credentials"),
  );
  for (const text of seen) {
    assertStringIncludes(text, "Permission denied");
    assert(!text.includes(SECRET), text);
  }
});
