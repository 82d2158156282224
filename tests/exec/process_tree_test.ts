import { assert, assertEquals } from "../helpers/assert.ts";
import {
  findMarkedProcesses,
  killMarkedProcesses,
  killProcessGroup,
} from "../../src/exec/process_tree.ts";

Deno.test({
  name:
    "killMarkedProcesses() kills processes carrying the marker when they left the group",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const tag = crypto.randomUUID();
    const child = new Deno.Command("sleep", {
      args: ["1000"],
      env: { MARK: tag },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    assertEquals(await findMarkedProcesses(`MARK=${tag}`), [child.pid]);
    assertEquals(await findMarkedProcesses(`MARK=${tag}x`), []);
    assert(await killMarkedProcesses(`MARK=${tag}`) >= 1);
    const status = await child.status;
    assertEquals(status.signal, "SIGKILL");
    assertEquals(await findMarkedProcesses(`MARK=${tag}`), []);
  },
});

Deno.test({
  name: "killProcessGroup() kills every process of a detached group",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const child = new Deno.Command("bash", {
      args: ["-c", "sleep 1000 & sleep 1000"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    killProcessGroup(child.pid);
    const status = await child.status;
    assertEquals(status.signal, "SIGKILL");
    killProcessGroup(child.pid); // a gone group is not an error
  },
});
