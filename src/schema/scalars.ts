import type { Readable } from 'node:stream';
import { Kind } from 'graphql';
import { badUserInput } from '../errors.js';
import { builder } from './builder.js';

/** A real day of the Gregorian calendar (no 2020-13-45, no 2023-02-29). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => value,
  parseValue: (value) => {
    const parts = typeof value === 'string' ? DATE.exec(value) : null;
    if (!parts || !isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3])))
      throw badUserInput('Date must be a calendar date, YYYY-MM-DD');
    return value as string;
  },
});

builder.scalarType('LocalDateTime', {
  description: 'A date and time without offset (XNAT server local time), YYYY-MM-DDTHH:mm[:ss[.SSS]].',
  serialize: (value) => value,
  parseValue: (value) => {
    const parts = typeof value === 'string' ? LOCAL_DATE_TIME.exec(value) : null;
    const valid =
      parts &&
      isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3])) &&
      Number(parts[4]) < 24 &&
      Number(parts[5]) < 60 &&
      Number(parts[6] ?? 0) < 60;
    if (!valid) throw badUserInput('LocalDateTime must be YYYY-MM-DDTHH:mm[:ss[.SSS]] without offset');
    return value as string;
  },
});

builder.scalarType('SafeInt', {
  description: 'An integer up to 2^53 - 1 (file sizes beyond 2 GiB fit, unlike Int).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badUserInput('SafeInt must be an integer within ±(2^53 - 1)');
    return value;
  },
  parseLiteral: (node) => {
    if (node.kind !== Kind.INT || !Number.isSafeInteger(Number(node.value)))
      throw badUserInput('SafeInt must be an integer within ±(2^53 - 1)');
    return Number(node.value);
  },
});

/** A file of a GraphQL multipart request, as graphql-upload-minimal delivers it. */
export interface UploadedFile {
  filename: string;
  mimetype?: string;
  size?: number;
  createReadStream(): Readable;
}

const NOT_AN_UPLOAD = 'Upload must be a file sent as a GraphQL multipart request';

builder.scalarType('Upload', {
  description: 'A file part of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new Error('Upload is an input-only scalar');
  },
  // Files only arrive through the multipart handler (src/server/uploads.ts), which puts a
  // graphql-upload-minimal `Upload` in the variables: its `promise` settles with the file.
  parseValue: (value): Promise<UploadedFile> => {
    const upload = value as { promise?: PromiseLike<UploadedFile> } | null;
    if (upload && typeof upload.promise?.then === 'function') return upload.promise as Promise<UploadedFile>;
    throw badUserInput(NOT_AN_UPLOAD);
  },
  parseLiteral: () => {
    throw badUserInput(NOT_AN_UPLOAD);
  },
});
