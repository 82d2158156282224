import { assertEquals } from "../_assert.ts";
import {
  nameGlobOf,
  ripgrepNameArgs,
} from "../../../src/tools/search/name_glob.ts";

Deno.test("nameGlobOf() gives the file-name part every match shares", () => {
  assertEquals(nameGlobOf("*.ts"), "*.ts");
  assertEquals(nameGlobOf("**/*.ts"), "*.ts");
  assertEquals(nameGlobOf("src/**/*.test.ts"), "*.test.ts");
  assertEquals(nameGlobOf("*.{ts,tsx}"), "*.{ts,tsx}");
  assertEquals(nameGlobOf("./a?.js"), "a?.js");
  assertEquals(nameGlobOf("README.md"), "README.md");
});

Deno.test("nameGlobOf() gives nothing when a name filter could drop a match", () => {
  for (
    const pattern of [
      "*",
      "**",
      "src/",
      "src/**",
      "!*.ts",
      "weird name \\[1\\].ts",
      "[a-c]*",
      "src/{a,b/c}.ts",
      "a,b",
      "x}.ts",
    ]
  ) {
    assertEquals(nameGlobOf(pattern), null, pattern);
  }
});

Deno.test("ripgrepNameArgs() filters by a file type and keeps hidden files out", () => {
  assertEquals(ripgrepNameArgs(null), []);
  assertEquals(ripgrepNameArgs("*.ts"), [
    "--type-add",
    "ncname:*.ts",
    "--type",
    "ncname",
    "--glob",
    "!.*",
  ]);
});
