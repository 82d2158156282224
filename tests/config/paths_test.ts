import { assertEquals } from "../helpers/assert.ts";
import { dataDir, userConfigPath, xdgDir } from "../../src/config/paths.ts";
import { defaultSnapshotDir } from "../../src/sandbox/python/snapshot_cache.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("A relative XDG folder is ignored, as the XDG spec says: nanocode's files never land in the folder it was started in", () => {
  const relativeVars = env({
    HOME: "/h",
    XDG_DATA_HOME: "k",
    XDG_CONFIG_HOME: ".config",
    XDG_CACHE_HOME: "./cache",
  });
  assertEquals(dataDir(relativeVars), "/h/.local/share/nanocode");
  assertEquals(
    userConfigPath(relativeVars),
    "/h/.config/nanocode/config.json",
  );
  assertEquals(defaultSnapshotDir(relativeVars), "/h/.cache/nanocode/python");
  assertEquals(xdgDir(relativeVars, "XDG_DATA_HOME"), undefined);
});

Deno.test("An absolute XDG folder is used", () => {
  const vars = env({
    HOME: "/h",
    XDG_DATA_HOME: "/d",
    XDG_CONFIG_HOME: "/c",
    XDG_CACHE_HOME: "/x",
  });
  assertEquals(dataDir(vars), "/d/nanocode");
  assertEquals(userConfigPath(vars), "/c/nanocode/config.json");
  assertEquals(defaultSnapshotDir(vars), "/x/nanocode/python");
  assertEquals(xdgDir(env({}), "XDG_CACHE_HOME"), undefined);
});
