import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, uploadRequest, type Credentials, type Stack } from '../support/stack.js';

/**
 * A site may change what a project's groups may do (here: collaborators of PROT_NEURO write its
 * data). The gateway's check before spooling an upload must then follow XNAT, not XNAT's default
 * role permissions.
 */
const COLLAB: Credentials = { user: 'collab', password: 'collab' };
const UPLOAD = `mutation($p: ID!, $file: Upload!) { uploadFile(parent: $p, resource: "COLLAB_NOTES", file: $file) { name size } }`;
const FILES = `query($p: ID!) { node(id: $p) { ... on Experiment { resource(label: "COLLAB_NOTES") { files { nodes { name } } } } } }`;

describe.each([
  { site: "XNAT's default permissions", customised: false },
  { site: 'collaborators may write data', customised: true },
])('uploads by a collaborator ($site)', ({ customised }) => {
  let stack: Stack;
  let session: string;
  beforeAll(async () => {
    stack = await startStack({
      emulator: customised
        ? { groupPermissions: [{ project: 'PROT_NEURO', role: 'collaborator', actions: ['read', 'edit', 'create'] }] }
        : {},
    });
    const response = await stack.graphql(
      `{ project(id: "PROT_NEURO") { subject(label: "NEURO-02") { experiments { nodes { id } } } } }`,
      {},
      COLLAB,
    );
    session = response.data.project.subject.experiments.nodes[0].id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(customised ? 'are stored, as XNAT permits them' : 'are refused before the file is read', async () => {
    const sent = await uploadRequest(
      stack,
      UPLOAD,
      { p: session },
      { name: 'notes.txt', bytes: new TextEncoder().encode('qc ok') },
      COLLAB,
    );
    const listed = await stack.graphql(FILES, { p: session }, COLLAB);
    const asked = stack.emulator.requests.entries().filter((e) => e.path === '/data/projects' && e.query.includes('permissions=edit'));
    // XNAT is asked only because the collaborator's groups do not allow the write by default.
    expect(asked.map((e) => new URLSearchParams(e.query).get('dataType'))).toEqual(['xnat:mrSessionData']);
    if (customised) {
      expect(sent.errors).toBeUndefined();
      expect(sent.data.uploadFile).toEqual({ name: 'notes.txt', size: 5 });
      expect(listed.data.node.resource.files.nodes).toEqual([{ name: 'notes.txt' }]);
    } else {
      expect(sent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(listed.data.node.resource).toBeNull();
    }
  });
});
