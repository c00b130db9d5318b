/** A name for a folder from a title or a file name: lower case, words joined by dashes, at most `max` characters. */
export function slugOf(text: string, fallback: string, max = 40): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, max) || fallback
  );
}
