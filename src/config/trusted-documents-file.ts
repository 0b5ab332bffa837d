/** Trusted documents: the hash → document map the gateway will run, nothing else (--trusted-documents). */
export type TrustedDocuments = ReadonlyMap<string, string>;

/**
 * Parses a file of persisted documents: a JSON object mapping each id (usually a sha256 hash) to
 * its GraphQL document, as GraphQL Code Generator's client preset writes with
 * `persistedDocuments: true` (persisted-documents.json). Throws a one-line reason otherwise.
 */
export function parseTrustedDocuments(text: string): TrustedDocuments {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('is not valid JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('must be a JSON object of id → GraphQL document');
  const entries = Object.entries(json);
  if (entries.length === 0) throw new Error('holds no documents');
  for (const [id, document] of entries) {
    if (typeof document !== 'string' || document.trim() === '') throw new Error(`entry ${JSON.stringify(id)} is not a GraphQL document`);
  }
  return new Map(entries as [string, string][]);
}
