import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What a real XNAT spends on a request, by the work its restlets do (read from XNAT's source,
 * xnat-web `org.nrg.xnat.restlet`): milliseconds per object touched and per row returned. The
 * emulator waits that long before answering, so benchmarks see each request shape's real price
 * without burning CPU. Off unless configured (`--cost-model`).
 */
export interface CostModel {
  /** Any request: security filter, Restlet dispatch, user lookup. */
  requestMs: number;
  /** Each session named in a `/experiments/{ids}/…` path, looked up one by one (XNATTemplate). */
  sessionMs: number;
  /** Each scan loaded as a full item (`XnatImagescandata.getXnatImagescandatasByField`). */
  scanMs: number;
  /** Each resource re-read by ID (`CatalogUtils.populateTable`, `FileList`). */
  resourceMs: number;
  /** Each catalog XML read and cleaned (`CatalogData.getOrCreateAndClean`). */
  catalogMs: number;
  /** Each catalog entry turned into a row (`CatalogUtils.getEntryDetails`). */
  fileMs: number;
  /** Each row of any table, as SQL result and as JSON (`XFTTable.toJSON`). */
  rowMs: number;
}

const KEYS: Record<string, keyof CostModel> = {
  request: 'requestMs',
  session: 'sessionMs',
  scan: 'scanMs',
  resource: 'resourceMs',
  catalog: 'catalogMs',
  file: 'fileMs',
  row: 'rowMs',
};

/** A site with a database and archive on local disks, roughly (docs/emulator.md). */
export const TYPICAL_COSTS = 'request=4,session=3,scan=2,resource=1.5,catalog=2,file=0.02,row=0.005';

/** `request=4,session=3,…` (milliseconds; missing keys are 0), or `typical`. */
export function parseCostModel(spec: string): CostModel {
  const model: CostModel = { requestMs: 0, sessionMs: 0, scanMs: 0, resourceMs: 0, catalogMs: 0, fileMs: 0, rowMs: 0 };
  for (const part of (spec === 'typical' ? TYPICAL_COSTS : spec).split(',').filter(Boolean)) {
    const [name = '', value = ''] = part.split('=');
    const key = KEYS[name.trim()];
    const ms = Number(value);
    if (!key || value.trim() === '' || !Number.isFinite(ms) || ms < 0) {
      throw new Error(`Invalid cost model entry "${part}": expected NAME=MS with NAME one of ${Object.keys(KEYS).join(', ')}`);
    }
    model[key] = ms;
  }
  return model;
}

/** The objects one request touched. */
export interface Work {
  sessions?: number;
  scans?: number;
  resources?: number;
  catalogs?: number;
  files?: number;
  rows: number;
}

export function chargeOf(model: CostModel, work: Work): number {
  return (
    model.requestMs +
    (work.sessions ?? 0) * model.sessionMs +
    (work.scans ?? 0) * model.scanMs +
    (work.resources ?? 0) * model.resourceMs +
    (work.catalogs ?? 0) * model.catalogMs +
    (work.files ?? 0) * model.fileMs +
    work.rows * model.rowMs
  );
}

/**
 * Charges one request before it is answered: the base price when it arrives, the work of a
 * listing just before the listing is sent. The total goes out in an `X-Emulator-Cost` header
 * (`ms=…;rows=…`) for benchmarks. Without a model nothing waits and no header is sent.
 */
export class CostMeter {
  constructor(
    private readonly model: CostModel | undefined,
    private readonly res: ServerResponse,
  ) {}

  /** The base price of any request. */
  async arrive(): Promise<void> {
    if (!this.model) return;
    this.res.setHeader('X-Emulator-Cost', `ms=${this.model.requestMs.toFixed(3)};rows=0`);
    if (this.model.requestMs > 0) await sleep(this.model.requestMs);
  }

  /** The price of a listing's work, on top of the base price already paid. */
  async charge(work: Work): Promise<void> {
    if (!this.model) return;
    const total = chargeOf(this.model, work);
    this.res.setHeader('X-Emulator-Cost', `ms=${total.toFixed(3)};rows=${work.rows}`);
    const rest = total - this.model.requestMs;
    if (rest > 0) await sleep(rest);
  }
}
