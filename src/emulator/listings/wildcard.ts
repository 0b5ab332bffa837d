/**
 * Wildcard patterns matched in time linear in the text, as a database's LIKE or a file system's
 * glob do: each literal piece is taken at its leftmost place after the previous one (leftmost is
 * never worse when a wildcard matches any run). A backtracking regex would take exponential time
 * on a text that almost matches a pattern with many wildcards.
 */
export function wildcardMatches(
  pieces: readonly string[],
  raw: string,
  options: { ignoreCase?: boolean; contains?: boolean } = {},
): boolean {
  const fold = (s: string) => (options.ignoreCase ? s.toLowerCase() : s);
  const text = fold(raw);
  // `contains`: the server wraps the pattern in %…%.
  const parts = options.contains ? ['', ...pieces.map(fold), ''] : pieces.map(fold);
  if (parts.length === 1) return text === parts[0];
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  for (const piece of parts.slice(1, -1)) {
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** A file glob: `*` never covers `/`, so the pattern's and the path's folders pair up one to one. */
export function globMatches(glob: string, path: string): boolean {
  const globParts = glob.split('/');
  const pathParts = path.split('/');
  return globParts.length === pathParts.length && globParts.every((part, i) => wildcardMatches(part.split('*'), pathParts[i]!));
}
