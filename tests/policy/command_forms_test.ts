import { assertEquals } from "../helpers/assert.ts";
import { commandForms, programWords } from "../../src/policy/command_forms.ts";
import { Policy } from "../../src/policy/policy.ts";

Deno.test("programWords() drops assignments, wrappers, the program's folder and quoting", () => {
  const cases: [string, string[]][] = [
    ["/bin/rm -rf x", ["rm", "-rf", "x"]],
    ["\\rm x", ["rm", "x"]],
    ["'rm' x", ["rm", "x"]],
    ["command rm x", ["rm", "x"]],
    ["LC_ALL=C env -i A=1 nice -n 5 rm x", ["rm", "x"]],
    ["sudo -u bob timeout -s KILL 5 /usr/bin/rm x", ["rm", "x"]],
    ["xargs -n 1 rm", ["rm"]],
    ["ls", ["ls"]],
    ["A=1", []],
  ];
  for (const [segment, words] of cases) {
    assertEquals(programWords(segment), words, segment);
  }
});

Deno.test("commandForms() follows sh -c, eval and find -exec into the commands they run", () => {
  assertEquals(commandForms("bash -c 'ls; /bin/rm -f a'"), [
    "bash -c ls; /bin/rm -f a",
    "ls",
    "rm -f a",
  ]);
  assertEquals(commandForms("eval rm x"), ["eval rm x", "rm x"]);
  assertEquals(commandForms("find . -name '*.o' -exec rm {} \\;"), [
    "find . -name *.o -exec rm {} ;",
    "rm {}",
  ]);
});

Deno.test("Policy.decideCommand() applies a deny rule to every spelling of the program", () => {
  const policy = new Policy({
    roots: ["/w"],
    home: "/h",
    protectedDirs: [],
    mode: "yolo",
    deny: ["run_bash(rm *)"],
  });
  for (
    const command of [
      "rm a",
      "/bin/rm a",
      "\\rm a",
      "command rm a",
      "env rm a",
      "ls | xargs rm",
      "find . -exec /bin/rm {} +",
      "sh -c 'rm a'",
      "sudo rm a",
    ]
  ) {
    assertEquals(policy.decideCommand(command).verdict, "deny", command);
  }
  assertEquals(policy.decideCommand("echo rm a").verdict, "allow");
  assertEquals(policy.decideCommand("git rm a").verdict, "allow");
});
