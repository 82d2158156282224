import { assertEquals, assertThrows } from "../helpers/assert.ts";
import {
  checkBranch,
  checkRevision,
  isLocalPath,
  parseRepoId,
} from "../../src/program/repo_id.ts";
import { redact } from "../../src/program/git.ts";
import { isSecretKey } from "../../src/program/secrets.ts";
import { Hub } from "../../src/program/hub.ts";

Deno.test("parseRepoId() splits owner/name and rejects a single segment", () => {
  assertEquals(parseRepoId("me/nano-code"), { owner: "me", name: "nano-code" });
  assertThrows(() => parseRepoId("nanocode"), TypeError, "not a hub id");
  assertThrows(() => parseRepoId("a/b/c"), TypeError, "owner/name");
  assertThrows(() => parseRepoId("../x"), TypeError, "owner/name");
});

Deno.test("isLocalPath() accepts paths starting with ., / or \\", () => {
  assertEquals(
    ["./p", "../p", "/p", "\\p", "me/p"].map(isLocalPath),
    [true, true, true, true, false],
  );
});

Deno.test("checkBranch() refuses a slash and option-like names", () => {
  checkBranch("prod");
  assertThrows(() => checkBranch("feature/x"), TypeError, 'contains "/"');
  assertThrows(() => checkBranch("-rf"), TypeError, "not valid");
  assertThrows(() => checkRevision("a..b"), TypeError, "not valid");
  checkRevision("v1.0");
});

Deno.test("redact() hides URL credentials and the token in every form", () => {
  assertEquals(
    redact(
      "fatal: unable to access 'https://bob:s3cr3t%2Fx@h/a.git/': s3cr3t/x",
      ["s3cr3t/x"],
    ),
    "fatal: unable to access 'https://***@h/a.git/': ***",
  );
});

Deno.test("isSecretKey() flags keys and tokens but not token counts", () => {
  assertEquals(
    [
      "api_key",
      "hf_token",
      "OPENAI_API_KEY",
      "password",
      "max_tokens",
      "lm",
      "track_trace",
    ].map(isSecretKey),
    [true, true, true, true, false, false, false],
  );
});

Deno.test("Hub() fails clearly when a hub URL is malformed", () => {
  assertThrows(
    () => new Hub({ gitUrl: "git.modaic.dev", env: () => undefined }),
    TypeError,
    'The Modaic hub\'s git URL "git.modaic.dev" is not an http(s) URL: fix MODAIC_GIT_URL',
  );
});
