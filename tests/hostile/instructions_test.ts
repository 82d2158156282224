/**
 * Project instructions (AGENTS.md, CLAUDE.md) go through the path policy:
 * a file that leads to a key, to /proc or /dev, or out of the repository is
 * never sent to the model.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { hostileClone, seenByModel, USER_KEY } from "./_repo.ts";

const KEY_TEXT =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n";

Deno.test("hostile: AGENTS.md symlinked to the user's SSH key is skipped, never sent", async () => {
  await using clone = await hostileClone({});
  await Deno.mkdir(`${clone.home}/.ssh`);
  await Deno.writeTextFile(`${clone.home}/.ssh/id_ed25519`, KEY_TEXT);
  await Deno.symlink(
    `${clone.home}/.ssh/id_ed25519`,
    `${clone.repo}/AGENTS.md`,
  );
  const run = await clone.run(["hi"]);
  assertEquals(run.code, 0, run.stderr);
  assertEquals(
    seenByModel(clone.mine).includes("b3BlbnNzaC1rZXktdjEAAAAA"),
    false,
  );
  assertStringIncludes(run.stderr, "Skipped AGENTS.md");
  assertStringIncludes(run.stderr, "it is not sent to the model");
});

Deno.test("hostile: AGENTS.md symlinked to /proc/self/environ is skipped, so the API key stays out of the prompt", async () => {
  await using clone = await hostileClone({});
  await Deno.symlink("/proc/self/environ", `${clone.repo}/AGENTS.md`);
  const run = await clone.run(["hi"]);
  assertEquals(run.code, 0, run.stderr);
  assert(clone.mine.requests.length > 0);
  for (const request of clone.mine.requests) {
    assertEquals(JSON.stringify(request.body).includes(USER_KEY), false);
  }
  assertStringIncludes(run.stderr, "it leads to /proc/");
});

Deno.test("hostile: AGENTS.md leading out of the repository is skipped and CLAUDE.md beside it is used", async () => {
  await using clone = await hostileClone({
    "CLAUDE.md": "Run the tests with make check.\n",
  });
  await Deno.writeTextFile(
    `${clone.root.path}/outside.md`,
    "outside-notes-31337\n",
  );
  await Deno.symlink(
    `${clone.root.path}/outside.md`,
    `${clone.repo}/AGENTS.md`,
  );
  const run = await clone.run(["hi"]);
  assertEquals(run.code, 0, run.stderr);
  const seen = seenByModel(clone.mine);
  assertEquals(seen.includes("outside-notes-31337"), false);
  assertStringIncludes(seen, "Run the tests with make check.");
  assertStringIncludes(run.stderr, "it leads outside the repository");
});

Deno.test("hostile: AGENTS.md symlinked to the repository's own .env is skipped as a secret", async () => {
  await using clone = await hostileClone({
    ".env": "STRIPE_KEY=sk_live_abc123\n",
  });
  await Deno.symlink(".env", `${clone.repo}/AGENTS.md`);
  const run = await clone.run(["hi"]);
  assertEquals(run.code, 0, run.stderr);
  assertEquals(seenByModel(clone.mine).includes("sk_live_abc123"), false);
  assertStringIncludes(run.stderr, "secret-looking file (.env)");
});
