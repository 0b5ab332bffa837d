import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Fields that list a resource's files. */
const FILE_FIELDS = new Set(['files', 'file']);

function selectsWithin(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, depth: number): boolean {
  if (!set || depth === 0) return false;
  return set.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return FILE_FIELDS.has(selection.name.value) || selectsWithin(selection.selectionSet, info, depth - 1);
      case Kind.INLINE_FRAGMENT:
        return selectsWithin(selection.selectionSet, info, depth);
      case Kind.FRAGMENT_SPREAD:
        return selectsWithin(info.fragments[selection.name.value]?.selectionSet, info, depth);
      default:
        return false;
    }
  });
}

/**
 * Whether the resources this field resolves will have their files read: `files`/`file` under
 * the field itself (`resource(label)`), its `nodes` or its `edges { node }`. The resource
 * listing then fetches the files in the same round (loaders/resources.ts).
 */
export function selectsFiles(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) => selectsWithin(node.selectionSet, info, 3));
}
