import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { measureSource, openSource } from '../../src/emulator/dataset-bytes.js';

const BYTES = 'abcdefghijklmnopqrstuvwxyz';
const chunked = () => Readable.from([BYTES.slice(0, 5), BYTES.slice(5, 13), BYTES.slice(13)].map((s) => Buffer.from(s)));
const buffered = () => Buffer.from(BYTES);

describe('dataset file bytes', () => {
  it('measures size and MD5 of buffer and stream sources alike', async () => {
    const expected = { size: 26, digest: 'c3fcd3d76192e4007dfb496cca67e13b' };
    expect(await measureSource(buffered)).toEqual(expected);
    expect(await measureSource(chunked)).toEqual(expected);
  });

  it('serves whole files and inclusive byte ranges across chunk boundaries', async () => {
    for (const source of [buffered, chunked]) {
      expect(await text(openSource(source))).toBe(BYTES);
      expect(await text(openSource(source, { start: 3, end: 14 }))).toBe(BYTES.slice(3, 15));
      expect(await text(openSource(source, { start: 25, end: 25 }))).toBe('z');
      expect(await text(openSource(source, { start: 0, end: 4 }))).toBe('abcde');
    }
  });
});
