import { assertEquals } from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { FolderTrust } from "../../src/trust/folder.ts";
import type { Loosening } from "../../src/trust/loosening.ts";
import { TrustStore } from "../../src/trust/store.ts";

const item = (id: string): Loosening => ({ setting: "x", id, text: id });

Deno.test("FolderTrust.check() trusts what the user trusted, and no more", async () => {
  await using dir = await tempDir();
  const store = new TrustStore(dir.file("trust.json"));
  const trust = new FolderTrust({ store });
  assertEquals((await trust.check("/r", [item("a")])).trusted, false);
  await trust.remember("/r", [item("a"), item("b")], true);
  assertEquals((await trust.check("/r", [item("a")])).trusted, true);
  const wider = await trust.check("/r", [item("a"), item("c")]);
  assertEquals(wider, {
    trusted: false,
    why: "its config changed since you answered",
    ask: true,
  });
  assertEquals((await trust.check("/r/sub", [item("a")])).trusted, false);
});

Deno.test("FolderTrust.check() remembers a no and does not ask again", async () => {
  await using dir = await tempDir();
  const trust = new FolderTrust({ store: new TrustStore(dir.file("t.json")) });
  await trust.remember("/r", [item("a")], false);
  const verdict = await trust.check("/r", [item("a")]);
  assertEquals(verdict.trusted, false);
  assertEquals(verdict.trusted === false && verdict.ask, false);
});

Deno.test("FolderTrust.check() trusts --trust-project and trusted_folders below them", async () => {
  await using dir = await tempDir();
  const store = new TrustStore(dir.file("t.json"));
  assertEquals(
    (await new FolderTrust({ store, trustAll: true }).check("/r", [item("a")]))
      .trusted,
    true,
  );
  const listed = new FolderTrust({ store, trustedFolders: ["/work/"] });
  assertEquals((await listed.check("/work/r", [item("a")])).trusted, true);
  assertEquals((await listed.check("/workshop", [item("a")])).trusted, false);
});

Deno.test("TrustStore.read() treats a broken or foreign file as no answers", async () => {
  await using dir = await tempDir({
    "broken.json": "{ nope",
    "foreign.json": JSON.stringify({ folders: { "/r": { trusted: "yes" } } }),
  });
  assertEquals(await new TrustStore(dir.file("broken.json")).read(), {});
  assertEquals(await new TrustStore(dir.file("foreign.json")).read(), {});
  assertEquals(await new TrustStore(dir.file("missing.json")).read(), {});
});
