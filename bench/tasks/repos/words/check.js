import { wordFrequencies } from "./src/words.js";

const got = wordFrequencies("The cat and the hat. THE end; a cat's hat!");
const want = [["the", 3], ["hat", 2], ["a", 1], ["and", 1], ["cat", 1], [
  "cat's",
  1,
], ["end", 1]];
if (JSON.stringify(got) !== JSON.stringify(want)) {
  throw new Error(`got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
if (wordFrequencies("  ").length !== 0) {
  throw new Error("no words should give []");
}
console.log("ok");
