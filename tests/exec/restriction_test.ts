import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { restrictionNote } from "../../src/exec/restriction.ts";

Deno.test("restrictionNote() explains a read-only file system and how to leave the sandbox", () => {
  const note = restrictionNote(
    "error: could not lock config file .git/config: Read-only file system\n",
    255,
  );
  assertStringIncludes(note!, "a write outside the writable folders");
  assertStringIncludes(note!, "run_bash(cmd, {sandbox: false})");
});

Deno.test("restrictionNote() explains a missing network", () => {
  for (
    const output of [
      "curl: (6) Could not resolve host: registry.npmjs.org",
      "npm error code EAI_AGAIN",
      "ssh: connect to host github.com port 22: Network is unreachable",
      "pip._vendor.urllib3: Temporary failure in name resolution",
      'psql: error: connection to server at "127.0.0.1", port 5432 failed: Connection refused',
    ]
  ) {
    assertStringIncludes(restrictionNote(output, 1)!, "no network", output);
  }
});

Deno.test("restrictionNote() explains a path under /tmp or /run the sandbox shows empty", () => {
  for (
    const output of [
      "mkdir: cannot create directory '/tmp/build/out': No such file or directory",
      "bash: line 1: /tmp/nanocode-test-1/x.txt: No such file or directory",
      "cat: /var/run/docker.sock: No such file or directory",
    ]
  ) {
    assertStringIncludes(restrictionNote(output, 1)!, "$TMPDIR", output);
  }
  assertEquals(
    restrictionNote("cat: src/tmp/a.txt: No such file or directory", 1),
    undefined,
  );
});

Deno.test("restrictionNote() says nothing for a command that succeeded or failed for its own reasons", () => {
  assertEquals(
    restrictionNote("Read-only file system (expected)", 0),
    undefined,
  );
  assertEquals(restrictionNote("FAIL src/a.test.ts\n1 failed", 1), undefined);
  assert(
    restrictionNote("rm: cannot remove '.env': Device or resource busy", 1),
  );
});
