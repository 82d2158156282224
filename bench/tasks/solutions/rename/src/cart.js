import { computeTotal } from "./total.js";

/** The cart's total with tax. */
export function cartTotal(cart, taxRate) {
  return computeTotal(cart.items) * (1 + taxRate);
}
