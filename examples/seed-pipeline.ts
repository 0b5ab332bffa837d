/**
 * The seed walkthrough's processing example through GraphQL: find every `mprage` scan of a
 * project with its NIfTI file, download each (streamed to disk), process it with a command,
 * upload the result next to it and check that it arrived. Results from --raw-upload-from bytes
 * on (default 8 MiB) go up as the raw body of a `PUT` to the scan's `uploadUrl`, smaller ones as
 * a GraphQL multipart request; both answer `uploadFile`'s JSON.
 *
 *   npx tsx examples/seed-pipeline.ts --endpoint http://127.0.0.1:4000/graphql --user admin --password admin
 *   npx tsx examples/seed-pipeline.ts --command 'bet {in} {out}'      # FSL's brain extraction
 */
import { spawn } from 'node:child_process';
import { createWriteStream, openAsBlob } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { print, type DocumentNode } from 'graphql';
import {
  CheckFileDocument,
  MprageScansDocument,
  ResultUploadUrlDocument,
  UploadResultDocument,
  type UploadResultMutation,
} from './generated/operations.js';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

interface Options {
  endpoint: string;
  user?: string;
  password?: string;
  project: string;
  scanType: string;
  resource: string;
  file: string;
  out: string;
  command?: string;
  /** Results of at least this many bytes go through the raw upload route. */
  rawUploadFrom: number;
  quiet: boolean;
}

interface Outcome {
  subject: string;
  session: string;
  scan: string;
  downloaded: number;
  uploaded: string;
  size: number;
  verified: boolean;
}

class GraphQLClient {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly endpoint: string,
    user?: string,
    password?: string,
  ) {
    this.headers = user ? { authorization: `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}` } : {};
  }

  async request<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: print(document as DocumentNode), variables }),
    });
    return this.unwrap<R>(response);
  }

  /** A GraphQL multipart request: the file streams from disk, never whole in memory. */
  async upload<R, V>(document: TypedDocumentNode<R, V>, variables: V, path: string): Promise<R> {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: print(document as DocumentNode), variables: { ...variables, file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', await openAsBlob(path), basename(path));
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { ...this.headers, 'graphql-preflight': '1' },
      body: form,
    });
    return this.unwrap<R>(response);
  }

  /** The file as the raw body of a `PUT` to an `uploadUrl`, streamed from disk with its length. */
  async put<R>(url: string, path: string): Promise<R> {
    const response = await fetch(url, {
      method: 'PUT',
      headers: { ...this.headers, 'graphql-preflight': '1' },
      body: await openAsBlob(path),
    });
    return this.unwrap<R>(response);
  }

  async download(url: string, target: string, onBytes: (total: number, done: number) => void): Promise<number> {
    const response = await fetch(url, { headers: this.headers });
    if (!response.ok || !response.body) throw new Error(`download of ${url} failed: HTTP ${response.status}`);
    const total = Number(response.headers.get('content-length') ?? 0);
    let done = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        done += chunk.length;
        onBytes(total, done);
        callback(null, chunk);
      },
    });
    await pipeline(response.body, counter, createWriteStream(target));
    return done;
  }

  private async unwrap<R>(response: Response): Promise<R> {
    const body = (await response.json()) as { data?: R; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (body.errors?.length) {
      const [first] = body.errors;
      throw new Error(`${first?.extensions?.code ?? 'ERROR'}: ${first?.message}`);
    }
    if (!body.data) throw new Error(`no data in the answer (HTTP ${response.status})`);
    return body.data;
  }
}

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** Runs the processing step; without a command it copies, as FSL's `bet` is rarely installed. */
async function processVolume(command: string | undefined, input: string, output: string): Promise<void> {
  if (!command) {
    await copyFile(input, output);
    return;
  }
  const line = command.replaceAll('{in}', shellQuote(input)).replaceAll('{out}', shellQuote(output));
  await new Promise<void>((done, fail) => {
    const child = spawn(line, { shell: true, stdio: 'inherit' });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`"${line}" exited with ${code}`))));
  });
}

/** A large result through the raw route: the scan's `uploadUrl`, then the bytes as the body. */
async function uploadRaw(client: GraphQLClient, scan: string, resource: string, path: string): Promise<UploadResultMutation> {
  const found = await client.request(ResultUploadUrlDocument, { parent: scan, resource, name: basename(path) });
  const url = found.node && 'uploadUrl' in found.node ? found.node.uploadUrl : null;
  if (!url) throw new Error(`no upload URL for scan ${scan}`);
  return client.put<UploadResultMutation>(url, path);
}

export async function runPipeline(options: Options): Promise<Outcome[]> {
  const client = new GraphQLClient(options.endpoint, options.user, options.password);
  const found = await client.request(MprageScansDocument, {
    project: options.project,
    type: options.scanType,
    resource: options.resource,
    file: options.file,
  });
  if (!found.project) throw new Error(`project ${options.project} does not exist or is not visible`);

  const outcomes: Outcome[] = [];
  for (const subject of found.project.subjects?.nodes ?? []) {
    for (const session of subject.experiments?.nodes ?? []) {
      for (const scan of session.scans?.nodes ?? []) {
        const remote = scan.resource?.file;
        if (!remote) throw new Error(`${options.file} does not exist for subject ${subject.label}`);

        const folder = join(options.out, subject.label, session.label, scan.label);
        await mkdir(folder, { recursive: true });
        const local = join(folder, remote.name);
        const bar = options.quiet
          ? null
          : new SingleBar(
              { format: `${session.label} scan ${scan.label} [{bar}] {percentage}% {value}/{total} B` },
              Presets.shades_classic,
            );
        bar?.start(remote.size ?? 0, 0);
        const downloaded = await client.download(remote.downloadUrl, local, (total, done) => {
          bar?.setTotal(total || (remote.size ?? 0));
          bar?.update(done);
        });
        bar?.stop();

        // The seed names the result after the input: mprage.nii.gz → mprage_brain.nii.gz.
        const stem = local.replace(/\.nii\.gz$/, '');
        const result = `${stem}_brain.nii.gz`;
        await processVolume(options.command, local, result);

        const size = (await stat(result)).size;
        const uploaded =
          size >= options.rawUploadFrom
            ? await uploadRaw(client, scan.id, options.resource, result)
            : await client.upload(
                UploadResultDocument,
                { parent: scan.id, resource: options.resource, file: null, name: basename(result), overwrite: true },
                result,
              );
        const check = await client.request(CheckFileDocument, { id: uploaded.uploadFile.id });
        const verified = check.node !== null && 'size' in check.node && check.node.size === size;
        outcomes.push({
          subject: subject.label,
          session: session.label,
          scan: scan.label,
          downloaded,
          uploaded: uploaded.uploadFile.name,
          size,
          verified,
        });
        if (!verified) throw new Error(`upload did not work for subject ${subject.label}`);
      }
    }
  }
  return outcomes;
}

function parseOptions(argv: string[]): Options {
  const cli = new Command('seed-pipeline')
    .option('--endpoint <url>', 'the gateway GraphQL endpoint', process.env.XNAT_GRAPHQL_URL ?? 'http://127.0.0.1:4000/graphql')
    .option('--user <user>', "XNAT user (else the gateway's configured credentials)")
    .option('--password <password>', 'XNAT password')
    .option('--project <id>', 'project to process', 'test')
    .option('--scan-type <type>', 'scan type to process', 'mprage')
    .option('--resource <label>', 'resource holding the volume', 'nifti')
    .option('--file <name>', 'file to process', 'mprage.nii.gz')
    .option('--out <dir>', 'where downloads and results go', 'seed-pipeline-output')
    .option('--command <template>', 'processing command; {in} and {out} are replaced by paths (default: copy)')
    .option(
      '--raw-upload-from <bytes>',
      'upload results of at least this size as a raw PUT to uploadUrl',
      (v) => Number(v),
      8 * 1024 * 1024,
    )
    .option('--quiet', 'no progress bars', false)
    .parse(argv, { from: 'user' });
  const options = cli.opts<Options>();
  return { ...options, out: resolve(options.out) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const outcomes = await runPipeline(options);
  console.table(outcomes);
  const failed = outcomes.filter((o) => !o.verified).length;
  console.log(`${outcomes.length} scans processed, ${outcomes.length - failed} verified`);
  if (failed > 0) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((error: unknown) => {
    console.error(`seed-pipeline: ${(error as Error).message}`);
    process.exit(1);
  });
}
