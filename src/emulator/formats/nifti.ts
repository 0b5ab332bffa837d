import { gzipSync } from 'node:zlib';
import { headPhantom, type VolumeShape } from './phantom.js';

export const NIFTI_HEADER_SIZE = 348;
export const NIFTI_VOX_OFFSET = 352;
const DT_INT16 = 4;

export interface NiftiOptions {
  shape?: VolumeShape;
  /** Seeds the voxel pattern; the same seed gives the same bytes. */
  seed: string;
  description?: string;
}

export const DEFAULT_NIFTI_SHAPE: VolumeShape = { nx: 32, ny: 32, nz: 16, spacing: [6, 6, 9] };

/**
 * A single-file NIfTI-1 volume (`.nii`, magic `n+1`): the 348-byte header, the 4-byte extension
 * flag (no extensions), then int16 voxels from vox_offset 352. Orientation is RAS with the
 * volume centred on the origin (qform and sform both scanner-anatomical).
 */
export function niftiVolume(options: NiftiOptions): Buffer {
  const shape = options.shape ?? DEFAULT_NIFTI_SHAPE;
  const { nx, ny, nz, spacing } = shape;
  const voxels = headPhantom(shape, options.seed);
  const out = Buffer.alloc(NIFTI_VOX_OFFSET + voxels.length * 2);

  out.writeInt32LE(NIFTI_HEADER_SIZE, 0);
  out.write('r', 38, 'latin1'); // regular
  const dim = [3, nx, ny, nz, 1, 1, 1, 1];
  for (const [i, value] of dim.entries()) out.writeInt16LE(value, 40 + i * 2);
  out.writeInt16LE(DT_INT16, 70);
  out.writeInt16LE(16, 72); // bitpix
  const pixdim = [1, spacing[0], spacing[1], spacing[2], 0, 0, 0, 0];
  for (const [i, value] of pixdim.entries()) out.writeFloatLE(value, 76 + i * 4);
  out.writeFloatLE(NIFTI_VOX_OFFSET, 108);
  out.writeFloatLE(1, 112); // scl_slope
  out.writeFloatLE(0, 116); // scl_inter
  out.writeUInt8(2 | 8, 123); // xyzt_units: millimetres, seconds
  let max = 0;
  for (const v of voxels) max = Math.max(max, v);
  out.writeFloatLE(max, 124); // cal_max
  out.writeFloatLE(0, 128); // cal_min
  out.write((options.description ?? 'xnat-graphql emulator phantom').slice(0, 79), 148, 'latin1');
  out.writeInt16LE(1, 252); // qform_code: scanner anatomical
  out.writeInt16LE(1, 254); // sform_code
  const offset = [-(nx * spacing[0]) / 2, -(ny * spacing[1]) / 2, -(nz * spacing[2]) / 2];
  // quatern_b/c/d = 0: identity rotation.
  out.writeFloatLE(offset[0] ?? 0, 268);
  out.writeFloatLE(offset[1] ?? 0, 272);
  out.writeFloatLE(offset[2] ?? 0, 276);
  const srow = [
    [spacing[0], 0, 0, offset[0] ?? 0],
    [0, spacing[1], 0, offset[1] ?? 0],
    [0, 0, spacing[2], offset[2] ?? 0],
  ];
  for (const [r, row] of srow.entries()) for (const [c, value] of row.entries()) out.writeFloatLE(value, 280 + r * 16 + c * 4);
  out.write('n+1\0', 344, 'latin1');
  // Bytes 348..351: extension flag, all zero (no extensions).
  for (let i = 0; i < voxels.length; i++) out.writeInt16LE(voxels[i] ?? 0, NIFTI_VOX_OFFSET + i * 2);
  return out;
}

/** A gzipped NIfTI-1 file (`.nii.gz`). */
export function niftiGz(options: NiftiOptions): Buffer {
  return gzipSync(niftiVolume(options), { level: 6 });
}
