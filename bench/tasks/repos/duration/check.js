import { formatDuration } from "./src/duration.js";

const cases = {
  0: "0s",
  45: "45s",
  59.9: "59s",
  60: "1m 00s",
  125: "2m 05s",
  3600: "1h 00m 00s",
  3723: "1h 02m 03s",
  90061: "25h 01m 01s",
};
for (const [n, want] of Object.entries(cases)) {
  const got = formatDuration(Number(n));
  if (got !== want) {
    throw new Error(
      `formatDuration(${n}) is ${JSON.stringify(got)}, want ${
        JSON.stringify(want)
      }`,
    );
  }
}
console.log("ok");
