import { saveAll } from "./src/save.js";

const saved = [];
const store = {
  save: (record) =>
    new Promise((resolve) =>
      setTimeout(() => {
        saved.push(record.id);
        resolve();
      }, 5 * (4 - record.id))
    ),
};
const count = await saveAll(store, [{ id: 1 }, { id: 2 }, { id: 3 }]);
if (count !== 3) throw new Error(`saveAll returned ${count}, want 3`);
if (JSON.stringify(saved) !== "[1,2,3]") {
  throw new Error(
    `saved ${JSON.stringify(saved)} when saveAll resolved, want [1,2,3]`,
  );
}
console.log("ok");
