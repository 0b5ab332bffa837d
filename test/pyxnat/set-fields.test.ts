import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startStack, type Stack } from '../support/stack.js';
import { hasPyxnat, runPyxnat } from '../support/pyxnat.js';

const SCRIPT = fileURLToPath(new URL('./set_fields.py', import.meta.url));

const SET = `mutation ($id: ID!, $values: [FieldValueInput!]!) { setFields(id: $id, values: $values) { id } }`;
const IDS = `{ project(id: "test") { id subject(label: "sub-02") { id experiment(label: "sub-02_MR1") { id
  scan(id: "2") { id } assessor(label: "sub-02_MR1_QC") { id } } } } }`;
const READ = `{ project(id: "test") { subject(label: "sub-03") { experiment(label: "sub-03_MR1") {
  scan(id: "3") { quality note: field(path: "xnat:imageScanData/note") }
  assessor(label: "sub-03_MR1_QC") { pass: field(path: "xnat:qcManualAssessorData/pass") } } } } }`;

type Plan = Array<{ object: unknown[]; mset?: Record<string, string>; get?: string[] }>;

describe('setFields and pyxnat see the same fields, on the same emulator', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const pyxnat = async (plan: Plan) => {
    const login = { server: stack.emulator.url, user: ADMIN.user, password: ADMIN.password };
    return JSON.parse(await runPyxnat(SCRIPT, login, () => [JSON.stringify(plan)])) as Array<Record<string, string>>;
  };

  it.skipIf(!hasPyxnat && !process.env.CI)(
    'values set through GraphQL are what pyxnat attrs.get reads, on every level',
    async () => {
      const ids = (await stack.graphql(IDS)).data.project;
      for (const [id, values] of [
        [ids.id, { description: 'Set through GraphQL' }],
        [ids.subject.id, { gender: 'female', weight: '64' }],
        [ids.subject.experiment.id, { 'xnat:mrSessionData/fieldStrength': '1.5T' }],
        [ids.subject.experiment.scan.id, { quality: 'questionable', 'xnat:imageScanData/note': 'ghosting' }],
        [ids.subject.experiment.assessor.id, { 'xnat:qcManualAssessorData/pass': 'fail' }],
      ] as const) {
        const answer = await stack.graphql(SET, { id, values: Object.entries(values).map(([path, value]) => ({ path, value })) });
        expect(answer.errors).toBeUndefined();
      }
      const read = await pyxnat([
        { object: ['test'], get: ['xnat:projectData/description'] },
        { object: ['test', 'sub-02'], get: ['xnat:subjectData/demographics[@xsi:type=xnat:demographicData]/gender', 'weight'] },
        { object: ['test', 'sub-02', 'sub-02_MR1'], get: ['xnat:mrSessionData/fieldStrength'] },
        { object: ['test', 'sub-02', 'sub-02_MR1', ['scan', '2']], get: ['xnat:imageScanData/quality', 'xnat:imageScanData/note'] },
        { object: ['test', 'sub-02', 'sub-02_MR1', ['assessor', 'sub-02_MR1_QC']], get: ['xnat:qcManualAssessorData/pass'] },
      ]);
      expect(read).toEqual([
        { 'xnat:projectData/description': 'Set through GraphQL' },
        { 'xnat:subjectData/demographics[@xsi:type=xnat:demographicData]/gender': 'female', weight: '64.0' },
        { 'xnat:mrSessionData/fieldStrength': '1.5T' },
        { 'xnat:imageScanData/quality': 'questionable', 'xnat:imageScanData/note': 'ghosting' },
        { 'xnat:qcManualAssessorData/pass': 'fail' },
      ]);
    },
    180_000,
  );

  it.skipIf(!hasPyxnat && !process.env.CI)(
    'values pyxnat attrs.mset stores are what GraphQL reads',
    async () => {
      await pyxnat([
        {
          object: ['test', 'sub-03', 'sub-03_MR1', ['scan', '3']],
          mset: { 'xnat:mrScanData/quality': 'unusable', 'xnat:mrScanData/note': 'from pyxnat' },
        },
        { object: ['test', 'sub-03', 'sub-03_MR1', ['assessor', 'sub-03_MR1_QC']], mset: { 'xnat:qcManualAssessorData/pass': 'pass' } },
      ]);
      const answer = await stack.graphql(READ, {}, ADMIN);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.project.subject.experiment).toEqual({
        scan: { quality: 'unusable', note: 'from pyxnat' },
        assessor: { pass: 'pass' },
      });
    },
    180_000,
  );
});
