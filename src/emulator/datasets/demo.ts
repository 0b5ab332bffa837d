/**
 * The demo dataset (`--dataset demo`, the embedded default): 4 projects, 27 subjects,
 * 56 sessions, identical on every start.
 *
 * | project | access | subjects | sessions | what |
 * |---|---|---|---|---|
 * | `test` | public | `sub-01`…`sub-10` | 15 MR (`sub-01_MR1`, `_MR2`) | the seed walkthrough's project |
 * | `ADNI_DEMO` | public | `002_S_0001`… (8) | 25: MR, FDG PET, AV45 PET | ageing cohort |
 * | `PRIV_ONC` | private (admin only) | `ONC-001`…`ONC-006` | 13: CT, whole-body PET/CT | oncology |
 * | `PROT_NEURO` | protected (listed to all; data: its owner, member, collab) | `NEURO-01`…`NEURO-03` + 2 shared | 3 MR + 2 shared | sharing |
 *
 * Every scan has `DICOM` (Part 10 files `1.dcm`…; DWI scans add `secondary/N.dcm`) and
 * `SNAPSHOTS` (`<session>_<scan>_qc.png`, `_qc_t.png`); every `mprage` scan (scan "2" of each MR
 * session) has `nifti/mprage.nii.gz`. Project resources: `test/protocols` (txt, pdf),
 * `test/edge_names` (prefix-colliding and special-character names; no stored file count or size),
 * `ADNI_DEMO/protocols` (pdf), `PRIV_ONC/data_use` (txt). Subject resources: `CLINICAL`
 * (csv) on every ADNI_DEMO subject. Session resources: `QC` (json) on every third `test`
 * session, an empty `derivatives` on the second, `reports` (txt) on PRIV_ONC CT sessions.
 * Image assessors (datasets/assessors.ts) on `test` sessions: manual QC (`<session>_QC`,
 * `xnat:qcManualAssessorData`, `pass` = pass/fail) on three sessions in four, FreeSurfer
 * (`<session>_freesurfer`, `fs:fsData`, a `SNAPSHOTS` resource of two PNGs) on every `_MR1`;
 * on PRIV_ONC's shared `ONC-001_CT1`, `ONC-001_CT1_QC` (shared into PROT_NEURO, with a snapshot)
 * and `ONC-001_CT1_QC_internal` (not shared); their accession IDs follow the sessions'. Reconstructions (datasets/reconstructions.ts) on every
 * `test` `_MR1` session: `<session>_mni152` with a `NIFTI` resource of one `.nii.gz`. Every subject has gender, handedness and year of
 * birth, plus education, race, ethnicity, height and weight (datasets/demographics.ts). Custom
 * variables (datasets/custom-fields.ts) on `test` and its subjects, sessions and FreeSurfer runs,
 * and on ADNI_DEMO.
 * Session dates run from 2023 to 2026; accession IDs are `XNAT_S00001`…, `XNAT_E00001`….
 */
import type { Dataset } from '../model.js';
import { textPdf } from '../formats/pdf.js';
import { createRandom, type Random } from '../formats/random.js';
import { csvText, protocolText } from '../formats/text.js';
import { addAssessors } from './assessors.js';
import { addCustomFields } from './custom-fields.js';
import { addDemographics } from './demographics.js';
import { addReconstructions } from './reconstructions.js';
import { generateDataset, pad, qcReport, type ProjectPlan, type SessionPlan } from './generate.js';

function person(random: Random, minYob: number, maxYob: number) {
  return {
    gender: random.chance(0.5) ? 'female' : 'male',
    handedness: random.chance(0.88) ? 'right' : 'left',
    yob: String(random.int(minYob, maxYob)),
  };
}

/**
 * `test/edge_names`: file names real archives have that XNAT handles specially. Paths that are
 * string prefixes of others (XNAT's file DELETE matches by prefix) and names with a space, `+`,
 * `%`, `#` and non-ASCII characters (XNAT decodes `/files/` paths differently per version).
 */
const EDGE_NAMES = {
  label: 'edge_names',
  format: 'TXT',
  content: 'EDGE_CASES',
  // Created by a tool that never had XNAT count the files: file_count and file_size are empty.
  statsStored: false as const,
  files: ['IM1', 'IM10', 'IM11', 'IM1.bak', 'a/b', 'a/b.txt', 'scan 1.nii', 'a+b.txt', '100%.txt', 'notes#1.txt', 'résumé.txt'].map(
    (path) => ({
      path,
      format: 'TXT',
      source: () => Buffer.from(`${path}\n`),
    }),
  ),
};

/**
 * `test`: the seed walkthrough's project. Every subject has one or two MR sessions whose scan
 * "2" is an `mprage` holding `nifti/mprage.nii.gz`.
 */
const TEST: ProjectPlan = {
  id: 'test',
  accessibility: 'public',
  fields: {
    secondary_ID: 'TEST',
    name: 'Test MRI cohort',
    description: 'Structural and functional brain MRI of healthy volunteers and patients; used by the pyxnat processing walkthrough.',
    keywords: 'MRI T1w brain walkthrough',
    pi_firstname: 'Maria',
    pi_lastname: 'Novak',
  },
  subjectCount: 10,
  subject(index, width, random) {
    const label = `sub-${pad(index + 1, width)}`;
    const sessions: SessionPlan[] = [{ kind: 'MR', label: `${label}_MR1`, dayOffset: 0 }];
    if (index === 0 || random.chance(0.5)) sessions.push({ kind: 'MR', label: `${label}_MR2`, dayOffset: random.int(150, 420) });
    return {
      label,
      fields: { ...person(random, 1978, 2003), group: random.chance(0.6) ? 'control' : 'patient' },
      sessions,
    };
  },
  resources: [
    {
      label: 'protocols',
      format: 'TXT',
      content: 'PROTOCOL',
      description: 'Acquisition protocol and consent template',
      files: [
        {
          path: 'MR_protocol.txt',
          format: 'TXT',
          source: () =>
            protocolText('Test MRI cohort', [
              '1 localizer   3-plane scout',
              '2 mprage      T1 MPRAGE sagittal 1 mm iso, TR 2300 ms, TI 900 ms',
              '3 T2w         T2 SPACE sagittal 1 mm iso',
              '4 FLAIR       3D FLAIR sagittal',
              '5 DWI         64 directions, b=1000',
              '6 BOLD        resting state, TR 800 ms, 600 volumes',
            ]),
        },
        {
          path: 'consent_form.pdf',
          format: 'PDF',
          source: () => textPdf(['Test MRI cohort', 'Participant consent form (template)', 'Version 2.1']),
        },
      ],
    },
    EDGE_NAMES,
  ],
  sessionResources(experiment, index) {
    if (index === 1) return [{ label: 'derivatives', format: '', content: 'PROCESSED', files: [] }];
    if (index % 3 !== 0) return [];
    return [
      {
        label: 'QC',
        format: 'JSON',
        content: 'QC',
        files: [{ path: 'qc_report.json', format: 'JSON', source: qcReport(experiment, createRandom(experiment.id)) }],
      },
    ];
  },
};

const ADNI_SITES = ['002', '011', '023', '941'];

/** `ADNI_DEMO`: an ADNI-style ageing cohort with MR, FDG PET and amyloid PET visits. */
const ADNI: ProjectPlan = {
  id: 'ADNI_DEMO',
  accessibility: 'public',
  fields: {
    secondary_ID: 'ADNI demo',
    name: 'ADNI-style ageing and dementia demo',
    description: 'Baseline and 12-month MR, FDG PET and amyloid PET of cognitively normal, MCI and AD participants (synthetic).',
    keywords: 'ADNI PET FDG amyloid dementia',
    pi_firstname: 'Kenji',
    pi_lastname: 'Watanabe',
  },
  subjectCount: 8,
  subject(index, width, random) {
    const label = `${random.pick(ADNI_SITES)}_S_${pad(index + 1, Math.max(4, width))}`;
    const group = random.pick(['CN', 'CN', 'MCI', 'AD']);
    const sessions: SessionPlan[] = [
      { kind: 'MR', label: `${label}_MR_bl`, dayOffset: 0 },
      { kind: 'PET_FDG', label: `${label}_FDG_bl`, dayOffset: random.int(3, 20) },
    ];
    if (group !== 'CN' || random.chance(0.3)) {
      sessions.push({ kind: 'PET_AMYLOID', label: `${label}_AV45_bl`, dayOffset: random.int(21, 45) });
    }
    if (random.chance(0.5)) sessions.push({ kind: 'MR', label: `${label}_MR_m12`, dayOffset: random.int(350, 390) });
    return { label, fields: { ...person(random, 1940, 1962), group }, sessions };
  },
  resources: [
    {
      label: 'protocols',
      format: 'PDF',
      content: 'PROTOCOL',
      files: [
        {
          path: 'PET_acquisition.pdf',
          format: 'PDF',
          source: () =>
            textPdf(['ADNI-style PET acquisition', 'FDG: 30-60 min post injection, 6 x 5 min frames', 'AV45: 50-70 min, 4 x 5 min frames']),
        },
      ],
    },
  ],
  subjectResources(_index, subject) {
    return [
      {
        label: 'CLINICAL',
        format: 'CSV',
        content: 'ASSESSMENT',
        files: [
          {
            path: 'assessments.csv',
            format: 'CSV',
            source: () => {
              const random = createRandom(`${subject.id}/clinical`);
              return csvText(
                ['visit', 'MMSE', 'CDR_global', 'ADAS13'],
                [
                  ['bl', random.int(20, 30), random.pick(['0', '0.5', '1']), random.int(5, 35)],
                  ['m12', random.int(18, 30), random.pick(['0', '0.5', '1']), random.int(5, 40)],
                ],
              );
            },
          },
        ],
      },
    ];
  },
};

/** `PRIV_ONC`: a private oncology project (admin only) with CT and whole-body PET/CT. */
const ONCOLOGY: ProjectPlan = {
  id: 'PRIV_ONC',
  accessibility: 'private',
  fields: {
    secondary_ID: 'Oncology PET/CT',
    name: 'Oncology PET/CT (restricted)',
    description: 'Staging and restaging CT and FDG PET/CT of lung and colorectal cancer patients (synthetic, restricted access).',
    keywords: 'oncology CT PET/CT staging',
    pi_firstname: 'Ines',
    pi_lastname: 'Moreau',
  },
  subjectCount: 6,
  subject(index, width, random) {
    const label = `ONC-${pad(index + 1, Math.max(3, width))}`;
    const sessions: SessionPlan[] = [
      { kind: 'CT', label: `${label}_CT1`, dayOffset: 0 },
      { kind: 'PETCT', label: `${label}_PETCT1`, dayOffset: random.int(5, 15) },
    ];
    if (random.chance(0.5)) sessions.push({ kind: 'CT', label: `${label}_CT2`, dayOffset: random.int(90, 130) });
    return { label, fields: { ...person(random, 1945, 1985), group: random.pick(['NSCLC', 'CRC']) }, sessions };
  },
  resources: [
    {
      label: 'data_use',
      format: 'TXT',
      content: 'AGREEMENT',
      files: [
        {
          path: 'DUA.txt',
          format: 'TXT',
          source: () => Buffer.from('Data use agreement: access restricted to the oncology imaging group. Do not redistribute.\n', 'utf8'),
        },
      ],
    },
  ],
  sessionResources(experiment) {
    if (experiment.xsiType !== 'xnat:ctSessionData') return [];
    return [
      {
        label: 'reports',
        format: 'TXT',
        content: 'REPORT',
        files: [
          {
            path: 'radiology_report.txt',
            format: 'TXT',
            source: () => Buffer.from(`${experiment.label}: no new lesions compared to prior. Synthetic report.\n`, 'utf8'),
          },
        ],
      },
    ];
  },
};

/**
 * `PROT_NEURO`: a protected project (every user sees it listed; only its owner, member and
 * collaborator read its data), into which one PRIV_ONC and one ADNI_DEMO subject are shared.
 */
const NEURO: ProjectPlan = {
  id: 'PROT_NEURO',
  accessibility: 'protected',
  fields: {
    secondary_ID: 'Neuro-oncology',
    name: 'Neuro-oncology imaging (protected)',
    description: 'Brain MRI of patients with brain metastases, with shared oncology and ageing cases (synthetic, protected).',
    keywords: 'neuro-oncology MRI metastases',
    pi_firstname: 'Amara',
    pi_lastname: 'Okafor',
  },
  subjectCount: 3,
  subject(index, width, random) {
    const label = `NEURO-${pad(index + 1, width)}`;
    return {
      label,
      fields: { ...person(random, 1950, 1990), group: 'metastases' },
      sessions: [{ kind: 'MR', label: `${label}_MR1`, dayOffset: 0 }],
    };
  },
};

/**
 * Sharing (`sharing/share` elements): ONC-001 of PRIV_ONC and its first CT session appear in
 * PROT_NEURO under new labels (its PET/CT session is not shared); the first ADNI_DEMO subject and
 * its baseline MR appear there under their own labels.
 */
export function share(dataset: Dataset): void {
  const subject = (project: string, label: string) => dataset.subjects.find((s) => s.project === project && s.label === label);
  const onc = subject('PRIV_ONC', 'ONC-001');
  const adni = dataset.subjects.find((s) => s.project === 'ADNI_DEMO');
  if (!onc || !adni) return;
  onc.shares = [{ project: 'PROT_NEURO', label: 'NEURO-ONC-001' }];
  const ct = dataset.experiments.find((e) => e.subjectId === onc.id && e.label === 'ONC-001_CT1');
  if (ct) ct.shares = [{ project: 'PROT_NEURO', label: 'NEURO-ONC-001_CT1' }];
  adni.shares = [{ project: 'PROT_NEURO', label: '' }];
  const mr = dataset.experiments.find((e) => e.subjectId === adni.id && e.label.endsWith('_MR_bl'));
  if (mr) mr.shares = [{ project: 'PROT_NEURO', label: '' }];
}

/** The projects of the demo dataset, in listing order; the bench dataset scales the same plans and shares. */
export const DEMO_PLANS: ProjectPlan[] = [TEST, ADNI, ONCOLOGY, NEURO];

export function demoDataset(): Dataset {
  const dataset = generateDataset(DEMO_PLANS, 1);
  share(dataset);
  addAssessors(dataset);
  addReconstructions(dataset);
  addDemographics(dataset);
  addCustomFields(dataset);
  return dataset;
}
