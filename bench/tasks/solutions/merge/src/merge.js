/** Merges override into a copy of base, recursively for plain objects. */
export function deepMerge(base, override) {
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    out[key] = isPlain(value) && isPlain(out[key])
      ? deepMerge(out[key], value)
      : structuredClone(value);
  }
  return out;
}

function isPlain(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
