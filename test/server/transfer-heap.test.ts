import { randomBytes } from 'node:crypto';
import { get, type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { heapPolicy } from '../../src/heap-policy.js';
import { ADMIN, basic, multipartRequest, startStack, type Stack } from '../support/stack.js';

/**
 * The routes that stream files mark them with the heap policy while the bytes flow
 * (src/heap-policy.ts), and give the mark back when they end: a mark left behind would lift the
 * policy's bound for the rest of the process. The policy is the process's, so the gateway of
 * this file (in the test's process) marks the instance read here.
 */

const SIZE = 8 * 1024 * 1024;
const UPLOAD = /* GraphQL */ `
  mutation Upload($parent: ID!, $file: Upload!) {
    uploadFile(parent: $parent, resource: "heap", file: $file, name: "multipart.bin", overwrite: true) { size }
  }
`;

let stack: Stack;
let project: string;

beforeAll(async () => {
  stack = await startStack({ gateway: { credentials: ADMIN } });
  const ids = await stack.graphql('{ project(id: "test") { id } }');
  expect(ids.errors).toBeUndefined();
  project = ids.data.project.id;
});

afterAll(async () => {
  await stack?.close();
});

const rawUploadUrl = (name: string) => `${stack.gateway.url}/upload/${encodeURIComponent(project)}/heap/${name}?overwrite=true`;

/** Sends a raw upload in two halves and reports the marks in flight between them. */
function rawUpload(name: string, bytes: Buffer): Promise<{ status: number; marksMidway: number }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: basic(ADMIN), 'graphql-preflight': '1', 'content-length': String(bytes.length) };
    const req = request(rawUploadUrl(name), { method: 'PUT', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, marksMidway }));
    });
    req.on('error', reject);
    let marksMidway = -1;
    req.write(bytes.subarray(0, bytes.length / 2), async () => {
      await vi.waitFor(() => expect(heapPolicy.transfers).toBe(1));
      marksMidway = heapPolicy.transfers;
      req.end(bytes.subarray(bytes.length / 2));
    });
  });
}

describe('file transfers and the heap policy', () => {
  it('a raw upload is marked while its body arrives, and unmarked once answered', async () => {
    const { status, marksMidway } = await rawUpload('raw.bin', randomBytes(SIZE));
    expect(status).toBe(200);
    expect(marksMidway).toBe(1);
    await vi.waitFor(() => expect(heapPolicy.transfers).toBe(0));
  });

  it('a download is marked while its bytes flow, and unmarked when the client has them all or goes away', async () => {
    const listed = await stack.graphql('{ project(id: "test") { resource(label: "heap") { files { nodes { name downloadUrl } } } } }');
    const url = listed.data.project.resource.files.nodes.find((f: { name: string }) => f.name === 'raw.bin').downloadUrl;
    const open = () =>
      new Promise<IncomingMessage>((resolve, reject) =>
        get(url, { headers: { authorization: basic(ADMIN) } }, resolve).on('error', reject),
      );

    // Not read yet: the gateway's pipeline waits on the client, still marked.
    const read = await open();
    expect(read.statusCode).toBe(200);
    expect(heapPolicy.transfers).toBe(1);
    let received = 0;
    for await (const chunk of read) received += (chunk as Buffer).length;
    expect(received).toBe(SIZE);
    await vi.waitFor(() => expect(heapPolicy.transfers).toBe(0));

    const dropped = await open();
    expect(heapPolicy.transfers).toBe(1);
    dropped.destroy();
    await vi.waitFor(() => expect(heapPolicy.transfers).toBe(0));
  });

  it('a multipart upload is marked until answered; one refused before its body is not marked at all', async () => {
    const operations = { query: UPLOAD, variables: { parent: project, file: null } };
    const files = [{ field: '0', bytes: randomBytes(SIZE), filename: 'multipart.bin' }];
    const uploaded = await multipartRequest(stack.gateway.graphqlUrl, operations, { 0: ['variables.file'] }, files);
    expect(uploaded.errors).toBeUndefined();
    expect(uploaded.data.uploadFile.size).toBe(SIZE);
    await vi.waitFor(() => expect(heapPolicy.transfers).toBe(0));

    const refused = await multipartRequest(stack.gateway.graphqlUrl, operations, { 0: ['variables.file'] }, files, { preflight: false });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(heapPolicy.transfers).toBe(0);
  });
});
