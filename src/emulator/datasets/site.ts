/**
 * `site:SCALE`: an archive shaped like a real imaging site, with a DICOM file per slice or frame
 * (at SCALE 5, about 1.1 million files in some 900 sessions). Records stay compact: each DICOM
 * series, NIfTI pair and derived folder is a FileSeries whose names and bytes are derived from
 * the file's index, so the emulator holds one record per resource, not per file.
 *
 * | project | subjects | sessions | scans (files each) |
 * |---|---|---|---|
 * | `NEURO` | 60 × SCALE | 1–3 MR | localizer (3–9), MPRAGE (176–208), T2 (30–60), FLAIR (40–48), 1–3 BOLD runs (200–600 volumes), DWI (65–100), field maps (2 × 64–72) |
 * | `PET_AMYLOID` | 20 × SCALE | 1–2 PET/CT | CT attenuation map (120–300 slices), PET 4 frames × 89 slices, dynamic PET 24 frames × 47 slices on half |
 * | `LUNG_CT` | 20 × SCALE | 1 CT | topogram (1–2), chest CT (300–600 slices) |
 *
 * Folders as XNAT stores them: a scan's DICOM resource holds files named as XNAT's default
 * DICOM naming does (`<StudyInstanceUID>-<SeriesNumber>-<InstanceNumber>-<hash>.dcm`), a `NIFTI`
 * resource the converted volume and its JSON sidecar, `SNAPSHOTS` two GIFs; half the MR sessions
 * carry a session-level `FREESURFER` resource with its `mri/`, `surf/`, `label/`, `stats/` and
 * `scripts/` folders. The site runs with checksums off, so file rows carry no digest.
 */
import type { ExperimentRecord, FileSeries, ResourceParent, SubjectRecord } from '../model.js';
import type { Dataset } from '../model.js';
import { dicomFile, type DicomModality } from '../formats/dicom.js';
import { createRandom, hashString, uidFor, type Random } from '../formats/random.js';
import { DatasetBuilder, DAY_MS, FIRST_VISIT_MS, isoDate, isoTime, pad, timestamp } from './generate.js';

export const MAX_SITE_SCALE = 20;

interface ScanPlan {
  type: string;
  description: string;
  xsiType: string;
  modality: DicomModality;
  files: (random: Random) => number;
  nifti?: boolean;
}

const range = (min: number, max: number) => (random: Random) => random.int(min, max);

const MR: ScanPlan[] = [
  { type: 'localizer', description: 'localizer_3plane', xsiType: 'xnat:mrScanData', modality: 'MR', files: (r) => r.pick([3, 9]) },
  {
    type: 'T1w',
    description: 'T1_MPRAGE_sag_1mm',
    xsiType: 'xnat:mrScanData',
    modality: 'MR',
    files: (r) => r.pick([176, 192, 208]),
    nifti: true,
  },
  { type: 'T2w', description: 'T2_TSE_ax', xsiType: 'xnat:mrScanData', modality: 'MR', files: range(30, 60), nifti: true },
  { type: 'FLAIR', description: 'T2_FLAIR_ax', xsiType: 'xnat:mrScanData', modality: 'MR', files: range(40, 48), nifti: true },
  { type: 'BOLD', description: 'fMRI_rest_MB8_TR800', xsiType: 'xnat:mrScanData', modality: 'MR', files: range(200, 600), nifti: true },
  { type: 'DWI', description: 'DTI_64dir_b1000', xsiType: 'xnat:mrScanData', modality: 'MR', files: range(65, 100), nifti: true },
  { type: 'fieldmap', description: 'gre_field_mapping', xsiType: 'xnat:mrScanData', modality: 'MR', files: range(64, 72) },
];

const CT_AC: ScanPlan = {
  type: 'CT_AC',
  description: 'CT_AttenuationCorrection_3.0',
  xsiType: 'xnat:ctScanData',
  modality: 'CT',
  files: range(120, 300),
};
const PET_STATIC: ScanPlan = {
  type: 'PET',
  description: 'AV45_Brain_4x5min_AC',
  xsiType: 'xnat:petScanData',
  modality: 'PT',
  files: () => 4 * 89,
  nifti: true,
};
const PET_DYNAMIC: ScanPlan = {
  type: 'PET_dyn',
  description: 'AV45_Brain_Dynamic_24fr',
  xsiType: 'xnat:petScanData',
  modality: 'PT',
  files: () => 24 * 47,
};
const TOPOGRAM: ScanPlan = {
  type: 'Topogram',
  description: 'Topogram_0.6_T20f',
  xsiType: 'xnat:ctScanData',
  modality: 'CT',
  files: range(1, 2),
};
const CHEST: ScanPlan = {
  type: 'CT_CHEST',
  description: 'Thorax_1.0_Br40',
  xsiType: 'xnat:ctScanData',
  modality: 'CT',
  files: range(300, 600),
};

/** FreeSurfer's output tree: folder, name pattern, count. */
const FREESURFER: Array<[string, string[]]> = [
  [
    'mri',
    [
      'orig.mgz',
      'T1.mgz',
      'brainmask.mgz',
      'norm.mgz',
      'aseg.mgz',
      'aparc+aseg.mgz',
      'wm.mgz',
      'filled.mgz',
      'ribbon.mgz',
      'brain.mgz',
      'nu.mgz',
      'rawavg.mgz',
      'transforms/talairach.xfm',
      'transforms/talairach.lta',
      'orig/001.mgz',
    ],
  ],
  [
    'surf',
    [
      'white',
      'pial',
      'orig',
      'smoothwm',
      'inflated',
      'sphere',
      'sphere.reg',
      'thickness',
      'curv',
      'sulc',
      'area',
      'volume',
      'jacobian_white',
      'avg_curv',
    ].flatMap((n) => [`lh.${n}`, `rh.${n}`]),
  ],
  [
    'label',
    [
      'aparc.annot',
      'aparc.a2009s.annot',
      'aparc.DKTatlas.annot',
      'BA_exvivo.annot',
      'cortex.label',
      'entorhinal_exvivo.label',
      'V1_exvivo.label',
      'V2_exvivo.label',
      'MT_exvivo.label',
      'BA1_exvivo.label',
      'BA2_exvivo.label',
      'BA44_exvivo.label',
      'BA45_exvivo.label',
    ].flatMap((n) => [`lh.${n}`, `rh.${n}`]),
  ],
  [
    'stats',
    [
      'aseg.stats',
      'wmparc.stats',
      'lh.aparc.stats',
      'rh.aparc.stats',
      'lh.aparc.a2009s.stats',
      'rh.aparc.a2009s.stats',
      'lh.aparc.DKTatlas.stats',
      'rh.aparc.DKTatlas.stats',
      'lh.curv.stats',
      'rh.curv.stats',
    ],
  ],
  ['scripts', ['recon-all.log', 'recon-all.done', 'recon-all-status.log', 'build-stamp.txt']],
];
const FREESURFER_FILES = FREESURFER.flatMap(([folder, names]) => names.map((n) => ({ name: `${folder}/${n}`, size: 16_384 })));

const constant = (n: number) => () => n;

/** Deterministic bytes of a fixed length. */
function fixedBytes(seed: string, size: number): Buffer {
  const random = createRandom(seed);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) out.writeUInt32LE(Math.floor(random.next() * 4294967296), Math.min(i, size - 4));
  return out;
}

/**
 * A series of `count` files whose names come from `path` and bytes from `bytes`, of `size(i)`
 * bytes (by default all as long as the first file, as the files of a DICOM series are).
 */
function series(
  resourceDbId: number,
  count: number,
  format: string,
  content: string,
  path: (i: number) => string,
  bytes: (i: number) => Buffer,
  parse: (p: string) => number,
  size: (i: number) => number = constant(bytes(0).length),
): FileSeries {
  return {
    resourceDbId,
    count,
    path,
    indexOf: (p) => {
      const i = parse(p);
      return Number.isInteger(i) && i >= 0 && i < count && path(i) === p ? i : -1;
    },
    size,
    format,
    content,
    source: bytes,
  };
}

class SiteBuilder extends DatasetBuilder {
  readonly series: FileSeries[] = [];

  /** A resource whose files are a series; `make` builds the series for the resource's ID. */
  addSeries(parent: ResourceParent, label: string, format: string, content: string, make: (dbId: number) => FileSeries): void {
    const resource = this.addResource(parent, { label, format, content, files: [] });
    this.series.push(make(resource.dbId));
  }

  /** A resource of a few named files (NIfTI pairs, QC snapshots, FreeSurfer outputs); bytes from `seed` and the index. */
  addNamedFiles(
    parent: ResourceParent,
    label: string,
    format: string,
    content: string,
    seed: string,
    files: readonly { name: string; size: number }[],
  ): void {
    this.addSeries(parent, label, format, content, (dbId) =>
      series(
        dbId,
        files.length,
        format,
        content,
        (i) => files[i]!.name,
        (i) => fixedBytes(`${seed}${i}`, files[i]!.size),
        (p) => files.findIndex((f) => f.name === p),
        (i) => files[i]!.size,
      ),
    );
  }

  addScanSession(
    subject: SubjectRecord,
    label: string,
    xsiType: string,
    modality: DicomModality,
    when: number,
    plans: ScanPlan[],
    random: Random,
  ): ExperimentRecord {
    const studyUid = uidFor(`site/${label}/study`);
    const experiment = this.addExperiment(subject, label, xsiType, {
      date: isoDate(when),
      time: isoTime(when),
      modality,
      scanner: random.pick(modality === 'MR' ? ['Prisma_fit', 'Skyra'] : modality === 'PT' ? ['Biograph Vision 600'] : ['SOMATOM Force']),
      insert_date: timestamp(when + DAY_MS + random.int(0, 8 * 3600_000)),
      insert_user: 'admin',
      UID: studyUid,
      ...(modality === 'MR' ? { fieldStrength: '3.0' } : {}),
      ...(modality === 'PT' ? { tracer_name: 'AV45' } : {}),
    });
    const studyDate = isoDate(when).replace(/-/g, '');
    plans.forEach((plan, n) => {
      const scanId = String(n + 1);
      const seriesUid = uidFor(`${studyUid}/${scanId}`);
      const count = plan.files(random);
      const quality = random.chance(0.9) ? 'usable' : 'questionable';
      this.addScan(experiment, scanId, plan.xsiType, {
        type: plan.type,
        series_description: plan.description,
        quality,
        note: '',
        frames: String(count),
        modality: plan.modality,
        UID: seriesUid,
      });
      const parent: ResourceParent = { kind: 'scan', experimentId: experiment.id, scanId };
      // XNAT's default DICOM naming: ${StudyInstanceUID}-${SeriesNumber}-${InstanceNumber}-${hash}.
      const name = (i: number) => `${studyUid}-${scanId}-${i + 1}-${(hashString(`${seriesUid}/${i}`) >>> 8).toString(16)}.dcm`;
      const pattern = new RegExp(`^${studyUid.replace(/\./g, '\\.')}-${scanId}-(\\d+)-[0-9a-f]+\\.dcm$`);
      const dicom = (i: number) =>
        dicomFile({
          modality: plan.modality,
          patientName: subject.label,
          patientId: subject.label,
          studyInstanceUid: studyUid,
          seriesInstanceUid: seriesUid,
          sopInstanceUid: `${seriesUid}.${100000 + i + 1}`,
          seriesDescription: plan.description,
          seriesNumber: n + 1,
          instanceNumber: i + 1,
          studyDate,
          seed: `${seriesUid}/${i % 16}`,
          fixedWidth: true,
        });
      this.addSeries(parent, 'DICOM', 'DICOM', 'RAW', (dbId) =>
        series(dbId, count, 'DICOM', 'RAW', name, dicom, (p) => Number(pattern.exec(p)?.[1] ?? NaN) - 1),
      );
      const base = `${label}_${scanId}_${plan.type}`;
      if (plan.nifti) {
        const sizes = [random.int(2, 40) * 65_536, random.int(2, 6) * 512];
        this.addNamedFiles(parent, 'NIFTI', 'NIFTI', 'RAW', `${base}/`, [
          { name: `${base}.nii.gz`, size: sizes[0]! },
          { name: `${base}.json`, size: sizes[1]! },
        ]);
      }
      this.addNamedFiles(parent, 'SNAPSHOTS', 'GIF', 'SNAPSHOTS', `${base}/snap`, [
        { name: `${base}_qc.gif`, size: 24_576 },
        { name: `${base}_qc_t.gif`, size: 2048 },
      ]);
    });
    return experiment;
  }

  override build(): Dataset {
    return { ...super.build(), series: this.series };
  }
}

function plansFor(project: 'NEURO' | 'PET_AMYLOID' | 'LUNG_CT', random: Random): ScanPlan[] {
  if (project === 'NEURO') {
    const bold = Array.from({ length: random.int(1, 3) }, () => MR[4]!);
    return [MR[0]!, MR[1]!, MR[2]!, MR[3]!, ...bold, MR[5]!, MR[6]!, MR[6]!];
  }
  if (project === 'PET_AMYLOID') return random.chance(0.5) ? [CT_AC, PET_STATIC, PET_DYNAMIC] : [CT_AC, PET_STATIC];
  return [TOPOGRAM, CHEST];
}

const PROJECTS = [
  {
    id: 'NEURO',
    subjects: 60,
    sessions: [1, 3],
    xsiType: 'xnat:mrSessionData',
    modality: 'MR' as const,
    suffix: 'MR',
    name: 'Neuroimaging cohort',
  },
  {
    id: 'PET_AMYLOID',
    subjects: 20,
    sessions: [1, 2],
    xsiType: 'xnat:petSessionData',
    modality: 'PT' as const,
    suffix: 'PET',
    name: 'Amyloid PET/CT study',
  },
  {
    id: 'LUNG_CT',
    subjects: 20,
    sessions: [1, 1],
    xsiType: 'xnat:ctSessionData',
    modality: 'CT' as const,
    suffix: 'CT',
    name: 'Lung screening CT',
  },
] as const;

export function siteDataset(scale: number): Dataset {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SITE_SCALE)
    throw new Error(`site scale must be an integer from 1 to ${MAX_SITE_SCALE}, got ${scale}`);
  const builder = new SiteBuilder();
  for (const project of PROJECTS) {
    builder.addProject(project.id, 'public', {
      secondary_ID: project.id,
      name: project.name,
      description: `${project.name} (real-archive shape)`,
      pi_firstname: 'Ada',
      pi_lastname: 'Site',
    });
    const count = project.subjects * scale;
    for (let s = 0; s < count; s++) {
      const random = createRandom(`site/${project.id}/${s}`);
      const label = `${project.id}_${pad(s + 1, 4)}`;
      const baseline = FIRST_VISIT_MS + random.int(0, 900) * DAY_MS + 9 * 3600_000;
      const subject = builder.addSubject(project.id, label, {
        gender: random.chance(0.5) ? 'female' : 'male',
        yob: String(random.int(1940, 1990)),
        insert_date: timestamp(baseline),
        insert_user: 'admin',
      });
      const sessions = random.int(project.sessions[0], project.sessions[1]);
      for (let v = 0; v < sessions; v++) {
        const when = baseline + v * 365 * DAY_MS + random.int(0, 30) * DAY_MS;
        const experiment = builder.addScanSession(
          subject,
          `${label}_${project.suffix}${v + 1}`,
          project.xsiType,
          project.modality,
          when,
          plansFor(project.id, random),
          random,
        );
        if (project.id === 'NEURO' && random.chance(0.5)) {
          const parent = { kind: 'experiment', experimentId: experiment.id } as const;
          builder.addNamedFiles(parent, 'FREESURFER', 'MGZ', 'DERIVED', `${experiment.id}/fs/`, FREESURFER_FILES);
        }
      }
    }
  }
  return builder.build();
}
