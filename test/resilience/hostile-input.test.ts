import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/schema/ids.js';
import { startStack, uploadRequest, type Stack } from '../support/stack.js';

/** Labels that would point a naive URL builder at another XNAT object or route: refused outright. */
const REFUSED = ['..', '.', '', 'a/../../b', '../../projects', 'x\\y', 'a\u0000b', 'line\nbreak', 'E1,E2', 'ALL', '*'];
/**
 * Labels that need a `%` escape in a URL: XNAT does not decode resource segments, so they could
 * only ever name another label. Refused before XNAT, like the ones above.
 */
const ENCODED = ['%2e%2e', '..%2F..', 'test?format=zip', 'x#y', 'a;jsessionid=1'];
const HOSTILE = [...REFUSED, ...ENCODED];
/** XNAT reads lists and ALL in object segments, not in file paths: there these are plain names. */
const FILE_NAMES = new Set(['E1,E2', 'ALL']);

describe('labels and ids never reach another XNAT URL', () => {
  let stack: Stack;
  let ids: { project: string; scan: string };

  beforeAll(async () => {
    stack = await startStack();
    const { data } = await stack.graphql(
      '{ project(id: "test") { id subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { id } } } } }',
    );
    ids = { project: data.project.id, scan: data.project.subject.experiment.scan.id };
  });
  afterAll(() => stack.close());

  /** Every request XNAT saw is a path that means what it says: nothing for a server to normalise away. */
  function assertPathsStayed() {
    for (const { path } of stack.emulator.requests.entries()) {
      // The gateway also asks XNAT its version once (src/xnat/version.ts), and the caller's groups
      // before a write (src/schema/file.ts): fixed paths that no input shapes.
      expect(path.startsWith('/data/') || path === '/xapi/siteConfig/buildInfo' || path === '/xapi/users/admin/groups', path).toBe(true);
      expect(new URL(path, 'http://xnat.invalid').pathname).toBe(path);
      for (const segment of path.split('/').slice(1)) {
        const decoded = decodeURIComponent(segment);
        expect(['.', '..']).not.toContain(decoded);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
        expect(decoded).not.toMatch(/[\\/\u0000-\u001f]/);
      }
    }
  }

  /** Each lookup by `label`, and where its answer puts the object found. */
  const lookups = (label: string) =>
    [
      ['project(id)', `{ project(id: ${JSON.stringify(label)}) { label } }`, (d: any) => d.project],
      ['subject(label)', `{ project(id: "test") { subject(label: ${JSON.stringify(label)}) { label } } }`, (d: any) => d.project.subject],
      [
        'experiment(label)',
        `{ project(id: "test") { subject(label: "sub-01") { experiment(label: ${JSON.stringify(label)}) { label } } } }`,
        (d: any) => d.project.subject.experiment,
      ],
      [
        'scan(id)',
        `{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: ${JSON.stringify(label)}) { label } } } } }`,
        (d: any) => d.project.subject.experiment.scan,
      ],
      [
        'resource(label)',
        `{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { resource(label: ${JSON.stringify(label)}) { label } } } } } }`,
        (d: any) => d.project.subject.experiment.scan.resource,
      ],
      [
        'file(name)',
        `{ project(id: "test") { subject(label: "sub-01") { experiment(label: "sub-01_MR1") { scan(id: "2") { resource(label: "nifti") { file(name: ${JSON.stringify(label)}) { name } } } } } } }`,
        (d: any) => d.project.subject.experiment.scan.resource.file,
      ],
    ] as const;

  it.each(HOSTILE)('lookups by %j find nothing and ask XNAT nothing unusual', async (label) => {
    stack.emulator.requests.clear();
    for (const [name, query, found] of lookups(label)) {
      const response = await stack.graphql(query);
      // No such object: an answer of null, as for any label that names nothing, not an error.
      expect(response.errors, name).toBeUndefined();
      expect(found(response.data), name).toBeNull();
    }
    assertPathsStayed();
  });

  it.each(REFUSED)('writes with %j as resource label, file name or forged id coordinate are refused before XNAT', async (label) => {
    stack.emulator.requests.clear();
    const create = await stack.graphql('mutation ($p: ID!, $l: String!) { createResource(parent: $p, label: $l) { id } }', {
      p: ids.scan,
      l: label,
    });
    expect(create.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    if (!FILE_NAMES.has(label)) {
      const upload = await uploadRequest(
        stack,
        'mutation ($p: ID!, $file: Upload!, $n: String) { uploadFile(parent: $p, resource: "safe", file: $file, name: $n) { id } }',
        { p: ids.scan, n: label },
        { name: 'x.txt', bytes: new TextEncoder().encode('x') },
      );
      expect(upload.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    for (const forged of [
      encodeNodeId({ level: 'resource', ref: { owner: { kind: 'project', project: 'test' }, label } }),
      ...(FILE_NAMES.has(label)
        ? []
        : [
            encodeNodeId({
              level: 'file',
              ref: { resource: { owner: { kind: 'project', project: 'test' }, label: 'protocols' }, path: label },
            }),
          ]),
      encodeNodeId({ level: 'scan', ref: { project: 'test', subject: label, experiment: label, scan: label } }),
    ]) {
      const deleted = await stack.graphql('mutation ($id: ID!) { deleteResource(id: $id) }', { id: forged });
      expect(['BAD_USER_INPUT']).toContain(deleted.errors?.[0]?.extensions?.code);
      const download = await fetch(`${stack.gateway.url}/download/file/${forged}`, {
        headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      });
      expect(download.status).toBe(400);
    }
    assertPathsStayed();
    expect(stack.emulator.requests.entries().filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it.each(ENCODED)('a resource labelled %j is refused, as XNAT would store it under its escaped spelling', async (label) => {
    stack.emulator.requests.clear();
    const create = await stack.graphql('mutation ($p: ID!, $l: String!) { createResource(parent: $p, label: $l) { label uri } }', {
      p: ids.scan,
      l: label,
    });
    expect(create.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(create.errors?.[0]?.message).toContain('XNAT does not decode');
    assertPathsStayed();
    expect(stack.emulator.requests.entries().filter((e) => e.method !== 'GET')).toEqual([]);
  });
});
