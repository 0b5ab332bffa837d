import type { Experiment } from './models.js';
import { byLabelOrId, byText, groupBy, mapLoader, type LoaderOptions } from './options.js';

/** What every listed child of a session carries: its ID, its session's accession ID, maybe a label. */
interface ChildRow {
  id: string;
  sessionId: string;
  label?: string;
}

/**
 * Objects that belong to one image session (assessors), listed for many sessions in one request
 * per level: `list` is the XNAT layer's widest listing for the level, `make` builds the object
 * reached through its session.
 */
export class SessionChildren<Row extends ChildRow, T> {
  private readonly ofSession;

  constructor(
    level: string,
    options: LoaderOptions,
    list: (sessions: readonly string[]) => Promise<Row[]>,
    private readonly make: (session: Experiment, row: Row) => T,
  ) {
    this.ofSession = mapLoader<string, Row[]>(
      level,
      options,
      async (sessions) =>
        groupBy(
          (await list(sessions)).sort((a, b) => byText(a.label ?? a.id, b.label ?? b.id)),
          (r) => r.sessionId,
        ),
      [],
    );
  }

  async of(session: Experiment): Promise<T[]> {
    return (await this.ofSession.load(session.id)).map((row) => this.make(session, row));
  }

  /** IDs of a session's children, by the session's accession ID (to attribute their resources). */
  async idsOf(sessionId: string): Promise<string[]> {
    return (await this.ofSession.load(sessionId)).map((r) => r.id);
  }

  /** By label, or by ID as XNAT also accepts; null when absent. */
  async find(session: Experiment, labelOrId: string): Promise<T | null> {
    const rows = await this.ofSession.load(session.id);
    const row = byLabelOrId(rows, labelOrId, (r) => r.id);
    return row ? this.make(session, row) : null;
  }

  /** By ID only (node ids carry IDs); null when absent. */
  async byId(session: Experiment, id: string): Promise<T | null> {
    const row = (await this.ofSession.load(session.id)).find((r) => r.id === id);
    return row ? this.make(session, row) : null;
  }
}
