import { describe, expect, it } from 'vitest';
import { call, csv, GUEST, json, useEmulator } from './client.js';

const emulator = useEmulator();

describe('ResultSet envelopes', () => {
  it('writes JSON with string cells and string totalRecords, and CSV with the same rows', async () => {
    const body = await json(emulator(), '/data/projects/test/subjects?format=json');
    const { Result, totalRecords } = body.ResultSet;
    expect(typeof totalRecords).toBe('string');
    expect(totalRecords).toBe(String(Result.length));
    expect(Object.keys(Result[0])).toEqual(['ID', 'project', 'label', 'insert_date', 'insert_user', 'URI']);
    for (const row of Result) for (const value of Object.values(row)) expect(typeof value).toBe('string');
    expect(Result[0].URI).toBe(`/data/subjects/${Result[0].ID}`);

    const rows = await csv(emulator(), '/data/projects/test/subjects?format=csv');
    expect(rows.header).toEqual(['ID', 'project', 'label', 'insert_date', 'insert_user', 'URI']);
    expect([...rows]).toEqual(Result);
  });

  it('defaults listings to JSON, and renders XML and HTML tables', async () => {
    const res = await call(emulator(), '/data/projects');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const xml = await (await call(emulator(), '/data/projects?format=xml')).text();
    expect(xml).toContain('<ResultSet xmlns="http://nrg.wustl.edu/security" totalRecords="4">');
    expect(xml).toContain('<column>ID</column>');
    const html = await (await call(emulator(), '/data/projects?format=HTML')).text();
    expect(html).toMatch(/^<table class="x_rs_t">/);
  });

  it('escapes CSV cells holding commas and quotes', async () => {
    const text = await (await call(emulator(), '/data/projects?format=csv&columns=ID,description')).text();
    const adni = text.split('\n').find((line) => line.startsWith('ADNI_DEMO'))!;
    expect(adni).toMatch(/^ADNI_DEMO,"[^"]*,[^"]*",\/data\/projects\/ADNI_DEMO$/);
    const rows = await csv(emulator(), '/data/projects?format=csv&columns=ID,description');
    expect(rows.find((r) => r.ID === 'ADNI_DEMO')!.description).toContain(', ');
  });

  it('carries titles where XNAT does and leaves them out elsewhere', async () => {
    expect((await json(emulator(), '/data/experiments?format=json')).ResultSet.title).toBe('Matching experiments');
    expect((await json(emulator(), '/data/projects/test/experiments?format=json')).ResultSet.title).toBeUndefined();
    const resources = await json(emulator(), '/data/experiments/XNAT_E00001/scans/2/resources?format=json');
    expect(resources.ResultSet.title).toBe('Resources');
    const files = await json(emulator(), '/data/experiments/XNAT_E00001/scans/2/resources/nifti/files?format=json');
    expect(files.ResultSet.title).toBe('Files');
    expect(files.ResultSet.totalRecords).toBeUndefined();
    expect(files.ResultSet.Columns).toEqual([{ key: 'URI', serverRoot: '' }]);
  });
});

describe('columns', () => {
  it('names columns by shortcut when the xpath is a shortcut path, else by the lower-cased xpath', async () => {
    const rows = await csv(
      emulator(),
      '/data/experiments?format=csv&project=test&columns=ID,xnat:experimentData/label,xnat:subjectData/label,xnat:mrSessionData/fieldStrength,xnat:imageSessionData/subject_ID',
    );
    expect(rows.header).toEqual(['ID', 'label', 'subject_label', 'fieldStrength', 'xnat:imagesessiondata/subject_id', 'URI']);
    const first = rows[0]!;
    expect(first.label).toMatch(/^sub-01_MR/);
    expect(first.subject_label).toBe('sub-01');
    expect(first['xnat:imagesessiondata/subject_id']).toMatch(/^XNAT_S\d+$/);
  });

  it('drops unknown shortcuts silently, dedupes, and always appends URI', async () => {
    const rows = await csv(emulator(), '/data/projects?format=csv&columns=ID,xsiType,nonsense,ID');
    expect(rows.header).toEqual(['ID', 'URI']);
  });

  it('keeps every requested column in CSV even when empty', async () => {
    const rows = await csv(emulator(), '/data/experiments/XNAT_E00001/scans?format=csv&columns=ID,frames,UID,note');
    expect(rows.header).toEqual(['ID', 'frames', 'UID', 'note', 'URI']);
  });

  it('gives the scan listing its default columns and accession-ID URIs', async () => {
    const rows = await csv(emulator(), '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1/scans?format=csv');
    expect(rows.header).toEqual(['xnat_imagescandata_id', 'ID', 'type', 'quality', 'xsiType', 'note', 'series_description', 'URI']);
    expect(rows.map((r) => r.type)).toContain('mprage');
    expect(rows[0]!.URI).toBe('/data/experiments/XNAT_E00001/scans/1');
  });

  it('answers ?fields= with the shortcut map', async () => {
    const body = await json(emulator(), '/data/experiments?fields=x');
    expect(body.ResultSet.Result).toContainEqual({ key: 'subject_ID', xpath: 'xnat:subjectassessordata/subject_id' });
  });
});

describe('the scan-column join on /data/experiments', () => {
  it('gives one row per (session, scan) with lower-cased xpath keys', async () => {
    const rows = await csv(
      emulator(),
      '/data/experiments?format=csv&xsiType=xnat:imageSessionData&project=test&columns=ID,label,xnat:imageScanData/ID,xnat:imageScanData/type,xnat:imageScanData/series_description,xnat:imageScanData/quality,xnat:imageScanData/frames',
    );
    expect(rows.header).toEqual([
      'ID',
      'label',
      'xnat:imagescandata/id',
      'xnat:imagescandata/type',
      'xnat:imagescandata/series_description',
      'xnat:imagescandata/quality',
      'xnat:imagescandata/frames',
      'URI',
    ]);
    const e1 = rows.filter((r) => r.ID === 'XNAT_E00001');
    const scans = await csv(emulator(), '/data/experiments/XNAT_E00001/scans?format=csv');
    expect(e1.map((r) => r['xnat:imagescandata/id'])).toEqual(scans.map((s) => s.ID));
    expect(e1.map((r) => r['xnat:imagescandata/type'])).toEqual(scans.map((s) => s.type));
    expect(e1.every((r) => r.URI === '/data/experiments/XNAT_E00001')).toBe(true);
  });

  it('filters on a scan column', async () => {
    const rows = await csv(
      emulator(),
      '/data/experiments?format=csv&project=test&columns=ID,xnat:imageScanData/type&xnat:imageScanData/type=mprage',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r['xnat:imagescandata/type'] === 'mprage')).toBe(true);
  });
});

describe('filters, root types, paging and sorting', () => {
  it('selects the root type with xsiType and with a subtype column', async () => {
    const pet = await csv(emulator(), '/data/experiments?format=csv&xsiType=xnat:petSessionData&columns=ID,xsiType');
    expect(pet.length).toBeGreaterThan(0);
    expect(new Set(pet.map((r) => r.xsiType))).toEqual(new Set(['xnat:petSessionData']));
    const mr = await csv(emulator(), '/data/experiments?format=csv&columns=ID,xsiType,xnat:mrSessionData/fieldStrength');
    expect(new Set(mr.map((r) => r.xsiType))).toEqual(new Set(['xnat:mrSessionData']));
    // A comma list of types is ignored for root selection.
    const all = await csv(emulator(), '/data/experiments?format=csv&xsiType=xnat:petSessionData,xnat:ctSessionData&columns=ID');
    expect(all.length).toBeGreaterThan(pet.length);
  });

  it('adds subject columns to the default /data/experiments columns only for subject-assessor roots', async () => {
    const plain = await csv(emulator(), '/data/experiments?format=csv&project=test');
    expect(plain.header).toEqual(['ID', 'project', 'date', 'xsiType', 'label', 'insert_date', 'URI']);
    const sessions = await csv(emulator(), '/data/experiments?format=csv&project=test&xsiType=xnat:mrSessionData');
    expect(sessions.header).toEqual(['ID', 'project', 'date', 'xsiType', 'label', 'insert_date', 'subject_ID', 'subject_label', 'URI']);
  });

  it('ORs comma pieces, matches * as a case-insensitive LIKE and ranges dates', async () => {
    const two = await csv(emulator(), '/data/experiments?format=csv&ID=XNAT_E00001,XNAT_E00003');
    expect(two.map((r) => r.ID)).toEqual(['XNAT_E00001', 'XNAT_E00003']);
    const like = await csv(emulator(), '/data/subjects?format=csv&project=test&label=SUB-0*');
    expect(like.length).toBe(9);
    const projects = await csv(emulator(), '/data/subjects?format=csv&project=test,ADNI_DEMO&columns=ID,project');
    expect(new Set(projects.map((r) => r.project))).toEqual(new Set(['test', 'ADNI_DEMO']));
    const all = await csv(emulator(), '/data/experiments?format=csv&columns=ID,date');
    const dated = await csv(emulator(), '/data/experiments?format=csv&columns=ID,date&date=01/01/2024-12/31/2024');
    expect(dated.length).toBeGreaterThan(0);
    expect(dated.length).toBeLessThan(all.length);
    expect(dated.every((r) => r.date! >= '2024-01-01' && r.date! <= '2024-12-31')).toBe(true);
  });

  it('ignores filters on the scan listing and on /data/projects for non-admins', async () => {
    const scans = await csv(emulator(), '/data/experiments/XNAT_E00001/scans?format=csv&type=mprage');
    expect(scans.length).toBeGreaterThan(1);
    const admin = await csv(emulator(), '/data/projects?format=csv&ID=test');
    expect(admin.map((r) => r.ID)).toEqual(['test']);
    const guest = await csv(emulator(), '/data/projects?format=csv&ID=test', GUEST);
    expect(guest.map((r) => r.ID).sort()).toEqual(['ADNI_DEMO', 'PROT_NEURO', 'test']);
  });

  it('pages with limit/offset and then omits totalRecords', async () => {
    const all = (await json(emulator(), '/data/experiments?format=json')).ResultSet;
    const page = (await json(emulator(), '/data/experiments?format=json&limit=5&offset=3')).ResultSet;
    expect(page.totalRecords).toBeUndefined();
    expect(page.Result).toEqual(all.Result.slice(3, 8));
    const rest = (await json(emulator(), '/data/experiments?format=json&offset=2&limit=*')).ResultSet;
    expect(rest.Result.length).toBe(all.Result.length - 2);
    const subjects = (await json(emulator(), '/data/projects/test/subjects?format=json&limit=2')).ResultSet;
    expect(subjects.Result.length).toBe(2);
  });

  it('sorts by output columns', async () => {
    const rows = await csv(emulator(), '/data/projects/test/subjects?format=csv&sortBy=label&sortOrder=DESC');
    const labels = rows.map((r) => r.label);
    expect(labels).toEqual([...labels].sort().reverse());
  });

  it('sorts as XFTTable does: stable, empty cells last, DESC the reverse of ASC', async () => {
    // Scan notes are empty except on questionable or unusable scans.
    const sessions = (await csv(emulator(), '/data/experiments?format=csv&project=test')).map((r) => r.ID);
    let asc: Record<string, string>[] = [];
    let path = '';
    for (const session of sessions) {
      path = `/data/experiments/${session}/scans?format=csv&sortBy=note`;
      asc = await csv(emulator(), path);
      if (asc.some((r) => r.note !== '')) break;
    }
    const desc = await csv(emulator(), `${path}&sortOrder=desc`);
    const notes = asc.map((r) => r.note);
    const firstEmpty = notes.indexOf('');
    expect(firstEmpty).toBeGreaterThan(0);
    expect(notes.slice(firstEmpty).every((v) => v === '')).toBe(true);
    expect(desc.map((r) => r.ID)).toEqual(asc.map((r) => r.ID).reverse());
  });
});

describe('subjects and experiments in their scopes', () => {
  it('lists a subject’s sessions by subject label or ID, and 404s an unknown subject', async () => {
    const byLabel = await csv(emulator(), '/data/projects/test/subjects/sub-01/experiments?format=csv');
    const byId = await csv(emulator(), '/data/projects/test/subjects/XNAT_S00001/experiments?format=csv');
    expect([...byLabel]).toEqual([...byId]);
    expect(byLabel.length).toBeGreaterThan(0);
    expect((await call(emulator(), '/data/projects/test/subjects/nobody/experiments?format=csv')).status).toBe(404);
  });

  it('answers 404 for unknown projects, subjects, sessions and scans', async () => {
    for (const path of [
      '/data/projects/nope?format=json',
      '/data/projects/nope/subjects?format=json',
      '/data/subjects/XNAT_S99999?format=json',
      '/data/projects/test/subjects/nobody?format=json',
      '/data/experiments/XNAT_E99999?format=json',
      '/data/experiments/XNAT_E99999/scans?format=json',
      '/data/experiments/XNAT_E00001/scans/99?format=json',
      '/data/experiments/XNAT_E00001/scans/99/resources?format=json',
    ]) {
      expect((await call(emulator(), path)).status, path).toBe(404);
    }
    // FileList lists no files for a resource label no resource has.
    const unknownResource = await call(emulator(), '/data/experiments/XNAT_E00001/scans/2/resources/NOPE/files?format=json');
    expect(unknownResource.status).toBe(200);
    expect((await unknownResource.json()).ResultSet.Result).toEqual([]);
  });
});

describe('resources', () => {
  it('lists scan resources with the fixed columns and categories', async () => {
    const rows = await csv(emulator(), '/data/experiments/XNAT_E00001/scans/2/resources?format=csv&columns=label');
    expect(rows.header).toEqual([
      'xnat_abstractresource_id',
      'label',
      'element_name',
      'category',
      'cat_id',
      'cat_desc',
      'file_count',
      'file_size',
      'tags',
      'content',
      'format',
    ]);
    const nifti = rows.find((r) => r.label === 'nifti')!;
    expect(nifti).toMatchObject({
      element_name: 'xnat:resourceCatalog',
      category: 'scans',
      cat_id: '2',
      cat_desc: 'mprage',
      file_count: '1',
    });
  });

  it('lists every scan resource of several sessions with a comma list and ALL', async () => {
    const one = await csv(emulator(), '/data/experiments/XNAT_E00001/scans/ALL/resources?format=csv');
    const two = await csv(emulator(), '/data/experiments/XNAT_E00001,XNAT_E00002/scans/ALL/resources?format=csv');
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(one.length);
    expect(two.every((r) => r.category === 'scans')).toBe(true);
    const byType = await csv(emulator(), '/data/experiments/XNAT_E00001/scans/mprage,1/resources?format=csv');
    expect(new Set(byType.map((r) => r.cat_id))).toEqual(new Set(['1', '2']));
  });

  it('adds scan resources to session resources with all=true', async () => {
    const own = await csv(emulator(), '/data/experiments/XNAT_E00001/resources?format=csv');
    const all = await csv(emulator(), '/data/experiments/XNAT_E00001/resources?format=csv&all=true');
    expect(own.every((r) => r.category === 'resources')).toBe(true);
    expect(all.length).toBeGreaterThan(own.length);
    expect(all.some((r) => r.category === 'scans')).toBe(true);
  });

  it('lists project and subject resources', async () => {
    const project = await csv(emulator(), '/data/projects/test/resources?format=csv');
    expect(project.length).toBeGreaterThan(0);
    expect(project[0]!.category).toBe('resources');
    const subject = await call(emulator(), '/data/projects/test/subjects/sub-01/resources?format=json');
    expect(subject.status).toBe(200);
  });
});

describe('files listings', () => {
  it('gives single-resource URIs without /data, by IDs and the numeric resource id (resource_path)', async () => {
    const rows = await csv(
      emulator(),
      '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1/scans/2/resources/nifti/files?format=csv',
    );
    expect(rows.header).toEqual(['Name', 'Size', 'URI', 'collection', 'file_tags', 'file_format', 'file_content', 'cat_ID', 'digest']);
    const [file] = rows;
    expect(file!.Name).toBe('mprage.nii.gz');
    expect(file!.URI).toBe(`/experiments/XNAT_E00001/scans/2/resources/${file!.cat_ID}/files/mprage.nii.gz`);
    expect(file!.collection).toBe('nifti');
    expect(file!.digest).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(file!.Size)).toBeGreaterThan(0);
  });

  it('lists files of many resources at once (scans/ALL, comma lists) without the /data prefix', async () => {
    const all = await csv(emulator(), '/data/experiments/XNAT_E00001/scans/ALL/files?format=csv');
    expect(new Set(all.map((r) => r.collection))).toEqual(new Set(['DICOM', 'nifti', 'SNAPSHOTS']));
    expect(all.every((r) => r.URI!.startsWith('/experiments/XNAT_E00001/scans/'))).toBe(true);
    const two = await csv(emulator(), '/data/experiments/XNAT_E00001/scans/ALL/resources/DICOM,nifti/files?format=csv');
    expect(new Set(two.map((r) => r.collection))).toEqual(new Set(['DICOM', 'nifti']));
    const sessions = await csv(emulator(), '/data/experiments/XNAT_E00001,XNAT_E00002/scans/ALL/resources/nifti/files?format=csv');
    expect(sessions.length).toBe(2);
  });

  it('filters by file_format and by folder', async () => {
    const dicom = await csv(emulator(), '/data/experiments/XNAT_E00001/scans/ALL/files?format=csv&file_format=DICOM');
    expect(dicom.length).toBeGreaterThan(0);
    expect(dicom.every((r) => r.file_format === 'DICOM')).toBe(true);
  });
});
