import { computeTotal } from "./src/total.js";
import { cartTotal } from "./src/cart.js";
import { invoiceLine } from "./src/invoice.js";

const items = [{ price: 2.5, quantity: 4 }, { price: 1, quantity: 3 }];
if (computeTotal(items) !== 13) throw new Error("computeTotal is wrong");
if (Math.abs(cartTotal({ items }, 0.1) - 14.3) > 1e-9) {
  throw new Error("cartTotal is wrong");
}
if (invoiceLine(items) !== "Total: 13.00") {
  throw new Error("invoiceLine is wrong");
}
for (const file of ["total.js", "cart.js", "invoice.js"]) {
  if (Deno.readTextFileSync(`src/${file}`).includes("calcTotal")) {
    throw new Error(`src/${file} still mentions calcTotal`);
  }
}
console.log("ok");
