/** A URL slug for a title. */
export function slugify(title) {
  return title.toLowerCase().replaceAll(" ", "-");
}
