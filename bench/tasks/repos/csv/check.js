import { parseCsvLine } from "./src/csv.js";

const cases = [
  ["a,b,c", ["a", "b", "c"]],
  ['"x, y",z', ["x, y", "z"]],
  ['"she said ""hi""",2', ['she said "hi"', "2"]],
  ["a,,c", ["a", "", "c"]],
  ['"",x', ["", "x"]],
  ["", [""]],
];
for (const [line, want] of cases) {
  const got = parseCsvLine(line);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(
      `parseCsvLine(${JSON.stringify(line)}) is ${JSON.stringify(got)}, want ${
        JSON.stringify(want)
      }`,
    );
  }
}
console.log("ok");
