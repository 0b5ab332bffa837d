import type { GatewayContext } from '../context.js';
import { ownerRef, projectOf, securedTypeOf, type ArchiveFile, type ResourceOwner } from '../loaders/models.js';
import { badUserInput, gatewayError } from '../errors.js';
import { checkResourceLabel } from '../xnat/paths.js';
import { builder, connectionOf } from './builder.js';
import { loadNodeOf } from './ids.js';
import { NodeInterface, nodeIdOf } from './node.js';
import { ownerFromId, ResourceType } from './resource.js';

export const FileType = builder.objectRef<ArchiveFile>('File');

FileType.implement({
  description: 'A file in a resource.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    name: t.exposeString('name'),
    path: t.exposeString('path', { description: 'Path inside the resource (pyxnat label); may contain folders.' }),
    size: t.expose('size', { type: 'SafeInt', nullable: true, description: 'Size in bytes.' }),
    format: t.exposeString('format', { nullable: true }),
    content: t.exposeString('content', { nullable: true }),
    tags: t.exposeStringList('tags'),
    digest: t.exposeString('digest', { nullable: true, description: 'Checksum XNAT stored (MD5 when checksums are on).' }),
    resource: t.field({ type: ResourceType, resolve: (f) => f.resource }),
    downloadUrl: t.string({
      description: 'The file bytes, streamed by the gateway.',
      resolve: (f, _args, { baseUrl }) => `${baseUrl}/download/file/${nodeIdOf(f)}`,
    }),
  }),
});

export const FileConnection = connectionOf(FileType, 'FileConnection');

export function fileFromId(id: string, { loaders }: GatewayContext): Promise<ArchiveFile> {
  return loadNodeOf(id, 'file', (ref) => loaders.file(ref));
}

/**
 * Refuses a write XNAT would refuse, before any file is read: waiting for a file part makes the
 * gateway spool the parts sent before it, which such a caller must not be able to cause. The
 * caller's XNAT groups with XNAT's default role permissions (src/xnat/access.ts) allow most
 * writes at no extra cost; when they do not, XNAT's own list of the projects where the caller may
 * edit this type of data decides, so a site's customised group permissions are honoured. When XNAT
 * answers neither, its answer to the write itself decides.
 */
async function checkMayWrite(owner: ResourceOwner, ctx: GatewayContext): Promise<void> {
  const project = projectOf(owner);
  const permissions = ctx.loaders.permissions;
  const access = await permissions.access(project).catch(() => undefined);
  if (!access) return;
  if (owner.kind === 'project') {
    // XNAT's permissions listing names no project record to anyone but administrators: owners are known by group.
    if (!access.canEditProject) throw mayNotWrite('project resources (owners only)', project);
    return;
  }
  if (access.canEdit) return;
  const granted = await permissions.mayEditData(project, securedTypeOf(owner)).catch(() => undefined);
  if (granted === false) throw mayNotWrite('this data', project);
}

function mayNotWrite(what: string, project: string) {
  return gatewayError('FORBIDDEN', `You may not write ${what} in project ${JSON.stringify(project)}.`);
}

builder.mutationFields((t) => ({
  uploadFile: t.field({
    type: FileType,
    description:
      'Stores a file in a resource of a project, subject, experiment, scan, assessor or reconstruction, creating the resource when missing (as XNAT does). ' +
      'With extract, an uploaded zip/tar is unpacked into the resource root (as XNAT does) and the first new file is returned. ' +
      'Names the XNAT release cannot address in a URL are refused with BAD_USER_INPUT saying why: resource labels travel undecoded ' +
      '(no spaces, "%", "#", non-ASCII; not digits only, not NULL); file paths are decoded never (1.7), always (1.8.0-1.8.3) or only ' +
      'when they hold a space or "+" (1.8.4 on).',
    args: {
      parent: t.arg.id({ required: true }),
      resource: t.arg.string({ required: true }),
      file: t.arg({ type: 'Upload', required: true }),
      name: t.arg.string({ required: false, description: 'Path inside the resource; defaults to the uploaded file name.' }),
      overwrite: t.arg.boolean({ required: false, defaultValue: false }),
      extract: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      checkResourceLabel(args.resource);
      const owner = await ownerFromId(args.parent, ctx);
      await checkMayWrite(owner, ctx);
      const upload = await args.file;
      const path = args.name ?? upload.filename;
      if (!path) throw badUserInput('The uploaded file has no name; pass name.');
      const extract = args.extract ?? false;
      // XNAT unpacks an archive into the resource root whatever folder the URL names.
      if (extract && path.includes('/'))
        throw badUserInput('With extract, name must be a file name without folders: XNAT unpacks archives into the resource root.');
      await ctx.archive.fileAddress({ resource: { owner: ownerRef(owner), label: args.resource }, path });
      const resources = ctx.loaders.resources;
      const before = extract ? await resources.resourceOf(owner, args.resource) : null;
      const known = new Set(before ? (await resources.filesOf(before)).map((f) => f.path) : []);

      const sent = await ctx.archive.uploadFile(
        { resource: { owner: ownerRef(owner), label: args.resource }, path },
        upload.createReadStream(),
        {
          overwrite: args.overwrite ?? false,
          extract,
          ...(upload.size !== undefined ? { size: upload.size } : {}),
          ...(upload.mimetype ? { contentType: upload.mimetype } : {}),
        },
      );

      resources.forget(owner);
      const stored = await resources.resourceOf(owner, args.resource);
      const files = stored ? await resources.filesOf(stored) : [];
      const file = extract ? (files.find((f) => !known.has(f.path)) ?? files[0]) : files.find((f) => f.path === path);
      if (!file) throw gatewayError('FORBIDDEN', 'XNAT did not store the file (no edit permission?).');
      if (!extract && file.size !== null && file.size !== sent) {
        throw gatewayError('UPSTREAM_ERROR', `XNAT lists ${file.size} bytes for ${JSON.stringify(path)}, but ${sent} bytes were sent.`);
      }
      return file;
    },
  }),
  deleteFile: t.id({
    description:
      "Deletes exactly one file; returns the deleted file's id. XNAT's file DELETE removes every file of the resource whose path " +
      'starts with the given path (deleting "IM1" would also take "IM10" and "IM1.bak"), so when other files share the prefix the ' +
      'gateway refuses with CONFLICT and names them (extensions.alsoDeleted): delete the longer paths first, or the whole resource.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const file = await fileFromId(id, ctx);
      await ctx.archive.deleteFile({ resource: { owner: ownerRef(file.resource.owner), label: file.resource.label }, path: file.path });
      ctx.loaders.resources.forget(file.resource.owner);
      return id;
    },
  }),
}));
