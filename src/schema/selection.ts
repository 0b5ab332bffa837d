import { collectSubFields } from '@graphql-tools/utils';
import {
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

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

/** Fields through which a node reads its resources. */
const RESOURCE_FIELDS = new Set(['resources', 'resource']);

/**
 * The fields selected on the nodes of this connection field — under `nodes` and under
 * `edges { node }` — each with its field nodes, in the order the executor resolves them
 * (fragments, @skip and @include applied by the executor's own collectSubFields; deferred
 * fields left out). Empty when the nodes are not of one object type.
 */
function nodeSelections(info: GraphQLResolveInfo): FieldNode[][] {
  // The executor hands collectSubFields graphql 16's plain variable map, as `info` holds it;
  // @graphql-tools/utils types that argument in graphql 17's shape.
  const variables = info.variableValues as unknown as Parameters<typeof collectSubFields>[2];
  const subFields = (type: GraphQLObjectType, nodes: FieldNode[]) =>
    collectSubFields(info.schema, info.fragments, variables, type, nodes).fields.values();
  const connection = getNamedType(info.returnType);
  if (!isObjectType(connection)) return [];
  const out: FieldNode[][] = [];
  for (const nodes of subFields(connection, info.fieldNodes as FieldNode[])) {
    const field = connection.getFields()[nodes[0]!.name.value];
    const type = field && getNamedType(field.type);
    if (!type || !isObjectType(type)) continue;
    if (field.name === 'nodes') out.push(...subFields(type, nodes));
    if (field.name === 'edges') {
      const node = type.getFields()['node'];
      const nodeType = node && getNamedType(node.type);
      if (!nodeType || !isObjectType(nodeType)) continue;
      for (const edgeFields of subFields(type, nodes))
        if (edgeFields[0]!.name.value === 'node') out.push(...subFields(nodeType, edgeFields));
    }
  }
  return out;
}

/**
 * Whether the nodes of this connection field read their resources, and with which hint: that of
 * the first field that does (`resources` or `resource`), which is the one whose resolver would
 * load them. Null when none does.
 */
export function nodesReadResources(info: GraphQLResolveInfo): { files: boolean } | null {
  // Asked by every session of a list, with the same field nodes and variables: read once.
  let ofExecution = readResources.get(info.variableValues);
  if (!ofExecution) readResources.set(info.variableValues, (ofExecution = new WeakMap()));
  let reading = ofExecution.get(info.fieldNodes);
  if (reading === undefined) {
    const first = nodeSelections(info).find((nodes) => RESOURCE_FIELDS.has(nodes[0]!.name.value));
    reading = first ? { files: first.some((node) => selectsWithin(node.selectionSet, info, 3)) } : null;
    ofExecution.set(info.fieldNodes, reading);
  }
  return reading;
}

/** nodesReadResources' answers, by execution (its variables) and field. */
const readResources = new WeakMap<object, WeakMap<readonly FieldNode[], { files: boolean } | null>>();
