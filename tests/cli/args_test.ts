import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { parseCli, UsageError } from "../../src/cli/args.ts";
import { dirname, join, relative } from "../../src/util/path.ts";

Deno.test("parseCli() reads config flags in both forms and joins task words", () => {
  const options = parseCli([
    "--max-iters=5",
    "--lm",
    "openai/x",
    "--no-track-usage",
    "--verbose",
    "fix",
    "the",
    "bug",
  ]);
  assertEquals(options.flags, {
    max_iters: "5",
    lm: "openai/x",
    track_usage: false,
    verbose: true,
  });
  assertEquals(options.task, "fix the bug");
});

Deno.test("parseCli() handles short flags, repeatable flags, -- and --resume with or without an id", () => {
  const options = parseCli([
    "-p",
    "task text",
    "-y",
    "--add-dir",
    "/a",
    "--add-dir=/b",
    "--resume",
    "2026",
  ]);
  assertEquals(options.task, "task text");
  assertEquals(options.yes, true);
  assertEquals(options.addDirs, ["/a", "/b"]);
  assertEquals(options.resume, "2026");
  assertEquals(parseCli(["--resume"]).resume, true);
  assertEquals(parseCli(["--resume", "--verbose"]).resume, true);
  assertEquals(parseCli(["--", "-not-a-flag"]).task, "-not-a-flag");
  assertEquals(parseCli(["push", "me/prog"]).command, "push");
  assertEquals(parseCli(["push", "me/prog"]).positionals, ["me/prog"]);
});

Deno.test("parseCli() refuses unknown flags, missing values and values on booleans", () => {
  assertThrows(() => parseCli(["--frob"]), UsageError, "Unknown flag '--frob'");
  assertThrows(() => parseCli(["-z"]), UsageError, "Unknown flag '-z'");
  assertThrows(() => parseCli(["--lm"]), UsageError, "--lm needs a value");
  assertThrows(() => parseCli(["--verbose=yes"]), UsageError, "takes no value");
  assertThrows(() => parseCli(["-p", "a", "b"]), UsageError, "not both");
});

Deno.test("parseCli() takes grouped short flags, the last of a group taking a value", () => {
  const grouped = parseCli(["-yc", "next step"]);
  assertEquals([grouped.yes, grouped.continueLast], [true, true]);
  assertEquals(grouped.task, "next step");
  const withValue = parseCli(["-yp", "the task"]);
  assertEquals([withValue.yes, withValue.task], [true, "the task"]);
  assertEquals(parseCli(["-ypinline"]).task, "inline");
  assertEquals(parseCli(["-cy"]).yes, true);
  assertThrows(() => parseCli(["-yz"]), UsageError, "Unknown flag '-z'");
  assertThrows(() => parseCli(["-yp"]), UsageError, "--print needs a value");
});

Deno.test("parseCli() takes --model as another name for --lm", () => {
  assertEquals(parseCli(["--model", "openai/x"]).flags, { lm: "openai/x" });
  assertEquals(parseCli(["--model=openai/x", "--lm", "openai/x"]).flags, {
    lm: "openai/x",
  });
  assertThrows(
    () => parseCli(["--model", "openai/x", "--lm", "openai/y"]),
    UsageError,
    "Give the model with --lm or --model, not both",
  );
});

Deno.test("join(), dirname() and relative() behave like node:path for POSIX paths", () => {
  assertEquals(join("/a/b", "../c", "./d.txt"), "/a/c/d.txt");
  assertEquals(join("a", "b/"), "a/b");
  assertEquals(join("/", ".."), "/");
  assertEquals(dirname("/a/b/c.txt"), "/a/b");
  assertEquals(dirname("/a"), "/");
  assertEquals(dirname("a"), ".");
  assertEquals(relative("/a/b/c", "/a/d.txt"), "../../d.txt");
  assertEquals(relative("/a/b", "/a/b/AGENTS.md"), "AGENTS.md");
  assertEquals(relative("/a", "/a"), "");
});
