import { assertEquals } from "../helpers/assert.ts";
import { setFrontMatter } from "../../src/program/front_matter.ts";

Deno.test("setFrontMatter() replaces only its keys and keeps other keys and the body when front matter exists", () => {
  const readme =
    "---\nlicense: mit\nnanocode_version: 0.0.1\ntags:\n- a\n- b\n# a comment\n---\n# Title\n\nBody ---\n";
  assertEquals(
    setFrontMatter(readme, {
      nanocode_version: "0.1.0",
      tags: ["x"],
      new_key: true,
    }),
    '---\nlicense: mit\nnanocode_version: "0.1.0"\ntags:\n- x\n# a comment\nnew_key: true\n---\n# Title\n\nBody ---\n',
  );
});

Deno.test("setFrontMatter() adds a block before the text when the README has none", () => {
  assertEquals(
    setFrontMatter("# Hello\n", { a: "b c" }),
    "---\na: b c\n---\n\n# Hello\n",
  );
});

Deno.test("setFrontMatter() creates a README when there is none", () => {
  assertEquals(
    setFrontMatter(undefined, { a: "yes" }, "prog"),
    '---\na: "yes"\n---\n\n# prog\n',
  );
});
