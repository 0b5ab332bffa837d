import type { Query } from '../query.js';
import type { OwnedResource } from '../resources.js';
import type { Archive } from '../store.js';
import { sortRows, type Table } from './table.js';

const COLUMNS = [
  'xnat_abstractresource_id',
  'label',
  'element_name',
  'category',
  'cat_id',
  'cat_desc',
  'file_count',
  'file_size',
  'tags',
  'content',
  'format',
];

/** CatalogResourceList: fixed columns (no `columns=`, no URI), title "Resources". */
export function resourcesTable(archive: Archive, resources: OwnedResource[], query: Query): Table {
  const rows = resources.map(({ owner, resource }) => {
    const stats = archive.fileStats(resource.dbId);
    const category =
      owner.kind === 'scan'
        ? { category: 'scans', cat_id: owner.scan.id, cat_desc: owner.scan.fields.type ?? '' }
        : owner.kind === 'assessor'
          ? { category: 'assessors', cat_id: owner.assessor.id, cat_desc: owner.assessor.xsiType }
          : owner.kind === 'reconstruction'
            ? { category: 'reconstructions', cat_id: owner.reconstruction.id, cat_desc: owner.reconstruction.fields.type ?? '' }
            : { category: 'resources', cat_id: owner.kind === 'experiment' ? owner.experiment.id : '', cat_desc: ' ' };
    return {
      xnat_abstractresource_id: String(resource.dbId),
      label: resource.label,
      element_name: 'xnat:resourceCatalog',
      ...category,
      file_count: resource.statsStored === false ? '' : String(stats.count),
      file_size: resource.statsStored === false ? '' : String(stats.size),
      tags: resource.tags.join(','),
      content: resource.content,
      format: resource.format,
    };
  });
  return {
    columns: COLUMNS,
    rows: sortRows(rows, query),
    meta: [
      ['title', 'Resources'],
      ['totalRecords', String(rows.length)],
    ],
  };
}
