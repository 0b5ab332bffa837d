/**
 * The other catalog entries a file DELETE of `path` removes besides `path` itself. XNAT's
 * FileList.handleDelete matches entries with CatalogUtils.findCatEntriesWithinPath:
 * `key.equals(path) || key.startsWith(path)` (plus a regex for a trailing `*`, which paths.ts
 * never lets through), on the path as XNAT decoded it, which is the listed path.
 */
export function alsoDeleted(path: string, listed: readonly string[]): string[] {
  return listed.filter((other) => other !== path && other.startsWith(path)).sort();
}
