import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCostModel } from '../../src/emulator/cost-model.js';
import { loadDataset, summarizeDataset } from '../../src/emulator/datasets/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

describe('site:SCALE, a real-archive-shaped dataset', () => {
  it('has a DICOM file per slice or frame: over 200,000 files at SCALE 1, in compact records', () => {
    const dataset = loadDataset('site:1');
    const summary = summarizeDataset(dataset);
    expect(summary.files).toBeGreaterThan(200_000);
    // One record per resource, not per file.
    expect(dataset.files.length).toBe(0);
    expect(dataset.series!.length).toBe(summary.resources);
    const mprage = dataset.scans.filter((s) => s.fields.type === 'T1w').map((s) => Number(s.fields.frames));
    expect(Math.min(...mprage)).toBeGreaterThanOrEqual(176);
  });

  describe('served with the XNAT cost model', () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator({
        dataset: 'site:1',
        costModel: 'request=1,session=0.5,scan=0.1,resource=0.1,catalog=0.1,file=0.001,row=0.001',
      });
    });
    afterAll(async () => {
      await emulator?.close();
    });

    const get = (path: string) => fetch(`${emulator.url}${path}`, { headers: { authorization: AUTH } });

    it('lists every slice of a series, with sizes the downloads keep, and says what XNAT would charge', async () => {
      const experiments = (await (await get('/data/projects/NEURO/experiments?format=json')).json()) as {
        ResultSet: { Result: { ID: string }[] };
      };
      const session = experiments.ResultSet.Result[0]!.ID;
      const resources = await get(`/data/experiments/${session}/scans/ALL/resources?format=json`);
      const resourceRows = ((await resources.json()) as { ResultSet: { Result: Record<string, string>[] } }).ResultSet.Result;
      expect(resources.headers.get('x-emulator-cost')).toMatch(new RegExp(`rows=${resourceRows.length}$`));
      const dicom = resourceRows.find((r) => r.label === 'DICOM' && r.cat_id === '2')!;
      expect(Number(dicom.file_count)).toBeGreaterThanOrEqual(176);

      const files = await get(`/data/experiments/${session}/scans/2/resources/DICOM/files?format=json`);
      const rows = ((await files.json()) as { ResultSet: { Result: Record<string, string>[] } }).ResultSet.Result;
      expect(rows).toHaveLength(Number(dicom.file_count));
      expect(rows.reduce((n, r) => n + Number(r.Size), 0)).toBe(Number(dicom.file_size));
      expect(rows[0]!.Name).toMatch(/^2\.25\.\d+-2-1-[0-9a-f]+\.dcm$/);
      // request 1 + session 0.5 + scan 0.1 + resource 0.1 + catalog 0.1 + files and rows 0.002 each
      const charged = Number(/ms=([\d.]+)/.exec(files.headers.get('x-emulator-cost') ?? '')?.[1]);
      expect(charged).toBeCloseTo(1 + 0.5 + 0.1 + 0.1 + 0.1 + rows.length * 0.002, 3);

      const last = rows[rows.length - 1]!;
      const bytes = Buffer.from(await (await get(`/data/experiments/${session}/scans/2/resources/DICOM/files/${last.Name}`)).arrayBuffer());
      expect(bytes.length).toBe(Number(last.Size));
      expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
    });

    it('refuses a cost model it cannot read', () => {
      expect(() => parseCostModel('file=fast')).toThrow(/Invalid cost model entry/);
      expect(() => parseCostModel('disk=1')).toThrow(/Invalid cost model entry/);
      expect(parseCostModel('typical').fileMs).toBeGreaterThan(0);
    });
  });
});
