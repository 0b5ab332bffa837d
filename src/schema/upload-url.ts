import type { GatewayContext } from '../context.js';
import { ownerRef, type ResourceOwner } from '../loaders/models.js';
import { badUserInput } from '../errors.js';
import { checkResourceLabel } from '../xnat/paths.js';
import { AssessorType } from './assessor.js';
import { builder } from './builder.js';
import { ExperimentInterface } from './experiment.js';
import { nodeIdOf } from './node.js';
import { ProjectType } from './project.js';
import { ResourceType } from './resource.js';
import { ScanType } from './scan.js';
import { SubjectType } from './subject.js';

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

for (const type of [ProjectType, SubjectType, ScanType, AssessorType] as const) {
  builder.objectField(type, 'uploadUrl', (t) =>
    t.string({
      nullable: true,
      description: ownerDescription,
      args: ownerUploadArgs,
      resolve: (owner, args, ctx) => ownerUploadUrl(owner as ResourceOwner, args, ctx),
    }),
  );
}

builder.interfaceField(ExperimentInterface, 'uploadUrl', (t) =>
  t.string({ nullable: true, description: ownerDescription, args: ownerUploadArgs, resolve: ownerUploadUrl }),
);

builder.objectField(ResourceType, 'uploadUrl', (t) =>
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
