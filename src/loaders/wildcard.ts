/**
 * `*` wildcards matched in time linear in the text: the pattern splits at `*` into literal pieces,
 * the first must start the text, the last must end it, and each one between is taken at its
 * leftmost place after the previous one (leftmost is never worse for `*`). A backtracking regex
 * (`.*` per `*`) takes time exponential in the number of stars on a text that almost matches.
 */
export function wildcardMatcher(pattern: string, options: { ignoreCase?: boolean } = {}): (text: string) => boolean {
  const fold = options.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const pieces = fold(pattern).split('*');
  if (pieces.length === 1) return (text) => fold(text) === pieces[0];
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  return (raw) => {
    const text = fold(raw);
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
    let at = first.length;
    const end = text.length - last.length;
    for (const piece of middle) {
      const found = text.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}
