import { createRandom } from './random.js';

/** Voxel grid size and spacing in millimetres. */
export interface VolumeShape {
  nx: number;
  ny: number;
  nz: number;
  spacing: [number, number, number];
}

/**
 * A small head-like phantom: background noise, a bright scalp shell and a darker ellipsoid
 * "brain" with some texture. Values fit unsigned 12-bit (0..4095), as MR DICOM stores them.
 */
export function headPhantom(shape: VolumeShape, seed: string): Uint16Array {
  const { nx, ny, nz } = shape;
  const random = createRandom(seed);
  const voxels = new Uint16Array(nx * ny * nz);
  const cx = (nx - 1) / 2;
  const cy = (ny - 1) / 2;
  const cz = (nz - 1) / 2;
  const brightness = 0.85 + random.next() * 0.3;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const dx = (x - cx) / (nx * 0.45);
        const dy = (y - cy) / (ny * 0.48);
        const dz = (z - cz) / (nz * 0.5);
        const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
        let value: number;
        if (r > 1) value = 20 + random.int(0, 30);
        else if (r > 0.85) value = 1500 + random.int(0, 200);
        else value = 900 + Math.round(300 * Math.cos(x * 0.9) * Math.sin(y * 0.7)) + random.int(0, 80);
        voxels[x + nx * (y + ny * z)] = Math.min(4095, Math.round(value * brightness));
      }
    }
  }
  return voxels;
}

/** One axial slice of a volume, as 8-bit grey levels scaled to the slice's maximum. */
export function sliceToGrey(voxels: Uint16Array, shape: VolumeShape, z: number): Uint8Array {
  const { nx, ny } = shape;
  const out = new Uint8Array(nx * ny);
  let max = 1;
  const base = nx * ny * z;
  for (let i = 0; i < nx * ny; i++) max = Math.max(max, voxels[base + i] ?? 0);
  for (let i = 0; i < nx * ny; i++) out[i] = Math.round(((voxels[base + i] ?? 0) / max) * 255);
  return out;
}
