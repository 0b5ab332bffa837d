import type DataLoader from 'dataloader';
import type { XnatArchive } from '../xnat/archive.js';
import type { FieldValues } from '../xnat/field-paths.js';
import { demographicColumns, parseDemographics, type Demographics } from '../xnat/demographics.js';
import { type CustomField, type CustomFieldLevel, FieldQueries } from '../xnat/fields.js';
import type { Assessor, Experiment, Project, Reconstruction, Scan, Subject } from './models.js';
import { batchLoader, type LoaderOptions, mapLoader } from './options.js';

/** One `fields(paths)` request: an object and the paths asked of it. */
interface FieldRequest<T> {
  object: T;
  paths: readonly string[];
}

const fieldKey = (id: string, paths: readonly string[]) => `${id}\u0000${paths.join('\u0000')}`;

/**
 * A loader that gathers every `fields(paths)` of one level in a tick into one listing with
 * `columns=ID,<all paths>` (so many objects and many paths cost one request per level).
 */
function fieldLoader<T>(
  level: string,
  options: LoaderOptions,
  idOf: (object: T) => string,
  fetch: (objects: readonly T[], paths: readonly string[]) => Promise<FieldValues>,
): DataLoader<FieldRequest<T>, Array<{ path: string; value: string | null }>, string> {
  return batchLoader(
    `fields of ${level}`,
    options,
    async (requests: readonly FieldRequest<T>[]) => {
      const paths = [...new Set(requests.flatMap((r) => r.paths))];
      const objects = [...new Map(requests.map((r) => [idOf(r.object), r.object])).values()];
      const values = await fetch(objects, paths);
      return requests.map((r) => r.paths.map((path) => ({ path, value: values.get(idOf(r.object))?.get(path) ?? null })));
    },
    { cacheKeyFn: (r) => fieldKey(idOf(r.object), r.paths) },
  );
}

/** Any field of any object (`field(path)`, `fields(paths)`): one listing per level and tick. */
export class FieldLoaders {
  readonly projectFields;
  readonly subjectFields;
  readonly experimentFields;
  readonly scanFields;
  readonly assessorFields;
  readonly reconstructionFields;
  private readonly customFields: Record<CustomFieldLevel, DataLoader<string, CustomField[], unknown>>;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    const queries = new FieldQueries(archive);
    const customFieldsAt = (level: CustomFieldLevel) =>
      mapLoader<string, CustomField[]>(`custom fields of ${level}s`, options, (ids) => queries.customFieldsOf(level, ids), []);
    this.customFields = {
      project: customFieldsAt('project'),
      subject: customFieldsAt('subject'),
      experiment: customFieldsAt('experiment'),
    };
    this.projectFields = fieldLoader<Project>(
      'projects',
      options,
      (p) => p.id,
      (_projects, paths) => queries.projectFields(paths),
    );
    this.subjectFields = fieldLoader<Subject>(
      'subjects',
      options,
      (s) => s.id,
      (subjects, paths) =>
        queries.subjectFields(
          subjects.map((s) => s.id),
          paths,
        ),
    );
    this.experimentFields = fieldLoader<Experiment>(
      'experiments',
      options,
      (e) => e.id,
      (sessions, paths) =>
        queries.experimentFields(
          sessions.map((e) => e.id),
          paths,
        ),
    );
    // Assessors are experiments: the same `ID=` listing, in its own batch (assessor-type paths).
    this.assessorFields = fieldLoader<Assessor>(
      'assessors',
      options,
      (a) => a.id,
      (assessors, paths) =>
        queries.experimentFields(
          assessors.map((a) => a.id),
          paths,
        ),
    );
    this.scanFields = fieldLoader<Scan>(
      'scans',
      options,
      (s) => `${s.session.id}/${s.id}`,
      (scans, paths) => queries.scanFields([...new Set(scans.map((s) => s.session.id))], paths),
    );
    this.reconstructionFields = fieldLoader<Reconstruction>(
      'reconstructions',
      options,
      (r) => `${r.session.id}/${r.id}`,
      (recons, paths) => queries.reconstructionFields([...new Set(recons.map((r) => r.session.id))], paths),
    );
  }

  /**
   * A subject's demographics, through the subject any-field loader: the demographics of every
   * subject of a level, with any other subject fields asked in the same tick, cost one listing.
   */
  async demographicsOf(subject: Subject): Promise<Demographics> {
    const values = await this.subjectFields.load({ object: subject, paths: demographicColumns });
    return parseDemographics(new Map(values.map((v) => [v.path, v.value])));
  }

  /**
   * The custom variables of a project, subject, experiment or assessor: one listing per level
   * for every object of it in the request (experiments and assessors share one).
   */
  customFieldsOf(object: Project | Subject | Experiment | Assessor): Promise<CustomField[]> {
    const level: CustomFieldLevel = object.kind === 'project' || object.kind === 'subject' ? object.kind : 'experiment';
    return this.customFields[level].load(object.id);
  }
}
