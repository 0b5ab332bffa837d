import { handleMaybePromise } from '@whatwg-node/promise-helpers';
import { InterfaceRef, type ObjectRef } from '@pothos/core';
import type { ResourceOwner } from '../loaders/models.js';
import { builder, listConnection, type SchemaTypes } from './builder.js';
import { ORDER_BY_DESCRIPTION, resourceOrder } from './ordering.js';
import { ResourceConnection, ResourceType } from './resource.js';
import { selectsFiles } from './selection.js';
import { addUploadUrl } from './upload-url.js';

type OwnerRef<T extends ResourceOwner> = ObjectRef<SchemaTypes, T> | InterfaceRef<SchemaTypes, T>;

/**
 * The fields every holder of resources has: `resources`, `resource(label)` and `uploadUrl`.
 * Each owner's schema file calls this once, so a new owner gets them all from one line.
 */
function resourceFields<T extends ResourceOwner>(
  t: PothosSchemaTypes.FieldBuilder<SchemaTypes, T, 'Object' | 'Interface'>,
  resourcesDescription: string,
) {
  return {
    resources: t.connection(
      {
        type: ResourceType,
        nullable: true,
        description: resourcesDescription,
        args: { orderBy: t.arg({ type: [resourceOrder.input], required: false, description: ORDER_BY_DESCRIPTION }) },
        resolve: (owner, args, { loaders }, info) =>
          handleMaybePromise(
            () => loaders.resources.resourcesOf(owner, { files: selectsFiles(info) }),
            (list) => listConnection(args, resourceOrder.sort(list, args.orderBy)),
          ),
      },
      ResourceConnection,
    ),
    resource: t.field({
      type: ResourceType,
      nullable: true,
      description: 'A resource by label (or numeric resource ID); null when absent.',
      args: { label: t.arg.string({ required: true }) },
      resolve: (owner, { label }, { loaders }, info) => loaders.resources.resourceOf(owner, label, { files: selectsFiles(info) }),
    }),
  };
}

/**
 * The fields every holder of resources has: `resources`, `resource(label)` and `uploadUrl`.
 * Each owner's schema file calls this once, so a new owner gets them all from one line.
 */
export function addResourceOwnerFields<T extends ResourceOwner>(type: OwnerRef<T>, resourcesDescription: string): void {
  if (type instanceof InterfaceRef) builder.interfaceFields(type, (t) => resourceFields(t, resourcesDescription));
  else builder.objectFields(type, (t) => resourceFields(t, resourcesDescription));
  addUploadUrl(type);
}
