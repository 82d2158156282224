import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { COMMAND_HELP } from "../../src/cli/commands.ts";

Deno.test("nanocode --help lists every slash command of the interactive session", async () => {
  await using dir = await tempDir();
  const help = await runCli(["--help"], { cwd: dir.path });
  assertEquals(help.code, 0);
  for (const [command, text] of COMMAND_HELP) {
    assertStringIncludes(help.stdout, `  ${command.padEnd(34)}${text}`);
  }
  for (const command of ["/retry", "/mode [MODE]", "/undo", "/resume"]) {
    assertStringIncludes(help.stdout, command);
  }
  assertStringIncludes(help.stdout, "--model NAME");
  assertStringIncludes(help.stdout, "--track-trace");
});

Deno.test("nanocode takes grouped short flags: -yc continues the last session without asking", async () => {
  await using dir = await tempDir({ "a.txt": "alpha\n" });
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('It says alpha.')"),
    cell("print(run_bash('echo again'))"),
    cell("SUBMIT(history[0].answer)"),
  ]));
  const first = await runCli(["-p", "what is in a.txt?"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(first.code, 0, first.stderr);
  const second = await runCli(["-yc", "say it again"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(second.code, 0, second.stderr);
  assertEquals(second.stdout, "It says alpha.\n");
  // -y let the command run without a prompt; -c brought the first turn back.
  const mains = requestsOf(server.requests, MAIN_MODEL);
  assertStringIncludes(messagesOf(mains[1])[1].content, "what is in a.txt?");
  assertStringIncludes(messagesOf(mains[2]).at(-1)!.content, "again");
});

Deno.test("nanocode --model chooses the main model like --lm", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT('ok')")]),
  );
  const env = lmEnv(server.url);
  delete env.NANOCODE_LM;
  const run = await runCli(["--model", `openai/${MAIN_MODEL}`, "hi"], {
    cwd: dir.path,
    env,
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(requestsOf(server.requests, MAIN_MODEL).length, 1);
  assertEquals(
    server.requests.filter((r) => r.body.model).map((r) => r.body.model),
    [MAIN_MODEL],
  );
  const both = await runCli(["--model", "openai/a", "--lm", "openai/b", "hi"], {
    cwd: dir.path,
    env,
  });
  assertEquals(both.code, 2);
  assertStringIncludes(both.stderr, "Give the model with --lm or --model");
});

Deno.test("nanocode applies the user's ~/.config/nanocode/AGENTS.md to every project, before the project's own", async () => {
  await using home = await tempDir({
    ".config/nanocode/AGENTS.md": "Always answer in French.\n",
  });
  await using project = await tempDir({ "AGENTS.md": "Use tabs.\n" });
  await using other = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('oui')"),
    cell("SUBMIT('oui')"),
  ]));
  for (const dir of [project, other]) {
    const run = await runCli(["--verbose", "hi"], {
      cwd: dir.path,
      home: home.path,
      env: lmEnv(server.url),
    });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stderr, "~/.config/nanocode/AGENTS.md");
  }
  const [inProject, elsewhere] = requestsOf(server.requests, MAIN_MODEL).map(
    (r) => messagesOf(r)[0].content,
  );
  const user = inProject.indexOf(
    "From ~/.config/nanocode/AGENTS.md:\nAlways answer in French.",
  );
  const own = inProject.indexOf("From AGENTS.md:\nUse tabs.");
  assertEquals(user >= 0 && own > user, true, inProject.slice(0, 3000));
  assertStringIncludes(elsewhere, "Always answer in French.");
  assertEquals(elsewhere.includes("Use tabs."), false);
});
