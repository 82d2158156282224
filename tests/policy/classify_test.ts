import { assertEquals } from "../helpers/assert.ts";
import {
  classifyPath,
  isWithin,
  secretGlobReason,
  secretReason,
} from "../../src/policy/classify.ts";

const options = {
  roots: ["/w", "/extra/"],
  home: "/home/u",
  protectedDirs: ["/home/u/.config/nanocode", "/home/u/.local/share/nanocode"],
};

Deno.test("classifyPath() is inside for a root and paths below it", () => {
  assertEquals(classifyPath("/w", ".", options), { inside: true });
  assertEquals(classifyPath("/w/src/a.ts", "src/a.ts", options), {
    inside: true,
  });
  assertEquals(classifyPath("/extra/x", "/extra/x", options).inside, true);
  assertEquals(classifyPath("/extra", "/extra", options).inside, true);
});

Deno.test("classifyPath() is outside for siblings that share a prefix", () => {
  assertEquals(classifyPath("/work/a", "/work/a", options), { inside: false });
  assertEquals(classifyPath("/", "/", options).inside, false);
  assertEquals(classifyPath("/extras/b", "/extras/b", options).inside, false);
});

Deno.test("isWithin() treats / as containing every absolute path", () => {
  assertEquals(isWithin("/anything", "/"), true);
  assertEquals(isWithin("/wx", "/w"), false);
  assertEquals(isWithin("relative", "/"), false);
  assertEquals(isWithin("/w/a", "/w/"), true);
});

Deno.test("classifyPath() flags .env files but not examples", () => {
  const secret = (name: string) => classifyPath(`/w/${name}`, name, options);
  assertEquals(secret(".env").secret, "secret-looking file (.env)");
  assertEquals(
    secret("sub/.env.local").secret,
    "secret-looking file (.env.local)",
  );
  assertEquals(
    secret(".env.production").secret,
    "secret-looking file (.env.production)",
  );
  assertEquals(secret(".envrc").secret, "secret-looking file (.envrc)");
  for (
    const name of [".env.example", ".env.sample", ".env.template", ".env.dist"]
  ) {
    assertEquals(secret(name), { inside: true }, name);
  }
  assertEquals(secret("env"), { inside: true });
  assertEquals(secret("x.env"), { inside: true });
  assertEquals(secret(".ENV"), { inside: true }, "case-sensitive");
});

Deno.test("classifyPath() flags keys and credential files anywhere", () => {
  for (
    const name of [
      "id_rsa",
      "id_rsa.pub",
      "keys/id_ed25519",
      "id_ecdsa_sk",
      "cert.pem",
      "a/b.p12",
      "c.pfx",
      ".npmrc",
      ".yarnrc.yml",
      ".pypirc",
      ".netrc",
      ".git-credentials",
    ]
  ) {
    const c = classifyPath(`/w/${name}`, name, options);
    assertEquals(
      c.secret,
      `secret-looking file (${name.slice(name.lastIndexOf("/") + 1)})`,
      name,
    );
  }
  assertEquals(classifyPath("/w/pem", "pem", options).secret, undefined);
  assertEquals(classifyPath("/w/.pem", ".pem", options).secret, undefined);
  assertEquals(
    classifyPath("/w/.yarnrc", ".yarnrc", options).secret,
    undefined,
  );
});

Deno.test("classifyPath() flags cloud and tool credentials under home", () => {
  const cases: [string, string][] = [
    ["/home/u/.ssh", "~/.ssh"],
    ["/home/u/.ssh/config", "~/.ssh"],
    ["/home/u/.ssh/known_hosts", "~/.ssh"],
    ["/home/u/.aws/credentials", "~/.aws"],
    ["/home/u/.azure/x/y.json", "~/.azure"],
    [
      "/home/u/.config/gcloud/application_default_credentials.json",
      "~/.config/gcloud",
    ],
    ["/home/u/.kube/config", "~/.kube/config"],
    ["/home/u/.docker/config.json", "~/.docker/config.json"],
    ["/home/u/.config/gh/hosts.yml", "~/.config/gh/hosts.yml"],
    ["/home/u/.gnupg/private-keys-v1.d/k", "~/.gnupg"],
  ];
  for (const [path, why] of cases) {
    assertEquals(
      classifyPath(path, path, options).secret,
      `secret-looking file (${why})`,
      path,
    );
  }
  assertEquals(
    classifyPath("/home/u/.kube/cache", "x", options).secret,
    undefined,
  );
  assertEquals(
    classifyPath("/home/u/.docker/other.json", "x", options).secret,
    undefined,
  );
  assertEquals(classifyPath("/home/u/.sshx", "x", options).secret, undefined);
  assertEquals(classifyPath("/w/.ssh/config", "x", options).secret, undefined);
});

Deno.test("classifyPath() flags .git/config and .git/hooks in any folder", () => {
  assertEquals(
    classifyPath("/w/.git/config", ".git/config", options).secret,
    "protected file (.git/config)",
  );
  assertEquals(
    classifyPath("/w/vendor/lib/.git/config", "x", options).secret,
    "protected file (.git/config)",
  );
  assertEquals(
    classifyPath("/w/.git/hooks/pre-commit", "x", options).secret,
    "protected file (.git/hooks)",
  );
  assertEquals(
    classifyPath("/w/.git/hooks", "x", options).secret,
    "protected file (.git/hooks)",
  );
  assertEquals(classifyPath("/w/.git/HEAD", "x", options).secret, undefined);
  assertEquals(
    classifyPath("/w/.git/config.d/x", "x", options).secret,
    undefined,
  );
  assertEquals(classifyPath("/w/src/config", "x", options).secret, undefined);
});

Deno.test("classifyPath() flags nanocode's own folders", () => {
  assertEquals(
    classifyPath("/home/u/.config/nanocode/config.json", "x", options).secret,
    "nanocode's own files (/home/u/.config/nanocode)",
  );
  assertEquals(
    classifyPath("/home/u/.local/share/nanocode", "x", options).secret,
    "nanocode's own files (/home/u/.local/share/nanocode)",
  );
  assertEquals(
    classifyPath("/home/u/.config/nanocodex", "x", options).secret,
    undefined,
  );
});

Deno.test("classifyPath() checks the given path as well as the real one", () => {
  const c = classifyPath("/w/store/blob", "link-to/.env", options);
  assertEquals(c, { inside: true, secret: "secret-looking file (.env)" });
  const home = classifyPath("/mnt/u/keys/k", "~/.ssh/k", options);
  assertEquals(home, { inside: false, secret: "secret-looking file (~/.ssh)" });
});

Deno.test("secretReason() expands ~ and ignores relative home-like paths", () => {
  const o = { home: "/home/u/", protectedDirs: [] };
  assertEquals(
    secretReason("~/.aws/config", o),
    "secret-looking file (~/.aws)",
  );
  assertEquals(secretReason(".aws/config", o), undefined);
});

Deno.test("secretGlobReason() flags globs that can expand to secret names", () => {
  assertEquals(secretGlobReason(".env*"), "secret-looking file (.env*)");
  assertEquals(
    secretGlobReason("conf/*.pem"),
    "secret-looking file (conf/*.pem)",
  );
  assertEquals(secretGlobReason("id_*"), "secret-looking file (id_*)");
  assertEquals(secretGlobReason(".e?v"), "secret-looking file (.e?v)");
  assertEquals(secretGlobReason("[.]env"), "secret-looking file ([.]env)");
  assertEquals(secretGlobReason("*.ts"), undefined);
  assertEquals(secretGlobReason("*env"), undefined, "* skips a leading dot");
  assertEquals(secretGlobReason("*"), undefined);
  assertEquals(secretGlobReason(".env"), undefined, "not a glob");
});
