import { fizzbuzz } from "./src/fizzbuzz.js";

const got = JSON.stringify(fizzbuzz(15));
const want = JSON.stringify([
  "1",
  "2",
  "Fizz",
  "4",
  "Buzz",
  "Fizz",
  "7",
  "8",
  "Fizz",
  "Buzz",
  "11",
  "Fizz",
  "13",
  "14",
  "FizzBuzz",
]);
if (got !== want) throw new Error(`fizzbuzz(15) is ${got}, want ${want}`);
if (fizzbuzz(0).length !== 0) throw new Error("fizzbuzz(0) should be []");
console.log("ok");
