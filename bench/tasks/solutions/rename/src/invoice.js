import { computeTotal } from "./total.js";

/** An invoice line for the items. */
export function invoiceLine(items) {
  return `Total: ${computeTotal(items).toFixed(2)}`;
}
