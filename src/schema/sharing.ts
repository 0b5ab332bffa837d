import { InterfaceRef, type ObjectRef } from '@pothos/core';
import { builder, type SchemaTypes } from './builder.js';
import { ProjectType } from './project.js';

/** What XNAT shares into other projects: listed in `project`, owned by `ownerProject`. */
interface Shareable {
  project: string;
  ownerProject: string;
}

function sharingFields<T extends Shareable>(
  t: PothosSchemaTypes.FieldBuilder<SchemaTypes, T, 'Object' | 'Interface'>,
  noun: string,
  inSharedProject: string,
) {
  return {
    project: t.field({
      type: ProjectType,
      nullable: true,
      description: `The project the ${noun} was listed in: its owner, or a project it is shared into.`,
      resolve: (object, _args, { loaders }) => loaders.projects.project(object.project),
    }),
    ownerProject: t.string({
      description: `ID of the project that owns the ${noun}. When it differs from \`project\`, the ${noun} is shared into \`project\` (its \`label\` there may differ) and ${inSharedProject}.`,
      resolve: (object) => object.ownerProject,
    }),
    shared: t.boolean({
      description: `Whether the ${noun} is listed in a project it is shared into, not in its owner.`,
      resolve: (object) => object.project !== object.ownerProject,
    }),
  };
}

/**
 * `project`, `ownerProject` and `shared` of an object XNAT can share into other projects.
 * `noun` names it in the descriptions; `inSharedProject` says what sharing means for it there.
 */
export function addSharingFields<T extends Shareable>(
  type: ObjectRef<SchemaTypes, T> | InterfaceRef<SchemaTypes, T>,
  noun: string,
  inSharedProject: string,
): void {
  if (type instanceof InterfaceRef) builder.interfaceFields(type, (t) => sharingFields(t, noun, inSharedProject));
  else builder.objectFields(type, (t) => sharingFields(t, noun, inSharedProject));
}
