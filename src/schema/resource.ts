import { handleMaybePromise } from '@whatwg-node/promise-helpers';
import type { GatewayContext } from '../context.js';
import { ownerRef, type Resource, type ResourceOwner } from '../loaders/models.js';
import { badUserInput, gatewayError } from '../errors.js';
import { checkName, checkResourceLabel, checkScanType } from '../xnat/paths.js';
import { builder, connectionOf, listConnection } from './builder.js';
import { FileConnection, FileType } from './file.js';
import { decodeNodeId, loadNodeOf, ownerOfNode } from './ids.js';
import { NodeInterface, nodeIdOf } from './node.js';
import { addResourceUploadUrl } from './upload-url.js';

export const ResourceType = builder.objectRef<Resource>('Resource');

/**
 * A gateway download URL for a zip of a scan's or session's files; the names are checked here so
 * that a bad one is a field error (BAD_USER_INPUT), not a failed download.
 */
export function downloadUrlOf(
  baseUrl: string,
  kind: 'scan' | 'experiment',
  id: string,
  params: { resource: readonly string[]; scanType?: readonly string[] },
): string {
  const query = new URLSearchParams();
  for (const type of params.scanType ?? []) query.append('scanType', checkScanType(type));
  for (const label of params.resource) query.append('resource', checkName(label, 'resource label'));
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return `${baseUrl}/download/${kind}/${id}${search}`;
}

ResourceType.implement({
  description:
    'A resource (folder of files, e.g. DICOM, NIFTI, SNAPSHOTS) of a project, subject, experiment, scan, assessor or reconstruction.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    label: t.exposeString('label'),
    resourceId: t.exposeInt('dbId', { description: "XNAT's numeric resource ID (xnat_abstractresource_id)." }),
    format: t.exposeString('format', { nullable: true }),
    content: t.exposeString('content', { nullable: true }),
    tags: t.exposeStringList('tags'),
    fileCount: t.int({
      description: 'Number of files (from the file listing when XNAT has not computed it).',
      // Synchronous when the listing gave it: a promise per resource adds up over a whole archive.
      resolve: (r, _args, { loaders }) =>
        r.fileCount ??
        handleMaybePromise(
          () => loaders.resources.filesOf(r),
          (files) => files.length,
        ),
    }),
    totalSize: t.field({
      type: 'SafeInt',
      description: 'Total size of the files in bytes.',
      resolve: (r, _args, { loaders }) =>
        r.totalSize ??
        handleMaybePromise(
          () => loaders.resources.filesOf(r),
          (files) => files.reduce((sum, f) => sum + (f.size ?? 0), 0),
        ),
    }),
    parent: t.field({
      type: NodeInterface,
      description: 'The project, subject, experiment, scan, assessor or reconstruction holding the resource.',
      resolve: (r) => r.owner,
    }),
    files: t.connection(
      {
        type: FileType,
        nullable: true,
        resolve: (r, args, { loaders }) =>
          handleMaybePromise(
            () => loaders.resources.filesOf(r),
            (files) => listConnection(args, files),
          ),
      },
      FileConnection,
    ),
    file: t.field({
      type: FileType,
      nullable: true,
      description: 'A file by its path inside the resource (or by name when unique); null when absent.',
      args: { name: t.arg.string({ required: true }) },
      resolve: (r, { name }, { loaders }) => loaders.resources.fileOf(r, name),
    }),
    downloadUrl: t.string({
      description:
        'A zip of all files of the resource, served by the gateway and saved as `<session>_<scan>_<resource>.zip` (`<session>_<resource>.zip`, `<subject>_<resource>.zip`, `<project>_<resource>.zip` above scans).',
      resolve: (r, _args, { baseUrl }) => `${baseUrl}/download/resource/${nodeIdOf(r)}`,
    }),
  }),
});

export const ResourceConnection = connectionOf(ResourceType, 'ResourceConnection');

/** The project, subject, experiment, scan, assessor or reconstruction a node id names; NOT_FOUND when it is gone or hidden. */
export async function ownerFromId(id: string, { loaders }: GatewayContext): Promise<ResourceOwner> {
  const ref = ownerOfNode(decodeNodeId(id));
  if (!ref) throw badUserInput('parent must be the id of a project, subject, experiment, scan, assessor or reconstruction');
  const owner = await loaders.owner(ref);
  if (!owner) throw gatewayError('NOT_FOUND', 'The parent object does not exist or is not visible to you.');
  return owner;
}

export function resourceFromId(id: string, { loaders }: GatewayContext): Promise<Resource> {
  return loadNodeOf(id, 'resource', (ref) => loaders.resource(ref));
}

builder.mutationFields((t) => ({
  createResource: t.field({
    type: ResourceType,
    description:
      'Creates an empty resource under a project, subject, experiment, scan, assessor or reconstruction (CONFLICT when the label is taken).',
    args: {
      parent: t.arg.id({ required: true }),
      label: t.arg.string({ required: true }),
      format: t.arg.string({ required: false }),
    },
    resolve: async (_root, { parent, label, format }, ctx) => {
      checkResourceLabel(label);
      const owner = await ownerFromId(parent, ctx);
      if (await ctx.loaders.resources.resourceOf(owner, label))
        throw gatewayError('CONFLICT', `A resource ${JSON.stringify(label)} already exists there.`);
      await ctx.archive.createResource({ owner: ownerRef(owner), label }, format ?? undefined);
      ctx.loaders.resources.forget(owner);
      const created = await ctx.loaders.resources.resourceOf(owner, label);
      if (!created) throw gatewayError('FORBIDDEN', 'XNAT did not create the resource (no edit permission?).');
      return created;
    },
  }),
  deleteResource: t.id({
    description: "Deletes a resource with all its files; returns the deleted resource's id.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const resource = await resourceFromId(id, ctx);
      await ctx.archive.deleteResource({ owner: ownerRef(resource.owner), label: resource.label });
      ctx.loaders.resources.forget(resource.owner);
      return id;
    },
  }),
}));

addResourceUploadUrl(ResourceType);
