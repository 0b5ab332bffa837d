import { headPhantom } from './phantom.js';

export const TRANSFER_SYNTAX_EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const SOP_CLASS = {
  MR: '1.2.840.10008.5.1.4.1.1.4', // MR Image Storage
  CT: '1.2.840.10008.5.1.4.1.1.2', // CT Image Storage
  PT: '1.2.840.10008.5.1.4.1.1.128', // Positron Emission Tomography Image Storage
} as const;
/** Identifies the software that wrote the file (0002,0012); under the UUID root like our other UIDs. */
const IMPLEMENTATION_CLASS_UID = '2.25.302275134929357373052387413232114950785';
const IMPLEMENTATION_VERSION = 'XNATGQL_EMU_1';

export type DicomModality = keyof typeof SOP_CLASS;

export interface DicomOptions {
  modality: DicomModality;
  patientName: string;
  patientId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  seriesDescription: string;
  seriesNumber: number;
  instanceNumber: number;
  /** YYYYMMDD */
  studyDate?: string;
  rows?: number;
  columns?: number;
  /** Seeds the pixel pattern. */
  seed: string;
  /**
   * Pads InstanceNumber to a fixed width (IS allows leading spaces), so that every file of a
   * series has the same size whatever its number.
   */
  fixedWidth?: boolean;
}

/** VRs whose length field is 4 bytes after two reserved bytes in explicit VR encoding. */
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function element(group: number, elementNo: number, vr: string, value: Buffer): Buffer {
  const padded = value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])]);
  const long = LONG_VRS.has(vr);
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNo, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(padded.length, 8);
  else header.writeUInt16LE(padded.length, 6);
  return Buffer.concat([header, padded]);
}

const text = (group: number, elementNo: number, vr: string, value: string) => element(group, elementNo, vr, Buffer.from(value, 'latin1'));

function us(group: number, elementNo: number, value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value, 0);
  return element(group, elementNo, 'US', b);
}

/**
 * A DICOM Part 10 file: 128-byte preamble, `DICM`, file meta information (group 0002, explicit
 * VR little endian, with its group length), then an explicit VR little endian image dataset with
 * 16-bit allocated, 12-bit stored MONOCHROME2 pixels.
 */
export function dicomFile(options: DicomOptions): Buffer {
  const rows = options.rows ?? 8;
  const columns = options.columns ?? 8;
  const sopClass = SOP_CLASS[options.modality];

  const metaElements = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0x00, 0x01])),
    text(0x0002, 0x0002, 'UI', sopClass),
    text(0x0002, 0x0003, 'UI', options.sopInstanceUid),
    text(0x0002, 0x0010, 'UI', TRANSFER_SYNTAX_EXPLICIT_LE),
    text(0x0002, 0x0012, 'UI', IMPLEMENTATION_CLASS_UID),
    text(0x0002, 0x0013, 'SH', IMPLEMENTATION_VERSION),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaElements.length, 0);

  const pixels = headPhantom({ nx: columns, ny: rows, nz: 1, spacing: [1, 1, 1] }, options.seed);
  const pixelBytes = Buffer.alloc(pixels.length * 2);
  for (const [i, value] of pixels.entries()) pixelBytes.writeUInt16LE(value, i * 2);

  // Elements in ascending tag order, as Part 5 requires.
  const dataset = Buffer.concat([
    text(0x0008, 0x0016, 'UI', sopClass),
    text(0x0008, 0x0018, 'UI', options.sopInstanceUid),
    ...(options.studyDate ? [text(0x0008, 0x0020, 'DA', options.studyDate)] : []),
    text(0x0008, 0x0060, 'CS', options.modality),
    text(0x0008, 0x103e, 'LO', options.seriesDescription.slice(0, 64)),
    text(0x0010, 0x0010, 'PN', options.patientName),
    text(0x0010, 0x0020, 'LO', options.patientId),
    text(0x0020, 0x000d, 'UI', options.studyInstanceUid),
    text(0x0020, 0x000e, 'UI', options.seriesInstanceUid),
    text(0x0020, 0x0011, 'IS', String(options.seriesNumber)),
    text(0x0020, 0x0013, 'IS', options.fixedWidth ? String(options.instanceNumber).padStart(8) : String(options.instanceNumber)),
    us(0x0028, 0x0002, 1), // SamplesPerPixel
    text(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    us(0x0028, 0x0010, rows),
    us(0x0028, 0x0011, columns),
    us(0x0028, 0x0100, 16), // BitsAllocated
    us(0x0028, 0x0101, 12), // BitsStored
    us(0x0028, 0x0102, 11), // HighBit
    us(0x0028, 0x0103, 0), // PixelRepresentation: unsigned
    element(0x7fe0, 0x0010, 'OW', pixelBytes),
  ]);

  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    element(0x0002, 0x0000, 'UL', groupLength),
    metaElements,
    dataset,
  ]);
}
