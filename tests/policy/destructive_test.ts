import { assertEquals } from "../helpers/assert.ts";
import { destructiveReason } from "../../src/policy/destructive.ts";

Deno.test("destructiveReason() tags forced and recursive deletes, git clean, reset --hard and forced pushes", () => {
  const tagged = [
    "rm -rf build",
    "rm -fr build",
    "sudo rm -r /tmp/x",
    "rm --recursive --force dist",
    "cd app && rm -rf node_modules",
    "git clean -fdx",
    "git reset --hard HEAD~1",
    "git push --force origin main",
    "git push -f",
    "git push origin +main",
    "git push --force-with-lease",
    "git checkout -- .",
    "git branch -D feature",
    "find . -name '*.log' -delete",
    "dd if=/dev/zero of=/dev/sda",
    "mkfs.ext4 /dev/sdb1",
  ];
  for (const command of tagged) {
    const reason = destructiveReason(command);
    if (reason === null) throw new Error(`not tagged: ${command}`);
  }
  assertEquals(
    destructiveReason("git reset --hard"),
    "git reset --hard: discards uncommitted changes",
  );
});

Deno.test("destructiveReason() leaves everyday commands alone", () => {
  for (
    const command of [
      "npm test",
      "git status",
      "git push origin main",
      "git reset HEAD a.ts",
      "rm notes.txt",
      "echo rm -rf x",
      "grep -rf patterns.txt .",
      "git clean -n",
    ]
  ) {
    assertEquals(destructiveReason(command), null, command);
  }
});
