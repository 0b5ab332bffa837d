import { sendTable } from '../listings/render.js';
import { resourcesTable } from '../listings/resource-listing.js';
import type { ResourceRecord } from '../model.js';
import { mayOn } from '../permissions.js';
import { matchResources, resourcesOf } from '../resources.js';
import { escapeXml, HttpError, sendText } from '../responses.js';
import { ownerWork } from './context.js';
import { isRead, type RequestContext } from './context.js';
import type { Step } from './path.js';
import { type Owner, resourceParent } from '../owners.js';

/** The resource `{label-or-id}` of an owner, creating it (as file uploads do) when asked. */
export function ownerResource(ctx: RequestContext, owner: Owner, token: string, create: boolean): ResourceRecord | undefined {
  const [match] = matchResources(resourcesOf(ctx.archive, [owner], false), token);
  if (match || !create) return match?.resource;
  return ctx.archive.createResource({
    label: token,
    parent: resourceParent(owner),
    format: '',
    content: '',
    description: '',
    tags: [],
  });
}

/** CatalogResource's GET: the resource's catalog document (entries only). */
function catalogXml(ctx: RequestContext, resource: ResourceRecord): string {
  const entries = ctx.archive
    .filesOf(resource.dbId)
    .map((f) => `<cat:entry URI="${escapeXml(f.path)}" ID="${escapeXml(f.path)}" digest="${f.digest}"/>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<cat:Catalog xmlns:cat="http://nrg.wustl.edu/catalog" ` +
    `ID="${resource.dbId}"><cat:entries>${entries}</cat:entries></cat:Catalog>`
  );
}

/** `<parent>/resources` and `<parent>/resources/{r}`: list, catalog, create, delete. */
export async function handleResources(ctx: RequestContext, steps: Step[]): Promise<void> {
  const target = steps[steps.length - 1]!;
  const parents = steps.slice(0, -1);
  if (target.id === undefined) {
    if (!isRead(ctx)) throw new HttpError(405, 'Method not allowed');
    const owners = ctx.resolver.owners(parents, true);
    const resources = resourcesOf(ctx.archive, owners, ctx.query.isTrue('all'));
    const table = resourcesTable(ctx.archive, resources, ctx.query);
    // XNATTemplate looks up each session and loads each scan; populateTable re-reads each resource.
    await ctx.cost.charge({ ...ownerWork(owners), resources: table.rows.length, rows: table.rows.length });
    return sendTable(ctx.res, table, ctx.query.format('json'));
  }
  if (isRead(ctx)) {
    const owners = ctx.resolver.owners(parents, true);
    const [match] = matchResources(resourcesOf(ctx.archive, owners, false), target.id);
    if (!match) throw new HttpError(404, 'Unable to find the specified catalog.');
    return sendText(ctx.res, 200, catalogXml(ctx, match.resource), 'text/xml');
  }
  const owner = ctx.resolver.one(parents);
  if (ctx.req.method === 'PUT' || ctx.req.method === 'POST') {
    if (!mayOn(ctx.user, 'edit', owner)) throw new HttpError(403, 'Insufficient create/edit privileges');
    if (ownerResource(ctx, owner, target.id, false)) throw new HttpError(409, 'Specified resource already exists.');
    ctx.archive.createResource({
      label: target.id,
      parent: resourceParent(owner),
      format: ctx.query.get('format') ?? '',
      content: ctx.query.get('content') ?? '',
      description: ctx.query.get('description') ?? '',
      tags: ctx.query.list('tags'),
    });
    return sendText(ctx.res, 200, '');
  }
  if (ctx.req.method === 'DELETE') {
    if (!mayOn(ctx.user, 'delete', owner)) throw new HttpError(403, 'Insufficient delete privileges');
    // An unknown resource is no error here: CatalogResource deletes what matches and answers 200.
    for (const { resource } of matchResources(resourcesOf(ctx.archive, [owner], false), target.id)) {
      await ctx.archive.deleteResource(resource.dbId);
    }
    return sendText(ctx.res, 200, '');
  }
  throw new HttpError(405, 'Method not allowed');
}
