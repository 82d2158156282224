import { calcTotal } from "./total.js";

/** The cart's total with tax. */
export function cartTotal(cart, taxRate) {
  return calcTotal(cart.items) * (1 + taxRate);
}
