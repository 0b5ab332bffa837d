import type { GatewayContext } from '../context.js';
import { ownerRef, type Resource, type ResourceOwner } from '../loaders/models.js';
import { badUserInput } from '../errors.js';
import { checkResourceLabel } from '../xnat/paths.js';
import { builder, type SchemaTypes } from './builder.js';
import { InterfaceRef, type ObjectRef } from '@pothos/core';
import { nodeIdOf } from './node.js';

const DESCRIPTION =
  'Where to `PUT` one file as the raw request body (with its Content-Length and a `graphql-preflight: 1` header) to store it ' +
  "as `uploadFile` would, streamed to XNAT as it is; the answer is `uploadFile`'s JSON. Names XNAT cannot address are refused here, " +
  'as uploadFile refuses them.';

/** The raw-upload URL of a file: parent id, resource label and path segments, each percent-encoded. */
function uploadUrlOf(
  baseUrl: string,
  parent: string,
  resource: string,
  path: string,
  flags: { overwrite?: boolean; extract?: boolean },
): string {
  const query = new URLSearchParams();
  if (flags.overwrite) query.set('overwrite', 'true');
  if (flags.extract) query.set('extract', 'true');
  const segments = [parent, resource, ...path.split('/')].map(encodeURIComponent).join('/');
  return `${baseUrl}/upload/${segments}${query.size > 0 ? `?${query.toString()}` : ''}`;
}

/** The raw-upload URL of a file, once its names are known to reach XNAT as given (uploadFile's checks). */
async function checkedUploadUrl(
  owner: ResourceOwner,
  resource: string,
  name: string,
  flags: { overwrite: boolean; extract: boolean },
  ctx: GatewayContext,
): Promise<string> {
  checkResourceLabel(resource);
  if (flags.extract && name.includes('/'))
    throw badUserInput('With extract, name must be a file name without folders: XNAT unpacks archives into the resource root.');
  await ctx.archive.fileAddress({ resource: { owner: ownerRef(owner), label: resource }, path: name });
  return uploadUrlOf(ctx.baseUrl, nodeIdOf(owner), resource, name, flags);
}

/** The arguments of `uploadUrl` on everything that holds resources. */
const ownerUploadArgs = builder.args((t) => ({
  resource: t.string({ required: true }),
  name: t.string({ required: true, description: 'Path inside the resource; may contain folders.' }),
  overwrite: t.boolean({ required: false, defaultValue: false }),
  extract: t.boolean({ required: false, defaultValue: false }),
}));

function ownerUploadUrl(
  owner: ResourceOwner,
  args: { resource: string; name: string; overwrite?: boolean | null; extract?: boolean | null },
  ctx: GatewayContext,
): Promise<string> {
  return checkedUploadUrl(owner, args.resource, args.name, { overwrite: args.overwrite ?? false, extract: args.extract ?? false }, ctx);
}

const ownerDescription = `${DESCRIPTION} The resource is created when missing.`;

/** Adds `uploadUrl` to the object type (or interface) of a resource owner; each owner's schema file calls it. */
export function addUploadUrl<T extends ResourceOwner>(type: ObjectRef<SchemaTypes, T> | InterfaceRef<SchemaTypes, T>): void {
  const options = { nullable: true, description: ownerDescription } as const;
  if (type instanceof InterfaceRef) {
    builder.interfaceField(type, 'uploadUrl', (t) => t.string({ ...options, args: ownerUploadArgs, resolve: ownerUploadUrl }));
  } else {
    builder.objectField(type, 'uploadUrl', (t) => t.string({ ...options, args: ownerUploadArgs, resolve: ownerUploadUrl }));
  }
}

/** Adds `uploadUrl` to Resource: a file into that resource. */
export function addResourceUploadUrl(type: ObjectRef<SchemaTypes, Resource>): void {
  builder.objectField(type, 'uploadUrl', (t) =>
    t.string({
      nullable: true,
      description: DESCRIPTION,
      args: {
        name: t.arg.string({ required: true, description: 'Path inside the resource; may contain folders.' }),
        overwrite: t.arg.boolean({ required: false, defaultValue: false }),
        extract: t.arg.boolean({ required: false, defaultValue: false }),
      },
      resolve: (r, args, ctx) =>
        checkedUploadUrl(r.owner, r.label, args.name, { overwrite: args.overwrite ?? false, extract: args.extract ?? false }, ctx),
    }),
  );
}
