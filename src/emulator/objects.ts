import type { ResourceRecord, ScanRecord } from './model.js';
import { resourcesOf } from './resources.js';
import { escapeXml, HttpError } from './responses.js';
import type { Owner } from './owners.js';
import type { Archive } from './store.js';

/** ItemJSONBuilder's item: meta, flattened data_fields, and one `children` entry per child list. */
interface Item {
  meta: Record<string, unknown>;
  data_fields: Record<string, unknown>;
  children: Array<{ field: string; items: Item[] }>;
}

/** Numbers stay JSON numbers in data_fields; the emulator keeps them as text, so convert known ones. */
const NUMERIC = new Set([
  'frames',
  'xnat_imagescandata_id',
  'xnat_reconstructedimagedata_id',
  'xnat_abstractresource_id',
  'file_count',
  'file_size',
]);

function dataFields(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    // Null values are omitted; the type is meta (`xsi:type`), not a field.
    if (value === '' || key === 'xsiType') continue;
    out[key] = NUMERIC.has(key) && /^\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

function item(xsiType: string, values: Record<string, string>, children: Item['children'] = []): Item {
  return { meta: { isHistory: false, 'xsi:type': xsiType }, data_fields: dataFields(values), children };
}

function resourceItem(archive: Archive, resource: ResourceRecord): Item {
  const stats = archive.fileStats(resource.dbId);
  return item('xnat:resourceCatalog', {
    xnat_abstractresource_id: String(resource.dbId),
    label: resource.label,
    format: resource.format,
    content: resource.content,
    description: resource.description,
    file_count: String(stats.count),
    file_size: String(stats.size),
  });
}

function childList(field: string, items: Item[]): Item['children'] {
  return items.length > 0 ? [{ field, items }] : [];
}

function scanItem(archive: Archive, owner: Extract<Owner, { kind: 'experiment' | 'scan' }>, scan: ScanRecord): Item {
  const scanOwner: Owner = { ...owner, kind: 'scan', scan };
  const resources = resourcesOf(archive, [scanOwner], false).map((r) => resourceItem(archive, r.resource));
  return item(
    scan.xsiType,
    { ...scan.fields, ID: scan.id, image_session_ID: scan.experimentId, xnat_imagescandata_id: String(scan.dbId) },
    childList('file', resources),
  );
}

function ownerItem(archive: Archive, owner: Owner): Item {
  const resources = resourcesOf(archive, [owner], false).map((r) => resourceItem(archive, r.resource));
  switch (owner.kind) {
    case 'project': {
      const p = owner.project;
      return item('xnat:projectData', { ...p.fields, ID: p.id }, childList('resources/resource', resources));
    }
    case 'subject': {
      const s = owner.subject;
      return item(
        'xnat:subjectData',
        { ...s.fields, ID: s.id, label: s.label, project: s.project },
        childList('resources/resource', resources),
      );
    }
    case 'experiment': {
      const e = owner.experiment;
      const scans = archive.scansOf(e.id).map((scan) => scanItem(archive, owner, scan));
      return item(e.xsiType, { ...e.fields, ID: e.id, label: e.label, project: e.project, subject_ID: e.subjectId }, [
        ...childList('scans/scan', scans),
        ...childList('resources/resource', resources),
      ]);
    }
    case 'scan':
      return scanItem(archive, owner, owner.scan);
    case 'assessor': {
      const a = owner.assessor;
      return item(
        a.xsiType,
        { ...a.fields, ID: a.id, label: a.label, project: a.project, imageSession_ID: a.sessionId ?? '' },
        childList('out/file', resources),
      );
    }
    case 'reconstruction': {
      const r = owner.reconstruction;
      return item(
        'xnat:reconstructedImageData',
        { ...r.fields, ID: r.id, image_session_ID: r.experimentId, xnat_reconstructedimagedata_id: String(r.dbId) },
        childList('out/file', resources),
      );
    }
  }
}

/** XNAT's element name for a data type: xnat:mrSessionData → xnat:MRSession, xnat:projectData → xnat:Project. */
function elementName(xsiType: string): string {
  const [ns = 'xnat', name = xsiType] = xsiType.split(':');
  const modal = /^(\w+?)(Session|Scan)Data$/.exec(name);
  if (modal) return `${ns}:${modal[1]!.toUpperCase()}${modal[2]}`;
  return `${ns}:${name.replace(/Data$/, '').replace(/^./, (c) => c.toUpperCase())}`;
}

/** Identity fields are attributes in XNAT documents; everything else is a child element. */
const ATTRIBUTES = new Set(['ID', 'project', 'label', 'xnat_abstractresource_id', 'format', 'content', 'type']);

function fieldXml(name: string, value: unknown): string {
  const tag = `xnat:${name.replace(/[^\w.-]/g, '_')}`;
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

/** A child list as XNAT nests it: `scans/scan` → <xnat:scans><xnat:scan …/>…</xnat:scans>. */
function childrenXml(field: string, items: Item[]): string {
  const [outer, inner] = field.includes('/') ? field.split('/') : [undefined, field];
  const elements = items.map((child) => itemXml(child, `xnat:${inner}`)).join('');
  return outer ? `<xnat:${outer}>${elements}</xnat:${outer}>` : elements;
}

/** The item as an XNAT-style element: identity attributes, field elements, nested children. */
function itemXml(it: Item, tag: string): string {
  const type = String(it.meta['xsi:type']);
  const entries = Object.entries(it.data_fields);
  const attributes = entries
    .filter(([k]) => ATTRIBUTES.has(k))
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const fields = entries
    .filter(([k]) => !ATTRIBUTES.has(k))
    .map(([k, v]) => fieldXml(k, v))
    .join('');
  const children = it.children.map((c) => childrenXml(c.field, c.items)).join('');
  return `<${tag}${attributes} xsi:type="${escapeXml(type)}">${fields}${children}</${tag}>`;
}

/** GET of a project, subject, experiment, scan, assessor or reconstruction: `format=json` (ItemJSONBuilder) or XML. */
export function representObject(archive: Archive, owner: Owner, format: string): { type: string; body: string } {
  const it = ownerItem(archive, owner);
  if (format === 'json') return { type: 'application/json', body: JSON.stringify({ items: [it] }) };
  if (format === 'xml') {
    const root = elementName(String(it.meta['xsi:type']));
    const namespaces = 'xmlns:xnat="http://nrg.wustl.edu/xnat" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n${itemXml(it, root).replace(/^<([\w:]+)/, `<$1 ${namespaces}`)}`;
    return { type: 'text/xml', body };
  }
  throw new HttpError(400, `Unsupported format: ${format}`);
}
