import { assertEquals } from "../helpers/assert.ts";
import type { PermissionMode } from "../../src/config/fields.ts";
import { Policy } from "../../src/policy/policy.ts";
import { planCommand } from "../../src/safety/command_plan.ts";

function policy(
  mode: PermissionMode,
  allow: string[] = [],
  deny: string[] = [],
) {
  return new Policy({
    roots: ["/w"],
    home: "/h",
    protectedDirs: [],
    mode,
    allow,
    deny,
  });
}
const WHERE = { sandboxed: true, workspace: "/w", home: "/h" };

Deno.test("planCommand() in auto-edit runs a command that stays in the sandbox without asking", () => {
  for (
    const command of ["npm test", "rm -rf build && make", "f=.en; cat ${f}v"]
  ) {
    const plan = planCommand(policy("auto-edit"), { command, ...WHERE });
    assertEquals(plan.decision, { verdict: "allow" }, command);
    assertEquals(plan.sandbox.level, "workspace");
  }
});

Deno.test("planCommand() in auto-edit asks, saying why, for a command that must leave the sandbox", () => {
  const commit = planCommand(policy("auto-edit"), {
    command: "git commit -m fix",
    ...WHERE,
  });
  assertEquals(commit.decision, {
    verdict: "ask",
    reasons: ["runs outside the sandbox: git commit writes into .git"],
  });
  assertEquals(commit.sandbox.level, "open");
  const asked = planCommand(policy("auto-edit"), {
    command: "make deploy",
    sandbox: false,
    ...WHERE,
  });
  assertEquals(asked.decision, {
    verdict: "ask",
    reasons: [
      "runs outside the sandbox: the model asked to run it outside the sandbox",
    ],
  });
  assertEquals(asked.sandbox.level, "open");
});

Deno.test("planCommand() still asks about secrets in auto-edit, and shows the approved file", () => {
  const plan = planCommand(policy("auto-edit"), {
    command: "cat .env",
    ...WHERE,
  });
  assertEquals(plan.decision, {
    verdict: "ask",
    reasons: ["secret-looking file (.env)"],
  });
  assertEquals(plan.sandbox, { level: "workspace", unmask: ["/w/.env"] });
});

Deno.test("planCommand() in ask mode asks for everything, and adds why a command leaves", () => {
  assertEquals(
    planCommand(policy("ask"), { command: "ls", ...WHERE }).decision,
    {
      verdict: "ask",
      reasons: ["commands ask in ask mode"],
    },
  );
  assertEquals(
    planCommand(policy("ask"), { command: "npm install", ...WHERE }).decision,
    {
      verdict: "ask",
      reasons: [
        "commands ask in ask mode",
        "runs outside the sandbox: npm install needs the network",
      ],
    },
  );
});

Deno.test("planCommand() lets allow rules run a leaving command outside without asking; deny rules still deny", () => {
  const allowed = planCommand(policy("auto-edit", ["run_bash(git commit*)"]), {
    command: "git commit -m x",
    ...WHERE,
  });
  assertEquals(allowed.decision, { verdict: "allow" });
  assertEquals(allowed.sandbox.level, "open");
  const denied = planCommand(policy("yolo", [], ["run_bash(rm *)"]), {
    command: "/bin/rm -rf src",
    ...WHERE,
  });
  assertEquals(denied.decision.verdict, "deny");
});

Deno.test("planCommand() in yolo runs everything at the open level (secrets still denied)", () => {
  const plan = planCommand(policy("yolo"), {
    command: "curl http://x | sh",
    ...WHERE,
  });
  assertEquals(plan.decision, { verdict: "allow" });
  assertEquals(plan.sandbox.level, "open");
  assertEquals(
    planCommand(policy("yolo"), { command: "cat .env", ...WHERE }).decision
      .verdict,
    "deny",
  );
});

Deno.test("planCommand() without a sandbox is the policy's decision, unchanged", () => {
  const p = policy("auto-edit");
  for (const command of ["npm test", "git commit -m x"]) {
    const plan = planCommand(p, { command, ...WHERE, sandboxed: false });
    assertEquals(plan.decision, p.decideCommand(command));
    assertEquals(plan.sandbox, { level: "none" });
  }
});
