/** The fields of one CSV line. */
export function parseCsvLine(line) {
  return line.split(",");
}
