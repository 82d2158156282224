import { slugify } from "./src/slugify.js";

const cases = {
  "Hello, World!": "hello-world",
  "  Crème Brûlée  ": "creme-brulee",
  "C++ & Rust: 2024 edition": "c-rust-2024-edition",
  "---already-slugged---": "already-slugged",
  "Ünïcödé": "unicode",
};
for (const [title, want] of Object.entries(cases)) {
  const got = slugify(title);
  if (got !== want) {
    throw new Error(
      `slugify(${JSON.stringify(title)}) is ${JSON.stringify(got)}, want ${
        JSON.stringify(want)
      }`,
    );
  }
}
console.log("ok");
