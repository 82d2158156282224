/** Saves the records one after another, in order. */
export async function saveAll(store, records) {
  for (const record of records) {
    store.save(record);
  }
  return records.length;
}
