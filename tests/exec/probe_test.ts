import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { probeBubblewrap } from "../../src/exec/probe.ts";
import { tempDir } from "../helpers/temp.ts";

Deno.test("probeBubblewrap() says macOS has no bubblewrap and sandbox-exec is planned", async () => {
  const probe = await probeBubblewrap({ os: "darwin", path: "/usr/bin" });
  assertEquals(probe.ok, false);
  assert(!probe.ok);
  assertStringIncludes(probe.reason, "sandbox-exec");
});

Deno.test("probeBubblewrap() says how to install bubblewrap when it is missing", async () => {
  await using bin = await tempDir();
  const probe = await probeBubblewrap({ os: "linux", path: bin.path });
  assert(!probe.ok);
  assertStringIncludes(probe.reason, "apt-get install bubblewrap");
});

Deno.test("probeBubblewrap() reports what bwrap said when it cannot create namespaces (a container)", async () => {
  // What bwrap prints inside a container whose seccomp profile refuses unshare(2).
  await using bin = await tempDir({
    bwrap:
      "#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n",
  });
  await Deno.chmod(bin.file("bwrap"), 0o755);
  const probe = await probeBubblewrap({
    os: "linux",
    path: `${bin.path}:/usr/bin:/bin`,
  });
  assert(!probe.ok);
  assertEquals(
    probe.reason,
    "bubblewrap cannot start here (bwrap: Creating new namespace failed: Operation not permitted)",
  );
});
