import type { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { ResourceOwner } from '../loaders/models.js';
import { FieldQueries } from '../xnat/fields.js';
import { badUserInput, gatewayError } from '../errors.js';
import { checkFieldPath, type FieldValues } from '../xnat/field-paths.js';
import { encodeQuery } from '../xnat/paths.js';
import type { OwnerRef } from '../xnat/records.js';
import { storedAs } from '../xnat/stored-values.js';
import { builder } from './builder.js';
import { decodeNodeId, ownerOfNode } from './ids.js';
import { NodeInterface } from './node.js';

/**
 * `setFields`: pyxnat's `attrs.mset` for a project, subject, experiment, scan, assessor or reconstruction. XNAT
 * applies the values as one PUT of the object (`SecureResource.loadItem`) and answers 200 even
 * when it kept only some of them, so the values are read back as pyxnat's `attrs.get` would; if
 * XNAT did not keep every value, the ones it changed are put back and the mutation fails.
 */

interface FieldValueArg {
  path: string;
  value: string;
}

const FieldValueInput = builder.inputType('FieldValueInput', {
  description: 'One field to set: a shortcut (e.g. "quality", "gender") or an XML path, and its value as XNAT takes it.',
  fields: (t) => ({
    path: t.string({ required: true }),
    value: t.string({ required: true, description: 'The value; "" clears the field. Numbers, dates (YYYY-MM-DD) and booleans as text.' }),
  }),
});

const MAX_VALUES = 50;
/** The query string of the PUT stays well inside the 8 KB request line Tomcat takes. */
const MAX_QUERY_CHARS = 6000;

/** Shortcuts that name the object or that XNAT maintains itself; a field PUT cannot change them. */
const FIXED_SHORTCUTS = new Set(['id', 'label', 'project', 'subject_id', 'xsitype', 'insert_date', 'insert_user', 'last_modified']);
/** The same fields as XML paths (`xnat:subjectData/label`, `…/meta/insert_date`, `…/sharing/share/…`). */
const FIXED_FIELDS = /^(id|label|project|subject_id|imagesession_id|image_session_id|meta\/.*|sharing\/.*)$/i;

function checkValues(values: readonly FieldValueArg[]): Array<readonly [string, string]> {
  if (values.length === 0) throw badUserInput('values must name at least one field.');
  if (values.length > MAX_VALUES) throw badUserInput(`At most ${MAX_VALUES} fields per setFields.`);
  const seen = new Set<string>();
  const pairs = values.map(({ path, value }) => {
    checkFieldPath(path);
    const field = path.includes('/') ? path.slice(path.indexOf('/') + 1) : undefined;
    if (field === undefined ? FIXED_SHORTCUTS.has(path.toLowerCase()) : FIXED_FIELDS.test(field)) {
      throw badUserInput(`${JSON.stringify(path)} names the object or is kept by XNAT itself; setFields does not change it.`);
    }
    if (seen.has(path)) throw badUserInput(`${JSON.stringify(path)} is given twice.`);
    seen.add(path);
    return [path, value] as const;
  });
  if (encodeQuery(Object.fromEntries(pairs)).length > MAX_QUERY_CHARS) {
    throw badUserInput(`The values are too long for one XNAT request (at most ${MAX_QUERY_CHARS} characters once URL-encoded).`);
  }
  return pairs;
}

/** Where XNAT keeps an object's fields: its address under the owning project, its data type, and how its values are read. */
interface Target {
  ref: OwnerRef;
  xsiType: (archive: GatewayContext['archive']) => Promise<string | undefined>;
  read: (queries: FieldQueries, paths: readonly string[]) => Promise<Map<string, string | null>>;
}

const valuesFor = (values: FieldValues, key: string) => values.get(key) ?? new Map<string, string | null>();

function targetOf(object: ResourceOwner): Target {
  switch (object.kind) {
    case 'project':
      return {
        ref: { kind: 'project', project: object.id },
        xsiType: async () => 'xnat:projectData',
        read: async (q, paths) => valuesFor(await q.projectFields(paths), object.id),
      };
    case 'subject':
      return {
        ref: { kind: 'subject', project: object.ownerProject, subject: object.id },
        xsiType: async () => 'xnat:subjectData',
        read: async (q, paths) => valuesFor(await q.subjectFields([object.id], paths), object.id),
      };
    case 'experiment':
      return {
        ref: { kind: 'experiment', project: object.ownerProject, subject: object.subjectId, experiment: object.id },
        xsiType: async () => object.xsiType,
        read: async (q, paths) => valuesFor(await q.experimentFields([object.id], paths), object.id),
      };
    case 'scan': {
      const session = object.session;
      return {
        ref: { kind: 'scan', project: session.ownerProject, subject: session.subjectId, experiment: session.id, scan: object.id },
        // XNAT 1.7 builds the item from xsiType alone (ScanResource before XNAT-7015), so it is always sent.
        xsiType: async (archive) => (await archive.scanTypes(session.id)).get(object.id),
        read: async (q, paths) => valuesFor(await q.scanFields([session.id], paths), `${session.id}/${object.id}`),
      };
    }
    case 'assessor': {
      const session = object.session;
      return {
        ref: { kind: 'assessor', project: session.ownerProject, subject: session.subjectId, experiment: session.id, assessor: object.id },
        xsiType: async () => object.xsiType,
        read: async (q, paths) => valuesFor(await q.experimentFields([object.id], paths), object.id),
      };
    }
    case 'reconstruction': {
      const session = object.session;
      return {
        ref: {
          kind: 'reconstruction',
          project: session.ownerProject,
          subject: session.subjectId,
          experiment: session.id,
          reconstruction: object.id,
        },
        xsiType: async () => 'xnat:reconstructedImageData',
        read: async (q, paths) => valuesFor(await q.reconstructionFields([session.id], paths), `${session.id}/${object.id}`),
      };
    }
  }
}

async function setFields(ctx: GatewayContext, id: string, values: readonly FieldValueArg[]): Promise<ResourceOwner> {
  const ref = ownerOfNode(decodeNodeId(id));
  if (!ref) throw badUserInput('id must be the id of a project, subject, experiment, scan, assessor or reconstruction');
  const pairs = checkValues(values);
  const object = await ctx.loaders.owner(ref);
  if (!object) throw gatewayError('NOT_FOUND', 'The object does not exist or is not visible to you.');
  const target = targetOf(object);
  const paths = pairs.map(([path]) => path);
  const queries = new FieldQueries(ctx.archive.uncached());
  const before = await target.read(queries, paths);
  try {
    await ctx.archive.setFields(target.ref, await target.xsiType(ctx.archive), pairs);
  } catch (error) {
    // An object read through a project that shares it is written through its owner, which XNAT
    // does not find (404) for a user of the sharing project alone: sharing grants read, not edit.
    if (target.ref.project !== ref.project && (error as GraphQLError).extensions?.['code'] === 'NOT_FOUND') {
      throw gatewayError(
        'FORBIDDEN',
        `This object is shared into ${ref.project} for reading; only users of its owning project may edit it.`,
        {
          xnatStatus: 404,
        },
      );
    }
    throw error;
  }
  ctx.forgetLoaded();
  const after = await target.read(queries, paths);
  const unstored = pairs.filter(([path, value]) => !storedAs(value, after.get(path) ?? null)).map(([path]) => path);
  if (unstored.length > 0) {
    const changed = paths.filter((path) => (before.get(path) ?? null) !== (after.get(path) ?? null));
    const restored = await restore(ctx, target, changed, before);
    throw gatewayError(
      'BAD_USER_INPUT',
      `XNAT did not store ${unstored.map((p) => JSON.stringify(p)).join(', ')}: a field the object's type does not have, or a value XNAT did not take. ` +
        (restored ? 'Nothing was changed.' : 'Restoring the values it did change failed; read them back before retrying.'),
      { paths: unstored },
    );
  }
  const updated = await ctx.loaders.owner(ref);
  if (!updated) throw gatewayError('NOT_FOUND', 'The object is no longer visible to you.');
  return updated;
}

/** Puts back the values XNAT changed before it stopped; true when there were none or restoring worked. */
async function restore(
  ctx: GatewayContext,
  target: Target,
  changed: readonly string[],
  before: Map<string, string | null>,
): Promise<boolean> {
  if (changed.length === 0) return true;
  try {
    await ctx.archive.setFields(
      target.ref,
      await target.xsiType(ctx.archive),
      changed.map((path) => [path, before.get(path) ?? ''] as const),
    );
    return true;
  } catch {
    return false;
  }
}

builder.mutationField('setFields', (t) =>
  t.field({
    type: NodeInterface,
    description:
      "Sets fields of a project, subject, experiment, scan, assessor or reconstruction in one XNAT request (pyxnat's attrs.mset) and returns the object as XNAT now has it. " +
      'Each value is read back; when XNAT did not keep all of them (an unknown field, a value of the wrong type) nothing is changed and the error (BAD_USER_INPUT) names the paths. ' +
      'Users who may not edit the object get FORBIDDEN.',
    args: {
      id: t.arg.id({ required: true }),
      values: t.arg({ type: [FieldValueInput], required: true }),
    },
    resolve: (_root, { id, values }, ctx) => setFields(ctx, id, values),
  }),
);
