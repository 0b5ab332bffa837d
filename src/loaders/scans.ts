import type { XnatArchive } from '../xnat/archive.js';
import type { ImageSessionDetails, SessionScans } from '../xnat/records.js';
import { matchesNothing, scanMatcher, type ScanFilter } from './filters.js';
import { scan, type Experiment, type Scan } from './models.js';
import { byText, mapLoader, type LoaderOptions } from './options.js';

const none: SessionScans = { session: { modality: null, scanner: null }, scans: [] };

/** Scans of many sessions in one request (experiment listing joined with scan columns). */
export class ScanLoaders {
  private readonly ofSession;

  constructor(archive: XnatArchive, options: LoaderOptions) {
    this.ofSession = mapLoader<string, SessionScans>(
      'scans',
      options,
      async (sessions) => {
        const found = await archive.scansOfSessions(sessions);
        for (const entry of found.values()) entry.scans.sort((a, b) => byText(a.id, b.id));
        return found;
      },
      none,
    );
  }

  /** With a filter, only the matching ones: applied here, because XNAT's scan listing ignores filters. */
  async scansOf(session: Experiment, filter?: ScanFilter | null): Promise<Scan[]> {
    const { scans } = await this.ofSession.load(session.id);
    const all = scans.map((row) => scan(session, row));
    if (!filter) return all;
    return matchesNothing(filter) ? [] : all.filter(scanMatcher(filter));
  }

  /** Scan IDs of a session, by accession ID (used to attribute scan resources to sessions). */
  async scanIdsOf(sessionId: string): Promise<string[]> {
    return (await this.ofSession.load(sessionId)).scans.map((s) => s.id);
  }

  async scanOf(session: Experiment, id: string): Promise<Scan | null> {
    return (await this.scansOf(session)).find((s) => s.id === id) ?? null;
  }

  /** Modality and scanner come with the same request as the scans. */
  async imageDetailsOf(session: Experiment): Promise<ImageSessionDetails> {
    return (await this.ofSession.load(session.id)).session;
  }
}
