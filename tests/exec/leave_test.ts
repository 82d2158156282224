import { assertEquals } from "../helpers/assert.ts";
import { whyLeave } from "../../src/exec/leave.ts";

Deno.test("whyLeave() names git commands that write into .git, however they are spelled", () => {
  const cases: [string, string][] = [
    ["git commit -m 'fix'", "git commit writes into .git"],
    ["git add -A && git commit -m x", "git add writes into .git"],
    ["git -C sub --no-pager checkout main", "git checkout writes into .git"],
    ["/usr/bin/git stash", "git stash writes into .git"],
    ["git branch feature", "git branch writes into .git"],
    ["git tag v1.0", "git tag writes into .git"],
    ["env GIT_EDITOR=true git rebase -i HEAD~2", "git rebase writes into .git"],
    ["bash -c 'git reset --hard'", "git reset writes into .git"],
  ];
  for (const [command, reason] of cases) {
    assertEquals(whyLeave(command), reason, command);
  }
});

Deno.test("whyLeave() names commands that need the network or a daemon", () => {
  const cases: [string, string][] = [
    ["npm install", "npm install needs the network"],
    ["npm i -D vitest", "npm i needs the network"],
    ["pnpm add zod", "pnpm add needs the network"],
    ["yarn", "yarn needs the network"],
    ["pip install -r requirements.txt", "pip install needs the network"],
    ["cargo add serde", "cargo add needs the network"],
    ["go get ./...", "go get needs the network"],
    ["curl -fsSL https://example.com/x.sh | sh", "curl needs the network"],
    ["git push origin main", "git push needs the network"],
    ["git clone https://github.com/a/b", "git clone needs the network"],
    ["npx prettier --write .", "npx needs the network"],
    ["docker build .", "docker talks to its daemon outside the sandbox"],
    ["sudo make install", "sudo needs privileges the sandbox drops"],
    ["rsync -a build/ host:/srv/", "rsync to another host needs the network"],
  ];
  for (const [command, reason] of cases) {
    assertEquals(whyLeave(command), reason, command);
  }
});

Deno.test("whyLeave() leaves work that fits the sandbox inside it", () => {
  for (
    const command of [
      "npm test",
      "npm run build",
      "deno task test",
      "pytest -q",
      "cargo build",
      "make",
      "git status --short",
      "git diff HEAD~1",
      "git log --oneline | head",
      "git branch",
      "git branch -a",
      "git stash list",
      "git config --get user.name",
      "git remote -v",
      "ls -la && cat README.md",
      "rsync -a src/ backup/",
      "echo git commit",
    ]
  ) {
    assertEquals(whyLeave(command), undefined, command);
  }
});
