/** Merges override into base, recursively for plain objects. */
export function deepMerge(base, override) {
  for (const [key, value] of Object.entries(override)) {
    if (isPlain(value) && isPlain(base[key])) deepMerge(base[key], value);
    else base[key] = value;
  }
  return base;
}

function isPlain(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
