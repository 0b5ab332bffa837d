import { parse } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { compilable, compiledFields, MAX_COMPILED_FIELDS } from '../../src/server/compiled-execution.js';
import { ADMIN, basic, startStack, type Stack } from '../support/stack.js';

/**
 * Operations run on graphql-jit, which writes parts of a document into code it compiles; a
 * document that could turn that against the gateway runs on yoga's executor instead.
 */

/** Experiments nested through `Scan.session` (an Experiment: five object types each time). */
function nestedSessions(levels: number): string {
  let selection = '{ label }';
  for (let i = 0; i < levels; i++) selection = `{ label modality scans { nodes { label type session ${selection} } } }`;
  return `{ experiments { nodes ${selection} } }`;
}

const WHOLE_TREE = `{ projects { nodes { label subjects { nodes { label experiments { nodes { label ... on MrSession { fieldStrength }
  scans { nodes { label type resources { nodes { label format fileCount totalSize files { nodes { name path size } } } } } } } } } } } } }`;

/** graphql-jit's marker for a Date in the code it generates: what follows it in a string became code. */
const MARKED = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d(globalThis.xnatGraphqlInjected = true, 0)';

describe('which documents graphql-jit compiles', () => {
  it('compiles an archive tree, not documents it could not run safely or at all', () => {
    expect(compilable(schema, parse(WHOLE_TREE))).toBe(true);
    expect(compilable(schema, parse('{ projects @stream { totalCount } }'))).toBe(false);
    expect(compilable(schema, parse('query A { __typename } query B { __typename }'))).toBe(false);
    expect(compilable(schema, parse(`{ project(id: ${JSON.stringify(MARKED)}) { label } }`))).toBe(false);
    // The same marker written with an escape, as GraphQL reads it.
    expect(compilable(schema, parse(`{ project(id: "\\u005F${MARKED.slice(1)}") { label } }`))).toBe(false);
  });

  it('counts fields once per object type an abstract field may answer, and stops counting past the bound', () => {
    expect(compiledFields(schema, parse('{ projects { nodes { label } } }'))).toBe(3);
    // `experiments { nodes` (2), then for each of the five experiment types `label modality scans
    // { nodes { label type session` (7) and below `session`, again per type, `label` (5).
    expect(compiledFields(schema, parse(nestedSessions(1)))).toBe(2 + 5 * (7 + 5));
    expect(compilable(schema, parse(nestedSessions(2)))).toBe(true);
    expect(compiledFields(schema, parse(nestedSessions(20)))).toBe(MAX_COMPILED_FIELDS + 1);
    expect(compilable(schema, parse(nestedSessions(3)))).toBe(false);
  });
});

describe('documents graphql-jit must not run', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = async (body: Record<string, unknown>) => {
    const response = await request(stack.gateway.graphqlUrl, {
      method: 'POST',
      headers: { authorization: basic(ADMIN), 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.body.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  };

  it('takes a string holding graphql-jit markers as a string', async () => {
    for (const id of [MARKED, `\\u005F${MARKED.slice(1)}`]) {
      const answer = await post({ query: `{ project(id: "${id}") { label } }` });
      expect(answer).toEqual({ data: { project: null } });
    }
    expect((globalThis as { xnatGraphqlInjected?: boolean }).xnatGraphqlInjected).toBeUndefined();
  });

  it('runs the operation asked for, whichever of a document was asked before', async () => {
    const document = 'query Counted { projects { totalCount } } query Typed { __typename }';
    for (const round of [1, 2]) {
      expect(await post({ query: document, operationName: 'Typed' }), `round ${round}`).toEqual({ data: { __typename: 'Query' } });
      expect((await post({ query: document, operationName: 'Counted' })).data?.projects.totalCount).toBeGreaterThan(0);
    }
  });

  it('refuses selections multiplied through abstract fields by their cost, without compiling them', async () => {
    const answer = await post({ query: nestedSessions(6) });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect((await post({ query: '{ projects { totalCount } }' })).data?.projects.totalCount).toBeGreaterThan(0);
  });
});
