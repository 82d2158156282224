/**
 * Keys stay out of commands' reach: credential variables beyond the
 * KEY/TOKEN/SECRET/PASSWORD names are scrubbed, and more credential files
 * count as secrets.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { hostile } from "./_harness.ts";

const VALUES = {
  DATABASE_URL: "postgres://app:hunter2-db@db.internal:5432/app",
  REDIS_URL: "redis://:r3dis-pass@cache:6379/0",
  HTTPS_PROXY: "http://me:pr0xy-pass@proxy:8080",
  DB_PASS: "db-pass-value",
  MYSQL_PWD: "mysql-pwd-value",
  SMTP_PASSPHRASE: "smtp-phrase-value",
  SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T000/B000/slack-hook-x",
  DEPLOY_HOOK: "https://discord.com/api/webhooks/123/discord-hook-y",
  SENTRY_DSN: "https://sentry-dsn-key@o1.ingest.sentry.io/1",
  NPM_CONFIG__AUTH: "npm-auth-value",
};

Deno.test("hostile: DATABASE_URL with a password, *_PASS, *_PWD, webhook URLs and DSNs never reach a command, even in yolo", async () => {
  await using h = await hostile({
    mode: "yolo",
    commandEnv: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      ...VALUES,
      PWD: "/somewhere",
      GIT_AUTHOR_NAME: "Ada",
      PLAIN_URL: "https://example.com/docs",
    },
  });
  const [seen] = await h.turn("print(run_bash('env | sort'))");
  for (const [name, value] of Object.entries(VALUES)) {
    assertEquals(seen.includes(value), false, `${name} leaked`);
  }
  assertStringIncludes(seen, "GIT_AUTHOR_NAME=Ada");
  assertStringIncludes(seen, "PLAIN_URL=https://example.com/docs");
  const requests = JSON.stringify(h.server.requests.map((r) => r.body));
  for (const value of Object.values(VALUES)) {
    assertEquals(requests.includes(value), false);
  }
});

Deno.test("hostile: ~/.codex, ~/.claude, ~/.cargo/credentials, config/master.key, *.p12 and *.keystore are secrets in every mode", async () => {
  const secret = "credential-value-8080";
  await using h = await hostile({
    mode: "yolo",
    homeFiles: {
      ".codex/auth.json": `{"token":"${secret}"}`,
      ".claude/.credentials.json": `{"token":"${secret}"}`,
      ".cargo/credentials.toml": `token = "${secret}"`,
    },
    files: {
      "config/master.key": secret,
      "certs/client.p12": secret,
      "android/release.keystore": secret,
      "notes.txt": "nothing here\n",
    },
  });
  const paths = [
    "~/.codex/auth.json",
    "~/.claude/.credentials.json",
    "~/.cargo/credentials.toml",
    "config/master.key",
    "certs/client.p12",
    "android/release.keystore",
  ];
  const observations = await h.turn(
    ...paths.map((path) =>
      `try { print(read_file(${
        JSON.stringify(path)
      })) } catch (e) { print(String(e)) }`
    ),
    "print(run_bash('cat config/master.key android/release.keystore'))",
    // The pattern does not spell the value, so the model's own code does not carry it.
    `print(grep_files("credential-value-80[0-9]+", "."))`,
  );
  for (const [index, path] of paths.entries()) {
    assertStringIncludes(observations[index], "Permission denied", path);
  }
  assertStringIncludes(observations[paths.length], "Permission denied");
  const requests = JSON.stringify(h.server.requests.map((r) => r.body));
  assertEquals(requests.includes(secret), false);
});

/** Real credential shapes under names no name rule catches. */
const DISGUISED = {
  CI_JOB_JWT:
    "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2IifQ.c2lnbmF0dXJlLWp3dC12YWx1ZQ",
  GH_ENTERPRISE: "ghp_0123456789abcdefghijABCDEFGHIJ012345",
  GITLAB: "glpat-abcdefghij0123456789",
  MY_CONFIG: "AKIAIOSFODNN7EXAMPLE",
  SLACK_BOT: "xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn",
  OPENAI: "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789",
  STRIPE: "sk_live_abcdefghijklmnopqrstuvwx",
  HUGGINGFACE: "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
  REGISTRY_BEARER: "registry-bearer-value",
};

Deno.test("hostile: credentials under names no rule knows (a CI job JWT, ghp_/glpat-/xoxb-/sk- tokens, an AWS key id) never reach a command", async () => {
  await using h = await hostile({
    mode: "yolo",
    commandEnv: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      ...DISGUISED,
      GIT_AUTHOR_NAME: "Ada",
      SKIP_TESTS: "sk-ip",
      EDITOR: "vim",
    },
  });
  const [seen] = await h.turn("print(run_bash('env | sort'))");
  for (const [name, value] of Object.entries(DISGUISED)) {
    assertEquals(seen.includes(value), false, `${name} leaked`);
  }
  assertStringIncludes(seen, "GIT_AUTHOR_NAME=Ada");
  assertStringIncludes(seen, "SKIP_TESTS=sk-ip");
  assertStringIncludes(seen, "EDITOR=vim");
});
