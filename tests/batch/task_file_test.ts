import {
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/fields.ts";
import {
  isGitUrl,
  parseTasks,
  TaskFileError,
} from "../../src/batch/task_file.ts";
import { taskConfig } from "../../src/batch/task_config.ts";
import {
  carriedConfig,
  jobIdFor,
  parseQueueUrl,
  readJobData,
} from "../../src/batch/queue_jobs.ts";
import { parseBatchCli } from "../../src/batch/cli_args.ts";
import { UsageError } from "../../src/cli/args.ts";

Deno.test("parseTasks() resolves relative repos against the file's folder and keeps URLs", () => {
  const tasks = parseTasks(
    [
      '\uFEFF{"id": 1, "task": "a", "repo": "fixtures/app", "ref": "v2"}',
      "",
      '{"id": "b", "task": "b", "repo": "https://example.com/x.git", "setup": "npm ci", "verify": "npm test"}',
      '{"id": "c", "task": "c", "repo": "git@github.com:me/x.git", "config": {"max_iters": "7"}}',
      '{"id": "d", "task": "d", "repo": "/abs/path"}',
    ].join("\n"),
    "/suite",
  );
  assertEquals(tasks.map((t) => t.id), ["1", "b", "c", "d"]);
  assertEquals(tasks[0].repo, "/suite/fixtures/app");
  assertEquals(tasks[0].ref, "v2");
  assertEquals(tasks[1].repo, "https://example.com/x.git");
  assertEquals(tasks[1].setup, "npm ci");
  assertEquals(tasks[2].repo, "git@github.com:me/x.git");
  assertEquals(tasks[2].config, { max_iters: 7 });
  assertEquals(tasks[3].repo, "/abs/path");
});

Deno.test("parseTasks() names each bad line and what is wrong with it", () => {
  const error = assertThrows(
    () =>
      parseTasks(
        [
          '{"id": "a", "task": "x", "ref": "main"}',
          '{"id": "b", "task": "x", "repo": ".", "ref": "--upload-pack=evil"}',
          '{"id": "c\\u001b[31m", "task": "x"}',
          '{"id": "d", "task": "x", "config": {"max_iters": 0}}',
          '{"id": "e", "task": "x", "config": {"colour": "red"}}',
          '["not", "an", "object"]',
        ].join("\n"),
        "/",
        "t.jsonl",
      ),
    TaskFileError,
  );
  const lines = error.message.split("\n");
  assertEquals(lines.length, 5, "at most five errors");
  assertStringIncludes(lines[0], 't.jsonl:1: "ref" needs a "repo"');
  assertStringIncludes(lines[1], 't.jsonl:2: "ref" cannot start with -');
  assertStringIncludes(lines[2], 't.jsonl:3: "id" contains control characters');
  assertStringIncludes(lines[3], "t.jsonl:4: Invalid");
  assertStringIncludes(
    lines[4],
    't.jsonl:5: "config" has an unknown key "colour"',
  );
  assertThrows(() => parseTasks("\n\n", "/"), TaskFileError, "has no tasks");
});

Deno.test("isGitUrl() tells URLs from paths", () => {
  for (
    const url of [
      "https://h/x.git",
      "ssh://git@h/x",
      "file:///srv/x",
      "git@h:x.git",
    ]
  ) {
    assertEquals(isGitUrl(url), true, url);
  }
  for (const path of ["../app", "/srv/app", "app:v2", "C:stuff"]) {
    assertEquals(isGitUrl(path), false, path);
  }
});

Deno.test("a tasks file cannot choose where keys are sent or give a task more freedom than the batch", () => {
  assertThrows(
    () =>
      parseTasks(
        '{"id": "a", "task": "x", "config": {"api_base": "https://evil.example/v1"}}',
        "/",
      ),
    TaskFileError,
    "cannot choose where your API key is sent",
  );
  const batch = { ...DEFAULT_CONFIG, permission_mode: "auto-edit" as const };
  assertThrows(
    () => taskConfig(batch, { permission_mode: "yolo" }),
    TypeError,
    'the batch runs in "auto-edit" mode',
  );
  assertEquals(
    taskConfig(batch, { permission_mode: "ask" }).permission_mode,
    "ask",
  );
  assertEquals(taskConfig(batch, { lm: "openai/gpt-4o" }).lm, "openai/gpt-4o");
  // Nor turn the command sandbox off (a task may turn it on).
  assertThrows(
    () => taskConfig(batch, { sandbox: "off" }),
    TypeError,
    '"config.sandbox" "off" is not allowed',
  );
  const open = { ...batch, sandbox: "off" as const };
  assertEquals(taskConfig(open, { sandbox: "off" }).sandbox, "off");
  assertEquals(taskConfig(open, { sandbox: "auto" }).sandbox, "auto");
});

Deno.test("readJobData() checks every part of a job read from the queue", () => {
  const good = {
    batch: "b1",
    task: { id: "t1", task: "do it", repo: "/srv/app" },
    config: { max_iters: 5 },
    limits: { timeoutMs: 60_000, maxCost: null },
  };
  assertEquals(readJobData(good).task.repo, "/srv/app");
  const bad: [unknown, string][] = [
    [{ ...good, config: { api_base: "https://evil.example/v1" } }, "api_base"],
    [
      { ...good, config: { permission_mode: "yolo" } },
      "may not set permission_mode",
    ],
    [
      { ...good, task: { ...good.task, repo: "relative/app" } },
      "not an absolute path",
    ],
    [{ ...good, limits: { timeoutMs: -1, maxCost: null } }, "malformed job"],
    [
      { ...good, task: { id: "t", task: "x", evil: true } },
      'unknown key "evil"',
    ],
    ["a string", "malformed job"],
  ];
  for (const [data, message] of bad) {
    assertThrows(() => readJobData(data), TypeError, message);
  }
});

Deno.test("carriedConfig() carries the submitter's model flags, never api_base or permission_mode", () => {
  const config = {
    ...DEFAULT_CONFIG,
    lm: "openai/gpt-4o",
    api_base: "http://127.0.0.1:1/v1",
    permission_mode: "yolo" as const,
    max_iters: 7,
  };
  assertEquals(
    carriedConfig(config, {
      lm: "flag",
      api_base: "flag",
      permission_mode: "flag",
      max_iters: "environment",
    }),
    { lm: "openai/gpt-4o" },
  );
});

Deno.test("jobIdFor() and parseQueueUrl() make ids BullMQ accepts and keep passwords out of messages", () => {
  const id = jobIdFor("batch", "a:b/c");
  assertEquals(id.includes(":"), false);
  assertEquals(id === jobIdFor("batch", "a_b_c"), false);
  assertEquals(
    parseQueueUrl("redis://user:s3cret@10.1.2.3:6380/1").where,
    "10.1.2.3:6380",
  );
  assertThrows(() => parseQueueUrl("http://x"), Error, "redis://");
});

Deno.test("parseBatchCli() reads batch and worker options", () => {
  const batch = parseBatchCli("batch", [
    "t.jsonl",
    "-o",
    "out.jsonl",
    "-j",
    "3",
    "--timeout",
    "90",
    "--max-cost",
    "0.5",
    "--max-iters",
    "9",
    "--retry-failed",
  ]);
  assertEquals(batch.tasksFile, "t.jsonl");
  assertEquals(batch.out, "out.jsonl");
  assertEquals(batch.concurrency, 3);
  assertEquals(batch.timeoutS, 90);
  assertEquals(batch.maxCost, 0.5);
  assertEquals(batch.flags, { max_iters: "9" });
  assertEquals(batch.retryFailed, true);
  const worker = parseBatchCli("worker", [
    "--queue",
    "redis://h:1",
    "--stalled-after",
    "5",
  ]);
  assertEquals(worker.stalledAfterS, 5);
  assertThrows(
    () => parseBatchCli("batch", ["t.jsonl", "-j", "0"]),
    UsageError,
    "--concurrency",
  );
  assertThrows(
    () => parseBatchCli("batch", []),
    UsageError,
    "nanocode batch TASKS.jsonl",
  );
  assertThrows(
    () => parseBatchCli("worker", ["--queue", "redis://h", "--out", "x"]),
    UsageError,
    "--out",
  );
});
