import { assertEquals } from "../helpers/assert.ts";
import { isSensitiveEnvName, scrubEnv } from "../../src/policy/env.ts";

Deno.test("scrubEnv() removes credential-looking names in any case", () => {
  const env = {
    PATH: "/bin",
    HOME: "/h",
    LANG: "C",
    GITHUB_TOKEN: "t",
    aws_secret_access_key: "s",
    AWS_ACCESS_KEY_ID: "k",
    DB_PASSWORD: "p",
    MYSQL_PASSWD: "p",
    GOOGLE_APPLICATION_CREDENTIALS: "/c.json",
    Api_Key: "k",
  };
  assertEquals(scrubEnv(env), { PATH: "/bin", HOME: "/h", LANG: "C" });
});

Deno.test("scrubEnv() removes nanocode's own variables", () => {
  const env = {
    NANOCODE_LM: "x",
    NANOCODE_PERMISSION_MODE: "yolo",
    MODAIC_TOKEN: "m",
    OPENROUTER_API_KEY: "o",
    OPENAI_API_KEY: "o",
    TERM: "xterm",
  };
  assertEquals(scrubEnv(env), { TERM: "xterm" });
});

Deno.test("scrubEnv() keeps variables the config allows by name", () => {
  const env = { NPM_TOKEN: "n", GH_TOKEN: "g", NANOCODE_LM: "x", PATH: "/bin" };
  assertEquals(scrubEnv(env, ["NPM_TOKEN", "NANOCODE_LM", "MISSING"]), {
    NPM_TOKEN: "n",
    NANOCODE_LM: "x",
    PATH: "/bin",
  });
});

Deno.test("scrubEnv() does not change its argument", () => {
  const env = { A_TOKEN: "x", B: "y" };
  scrubEnv(env);
  assertEquals(env, { A_TOKEN: "x", B: "y" });
});

Deno.test("isSensitiveEnvName() leaves ordinary names alone", () => {
  for (const name of ["PATH", "HOME", "USER", "SHELL", "EDITOR", "PWD"]) {
    assertEquals(isSensitiveEnvName(name), false, name);
  }
  assertEquals(isSensitiveEnvName("nanocode_x"), true);
});

Deno.test("scrubEnv() removes *_PASS, *_PWD, AUTH and DSN words, and URLs carrying a password or a webhook", () => {
  const env = {
    DB_PASS: "p",
    MYSQL_PWD: "p",
    SMTP_PASSPHRASE: "p",
    NPM_CONFIG__AUTH: "a",
    SENTRY_DSN: "https://k@o.ingest.sentry.io/1",
    GITHUB_PAT: "g",
    DATABASE_URL: "postgres://app:hunter2@db:5432/app",
    REDIS_URL: "redis://:pw@cache:6379",
    CHAT_HOOK: "https://hooks.slack.com/services/T/B/x",
    DISCORD: "https://discord.com/api/webhooks/1/x",
    PWD: "/w",
    OLDPWD: "/",
    SSH_AUTH_SOCK: "/tmp/agent.sock",
    GIT_AUTHOR_NAME: "Ada",
    PUBLIC_URL: "https://example.com/app",
    DATABASE_HOST: "db",
  };
  assertEquals(scrubEnv(env), {
    PWD: "/w",
    OLDPWD: "/",
    SSH_AUTH_SOCK: "/tmp/agent.sock",
    GIT_AUTHOR_NAME: "Ada",
    PUBLIC_URL: "https://example.com/app",
    DATABASE_HOST: "db",
  });
  assertEquals(scrubEnv(env, ["DATABASE_URL"]).DATABASE_URL, env.DATABASE_URL);
});
