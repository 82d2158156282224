import { deepMerge } from "./src/merge.js";

const defaults = { server: { port: 80, tls: { on: false } }, tags: ["a"] };
const before = JSON.stringify(defaults);
const override = { server: { tls: { on: true } }, tags: ["b"] };
const merged = deepMerge(defaults, override);
const want = { server: { port: 80, tls: { on: true } }, tags: ["b"] };
if (JSON.stringify(merged) !== JSON.stringify(want)) {
  throw new Error(`merged is ${JSON.stringify(merged)}`);
}
if (JSON.stringify(defaults) !== before) {
  throw new Error("deepMerge changed its base argument");
}
merged.server.port = 1;
merged.tags.push("c");
if (defaults.server.port !== 80 || override.tags.length !== 1) {
  throw new Error("the result shares objects with its arguments");
}
console.log("ok");
