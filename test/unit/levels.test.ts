import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LEVELS, OWNER_LEVELS } from '../../src/levels.js';
import { decodeNodeId, encodeNodeId, ownerOfNode, type NodeRef } from '../../src/schema/ids.js';
import {
  attributeByChildIds,
  attributeByFileUris,
  attributeByJoin,
  catIdOwner,
  fileCatalogs,
  unattributed,
  type ResourceListing,
} from '../../src/xnat/attribution.js';
import { ownerPath, sessionChildListPath } from '../../src/xnat/paths.js';
import type { ListedFile, ListedResource, OwnerRef } from '../../src/xnat/records.js';

/** Coordinates of an owner of `level`, each named after itself. */
function ownerOf(level: (typeof OWNER_LEVELS)[number]): OwnerRef {
  return Object.fromEntries([['kind', level], ...LEVELS[level].coordinates.map((c) => [c, `${c}-1`])]) as OwnerRef;
}

const row = (dbId: number, catId: string, category: string | null, label = `r${dbId}`): ListedResource => ({
  dbId,
  label,
  format: null,
  content: null,
  fileCount: null,
  totalSize: null,
  tags: [],
  catId,
  category,
});

const file = (resourceDbId: number, uriExperiment: string | null): ListedFile => ({
  resourceDbId,
  name: 'a',
  path: 'a',
  size: null,
  format: null,
  content: null,
  tags: [],
  digest: null,
  uriExperiment,
});

describe('the level table', () => {
  it('gives every owner level a node id that opens with its tag and decodes to the same owner', () => {
    const tags = new Set<string>();
    for (const level of OWNER_LEVELS) {
      const { kind, ...ref } = ownerOf(level);
      const node = { level: kind, ref } as NodeRef;
      const id = encodeNodeId(node);
      expect(JSON.parse(Buffer.from(id, 'base64url').toString())[0]).toBe(LEVELS[level].tag);
      expect(decodeNodeId(id)).toEqual(node);
      expect(ownerOfNode(decodeNodeId(id))).toEqual(ownerOf(level));
      tags.add(LEVELS[level].tag);
    }
    expect(tags.size).toBe(OWNER_LEVELS.length);
  });

  it('refuses an owner id with one coordinate too few', () => {
    const short = Buffer.from(JSON.stringify([LEVELS.assessor.tag, 'p', 's', 'e'])).toString('base64url');
    expect(() => decodeNodeId(short)).toThrow(/Malformed node id/);
  });

  it("addresses session children under their session's collection, IDs encoded as XNAT reads them", () => {
    const base = { project: 'p', subject: 's', experiment: 'E1' };
    expect(ownerPath({ kind: 'scan', ...base, scan: '1 b' })).toBe('/data/experiments/E1/scans/1%20b');
    expect(ownerPath({ kind: 'assessor', ...base, assessor: 'A1' })).toBe('/data/experiments/E1/assessors/A1');
    expect(() => ownerPath({ kind: 'assessor', ...base, assessor: 'A 1' })).toThrow(/Invalid assessor/);
    expect(sessionChildListPath('assessor', ['E1', 'E2'], ['A1', 'A2'])).toBe('/data/experiments/E1,E2/assessors/A1,A2');
  });
});

describe('attributing resource rows to their owner', () => {
  const listing: ResourceListing = {
    sessions: ['E1', 'E2'],
    resources: [row(1, '1', 'scans'), row(2, '2', 'scans'), row(3, '1', 'scans')],
  };

  it('takes file URIs first, then scan IDs only one session has, then the join', () => {
    const attribution = attributeByChildIds(
      listing,
      new Map([
        ['E1', new Set(['1', '2'])],
        ['E2', new Set(['1'])],
      ]),
      attributeByFileUris([file(3, 'E2')]),
    );
    expect([...attribution]).toEqual([
      [3, 'E2'],
      [2, 'E1'],
    ]);
    expect(unattributed(listing, attribution)).toBe(true);
    attributeByJoin(
      new Map([
        [1, 'E1'],
        [3, 'E1'],
      ]),
      attribution,
    );
    expect(attribution.get(1)).toBe('E1');
    expect(attribution.get(3)).toBe('E2');
    expect(unattributed(listing, attribution)).toBe(false);
  });

  it('files rows by scan ID under their session, skipping rows of other categories', () => {
    const owners = new Map([
      [1, 'E1'],
      [2, 'E1'],
      [3, 'E2'],
    ]);
    const mixed = { ...listing, resources: [...listing.resources, row(4, 'E1', 'resources')] };
    const catalogs = fileCatalogs(mixed, 'scan', (r) => owners.get(r.dbId));
    expect([...catalogs.get('E1')!].map(([scan, rows]) => [scan, rows.map((r) => r.dbId)])).toEqual([
      ['1', [1]],
      ['2', [2]],
    ]);
    expect([...catalogs.get('E2')!.keys()]).toEqual(['1']);
  });

  it("files session and assessor resources under the owner `cat_id` names, all under ''", () => {
    const own: ResourceListing = { sessions: ['A1', 'A2'], resources: [row(5, 'A2', 'assessors')] };
    const catalogs = fileCatalogs(own, 'assessor', catIdOwner(own));
    expect(
      catalogs
        .get('A2')!
        .get('')!
        .map((r) => r.dbId),
    ).toEqual([5]);
    expect(catalogs.get('A1')!.size).toBe(0);
  });

  it('fails with UPSTREAM_ERROR rather than guess the owner of a row', () => {
    try {
      fileCatalogs(listing, 'scan', () => undefined);
      expect.unreachable();
    } catch (error) {
      expect((error as GraphQLError).extensions?.['code']).toBe('UPSTREAM_ERROR');
    }
  });
});
