/**
 * The assertions the tool tests use: the shared ones, with `assertRejects`
 * checking the exact message.
 *
 * @module
 */

export {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
export { assertRejectsExactly as assertRejects } from "../helpers/assert.ts";
