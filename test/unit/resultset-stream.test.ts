import { describe, expect, it } from 'vitest';
import { readResultSet } from '../../src/xnat/resultset-stream.js';
import { toFile } from '../../src/xnat/resultset.js';

const ROWS = 150_000;
const PER_CHUNK = 500;

function fileRow(i: number): string {
  const session = `XNAT_E${String(1 + (i % 97)).padStart(5, '0')}`;
  return JSON.stringify({
    Name: `${i}.dcm`,
    Size: String(200_000 + i),
    URI: `/experiments/${session}/scans/${1 + (i % 7)}/resources/${1000 + (i % 300)}/files/DICOM/${i}.dcm`,
    collection: 'DICOM',
    file_tags: '',
    file_format: 'DICOM',
    file_content: 'RAW',
    cat_ID: String(1000 + (i % 300)),
    digest: '',
  });
}

/**
 * A files listing of ROWS rows, produced chunk by chunk as a socket would deliver it (never as
 * one text); `parsedBefore[k]` records how many rows the reader had handed out when chunk k was
 * produced.
 */
async function* listing(parsed: () => number, parsedBefore: number[]): AsyncGenerator<Buffer> {
  yield Buffer.from('{"ResultSet":{"Columns":[{"key":"URI","serverRoot":""}],"Result":[');
  for (let start = 0; start < ROWS; start += PER_CHUNK) {
    parsedBefore.push(parsed());
    const rows: string[] = [];
    for (let i = start; i < Math.min(start + PER_CHUNK, ROWS); i++) rows.push(fileRow(i));
    // Split mid-row, as TCP does.
    const text = `${start === 0 ? '' : ','}${rows.join(',')}`;
    const cut = Math.floor(text.length / 3);
    yield Buffer.from(text.slice(0, cut));
    yield Buffer.from(text.slice(cut));
  }
  yield Buffer.from('],"title":"Files"}}');
}

describe('streaming ResultSet reader', () => {
  it(`turns a ${ROWS}-row listing into compact rows as it arrives, holding no text`, async () => {
    let count = 0;
    const parsedBefore: number[] = [];
    const rows = await readResultSet(
      listing(() => count, parsedBefore),
      '/data/experiments/{ids}/scans/ALL/files',
      (raw, index) => {
        count++;
        return toFile(raw, index);
      },
    );
    expect(rows).toHaveLength(ROWS);
    expect(rows[0]).toMatchObject({ name: '0.dcm', path: 'DICOM/0.dcm', size: 200_000, resourceDbId: 1000, uriExperiment: 'XNAT_E00001' });
    expect(rows[ROWS - 1]).toMatchObject({ name: `${ROWS - 1}.dcm`, resourceDbId: 1000 + ((ROWS - 1) % 300) });
    // Every row of chunk k was handed out before chunk k + 1 was produced: nothing waits for the end.
    for (const [k, parsed] of parsedBefore.entries()) expect(parsed).toBe(k * PER_CHUNK);
  });

  it('refuses a body that is not a ResultSet, malformed or cut short, and an HTML page', async () => {
    const read = (...parts: string[]) =>
      readResultSet(
        (async function* () {
          yield* parts.map((p) => Buffer.from(p));
        })(),
        '/data/x',
        (raw) => raw,
      );
    await expect(read('{"ResultSet":{"Result":[]}}')).resolves.toEqual([]);
    await expect(read('{"ResultSet":{"Result":[{"a":"1"},{"b":2,"c":null}]}}')).resolves.toEqual([{ a: '1' }, { b: '2', c: '' }]);
    await expect(read('{"items":[]}')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_ERROR' } });
    await expect(read('{"ResultSet":{"Result":[{"a":"1"},')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_ERROR' } });
    await expect(read('{"ResultSet":{"Result":[{"a":{"nested":1}}]}}')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_ERROR' } });
    await expect(read('  <!DOCTYPE html><html>login</html>')).rejects.toThrow(/HTML/);
  });
});
