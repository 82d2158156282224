import { range } from "./src/range.js";

const cases = [
  [[0, 5], [0, 1, 2, 3, 4]],
  [[2, 9, 3], [2, 5, 8]],
  [[5, 0, -2], [5, 3, 1]],
  [[3, 3], []],
];
for (const [args, want] of cases) {
  const got = range(...args);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(
      `range(${args}) is ${JSON.stringify(got)}, want ${JSON.stringify(want)}`,
    );
  }
}
console.log("ok");
