import { chunked, chunkedMap, type XnatArchive } from './archive.js';
import {
  cellsFor,
  experimentColumnType,
  RECONSTRUCTION,
  reconstructionColumnPath,
  SCAN,
  scanColumnPath,
  valuesOf,
  type FieldValues,
} from './field-paths.js';
import { experimentsPath, projectsPath, subjectsPath } from './paths.js';

/**
 * Fields: any field of any object by its XML path or shortcut (pyxnat's `attrs.get` and
 * `attrs.mget`), read as extra `columns=` of the level's listing, many objects and paths in one
 * request per level.
 */
/** A custom variable: its name and value (null when XNAT has none). */
export interface CustomField {
  name: string;
  value: string | null;
}

/** The levels that have custom variables: xnat:imageScanData has no `fields` child list. */
export type CustomFieldLevel = 'project' | 'subject' | 'experiment';

const CUSTOM_FIELD_TYPES: Record<CustomFieldLevel, string> = {
  project: 'xnat:projectData',
  subject: 'xnat:subjectData',
  experiment: 'xnat:experimentData',
};

export class FieldQueries {
  constructor(private readonly archive: XnatArchive) {}

  /**
   * The custom variables (`<type>/fields/field`) of projects, subjects or experiments (image
   * assessors included), by accession ID: the level's listing with the variables' name and value
   * as columns, which QueryOrganizer joins as a child list (one row per variable, a row without
   * them once). One request per chunk of IDs; `/data/projects` takes no ID filter for non-admins,
   * so it is asked whole and answered for the IDs asked.
   */
  async customFieldsOf(level: CustomFieldLevel, ids: readonly string[]): Promise<Map<string, CustomField[]>> {
    const type = CUSTOM_FIELD_TYPES[level];
    const [name, value] = [`${type}/fields/field/name`, `${type}/fields/field/field`];
    const columns = ['ID', name, value].join(',');
    const rows =
      level === 'project'
        ? await this.archive.table('projectCustomFields', projectsPath, { columns })
        : await chunked(ids, (chunk) =>
            this.archive.table(`${level}CustomFields`, level === 'subject' ? subjectsPath : experimentsPath, {
              ID: chunk.join(','),
              columns,
            }),
          );
    const wanted = new Set(ids);
    const out = new Map<string, CustomField[]>();
    for (const row of rows) {
      const id = row['ID'];
      const fieldName = row[name.toLowerCase()];
      if (!id || !wanted.has(id) || !fieldName) continue;
      const list = out.get(id) ?? [];
      if (!list.some((f) => f.name === fieldName)) list.push({ name: fieldName, value: row[value.toLowerCase()] || null });
      out.set(id, list);
    }
    for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    return out;
  }

  async projectFields(paths: readonly string[]): Promise<FieldValues> {
    const rows = await this.archive.table('projectFields', projectsPath, { columns: ['ID', ...paths].join(',') });
    return valuesOf(rows, 'ID', paths);
  }

  subjectFields(subjects: readonly string[], paths: readonly string[]): Promise<FieldValues> {
    return chunkedMap(subjects, async (chunk) =>
      valuesOf(
        await this.archive.table('subjectFields', subjectsPath, { ID: chunk.join(','), columns: ['ID', ...paths].join(',') }),
        'ID',
        paths,
      ),
    );
  }

  /**
   * Columns of a session subtype narrow the experiment listing to that subtype, so paths are
   * asked in one request per data type they belong to (one request when none is a subtype's).
   */
  async experimentFields(experiments: readonly string[], paths: readonly string[]): Promise<FieldValues> {
    const groups = new Map<string | undefined, string[]>();
    for (const path of paths) {
      const type = experimentColumnType(path);
      groups.set(type, [...(groups.get(type) ?? []), path]);
    }
    const out: FieldValues = new Map();
    const parts = await Promise.all(
      [...groups].map(([xsiType, group]) =>
        chunkedMap(experiments, async (chunk) =>
          valuesOf(
            await this.archive.table('experimentFields', experimentsPath, {
              ...(xsiType ? { xsiType } : {}),
              ID: chunk.join(','),
              columns: ['ID', ...group].join(','),
            }),
            'ID',
            group,
          ),
        ),
      ),
    );
    for (const part of parts) {
      for (const [id, values] of part) {
        const known = out.get(id) ?? new Map<string, string | null>();
        for (const [path, value] of values) known.set(path, value);
        out.set(id, known);
      }
    }
    return out;
  }

  /**
   * Scan fields through the scan-column join, keyed `sessionId/scanId`. Scan shortcuts are sent
   * as their XML paths; unknown shortcuts are not asked for at all (XNAT would drop them).
   */
  scanFields(sessions: readonly string[], paths: readonly string[]): Promise<FieldValues> {
    return this.sessionChildFields('scanFields', SCAN, scanColumnPath, sessions, paths);
  }

  /** Reconstruction fields through the reconstruction join, keyed `sessionId/reconstructionId`, as scans'. */
  reconstructionFields(sessions: readonly string[], paths: readonly string[]): Promise<FieldValues> {
    return this.sessionChildFields('reconstructionFields', RECONSTRUCTION, reconstructionColumnPath, sessions, paths);
  }

  /** Fields of a child list of image sessions (`type` its data type), through the image-session listing's join. */
  private sessionChildFields(
    query: string,
    type: string,
    columnPath: (path: string) => string | undefined,
    sessions: readonly string[],
    paths: readonly string[],
  ): Promise<FieldValues> {
    const asked = [...new Set(paths.map(columnPath).filter((p): p is string => p !== undefined))];
    const idKey = `${type}/ID`.toLowerCase();
    return chunkedMap(sessions, async (chunk) => {
      const rows = await this.archive.table(query, experimentsPath, {
        xsiType: 'xnat:imageSessionData',
        ID: chunk.join(','),
        columns: ['ID', `${type}/ID`, ...asked.filter((p) => p.toLowerCase() !== idKey)].join(','),
      });
      const out: FieldValues = new Map();
      for (const row of rows) {
        const childId = row[idKey];
        if (!row['ID'] || !childId) continue;
        const values = cellsFor(row, paths, columnPath, ['ID', idKey]);
        for (const path of paths) if (columnPath(path)?.toLowerCase() === idKey) values.set(path, childId);
        out.set(`${row['ID']}/${childId}`, values);
      }
      return out;
    });
  }
}
