import { toRoman } from "./src/roman.js";

const cases = {
  1: "I",
  4: "IV",
  9: "IX",
  14: "XIV",
  40: "XL",
  90: "XC",
  400: "CD",
  1994: "MCMXCIV",
  2024: "MMXXIV",
  3999: "MMMCMXCIX",
};
for (const [n, want] of Object.entries(cases)) {
  const got = toRoman(Number(n));
  if (got !== want) throw new Error(`toRoman(${n}) is ${got}, want ${want}`);
}
for (const bad of [0, 4000, 2.5, -1]) {
  let threw = false;
  try {
    toRoman(bad);
  } catch (error) {
    threw = error instanceof RangeError;
  }
  if (!threw) throw new Error(`toRoman(${bad}) should throw a RangeError`);
}
console.log("ok");
