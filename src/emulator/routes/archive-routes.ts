import {
  assessorsTable,
  experimentsTable,
  projectsTable,
  reconstructionsTable,
  scansTable,
  subjectsTable,
} from '../listings/archive-listings.js';
import { sendTable } from '../listings/render.js';
import type { Table } from '../listings/table.js';
import { representObject } from '../objects.js';
import { ownerOf } from '../owners.js';
import { HttpError, sendText } from '../responses.js';
import { isRead, type RequestContext } from './context.js';
import { handleFiles } from './file-routes.js';
import { deleteObject, putObject } from './object-writes.js';
import type { ArchivePath, Step } from './path.js';
import { handleResources } from './resource-routes.js';

function listing(ctx: RequestContext, steps: Step[]): Table {
  const level = steps[steps.length - 1]!.level;
  const [owner] = ctx.resolver.owners(steps, false);
  switch (level) {
    case 'projects':
      return projectsTable(ctx);
    case 'subjects':
      return subjectsTable(ctx, owner);
    case 'experiments':
      return experimentsTable(ctx, owner);
    case 'scans':
      return scansTable(ctx, ownerOf(owner, 'experiment'));
    case 'assessors':
      return assessorsTable(ctx, ownerOf(owner, 'experiment'));
    case 'reconstructions':
      return reconstructionsTable(ctx, ownerOf(owner, 'experiment'));
    default:
      throw new HttpError(404, 'Not found');
  }
}

/** Everything under /data/{projects|subjects|experiments}/…, by the URL's last collection. */
export async function handleArchive(ctx: RequestContext, path: ArchivePath): Promise<void> {
  const { steps } = path;
  const target = steps[steps.length - 1]!;
  if (target.level === 'files') return handleFiles(ctx, path);
  if (target.level === 'resources') return handleResources(ctx, steps);
  if (target.id === undefined) {
    if (!isRead(ctx)) throw new HttpError(405, 'Method not allowed');
    const table = listing(ctx, steps);
    // QueryOrganizer: one SQL query, then every row written out.
    await ctx.cost.charge({ rows: table.rows.length });
    return sendTable(ctx.res, table, ctx.query.format('json'));
  }
  if (isRead(ctx)) {
    const { type, body } = representObject(ctx.archive, ctx.resolver.object(steps), ctx.query.format('xml'));
    return sendText(ctx.res, 200, body, type);
  }
  if (ctx.req.method === 'PUT') return putObject(ctx, steps);
  if (ctx.req.method === 'DELETE') return deleteObject(ctx, steps);
  throw new HttpError(405, 'Method not allowed');
}
