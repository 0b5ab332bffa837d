import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDataset, summarizeDataset } from '../../src/emulator/datasets/index.js';
import { dicomFile } from '../../src/emulator/formats/dicom.js';
import { niftiGz } from '../../src/emulator/formats/nifti.js';
import { crc32, greyPng } from '../../src/emulator/formats/png.js';
import { textPdf } from '../../src/emulator/formats/pdf.js';
import type { Dataset, DatasetFile } from '../../src/emulator/model.js';

function bytesOf(file: DatasetFile): Buffer {
  const out = file.source();
  if (out instanceof Readable) throw new Error('expected a buffer source');
  return out;
}

function parseNifti(gz: Buffer) {
  const raw = gunzipSync(gz);
  const dim = Array.from({ length: 8 }, (_, i) => raw.readInt16LE(40 + i * 2));
  return {
    raw,
    sizeofHdr: raw.readInt32LE(0),
    dim,
    datatype: raw.readInt16LE(70),
    bitpix: raw.readInt16LE(72),
    voxOffset: raw.readFloatLE(108),
    magic: raw.subarray(344, 348).toString('latin1'),
    extension: raw.subarray(348, 352),
  };
}

/** Reads explicit-VR little-endian elements of a Part 10 file into tag → { vr, value }. */
function parseDicom(file: Buffer) {
  const elements = new Map<string, { vr: string; value: Buffer; offset: number }>();
  let offset = 132;
  while (offset < file.length) {
    const group = file.readUInt16LE(offset);
    const element = file.readUInt16LE(offset + 2);
    const vr = file.subarray(offset + 4, offset + 6).toString('latin1');
    let length: number;
    let start: number;
    if (['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr)) {
      length = file.readUInt32LE(offset + 8);
      start = offset + 12;
    } else {
      length = file.readUInt16LE(offset + 6);
      start = offset + 8;
    }
    const tag = `${group.toString(16).padStart(4, '0')},${element.toString(16).padStart(4, '0')}`;
    elements.set(tag, { vr, value: file.subarray(start, start + length), offset });
    offset = start + length;
  }
  expect(offset).toBe(file.length);
  return elements;
}

const str = (e: { value: Buffer } | undefined) => e?.value.toString('latin1').replace(/[\0 ]+$/, '');

function parsePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: Array<{ type: string; data: Buffer }> = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(type, data));
    chunks.push({ type: type.toString('latin1'), data });
    offset += 12 + length;
  }
  return chunks;
}

describe('file formats', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes a valid gzipped NIfTI-1 volume', () => {
    const nifti = parseNifti(niftiGz({ seed: 'x', shape: { nx: 16, ny: 16, nz: 8, spacing: [1, 1, 1] } }));
    expect(nifti.sizeofHdr).toBe(348);
    expect(nifti.dim.slice(0, 5)).toEqual([3, 16, 16, 8, 1]);
    expect(nifti.datatype).toBe(4);
    expect(nifti.bitpix).toBe(16);
    expect(nifti.voxOffset).toBe(352);
    expect(nifti.magic).toBe('n+1\0');
    expect(nifti.extension).toEqual(Buffer.alloc(4));
    expect(nifti.raw.length).toBe(352 + 16 * 16 * 8 * 2);
    // The volume is not blank: a bright shell and darker interior.
    const centre = nifti.raw.readInt16LE(352 + 2 * (8 + 16 * (8 + 16 * 4)));
    expect(centre).toBeGreaterThan(100);
  });

  it('writes a DICOM Part 10 file with file meta and an explicit VR little endian image', () => {
    const file = dicomFile({
      modality: 'MR',
      patientName: 'sub-01',
      patientId: 'sub-01',
      studyInstanceUid: '2.25.1',
      seriesInstanceUid: '2.25.2',
      sopInstanceUid: '2.25.123',
      seriesDescription: 'T1_MPRAGE',
      seriesNumber: 2,
      instanceNumber: 3,
      seed: 's',
    });
    expect(file.subarray(0, 128)).toEqual(Buffer.alloc(128));
    expect(file.subarray(128, 132).toString('latin1')).toBe('DICM');
    const el = parseDicom(file);
    const groupLength = el.get('0002,0000');
    expect(groupLength?.vr).toBe('UL');
    const firstAfterMeta = [...el.values()].find((e) => e.offset > 132 && file.readUInt16LE(e.offset) !== 2);
    expect(groupLength?.value.readUInt32LE(0)).toBe((firstAfterMeta?.offset ?? 0) - (132 + 12));
    expect(el.get('0002,0001')?.value).toEqual(Buffer.from([0, 1]));
    expect(str(el.get('0002,0002'))).toBe('1.2.840.10008.5.1.4.1.1.4');
    expect(str(el.get('0002,0003'))).toBe('2.25.123');
    expect(str(el.get('0002,0010'))).toBe('1.2.840.10008.1.2.1');
    expect(str(el.get('0010,0010'))).toBe('sub-01');
    expect(str(el.get('0010,0020'))).toBe('sub-01');
    expect(str(el.get('0020,000d'))).toBe('2.25.1');
    expect(str(el.get('0020,000e'))).toBe('2.25.2');
    expect(str(el.get('0008,0018'))).toBe('2.25.123');
    expect(str(el.get('0008,0060'))).toBe('MR');
    expect(str(el.get('0008,103e'))).toBe('T1_MPRAGE');
    expect(str(el.get('0020,0013'))).toBe('3');
    expect(el.get('0028,0010')?.value.readUInt16LE(0)).toBe(8);
    expect(el.get('0028,0011')?.value.readUInt16LE(0)).toBe(8);
    expect(el.get('0028,0100')?.value.readUInt16LE(0)).toBe(16);
    expect(el.get('0028,0101')?.value.readUInt16LE(0)).toBe(12);
    expect(el.get('0028,0102')?.value.readUInt16LE(0)).toBe(11);
    expect(el.get('0028,0103')?.value.readUInt16LE(0)).toBe(0);
    expect(el.get('0028,0002')?.value.readUInt16LE(0)).toBe(1);
    expect(str(el.get('0028,0004'))).toBe('MONOCHROME2');
    expect(el.get('7fe0,0010')).toMatchObject({ vr: 'OW' });
    expect(el.get('7fe0,0010')?.value.length).toBe(8 * 8 * 2);
    // Every value has even length and tags ascend within the dataset.
    const tags = [...el.keys()];
    expect(tags).toEqual([...tags].sort());
    for (const e of el.values()) expect(e.value.length % 2).toBe(0);
  });

  it('writes a PNG with correct chunk CRCs and decodable pixels', () => {
    const grey = Uint8Array.from({ length: 32 * 32 }, (_, i) => i % 256);
    const chunks = parsePng(greyPng(32, 32, grey));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]?.data ?? Buffer.alloc(0);
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([32, 32, 8, 0]);
    const raw = inflateSync(chunks[1]?.data ?? Buffer.alloc(0));
    expect(raw.length).toBe(33 * 32);
    expect(raw[0]).toBe(0);
    expect(Array.from(raw.subarray(1, 33))).toEqual(Array.from(grey.subarray(0, 32)));
  });

  it('writes a PDF whose cross-reference offsets point at its objects', () => {
    const pdf = textPdf(['Hello (world)']).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const entries = pdf.slice(startxref).split('\n').slice(3, 8);
    entries.forEach((entry, i) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      expect(pdf.slice(Number(entry.slice(0, 10))).startsWith(`${i + 1} 0 obj`)).toBe(true);
    });
  });
});

describe('loadDataset', () => {
  const demo = loadDataset('demo');

  function resourcesOf(dataset: Dataset, experimentId: string, scanId: string) {
    return dataset.resources.filter(
      (r) => r.parent.kind === 'scan' && r.parent.experimentId === experimentId && r.parent.scanId === scanId,
    );
  }

  it('is deterministic, bytes included', () => {
    const again = loadDataset('demo');
    const strip = (d: Dataset) => ({ ...d, files: d.files.map(({ source: _s, ...rest }) => rest) });
    expect(strip(again)).toEqual(strip(demo));
    const digest = (d: Dataset) => {
      const hash = createHash('md5');
      for (const f of d.files) hash.update(bytesOf(f));
      return hash.digest('hex');
    };
    expect(digest(again)).toBe(digest(demo));
  });

  it('meets the contract: 3+ projects, 20+ subjects, 40+ sessions, MR with PET and CT', () => {
    const summary = summarizeDataset(demo);
    expect(summary.projects).toBeGreaterThanOrEqual(3);
    expect(summary.subjects).toBeGreaterThanOrEqual(20);
    expect(summary.experiments).toBeGreaterThanOrEqual(40);
    const types = new Set(demo.experiments.map((e) => e.xsiType));
    expect(types).toEqual(new Set(['xnat:mrSessionData', 'xnat:petSessionData', 'xnat:ctSessionData']));
    const scanTypes = new Set(demo.scans.map((s) => s.xsiType));
    expect(scanTypes).toEqual(new Set(['xnat:mrScanData', 'xnat:petScanData', 'xnat:ctScanData']));
    const access = Object.fromEntries(demo.projects.map((p) => [p.id, p.accessibility]));
    expect(access.test).toBe('public');
    expect(Object.values(access)).toContain('private');
  });

  it('gives unique accession IDs and database keys', () => {
    const unique = (values: unknown[]) => new Set(values).size === values.length;
    expect(unique(demo.projects.map((p) => p.id))).toBe(true);
    expect(unique(demo.subjects.map((s) => s.id))).toBe(true);
    expect(unique(demo.experiments.map((e) => e.id))).toBe(true);
    expect(unique(demo.scans.map((s) => s.dbId))).toBe(true);
    expect(unique(demo.resources.map((r) => r.dbId))).toBe(true);
    expect(unique(demo.scans.map((s) => `${s.experimentId}/${s.id}`))).toBe(true);
    expect(unique(demo.subjects.map((s) => `${s.project}/${s.label}`))).toBe(true);
    expect(unique(demo.experiments.map((e) => `${e.project}/${e.label}`))).toBe(true);
    expect(unique(demo.files.map((f) => `${f.resourceDbId}/${f.path}`))).toBe(true);
    for (const s of demo.subjects) expect(s.id).toMatch(/^XNAT_S\d{5}$/);
    for (const e of demo.experiments) expect(e.id).toMatch(/^XNAT_E\d{5}$/);
  });

  it('links every record to an existing parent', () => {
    const projects = new Set(demo.projects.map((p) => p.id));
    const subjects = new Map(demo.subjects.map((s) => [s.id, s]));
    const experiments = new Map(demo.experiments.map((e) => [e.id, e]));
    const scans = new Set(demo.scans.map((s) => `${s.experimentId}/${s.id}`));
    const resources = new Set(demo.resources.map((r) => r.dbId));
    for (const s of demo.subjects) expect(projects.has(s.project)).toBe(true);
    for (const e of demo.experiments) expect(subjects.get(e.subjectId)?.project).toBe(e.project);
    for (const s of demo.scans) expect(experiments.has(s.experimentId)).toBe(true);
    for (const r of demo.resources) {
      const p = r.parent;
      if (p.kind === 'project') expect(projects.has(p.project)).toBe(true);
      else if (p.kind === 'subject') expect(subjects.has(p.subjectId)).toBe(true);
      else if (p.kind === 'experiment') expect(experiments.has(p.experimentId)).toBe(true);
      else if (p.kind === 'assessor') expect(demo.assessors?.some((a) => a.id === p.assessorId)).toBe(true);
      else if (p.kind === 'reconstruction')
        expect(demo.reconstructions?.some((r) => r.experimentId === p.experimentId && r.id === p.reconstructionId)).toBe(true);
      else expect(scans.has(`${p.experimentId}/${p.scanId}`)).toBe(true);
    }
    for (const f of demo.files) expect(resources.has(f.resourceDbId)).toBe(true);
    const kinds = new Set(demo.resources.map((r) => r.parent.kind));
    expect(kinds).toEqual(new Set(['project', 'subject', 'experiment', 'scan', 'assessor', 'reconstruction']));
  });

  it('gives project test what the seed walkthrough needs', () => {
    const subjects = demo.subjects.filter((s) => s.project === 'test');
    expect(subjects.length).toBeGreaterThanOrEqual(5);
    for (const subject of subjects) {
      const sessions = demo.experiments.filter((e) => e.subjectId === subject.id);
      expect(sessions.length).toBeGreaterThanOrEqual(1);
      for (const session of sessions) {
        expect(session.xsiType).toBe('xnat:mrSessionData');
        const scans = demo.scans.filter((s) => s.experimentId === session.id);
        expect(scans.map((s) => s.id)).toEqual(scans.map((_, i) => String(i + 1)));
        const mprage = scans.filter((s) => s.fields.type === 'mprage');
        expect(mprage.length).toBe(1);
        for (const scan of mprage) {
          const nifti = resourcesOf(demo, session.id, scan.id).find((r) => r.label === 'nifti');
          const file = demo.files.find((f) => f.resourceDbId === nifti?.dbId && f.path === 'mprage.nii.gz');
          expect(file, `${session.label} mprage.nii.gz`).toBeDefined();
          const parsed = parseNifti(bytesOf(file as DatasetFile));
          expect(parsed.magic).toBe('n+1\0');
          expect(parsed.raw.length).toBe(parsed.voxOffset + parsed.dim[1]! * parsed.dim[2]! * parsed.dim[3]! * 2);
        }
        for (const scan of scans) {
          const labels = resourcesOf(demo, session.id, scan.id).map((r) => r.label);
          expect(labels).toContain('DICOM');
          expect(labels).toContain('SNAPSHOTS');
        }
      }
    }
    const nested = demo.files.filter((f) => f.path.includes('/'));
    expect(nested.length).toBeGreaterThan(0);
    expect(demo.resources.some((r) => !demo.files.some((f) => f.resourceDbId === r.dbId))).toBe(true);
    const protocols = demo.resources.find((r) => r.parent.kind === 'project' && r.parent.project === 'test');
    expect(protocols?.label).toBe('protocols');
  });

  it('fills fields under XNAT shortcut names with XNAT value formats', () => {
    for (const p of demo.projects) {
      for (const key of ['secondary_ID', 'name', 'description', 'keywords', 'pi_firstname', 'pi_lastname']) {
        expect(p.fields[key], `${p.id}.${key}`).toBeTruthy();
      }
    }
    for (const s of demo.subjects) {
      expect(s.fields.label).toBe(s.label);
      expect(['male', 'female']).toContain(s.fields.gender);
      expect(['right', 'left']).toContain(s.fields.handedness);
      expect(s.fields.yob).toMatch(/^(19|20)\d\d$/);
      expect(s.fields.group).toBeTruthy();
      expect(s.fields.insert_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      expect(s.fields.insert_user).toBe('admin');
    }
    for (const e of demo.experiments) {
      expect(e.fields.label).toBe(e.label);
      expect(e.fields.date).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(e.fields.time).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(e.fields.insert_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      expect(e.fields.session_type).toBeTruthy();
      expect(e.fields.scanner).toBeTruthy();
      const modality = { 'xnat:mrSessionData': 'MR', 'xnat:petSessionData': 'PT', 'xnat:ctSessionData': 'CT' }[e.xsiType];
      expect(e.fields.modality).toBe(modality);
      if (modality === 'MR') expect(e.fields.fieldStrength).toMatch(/^\d\.\d$/);
      if (modality === 'PT') expect(e.fields.tracer_name).toBeTruthy();
    }
    for (const s of demo.scans) {
      expect(s.fields.ID).toBe(s.id);
      expect(s.fields.type).toBeTruthy();
      expect(s.fields.series_description).toBeTruthy();
      expect(['usable', 'questionable', 'unusable']).toContain(s.fields.quality);
      expect(s.fields.frames).toMatch(/^\d+$/);
      expect(['MR', 'PT', 'CT']).toContain(s.fields.modality);
    }
  });

  it('spreads session dates over more than two years', () => {
    const months = new Set(demo.experiments.map((e) => e.fields.date?.slice(0, 7)));
    const years = new Set(demo.experiments.map((e) => e.fields.date?.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(3);
    expect(months.size).toBeGreaterThanOrEqual(20);
  });

  it('generates every file as a valid instance of its format', () => {
    for (const file of demo.files) {
      const bytes = bytesOf(file);
      expect(bytes.length, file.path).toBeGreaterThan(0);
      if (file.path.endsWith('.dcm')) {
        expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
        parseDicom(bytes);
      } else if (file.path.endsWith('.png')) {
        parsePng(bytes);
      } else if (file.path.endsWith('.nii.gz')) {
        expect(parseNifti(bytes).sizeofHdr).toBe(348);
      } else if (file.path.endsWith('.json')) {
        expect(() => JSON.parse(bytes.toString('utf8'))).not.toThrow();
      } else if (file.path.endsWith('.pdf')) {
        expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      }
    }
  });

  it('ties DICOM headers to their session and scan', () => {
    const session = demo.experiments.find((e) => e.project === 'test');
    const scan = demo.scans.find((s) => s.experimentId === session?.id && s.fields.type === 'mprage');
    const dicomResource = resourcesOf(demo, session!.id, scan!.id).find((r) => r.label === 'DICOM');
    const file = demo.files.find((f) => f.resourceDbId === dicomResource?.dbId);
    const el = parseDicom(bytesOf(file!));
    expect(str(el.get('0020,000d'))).toBe(session?.fields.UID);
    expect(str(el.get('0020,000e'))).toBe(scan?.fields.UID);
    expect(str(el.get('0008,103e'))).toBe(scan?.fields.series_description);
  });

  it('loads empty and bench datasets and rejects unknown names', () => {
    expect(summarizeDataset(loadDataset('empty'))).toMatchObject({ projects: 0, subjects: 0, files: 0 });
    const bench = summarizeDataset(loadDataset('bench:3'));
    expect(bench.projects).toBe(4);
    expect(bench.subjects).toBe(summarizeDataset(demo).subjects * 3);
    expect(summarizeDataset(loadDataset('bench')).subjects).toBe(summarizeDataset(demo).subjects * 10);
    expect(() => loadDataset('nope')).toThrow(/Unknown dataset "nope"/);
    expect(() => loadDataset('bench:0')).toThrow(/SCALE/);
    expect(() => loadDataset('bench:x')).toThrow(/Unknown dataset/);
  });

  it('keeps bench labels unique at larger scales', () => {
    const bench = loadDataset('bench:20');
    const labels = bench.subjects.map((s) => `${s.project}/${s.label}`);
    expect(new Set(labels).size).toBe(labels.length);
    expect(bench.subjects.find((s) => s.project === 'test')?.label).toBe('sub-001');
  });
});
