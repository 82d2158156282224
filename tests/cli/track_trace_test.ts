import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { loadConfig } from "../../src/config/load.ts";
import { parseConfigJson } from "../../src/program/config_json.ts";

async function sessionRecords(
  home: string,
): Promise<Record<string, unknown>[]> {
  const dir = `${home}/.local/share/nanocode/sessions`;
  const [file] = [...Deno.readDirSync(dir)].map((e) => e.name);
  return (await Deno.readTextFile(`${dir}/${file}`)).trim().split("\n").map(
    (line) => JSON.parse(line),
  );
}

const BIG = "x".repeat(9000);

function script() {
  return routeByModel(
    [
      cell("const text = read_file('big.txt')\nprint(llm_query('Say hi'))"),
      cell("SUBMIT('done')"),
    ],
    () => ({ text: "hi there" }),
  );
}

Deno.test("loadConfig() accepts track_trace from flags, environment and config files, and the original's config.json keeps it", async () => {
  await using dir = await tempDir({ "c.json": '{"track_trace": true}' });
  assertEquals((await loadConfig({})).config.track_trace, false);
  assertEquals(
    (await loadConfig({ configFile: dir.file("c.json") })).config.track_trace,
    true,
  );
  assertEquals(
    (await loadConfig({
      env: (n) => n === "NANOCODE_TRACK_TRACE" ? "1" : undefined,
    })).config.track_trace,
    true,
  );
  assertEquals(
    (await loadConfig({ flags: { track_trace: true } })).config.track_trace,
    true,
  );
  const original = parseConfigJson({
    model: null,
    verbose: true,
    track_usage: true,
    track_trace: true,
  }, "config.json");
  assertEquals(original.track_trace, true);
});

Deno.test("nanocode --track-trace writes whole tool results and the sub-model's queries to the session file", async () => {
  await using dir = await tempDir({ "big.txt": BIG });
  await using home = await tempDir();
  await using server = await startLmServer(script());
  const run = await runCli(["--track-trace", "-y", "read it"], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.code, 0, run.stderr);
  const records = await sessionRecords(home.path);
  const result = records.find((r) => r.type === "tool_result")!;
  assertEquals(result.output, `   1| ${BIG}`);
  const call = records.find((r) => r.type === "sub_lm_call")!;
  assertEquals(call.prompts, ["Say hi"]);
  const answer = records.find((r) => r.type === "sub_lm_result")!;
  assertEquals(answer.answers, ["hi there"]);

  // Without it the session keeps a shortened result and no sub-model records.
  await using home2 = await tempDir();
  await using server2 = await startLmServer(script());
  const plain = await runCli(["-y", "read it"], {
    cwd: dir.path,
    home: home2.path,
    env: lmEnv(server2.url),
  });
  assertEquals(plain.code, 0, plain.stderr);
  const shortened = await sessionRecords(home2.path);
  const clipped = shortened.find((r) => r.type === "tool_result")!;
  assert((clipped.output as string).length < 4100);
  assert(!shortened.some((r) => r.type === "sub_lm_call"));
});

/** An OTLP/HTTP collector taking JSON on 127.0.0.1, keeping the spans it gets. */
function startCollector() {
  const spans: {
    name: string;
    spanId: string;
    parentSpanId: string;
    attributes: { key: string; value: Record<string, unknown> }[];
  }[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const body = await request.json();
      if (new URL(request.url).pathname === "/v1/traces") {
        for (const resource of body.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            spans.push(...scope.spans);
          }
        }
      }
      return Response.json({});
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    spans,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

function attribute(
  span: { attributes: { key: string; value: Record<string, unknown> }[] },
  key: string,
): unknown {
  const found = span.attributes.find((a) => a.key === key)?.value;
  return found && Object.values(found)[0];
}

Deno.test("nanocode with track_trace exports the turn as OpenTelemetry spans when OTEL_DENO=true", async () => {
  await using dir = await tempDir({ "big.txt": BIG });
  await using server = await startLmServer(script());
  await using collector = startCollector();
  const run = await runCli(["-y", "read it"], {
    cwd: dir.path,
    env: lmEnv(server.url, {
      NANOCODE_TRACK_TRACE: "true",
      OTEL_DENO: "true",
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_SERVICE_NAME: "nanocode-test",
    }),
  });
  assertEquals(run.code, 0, run.stderr);
  const named = (name: string) =>
    collector.spans.filter((s) => s.name === name);
  const [turn] = named("nanocode.turn");
  assert(turn, `spans: ${collector.spans.map((s) => s.name).join(", ")}`);
  assertEquals(attribute(turn, "nanocode.task"), "read it");
  assertEquals(attribute(turn, "nanocode.answer"), "done");
  const steps = named("nanocode.step");
  assertEquals(steps.length, 2);
  for (const step of steps) assertEquals(step.parentSpanId, turn.spanId);
  assertStringIncludes(
    String(attribute(steps[0], "nanocode.code")),
    "read_file('big.txt')",
  );
  assertEquals(attribute(steps[0], "nanocode.observation"), "hi there");
  const chats = named("chat openai/main-model");
  assertEquals(chats.length, 2);
  assertEquals(chats[0].parentSpanId, steps[0].spanId);
  const [tool] = named("execute_tool read_file");
  assertEquals(tool.parentSpanId, steps[0].spanId);
  assertEquals(attribute(tool, "nanocode.tool.args"), '["big.txt"]');
  const [query] = named("nanocode.llm_query");
  assertEquals(query.parentSpanId, steps[0].spanId);
  assertEquals(attribute(query, "nanocode.answer"), "hi there");
});
