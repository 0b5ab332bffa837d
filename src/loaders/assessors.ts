import type { XnatArchive } from '../xnat/archive.js';
import type { AssessorRow } from '../xnat/records.js';
import { assessor, type Assessor, type Experiment } from './models.js';
import { byText, groupBy, mapLoader, type LoaderOptions } from './options.js';

/** Image assessors of many sessions in one request per level (XnatArchive.assessorsOfSessions). */
export class AssessorLoaders {
  private readonly ofSession;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    this.ofSession = mapLoader<string, AssessorRow[]>(
      options,
      async (sessions) => {
        const rows = (await archive.assessorsOfSessions(sessions)).sort((a, b) => byText(a.label, b.label));
        return groupBy(rows, (a) => a.sessionId);
      },
      [],
    );
  }

  async assessorsOf(session: Experiment): Promise<Assessor[]> {
    return (await this.ofSession.load(session.id)).map((row) => assessor(session, row));
  }

  /** By label, or by accession ID as XNAT also accepts; null when absent. */
  async assessorOf(session: Experiment, labelOrId: string): Promise<Assessor | null> {
    const list = await this.assessorsOf(session);
    return list.find((a) => a.label === labelOrId) ?? list.find((a) => a.id === labelOrId) ?? null;
  }
}
