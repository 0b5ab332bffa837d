import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { codeForStatus, errorForStatus, reasonOf } from '../../src/xnat/errors.js';
import {
  checkResourceLabel,
  chunkIds,
  encodeFilePath,
  encodeQuery,
  filePath,
  resourceFilesPath,
  routeOf,
  segment,
} from '../../src/xnat/paths.js';
import { xnatVersion } from '../../src/xnat/version.js';
import { parseExperiments, parseFileUri, parseResultSet, parseScanJoin, toFile } from '../../src/xnat/resultset.js';
import { decodeNodeId, encodeNodeId, type NodeRef } from '../../src/schema/ids.js';

function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions['code'];
  }
  throw new Error('expected an error');
}

describe('XNAT paths', () => {
  it('sends route variables exactly as they are (XNAT does not decode them) and refuses what would need escaping', () => {
    expect(segment('sub-01_a.b~(1)+x')).toBe('sub-01_a.b~(1)+x');
    for (const bad of ['', '.', '..', 'a\\b', 'a\nb', 'x\u0000', 'a/b', 'E1,E2', 'ALL', '*', 'a b', 'a#b', 'a%41', 'é']) {
      expect(
        codeOf(() => segment(bad)),
        bad,
      ).toBe('BAD_USER_INPUT');
    }
    for (const bad of ['123', 'NULL', 'My Resource'])
      expect(
        codeOf(() => checkResourceLabel(bad)),
        bad,
      ).toBe('BAD_USER_INPUT');
  });

  it('builds resource and file paths from coordinates, keeping folders but refusing ".." in file paths', () => {
    const resource = { owner: { kind: 'scan' as const, project: 'p', subject: 'S1', experiment: 'E1', scan: '2' }, label: 'NIFTI' };
    const newest = { version: '1.8.10', filePaths: 'space-or-plus' as const };
    expect(resourceFilesPath(resource)).toBe('/data/experiments/E1/scans/2/resources/NIFTI/files');
    expect(filePath({ resource, path: 'sub dir/a#1.nii' }, newest)).toBe(
      '/data/experiments/E1/scans/2/resources/NIFTI/files/sub%20dir/a%231.nii',
    );
    expect(codeOf(() => filePath({ resource, path: 'a/../../etc/passwd' }, newest))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => filePath({ resource, path: 'a//b' }, newest))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => filePath({ resource, path: 'IM*' }, newest))).toBe('BAD_USER_INPUT');
  });

  it('encodes a file path so that each XNAT release decodes it back to the name, or refuses it', () => {
    const v17 = xnatVersion('1.7.6')!;
    const v180 = xnatVersion('1.8.0.1')!;
    const v1810 = xnatVersion('1.8.10-SNAPSHOT')!;
    expect([v17.filePaths, v180.filePaths, v1810.filePaths, xnatVersion('1.8.3')!.filePaths, xnatVersion('1.8.4')!.filePaths]).toEqual([
      'none',
      'always',
      'space-or-plus',
      'always',
      'space-or-plus',
    ]);
    expect(xnatVersion('Unknown')).toBeNull();
    const cases: Array<[string, string | null, string | null, string | null]> = [
      // name, 1.7, 1.8.0, 1.8.10
      ['plain-name_1.dcm', 'plain-name_1.dcm', 'plain-name_1.dcm', 'plain-name_1.dcm'],
      ['a+b.txt', 'a+b.txt', 'a%2Bb.txt', 'a%2Bb.txt'],
      ['scan 1.nii', null, 'scan%201.nii', 'scan%201.nii'],
      ['100%.txt', null, '100%25.txt', null],
      ['100% done.txt', null, '100%25%20done.txt', '100%25%20done.txt'],
      ['notes#1.txt', null, 'notes%231.txt', null],
      ['résumé.txt', null, 'r%C3%A9sum%C3%A9.txt', null],
      ['a%2fb.txt', null, 'a%252fb.txt', null],
    ];
    for (const [name, a, b, c] of cases) {
      for (const [version, expected] of [
        [v17, a],
        [v180, b],
        [v1810, c],
      ] as const) {
        if (expected === null)
          expect(
            codeOf(() => encodeFilePath(name, version)),
            `${name} on ${version.version}`,
          ).toBe('BAD_USER_INPUT');
        else expect(encodeFilePath(name, version), `${name} on ${version.version}`).toBe(expected);
      }
    }
  });

  it('templates routes for metrics without ids', () => {
    expect(routeOf('/data/experiments/E1,E2/scans/ALL/resources')).toBe('/data/experiments/{ids}/scans/ALL/resources');
    expect(routeOf('/data/projects/p/subjects/s/experiments/e/scans/2/resources/DICOM/files/a/b.dcm')).toBe(
      '/data/projects/{id}/subjects/{id}/experiments/{id}/scans/{id}/resources/{id}/files/{path}',
    );
    expect(routeOf('/data/projects')).toBe('/data/projects');
  });

  it('keeps commas and XML paths readable in queries and chunks long id lists', () => {
    expect(encodeQuery({ columns: 'ID,xnat:imageScanData/ID', label: 'a&b', skip: undefined })).toBe(
      'columns=ID,xnat:imageScanData/ID&label=a%26b',
    );
    const ids = Array.from({ length: 1000 }, (_, i) => `XNAT_E${String(i).padStart(5, '0')}`);
    const chunks = chunkIds(ids, 4000);
    expect(chunks.flat()).toEqual(ids);
    for (const chunk of chunks) expect(chunk.join(',').length).toBeLessThanOrEqual(4000);
    expect(chunks.length).toBe(4);
  });
});

describe('ResultSet parsing', () => {
  it('reads the envelope with every cell a string and reshapes rows into typed records', () => {
    const rows = parseResultSet(
      JSON.stringify({
        ResultSet: {
          totalRecords: '1',
          Result: [
            {
              ID: 'E1',
              label: 'S1_MR1',
              project: 'p',
              subject_ID: 'S1',
              subject_label: 'S1',
              xsiType: 'xnat:mrSessionData',
              date: '2017-03-21',
              time: '',
              insert_date: '2017-03-21 14:05:07.123',
              URI: '/data/experiments/E1',
            },
          ],
        },
      }),
      '/data/experiments',
    );
    expect(parseExperiments(rows)).toEqual([
      {
        id: 'E1',
        project: 'p',
        ownerProject: 'p',
        subjectId: 'S1',
        subjectLabel: 'S1',
        label: 'S1_MR1',
        xsiType: 'xnat:mrSessionData',
        date: '2017-03-21',
        time: null,
        visitId: null,
        note: null,
        insertDate: '2017-03-21T14:05:07.123',
      },
    ]);
  });

  it('turns HTML error pages and malformed JSON into UPSTREAM_ERROR', () => {
    expect(codeOf(() => parseResultSet('<!DOCTYPE html><html><title>Login</title></html>', '/data/projects'))).toBe('UPSTREAM_ERROR');
    expect(codeOf(() => parseResultSet('{"ResultSet":', '/data/projects'))).toBe('UPSTREAM_ERROR');
    expect(codeOf(() => parseResultSet('{"items":[]}', '/data/projects'))).toBe('UPSTREAM_ERROR');
  });

  it('groups the scan join by session and drops the outer-join row of a session without scans', () => {
    const joined = parseScanJoin([
      {
        ID: 'E1',
        modality: 'MR',
        scanner: 'Prisma',
        'xnat:imagescandata/id': '1',
        'xnat:imagescandata/type': 'localizer',
        'xnat:imagescandata/frames': '3',
      },
      {
        ID: 'E1',
        modality: 'MR',
        scanner: 'Prisma',
        'xnat:imagescandata/id': '2',
        'xnat:imagescandata/type': 'mprage',
        'xnat:imagescandata/frames': '',
      },
      { ID: 'E2', modality: 'PT', scanner: '', 'xnat:imagescandata/id': '' },
    ]);
    expect(joined.get('E1')?.scans.map((s) => [s.id, s.type, s.frames])).toEqual([
      ['1', 'localizer', 3],
      ['2', 'mprage', null],
    ]);
    expect(joined.get('E2')).toEqual({ session: { modality: 'PT', scanner: null }, scans: [] });
  });

  it('reads session, scan, resource id and nested path from file URIs with or without /data', () => {
    // XNAT writes URIs unencoded: a `%` there is a `%` in the name.
    expect(parseFileUri('/experiments/E1/scans/2/resources/123/files/sub/a%20b.dcm')).toEqual({
      experiment: 'E1',
      resourceId: '123',
      path: 'sub/a%20b.dcm',
    });
    expect(parseFileUri('/experiments/E1/resources/7/files/a b#1.txt')).toEqual({ experiment: 'E1', resourceId: '7', path: 'a b#1.txt' });
    expect(parseFileUri('/projects/p/subjects/S1/resources/9/files/x.txt')).toEqual({ experiment: null, resourceId: '9', path: 'x.txt' });
    const file = toFile(
      {
        Name: 'a.dcm',
        Size: '3000000000',
        URI: '/data/experiments/E1/scans/2/resources/123/files/a.dcm',
        cat_ID: '123',
        collection: 'DICOM',
        file_tags: '',
        file_format: 'DICOM',
        file_content: '',
        digest: '',
      },
      0,
    );
    expect(file).toMatchObject({
      resourceDbId: 123,
      name: 'a.dcm',
      path: 'a.dcm',
      size: 3_000_000_000,
      format: 'DICOM',
      content: null,
      uriExperiment: 'E1',
    });
  });
});

describe('XNAT errors', () => {
  it('maps XNAT statuses to contract codes without leaking URLs', () => {
    expect([401, 403, 404, 409, 417, 500, 502].map(codeForStatus)).toEqual([
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'BAD_USER_INPUT',
      'UPSTREAM_ERROR',
      'UPSTREAM_ERROR',
    ]);
    expect(reasonOf('<html><head><title>Status page</title></head><body><h3>Unable to identify project p</h3></body></html>')).toBe(
      'Unable to identify project p',
    );
    const error = errorForStatus(404, 'GET', '/data/projects/{id}/subjects', '<html><h3>Unable to identify project</h3></html>');
    expect(error.message).toBe('XNAT answered 404 to GET /data/projects/{id}/subjects: Unable to identify project');
  });
});

describe('node ids', () => {
  const nodes: NodeRef[] = [
    { level: 'project', ref: { project: 'test' } },
    { level: 'subject', ref: { project: 'test', subject: 'XNAT_S00001' } },
    { level: 'experiment', ref: { project: 'test', subject: 'XNAT_S00001', experiment: 'XNAT_E00001' } },
    { level: 'scan', ref: { project: 'test', subject: 'XNAT_S00001', experiment: 'XNAT_E00001', scan: '2' } },
    { level: 'resource', ref: { owner: { kind: 'subject', project: 'test', subject: 'XNAT_S00001' }, label: 'notes' } },
    {
      level: 'file',
      ref: {
        resource: { owner: { kind: 'scan', project: 'test', subject: 'S', experiment: 'E', scan: '2' }, label: 'nifti' },
        path: 'sub/mprage.nii.gz',
      },
    },
  ];

  it('round-trips every type', () => {
    for (const node of nodes) expect(decodeNodeId(encodeNodeId(node))).toEqual(node);
  });

  it('refuses malformed ids and ids smuggling path tricks with BAD_USER_INPUT', () => {
    const forged = Buffer.from(JSON.stringify(['F', ['R', ['P', 'test'], 'r'], '../../x'])).toString('base64url');
    for (const id of ['', 'not an id', 'WyJQIl0', Buffer.from('["Q","x"]').toString('base64url'), forged]) {
      expect(codeOf(() => decodeNodeId(id))).toBe('BAD_USER_INPUT');
    }
  });
});
