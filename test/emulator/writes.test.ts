import { describe, expect, it } from 'vitest';
import { call, csv, json, useEmulator } from './client.js';

const emulator = useEmulator();

describe('creating archive objects', () => {
  it('creates a subject with 201 and its ID, then answers 200 with the same ID', async () => {
    const first = await call(emulator(), '/data/projects/test/subjects/new-subject?gender=female&yob=1980', { method: 'PUT' });
    expect(first.status).toBe(201);
    const id = await first.text();
    expect(id).toMatch(/^XNAT_S\d{5}$/);
    const again = await call(emulator(), '/data/projects/test/subjects/new-subject', { method: 'PUT' });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(id);
    const [row] = await csv(
      emulator(),
      '/data/projects/test/subjects?format=csv&columns=ID,label,gender,yob,insert_user&label=new-subject',
    );
    expect(row).toMatchObject({ ID: id, label: 'new-subject', gender: 'female', yob: '1980', insert_user: 'admin' });
  });

  it('needs an xsiType for a new session (417), and auto-creates a missing subject', async () => {
    const bare = await call(emulator(), '/data/projects/test/subjects/auto-subject/experiments/auto-MR1', { method: 'PUT' });
    expect(bare.status).toBe(417);
    const made = await call(
      emulator(),
      '/data/projects/test/subjects/auto-subject/experiments/auto-MR1?xsiType=xnat:mrSessionData&date=03/21/2017&xnat:mrSessionData/fieldStrength=3.0',
      { method: 'PUT' },
    );
    expect(made.status).toBe(201);
    const id = await made.text();
    expect(id).toMatch(/^XNAT_E\d{5}$/);
    const [row] = await csv(emulator(), `/data/experiments?format=csv&ID=${id}&columns=ID,label,subject_label,date,xsiType,fieldStrength`);
    expect(row).toMatchObject({
      label: 'auto-MR1',
      subject_label: 'auto-subject',
      date: '2017-03-21',
      xsiType: 'xnat:mrSessionData',
      fieldStrength: '3.0',
    });
    const again = await call(emulator(), '/data/projects/test/subjects/auto-subject/experiments/auto-MR1?xsiType=xnat:mrSessionData', {
      method: 'PUT',
    });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(id);
  });

  it('creates scans (200, empty) with a concrete type and refuses a type change (409)', async () => {
    const session = '/data/projects/test/subjects/auto-subject/experiments/auto-MR1';
    expect((await call(emulator(), `${session}/scans/1?xsiType=xnat:imageScanData`, { method: 'PUT' })).status).toBe(400);
    expect((await call(emulator(), `${session}/scans/1`, { method: 'PUT' })).status).toBe(417);
    const made = await call(
      emulator(),
      `${session}/scans/1?xsiType=xnat:mrScanData&type=T1w&xnat:mrScanData/series_description=t1_mprage`,
      { method: 'PUT' },
    );
    expect(made.status).toBe(200);
    expect(await made.text()).toBe('');
    expect((await call(emulator(), `${session}/scans/1?xsiType=xnat:petScanData`, { method: 'PUT' })).status).toBe(409);
    const [scan] = await csv(emulator(), `${session}/scans?format=csv`);
    expect(scan).toMatchObject({ ID: '1', type: 'T1w', series_description: 't1_mprage', xsiType: 'xnat:mrScanData' });
  });

  it('creates a resource (200) with its attributes and refuses an existing label (409)', async () => {
    const scan = '/data/projects/test/subjects/auto-subject/experiments/auto-MR1/scans/1';
    const made = await call(emulator(), `${scan}/resources/NIFTI?format=NIFTI&content=T1_RAW&tags=a,b`, { method: 'PUT' });
    expect(made.status).toBe(200);
    expect((await call(emulator(), `${scan}/resources/NIFTI`, { method: 'PUT' })).status).toBe(409);
    const [row] = await csv(emulator(), `${scan}/resources?format=csv`);
    expect(row).toMatchObject({ label: 'NIFTI', format: 'NIFTI', content: 'T1_RAW', tags: 'a,b', file_count: '0' });
  });
});

describe('deleting archive objects', () => {
  it('deletes a scan, a session and a subject with their resources and files', async () => {
    const session = '/data/projects/test/subjects/gone/experiments/gone-MR1';
    const id = await (await call(emulator(), `${session}?xsiType=xnat:mrSessionData`, { method: 'PUT' })).text();
    await call(emulator(), `${session}/scans/1?xsiType=xnat:mrScanData`, { method: 'PUT' });
    await call(emulator(), `${session}/scans/2?xsiType=xnat:mrScanData`, { method: 'PUT' });
    await call(emulator(), `${session}/scans/1/resources/R/files/a.txt?inbody=true`, { method: 'PUT', body: 'a' });

    expect((await call(emulator(), `/data/experiments/${id}/scans/1?removeFiles=true`, { method: 'DELETE' })).status).toBe(200);
    expect((await csv(emulator(), `/data/experiments/${id}/scans?format=csv`)).map((s) => s.ID)).toEqual(['2']);
    // The scan is gone: its resources are not found; its files, asked without a project in the URL, fail in FileList.
    expect((await call(emulator(), `/data/experiments/${id}/scans/1/resources?format=csv`)).status).toBe(404);
    expect((await call(emulator(), `/data/experiments/${id}/scans/1/resources/R/files?format=csv`)).status).toBe(500);
    const underProject = await csv(emulator(), `${session}/scans/1/files?format=csv`);
    expect(underProject.length).toBe(0);

    expect((await call(emulator(), `${session}?removeFiles=true`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(emulator(), `/data/experiments/${id}?format=json`)).status).toBe(404);

    expect((await call(emulator(), '/data/projects/test/subjects/gone', { method: 'DELETE' })).status).toBe(200);
    expect((await call(emulator(), '/data/projects/test/subjects/gone?format=json')).status).toBe(404);
    expect((await call(emulator(), '/data/projects/test/subjects/gone', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('single objects', () => {
  it('renders a session as items/data_fields/children with its scans and their resources', async () => {
    const body = await json(emulator(), '/data/projects/test/subjects/sub-01/experiments/sub-01_MR1?format=json');
    const [item] = body.items;
    expect(item.meta['xsi:type']).toBe('xnat:mrSessionData');
    expect(item.data_fields).toMatchObject({ ID: 'XNAT_E00001', label: 'sub-01_MR1', project: 'test', subject_ID: 'XNAT_S00001' });
    const scans = item.children.find((c: { field: string }) => c.field === 'scans/scan');
    const mprage = scans.items.find((s: { data_fields: { type: string } }) => s.data_fields.type === 'mprage');
    expect(mprage.meta['xsi:type']).toBe('xnat:mrScanData');
    const resources = mprage.children.find((c: { field: string }) => c.field === 'file');
    expect(resources.items.map((r: { data_fields: { label: string } }) => r.data_fields.label)).toContain('nifti');
  });

  it('renders projects, subjects and scans, and XML by default', async () => {
    expect((await json(emulator(), '/data/projects/test?format=json')).items[0].data_fields.ID).toBe('test');
    expect((await json(emulator(), '/data/subjects/XNAT_S00001?format=json')).items[0].data_fields.label).toBe('sub-01');
    const scan = await json(emulator(), '/data/experiments/XNAT_E00001/scans/2?format=json');
    expect(scan.items[0].data_fields).toMatchObject({ ID: '2', type: 'mprage' });
    const xml = await call(emulator(), '/data/experiments/XNAT_E00001');
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
    const doc = await xml.text();
    expect(doc).toMatch(/^<\?xml[^>]*>\n<xnat:MRSession [^>]*ID="XNAT_E00001" project="test" label="sub-01_MR1"/);
    expect(doc).toMatch(/<xnat:scans><xnat:scan ID="1" type="[^"]+" xsi:type="xnat:mrScanData">/);
    const project = await (await call(emulator(), '/data/projects/test?format=xml')).text();
    expect(project).toMatch(/<xnat:Project [^>]*ID="test"/);
  });
});

describe('one reconstruction, as ReconResource finds it', () => {
  it('is found by its ID alone: a type names none, and a DELETE by type deletes nothing', async () => {
    const sessions = (await json(emulator(), '/data/experiments?format=json&xsiType=xnat:mrSessionData')).ResultSet.Result as {
      ID: string;
    }[];
    let session = '';
    let recon: { ID: string; type: string } | undefined;
    for (const { ID } of sessions) {
      [recon] = (await json(emulator(), `/data/experiments/${ID}/reconstructions?format=json`)).ResultSet.Result;
      session = ID;
      if (recon?.type) break;
    }
    if (!recon?.type) throw new Error('the demo dataset has no typed reconstruction');
    const base = `/data/experiments/${session}/reconstructions`;
    expect((await call(emulator(), `${base}/${recon.type}?format=xml`)).status).toBe(404);
    expect((await call(emulator(), `${base}/${recon.type}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(emulator(), `${base}/${recon.ID}?format=xml`)).status).toBe(200);
    // Under its resources, XNATTemplate matches the type too.
    expect((await call(emulator(), `${base}/${recon.type}/out/resources?format=json`)).status).toBe(200);
  });
});
