import { calcTotal } from "./total.js";

/** An invoice line for the items. */
export function invoiceLine(items) {
  return `Total: ${calcTotal(items).toFixed(2)}`;
}
