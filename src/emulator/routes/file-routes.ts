import { finished } from 'node:stream/promises';
import { sendFile, sendZip } from './file-responses.js';
import { deleteMatcher, filesTable, selectFiles } from '../listings/file-listing.js';
import { sendTable } from '../listings/render.js';
import { mayOn } from '../permissions.js';
import { matchResources, resourcesOf } from '../resources.js';
import { HttpError, NoReadableElement, sendText } from '../responses.js';
import { receiveUpload } from '../uploads.js';
import { isRead, ownerWork, type RequestContext } from './context.js';
import type { ArchivePath, Step } from './path.js';
import { ownerResource } from './resource-routes.js';

/** A missing file is 404, or 204 when the client passed `accept-not-found=true`. */
function notFound(ctx: RequestContext, message: string): void {
  if (ctx.query.isTrue('accept-not-found')) {
    ctx.res.writeHead(204).end();
    return;
  }
  throw new HttpError(404, message);
}

/**
 * The owners a GET names. Sessions or scans none of which the user can read leave FileList with
 * no catalog: under a project in the URL it lists nothing; without one, `handleMultipleCatalogs`
 * dereferences the missing project (`proj.getId()`) and the NullPointerException is a 500.
 */
function readOwners(ctx: RequestContext, parents: Step[]) {
  try {
    return ctx.resolver.owners(parents, true);
  } catch (error) {
    if (!(error instanceof NoReadableElement)) throw error;
    if (parents.some((s) => s.level === 'projects')) return [];
    throw new HttpError(500, 'Internal Server Error');
  }
}

/** The resources a GET names: those of the owners, narrowed by `{RESOURCE_ID}` when given. */
function readResources(ctx: RequestContext, parents: Step[], resourceToken: string | undefined) {
  const owners = readOwners(ctx, parents);
  const candidates = resourcesOf(ctx.archive, owners, resourceToken === undefined && ctx.query.isTrue('all'));
  return resourceToken === undefined ? candidates : matchResources(candidates, resourceToken);
}

/** FileList: `…/files[/{path}]` listing, zip, download, upload and delete. */
export async function handleFiles(ctx: RequestContext, path: ArchivePath): Promise<void> {
  const resourceToken = path.steps.find((s) => s.level === 'resources')?.id;
  const filePath = path.filePath;
  const parents = path.steps.filter((s) => s.level !== 'resources' && s.level !== 'files');

  if (isRead(ctx)) {
    const resources = readResources(ctx, parents, resourceToken);
    const format = ctx.query.format('json');
    const files = selectFiles(ctx.archive, resources, ctx.query, filePath);
    if (format === 'zip') return sendZip(ctx.res, ctx.archive, files, ctx.query.get('compression'));
    const isFile = filePath !== undefined && filePath !== '' && !filePath.endsWith('/') && !filePath.includes('*');
    if (isFile) {
      const exact = files.find((f) => f.file.path === filePath);
      return exact ? sendFile(ctx.req, ctx.res, ctx.archive, exact) : notFound(ctx, 'Unable to find file.');
    }
    const table = filesTable(files, ctx.query);
    // FileList: sessions and scans as for resources, then every resource re-read and its catalog parsed.
    const owners = [...new Map(resources.map((r) => [`${r.owner.experiment?.id}/${r.owner.scan?.id}/${r.owner.kind}`, r.owner])).values()];
    await ctx.cost.charge({
      ...ownerWork(owners),
      resources: resources.length,
      catalogs: resources.length,
      files: table.rows.length,
      rows: table.rows.length,
    });
    return sendTable(ctx.res, table, format);
  }

  const owner = ctx.resolver.one(parents);
  if (resourceToken === undefined) throw new HttpError(400, 'Name the resource: …/resources/{label}/files/{path}');
  if (ctx.req.method === 'PUT' || ctx.req.method === 'POST') {
    if (!mayOn(ctx.user, 'edit', owner)) {
      // FileList.handlePost has no else branch: without edit rights nothing is stored and the
      // answer is still 200.
      ctx.req.resume();
      await finished(ctx.req).catch(() => undefined);
      return sendText(ctx.res, 200, '');
    }
    const target = {
      find: () => ownerResource(ctx, owner, resourceToken, false),
      obtain: () => ownerResource(ctx, owner, resourceToken, true)!,
    };
    return receiveUpload(ctx.req, ctx.res, ctx.archive, target, filePath, ctx.query);
  }
  if (ctx.req.method === 'DELETE') {
    const resource = ownerResource(ctx, owner, resourceToken, false);
    // FileList.handleDelete checks the resource (400 when none matched the label) before permission.
    if (!resource) throw new HttpError(400, 'Unable to determine resource, parent, or security.');
    if (!mayOn(ctx.user, 'delete', owner)) throw new HttpError(403, "User account doesn't have permission to modify this session.");
    const matches = deleteMatcher(filePath);
    const doomed = ctx.archive.filesOf(resource.dbId).filter((f) => matches(f.path));
    if (doomed.length === 0) return notFound(ctx, 'No matched files');
    await ctx.archive.deleteFiles(
      resource.dbId,
      doomed.map((f) => f.path),
    );
    return sendText(ctx.res, 200, '');
  }
  throw new HttpError(405, 'Method not allowed');
}
