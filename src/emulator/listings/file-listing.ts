import type { ResourceRecord } from '../model.js';
import { HttpError } from '../responses.js';
import type { Query } from '../query.js';
import { ownerPath, type OwnedResource } from '../resources.js';
import type { Owner } from '../owners.js';
import type { Archive, StoredFile } from '../store.js';
import { sortRows, type Table } from './table.js';
import { globMatches } from './wildcard.js';

export interface SelectedFile {
  owner: Owner;
  resource: ResourceRecord;
  file: StoredFile;
}

const COLUMNS = ['Name', 'Size', 'URI', 'collection', 'file_tags', 'file_format', 'file_content', 'cat_ID', 'digest'];

/**
 * Which stored paths a `…/files/{path}` selects: everything, a folder (`sub/`, optionally not
 * recursive), a glob (`prefix*`), or a file path and everything beneath it as a folder.
 */
export function pathMatcher(filePath: string | undefined, recursive: boolean): (path: string) => boolean {
  if (!filePath) return () => true;
  if (filePath.endsWith('/')) {
    return (p) => p.startsWith(filePath) && (recursive || !p.slice(filePath.length).includes('/'));
  }
  if (filePath.includes('*')) {
    return (p) => globMatches(filePath, p);
  }
  return (p) => p === filePath || p.startsWith(`${filePath}/`);
}

/**
 * Which stored paths a file DELETE removes: CatalogUtils.findCatEntriesWithinPath keeps every
 * catalog entry whose relative path equals or merely string-starts-with the given path (so `IM1`
 * takes `IM10` and `IM1.bak`), plus, for a trailing `*`, a Java `String.matches` of the path with
 * that `*` turned into `.*` (the rest of the path is used as a regex unescaped). An empty path
 * (`…/files`) starts every path.
 */
export function deleteMatcher(filePath: string | undefined): (path: string) => boolean {
  const prefix = filePath ?? '';
  let regex: RegExp | undefined;
  if (prefix.endsWith('*')) {
    try {
      regex = new RegExp(`^(?:${prefix.replace(/\*$/, '.*')})$`, 's');
    } catch {
      throw new HttpError(500, 'Invalid file path pattern');
    }
  }
  return (p) => p === prefix || p.startsWith(prefix) || regex?.test(p) === true;
}

/** `file_format=` / `file_content=` filters (repeatable; NULL matches an empty value). */
function attributeFilter(query: Query, name: string): (value: string) => boolean {
  const wanted = query.all(name);
  if (wanted.length === 0) return () => true;
  return (value) => wanted.some((w) => w === value || (w === 'NULL' && value === ''));
}

export function selectFiles(archive: Archive, resources: OwnedResource[], query: Query, filePath: string | undefined): SelectedFile[] {
  const matchPath = pathMatcher(filePath, query.get('recursive') !== 'false');
  const format = attributeFilter(query, 'file_format');
  const content = attributeFilter(query, 'file_content');
  return resources.flatMap(({ owner, resource }) =>
    archive
      .filesOf(resource.dbId)
      .filter((file) => matchPath(file.path) && format(file.format) && content(file.content))
      .map((file) => ({ owner, resource, file })),
  );
}

/**
 * The file's URI as FileList writes it: the `resource_path` XNATTemplate.loadCatalogs builds in
 * SQL (owner normalised to IDs, numeric resource id, no `/data` prefix, whether one resource or
 * many was asked for), then `/files/` and the catalog entry's relative path, not percent-encoded.
 */
export function fileUri(selected: SelectedFile): string {
  return `${ownerPath(selected.owner)}/resources/${selected.resource.dbId}/files/${selected.file.path}`;
}

/** FileList: fixed columns, JSON `Columns` meta, title "Files", no totalRecords. */
export function filesTable(files: SelectedFile[], query: Query): Table {
  const rows = files.map((selected) => {
    const { file, resource } = selected;
    return {
      Name: file.path.split('/').pop() ?? file.path,
      Size: String(file.size),
      URI: fileUri(selected),
      collection: resource.label,
      file_tags: file.tags.join(','),
      file_format: file.format,
      file_content: file.content,
      cat_ID: String(resource.dbId),
      digest: file.digest,
    };
  });
  return {
    columns: COLUMNS,
    rows: sortRows(rows, query),
    meta: [['title', 'Files']],
    columnProps: [{ key: 'URI', serverRoot: '' }],
  };
}

/** The archive directory name of an owner: session label, subject label or project ID. */
function archiveDir(owner: Owner): string {
  if (owner.experiment) return owner.experiment.label;
  if (owner.subject) return owner.subject.label;
  return owner.project.id;
}

/**
 * Default zip entry names (RestFileUtils.buildRelativePath): from the session down, with the
 * session as its label, the scan as `<id>-<type>` and the resource as its label.
 */
export function zipEntryName({ owner, resource, file }: SelectedFile): string {
  const below = `resources/${resource.label}/files/${file.path}`;
  if (owner.kind === 'scan') {
    const type = (owner.scan.fields.type ?? '').replace(/\W/g, '_');
    return `${archiveDir(owner)}/scans/${owner.scan.id}-${type}/${below}`;
  }
  return `${archiveDir(owner)}/${below}`;
}

export function zipName(files: SelectedFile[]): string {
  const dirs = new Set(files.map((f) => archiveDir(f.owner)));
  return dirs.size === 1 ? `${[...dirs][0]}.zip` : 'download.zip';
}
