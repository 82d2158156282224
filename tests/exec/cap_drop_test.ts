import { assert, assertEquals } from "../helpers/assert.ts";
import { findExecutable } from "../../src/tools/context.ts";
import {
  capsToDrop,
  commandCapDrop,
  MEMORY_CAPS,
} from "../../src/exec/cap_drop.ts";

/** A /proc/self/status text with these sets. */
function status(effective: bigint, bounding: bigint): string {
  const hex = (n: bigint) => n.toString(16).padStart(16, "0");
  return `Name:\tdeno\nCapInh:\t0000000000000000\nCapPrm:\t${
    hex(effective)
  }\nCapEff:\t${hex(effective)}\nCapBnd:\t${
    hex(bounding)
  }\nCapAmb:\t0000000000000000\n`;
}

const ALL = (1n << 41n) - 1n;
/** What Docker gives root in a container by default (no ptrace, admin, perfmon, ...). */
const DOCKER = 0x00000000a80425fbn;
const ROOT = Deno.build.os === "linux" && Deno.uid() === 0;
const SETPRIV = findExecutable("setpriv");

Deno.test("capsToDrop() names every memory-reading capability root holds", () => {
  assertEquals(capsToDrop(status(ALL, ALL)), Object.keys(MEMORY_CAPS));
  // The machine these tests were written on: all but CAP_SYS_RESOURCE.
  assertEquals(
    capsToDrop(status(0x1fffeffffffn, 0x1fffeffffffn)),
    Object.keys(MEMORY_CAPS),
  );
});

Deno.test("capsToDrop() drops nothing for an ordinary user or a Docker default root", () => {
  assertEquals(capsToDrop(status(0n, ALL)), []);
  assertEquals(capsToDrop(status(DOCKER, DOCKER)), []);
  assertEquals(capsToDrop("Name:\tdeno\n"), []);
});

Deno.test("commandCapDrop() starts commands through setpriv once it has checked it works", async () => {
  const ran: string[][] = [];
  const drop = await commandCapDrop({
    sealed: () => true,
    status: () => status(ALL, ALL),
    setpriv: () => "/usr/bin/setpriv",
    works: (argv) => {
      ran.push(argv);
      return Promise.resolve(true);
    },
  });
  const list = "-sys_module,-sys_rawio,-sys_ptrace,-sys_admin,-perfmon,-bpf";
  const prefix = [
    "/usr/bin/setpriv",
    "--bounding-set",
    list,
    "--inh-caps",
    list,
    "--",
  ];
  assertEquals(drop, { prefix, dropped: Object.keys(MEMORY_CAPS) });
  assertEquals(ran, [[...prefix, "true"]]);
});

Deno.test("commandCapDrop() starts commands as they are, saying why, when it cannot or need not drop", async () => {
  const base = {
    sealed: () => true,
    status: () => status(ALL, ALL),
    setpriv: () => "/usr/bin/setpriv",
    works: () => Promise.resolve(true),
  };
  assertEquals(await commandCapDrop({ ...base, sealed: () => false }), {
    prefix: [],
    reason: "the agent is not sealed",
  });
  assertEquals(
    await commandCapDrop({ ...base, status: () => status(0n, ALL) }),
    { prefix: [], reason: "commands get none of these capabilities" },
  );
  assertEquals(await commandCapDrop({ ...base, setpriv: () => null }), {
    prefix: [],
    reason: "setpriv is not installed (Debian/Ubuntu: util-linux)",
  });
  const refused = await commandCapDrop({
    ...base,
    works: () => Promise.resolve(false),
  });
  assertEquals(refused.prefix, []);
  assert("reason" in refused && refused.reason.includes("could not drop"));
  assertEquals(
    await commandCapDrop({
      ...base,
      status: () => {
        throw new Deno.errors.NotFound("/proc/self/status");
      },
    }),
    { prefix: [], reason: "there is no /proc/self/status to read" },
  );
});

Deno.test({
  name:
    "commandCapDrop() as root: the command loses only the memory-reading capabilities, and cannot regain them",
  ignore: !ROOT || !SETPRIV,
  fn: async () => {
    const drop = await commandCapDrop({ sealed: () => true });
    assert(drop.prefix.length > 0, JSON.stringify(drop));
    const [program, ...args] = [
      ...drop.prefix,
      "bash",
      "-c",
      "grep -E '^Cap(Eff|Bnd|Inh|Amb)' /proc/self/status",
    ];
    const out = await new Deno.Command(program, { args }).output();
    const text = new TextDecoder().decode(out.stdout);
    const field = (name: string) =>
      BigInt(`0x${new RegExp(`${name}:\\s*(\\w+)`).exec(text)![1]}`);
    const own = Deno.readTextFileSync("/proc/self/status");
    const ownEffective = BigInt(`0x${/CapEff:\s*(\w+)/.exec(own)![1]}`);
    let gone = 0n;
    for (const bit of Object.values(MEMORY_CAPS)) gone |= 1n << BigInt(bit);
    // Everything else root had (chown, dac_override, net_admin, ...) stays.
    assertEquals(field("CapEff"), ownEffective & ~gone);
    assertEquals(field("CapBnd") & gone, 0n);
    assertEquals(field("CapInh") & gone, 0n);
    assertEquals(field("CapAmb") & gone, 0n);
  },
});
