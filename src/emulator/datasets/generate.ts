import type {
  Accessibility,
  Dataset,
  DatasetFile,
  ExperimentRecord,
  Fields,
  FileSource,
  ProjectRecord,
  ResourceParent,
  ResourceRecord,
  ScanRecord,
  SubjectRecord,
} from '../model.js';
import { dicomFile, type DicomModality } from '../formats/dicom.js';
import { niftiGz } from '../formats/nifti.js';
import { headPhantom, sliceToGrey } from '../formats/phantom.js';
import { greyPng } from '../formats/png.js';
import { jsonText } from '../formats/text.js';
import { createRandom, uidFor, type Random } from '../formats/random.js';

/** Session kinds the generator knows, each mapped to an XNAT session type and its scans. */
export type SessionKind = 'MR' | 'PET_FDG' | 'PET_AMYLOID' | 'CT' | 'PETCT';

export interface SessionPlan {
  kind: SessionKind;
  label: string;
  /** Days after the subject's baseline date. */
  dayOffset: number;
}

export interface SubjectPlan {
  label: string;
  fields: Fields;
  sessions: SessionPlan[];
}

export interface ProjectPlan {
  id: string;
  accessibility: Accessibility;
  fields: Fields;
  /** Subjects at scale 1; SCALE multiplies it. */
  subjectCount: number;
  /** Plans the index-th subject (0-based) with its own seeded random source. */
  subject(index: number, labelWidth: number, random: Random): SubjectPlan;
  /** Project-level resources. */
  resources?: Array<ResourceSpec>;
  /** Subject-level resources, or none, for the index-th subject. */
  subjectResources?(index: number, subject: SubjectRecord): ResourceSpec[];
  /** Session-level resources, or none, for a session. */
  sessionResources?(experiment: ExperimentRecord, index: number): ResourceSpec[];
}

export interface FileSpec {
  path: string;
  format?: string;
  content?: string;
  tags?: string[];
  source: FileSource;
}

export interface ResourceSpec {
  label: string;
  format?: string;
  content?: string;
  description?: string;
  tags?: string[];
  /** False: XNAT never stored this resource's file count and size (listed as ""). */
  statsStored?: false;
  files: FileSpec[];
}

interface ScanTemplate {
  type: string;
  seriesDescription: string;
  xsiType: string;
  modality: DicomModality;
  frames: number;
  dicomFiles: number;
  /** Extra DICOM files under a sub-folder of the resource (derived images). */
  secondaryFiles?: number;
  nifti?: string;
  optional?: boolean;
}

const MR_SCANS: ScanTemplate[] = [
  { type: 'localizer', seriesDescription: 'localizer_3plane', xsiType: 'xnat:mrScanData', modality: 'MR', frames: 9, dicomFiles: 3 },
  {
    type: 'mprage',
    seriesDescription: 'T1_MPRAGE_sag_1mm',
    xsiType: 'xnat:mrScanData',
    modality: 'MR',
    frames: 176,
    dicomFiles: 3,
    nifti: 'mprage.nii.gz',
  },
  { type: 'T2w', seriesDescription: 'T2_SPACE_sag_1mm', xsiType: 'xnat:mrScanData', modality: 'MR', frames: 176, dicomFiles: 2 },
  {
    type: 'FLAIR',
    seriesDescription: 'T2_FLAIR_3D_sag',
    xsiType: 'xnat:mrScanData',
    modality: 'MR',
    frames: 160,
    dicomFiles: 2,
    optional: true,
  },
  {
    type: 'DWI',
    seriesDescription: 'DTI_64dir_b1000',
    xsiType: 'xnat:mrScanData',
    modality: 'MR',
    frames: 4160,
    dicomFiles: 2,
    secondaryFiles: 1,
    optional: true,
  },
  {
    type: 'BOLD',
    seriesDescription: 'fMRI_rest_2.5mm_TR800',
    xsiType: 'xnat:mrScanData',
    modality: 'MR',
    frames: 600,
    dicomFiles: 2,
    optional: true,
  },
];

const PET_FDG_SCANS: ScanTemplate[] = [
  { type: 'PET', seriesDescription: 'FDG_Brain_3D_AC', xsiType: 'xnat:petScanData', modality: 'PT', frames: 109, dicomFiles: 3 },
  { type: 'PET_NAC', seriesDescription: 'FDG_Brain_3D_NAC', xsiType: 'xnat:petScanData', modality: 'PT', frames: 109, dicomFiles: 2 },
];

const PET_AMYLOID_SCANS: ScanTemplate[] = [
  { type: 'PET', seriesDescription: 'AV45_Brain_4x5min_AC', xsiType: 'xnat:petScanData', modality: 'PT', frames: 436, dicomFiles: 3 },
];

const CT_SCANS: ScanTemplate[] = [
  { type: 'Topogram', seriesDescription: 'Topogram_0.6_T20f', xsiType: 'xnat:ctScanData', modality: 'CT', frames: 1, dicomFiles: 1 },
  { type: 'CT_CHEST', seriesDescription: 'Thorax_1.0_Br40', xsiType: 'xnat:ctScanData', modality: 'CT', frames: 312, dicomFiles: 3 },
  {
    type: 'CT_ABDOMEN',
    seriesDescription: 'Abdomen_PV_3.0_Br36',
    xsiType: 'xnat:ctScanData',
    modality: 'CT',
    frames: 164,
    dicomFiles: 2,
    optional: true,
  },
];

const PETCT_SCANS: ScanTemplate[] = [
  {
    type: 'CT_AC',
    seriesDescription: 'CT_WB_AttenuationCorrection',
    xsiType: 'xnat:ctScanData',
    modality: 'CT',
    frames: 280,
    dicomFiles: 2,
  },
  { type: 'PET', seriesDescription: 'PET_WB_FDG_AC', xsiType: 'xnat:petScanData', modality: 'PT', frames: 280, dicomFiles: 3 },
];

interface SessionTemplate {
  xsiType: string;
  modality: DicomModality;
  sessionType: string;
  scans: ScanTemplate[];
  scanners: string[];
  tracer?: string;
}

const SESSIONS: Record<SessionKind, SessionTemplate> = {
  MR: {
    xsiType: 'xnat:mrSessionData',
    modality: 'MR',
    sessionType: 'MR Brain',
    scans: MR_SCANS,
    scanners: ['Prisma_fit', 'Skyra', 'Discovery MR750'],
  },
  PET_FDG: {
    xsiType: 'xnat:petSessionData',
    modality: 'PT',
    sessionType: 'PET FDG Brain',
    scans: PET_FDG_SCANS,
    scanners: ['Biograph Vision 600', 'Discovery MI'],
    tracer: 'FDG',
  },
  PET_AMYLOID: {
    xsiType: 'xnat:petSessionData',
    modality: 'PT',
    sessionType: 'PET Amyloid Brain',
    scans: PET_AMYLOID_SCANS,
    scanners: ['Biograph Vision 600'],
    tracer: 'AV45',
  },
  CT: {
    xsiType: 'xnat:ctSessionData',
    modality: 'CT',
    sessionType: 'CT Chest-Abdomen',
    scans: CT_SCANS,
    scanners: ['SOMATOM Force', 'Revolution CT'],
  },
  PETCT: {
    xsiType: 'xnat:petSessionData',
    modality: 'PT',
    sessionType: 'PET/CT Whole Body',
    scans: PETCT_SCANS,
    scanners: ['Biograph mCT Flow'],
    tracer: 'FDG',
  },
};

export const DAY_MS = 86_400_000;
/** First possible baseline visit: 2023-01-02. Sessions spread from here over about three years. */
export const FIRST_VISIT_MS = Date.UTC(2023, 0, 2);

/** The largest of `values` (0 for none), without spreading them into a call: a site-sized dataset holds more than a call takes. */
export function largest(values: Iterable<number>): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}

export const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function isoTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** XNAT's timestamp text for insert_date: `YYYY-MM-DD HH:MM:SS.mmm`. */
export function timestamp(ms: number): string {
  return `${isoDate(ms)} ${isoTime(ms)}.${pad(new Date(ms).getUTCMilliseconds(), 3)}`;
}

/** Width for zero-padded subject numbers so labels sort and stay stable at the demo's scale. */
export function labelWidth(count: number, minimum: number): number {
  return Math.max(minimum, String(count).length);
}

/** Accumulates records, handing out XNAT-style accession IDs and global database keys. */
export class DatasetBuilder {
  readonly projects: ProjectRecord[] = [];
  readonly subjects: SubjectRecord[] = [];
  readonly experiments: ExperimentRecord[] = [];
  readonly scans: ScanRecord[] = [];
  readonly resources: ResourceRecord[] = [];
  readonly files: DatasetFile[] = [];
  private subjectSeq = 0;
  private experimentSeq = 0;
  private scanDbSeq = 0;
  private resourceDbSeq = 0;

  addProject(id: string, accessibility: Accessibility, fields: Fields): ProjectRecord {
    const project: ProjectRecord = { id, accessibility, fields: { ID: id, ...fields } };
    this.projects.push(project);
    return project;
  }

  addSubject(project: string, label: string, fields: Fields): SubjectRecord {
    const id = `XNAT_S${pad(++this.subjectSeq, 5)}`;
    const subject: SubjectRecord = { id, project, label, fields: { ID: id, project, label, ...fields } };
    this.subjects.push(subject);
    return subject;
  }

  addExperiment(subject: SubjectRecord, label: string, xsiType: string, fields: Fields): ExperimentRecord {
    const id = `XNAT_E${pad(++this.experimentSeq, 5)}`;
    const experiment: ExperimentRecord = {
      id,
      project: subject.project,
      subjectId: subject.id,
      label,
      xsiType,
      fields: { ID: id, project: subject.project, label, subject_ID: subject.id, xsiType, ...fields },
    };
    this.experiments.push(experiment);
    return experiment;
  }

  addScan(experiment: ExperimentRecord, id: string, xsiType: string, fields: Fields): ScanRecord {
    const dbId = ++this.scanDbSeq;
    const scan: ScanRecord = {
      experimentId: experiment.id,
      id,
      xsiType,
      dbId,
      fields: { ID: id, xnat_imagescandata_id: String(dbId), xsiType, ...fields },
    };
    this.scans.push(scan);
    return scan;
  }

  addResource(parent: ResourceParent, spec: ResourceSpec): ResourceRecord {
    const resource: ResourceRecord = {
      dbId: ++this.resourceDbSeq,
      label: spec.label,
      parent,
      format: spec.format ?? '',
      content: spec.content ?? '',
      description: spec.description ?? '',
      tags: spec.tags ?? [],
      ...(spec.statsStored === false ? { statsStored: false as const } : {}),
    };
    this.resources.push(resource);
    for (const file of spec.files) {
      this.files.push({
        resourceDbId: resource.dbId,
        path: file.path,
        format: file.format ?? '',
        content: file.content ?? '',
        tags: file.tags ?? [],
        source: file.source,
      });
    }
    return resource;
  }

  build(): Dataset {
    return {
      projects: this.projects,
      subjects: this.subjects,
      experiments: this.experiments,
      scans: this.scans,
      resources: this.resources,
      files: this.files,
    };
  }
}

function scanQuality(random: Random): { quality: string; note: string } {
  const roll = random.next();
  if (roll < 0.04) return { quality: 'unusable', note: random.pick(['incomplete coverage', 'severe motion', 'wrong protocol']) };
  if (roll < 0.14) return { quality: 'questionable', note: random.pick(['mild motion', 'wrap-around artefact', 'low SNR']) };
  return { quality: 'usable', note: '' };
}

export function snapshotPng(seed: string, size: number): Buffer {
  const shape = { nx: size, ny: size, nz: 1, spacing: [1, 1, 1] as [number, number, number] };
  return greyPng(size, size, sliceToGrey(headPhantom(shape, seed), shape, 0));
}

/**
 * Adds one session of the given kind with its scans and their DICOM, SNAPSHOTS and (for
 * `mprage`) `nifti` resources. `allScans` forces the optional scan types in.
 */
function addSession(
  builder: DatasetBuilder,
  subject: SubjectRecord,
  plan: SessionPlan,
  whenMs: number,
  random: Random,
  allScans: boolean,
): ExperimentRecord {
  const template = SESSIONS[plan.kind];
  const studyUid = uidFor(`${subject.project}/${plan.label}/study`);
  const fields: Fields = {
    date: isoDate(whenMs),
    time: isoTime(whenMs),
    modality: template.modality,
    scanner: random.pick(template.scanners),
    session_type: template.sessionType,
    insert_date: timestamp(whenMs + random.int(1, 3) * DAY_MS + random.int(0, 8 * 3600_000)),
    insert_user: 'admin',
    UID: studyUid,
    dcmPatientId: subject.label,
    dcmPatientName: subject.label,
  };
  if (template.modality === 'MR') fields.fieldStrength = random.chance(0.8) ? '3.0' : '1.5';
  if (template.tracer) fields.tracer_name = template.tracer;
  const experiment = builder.addExperiment(subject, plan.label, template.xsiType, fields);

  const studyDate = fields.date?.replace(/-/g, '') ?? '';
  let scanNo = 0;
  for (const scanTemplate of template.scans) {
    if (scanTemplate.optional && !allScans && !random.chance(0.6)) continue;
    const scanId = String(++scanNo);
    const seriesUid = uidFor(`${studyUid}/${scanId}`);
    const { quality, note } = scanQuality(random);
    builder.addScan(experiment, scanId, scanTemplate.xsiType, {
      type: scanTemplate.type,
      series_description: scanTemplate.seriesDescription,
      quality,
      note,
      frames: String(scanTemplate.frames),
      modality: scanTemplate.modality,
      UID: seriesUid,
    });
    const parent: ResourceParent = { kind: 'scan', experimentId: experiment.id, scanId };
    const seed = `${experiment.id}/${scanId}`;

    const dicom = (instance: number, path: string): FileSpec => ({
      path,
      format: 'DICOM',
      content: 'RAW',
      source: () =>
        dicomFile({
          modality: scanTemplate.modality,
          patientName: subject.label,
          patientId: subject.label,
          studyInstanceUid: studyUid,
          seriesInstanceUid: seriesUid,
          sopInstanceUid: uidFor(`${seriesUid}/${instance}`),
          seriesDescription: scanTemplate.seriesDescription,
          seriesNumber: Number(scanId),
          instanceNumber: instance,
          studyDate,
          seed: `${seed}/${instance}`,
        }),
    });
    const dicomFiles: FileSpec[] = [];
    for (let i = 1; i <= scanTemplate.dicomFiles; i++) dicomFiles.push(dicom(i, `${i}.dcm`));
    for (let i = 1; i <= (scanTemplate.secondaryFiles ?? 0); i++) {
      dicomFiles.push(dicom(scanTemplate.dicomFiles + i, `secondary/${i}.dcm`));
    }
    builder.addResource(parent, { label: 'DICOM', format: 'DICOM', content: 'RAW', files: dicomFiles });

    if (scanTemplate.nifti) {
      const niftiName = scanTemplate.nifti;
      builder.addResource(parent, {
        label: 'nifti',
        format: 'NIFTI',
        content: 'RAW',
        files: [
          {
            path: niftiName,
            format: 'NIFTI',
            source: () => niftiGz({ seed, description: `${plan.label} scan ${scanId} ${scanTemplate.type}` }),
          },
        ],
      });
    }

    const base = `${plan.label}_${scanId}`;
    builder.addResource(parent, {
      label: 'SNAPSHOTS',
      format: 'PNG',
      content: 'SNAPSHOTS',
      files: [
        { path: `${base}_qc.png`, format: 'PNG', content: 'ORIGINAL', source: () => snapshotPng(seed, 32) },
        { path: `${base}_qc_t.png`, format: 'PNG', content: 'THUMBNAIL', source: () => snapshotPng(seed, 16) },
      ],
    });
  }
  return experiment;
}

/** A QC summary a pipeline might leave on a session. */
export function qcReport(experiment: ExperimentRecord, random: Random): FileSource {
  const report = {
    session: experiment.label,
    pipeline: 'mriqc-lite 0.3',
    snr: Number((8 + random.next() * 12).toFixed(2)),
    fd_mean_mm: Number((0.05 + random.next() * 0.4).toFixed(3)),
    rating: random.pick(['pass', 'pass', 'pass', 'check']),
  };
  return () => jsonText(report);
}

/**
 * Builds a dataset from project plans. SCALE multiplies each project's subject count; every
 * subject draws from its own seeded random source, so subject N is the same at any scale.
 */
export function generateDataset(plans: ProjectPlan[], scale = 1): Dataset {
  const builder = new DatasetBuilder();
  for (const plan of plans) {
    const project = builder.addProject(plan.id, plan.accessibility, plan.fields);
    for (const spec of plan.resources ?? []) builder.addResource({ kind: 'project', project: project.id }, spec);

    const count = plan.subjectCount * scale;
    const width = labelWidth(count, 2);
    let sessionIndex = 0;
    for (let i = 0; i < count; i++) {
      const random = createRandom(`${plan.id}/subject/${i}`);
      const subjectPlan = plan.subject(i, width, random);
      const baselineMs = FIRST_VISIT_MS + random.int(0, 900) * DAY_MS;
      const firstInsertMs = baselineMs + 8 * 3600_000 + random.int(0, 3600_000);
      const subject = builder.addSubject(project.id, subjectPlan.label, {
        ...subjectPlan.fields,
        insert_date: timestamp(firstInsertMs),
        insert_user: 'admin',
      });
      for (const spec of plan.subjectResources?.(i, subject) ?? []) {
        builder.addResource({ kind: 'subject', subjectId: subject.id }, spec);
      }
      for (const sessionPlan of subjectPlan.sessions) {
        const whenMs = baselineMs + sessionPlan.dayOffset * DAY_MS + (8 * 60 + random.int(0, 38) * 15) * 60_000 + random.int(0, 59) * 1000;
        const experiment = addSession(builder, subject, sessionPlan, whenMs, random, i === 0);
        for (const spec of plan.sessionResources?.(experiment, sessionIndex) ?? []) {
          builder.addResource({ kind: 'experiment', experimentId: experiment.id }, spec);
        }
        sessionIndex++;
      }
    }
  }
  return builder.build();
}
