import { LruCache } from "./src/lru.js";

const cache = new LruCache(2);
cache.set("a", 1);
cache.set("b", 2);
if (cache.get("a") !== 1) throw new Error("get(a) should be 1");
cache.set("c", 3); // evicts b, the least recently used
if (cache.get("b") !== undefined) throw new Error("b should have been evicted");
if (cache.get("a") !== 1 || cache.get("c") !== 3) {
  throw new Error("a and c should stay");
}
cache.set("a", 10); // update keeps the size
if (cache.size !== 2) throw new Error(`size should be 2, is ${cache.size}`);
cache.set("d", 4); // evicts c
if (cache.get("c") !== undefined || cache.get("a") !== 10) {
  throw new Error("c should go, a stay with 10");
}
console.log("ok");
