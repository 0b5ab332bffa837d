import type { Dataset, ExperimentRecord, ResourceRecord } from '../model.js';
import { DAY_MS, largest, pad, snapshotPng, timestamp } from './generate.js';

/**
 * Image assessors of the demo's project `test`, added after every other record so that the
 * sessions keep their accession IDs and resource IDs:
 * - manual QC (`xnat:qcManualAssessorData`, `<session>_QC`) on every session but each fourth,
 *   its `pass` field `pass` or `fail` (each fifth session fails), with `rater` and `comments`;
 * - FreeSurfer (`fs:fsData`, `<session>_freesurfer`) on every `_MR1` session, `fs_version`
 *   7.4.1, with a `SNAPSHOTS` resource of two PNGs.
 * XNAT's manual QC type is the one with a pass/fail field (`xnat:qcAssessmentData`, the automated
 * QC type, has none).
 * PRIV_ONC's first CT session, which is shared into PROT_NEURO, has two manual QC assessors:
 * `ONC-001_CT1_QC` (with a `SNAPSHOTS` resource of one PNG) is shared into PROT_NEURO under the
 * same label (an `xnat:experimentData_share` of the assessor), `ONC-001_CT1_QC_internal` is not.
 */
export function addAssessors(dataset: Dataset): void {
  const numbers = (ids: string[]) => largest(ids.map((id) => Number(/(\d+)$/.exec(id)?.[1] ?? 0)));
  let experimentSeq = numbers(dataset.experiments.map((e) => e.id));
  let resourceSeq = largest(dataset.resources.map((r) => r.dbId));
  const assessors: ExperimentRecord[] = [];

  const add = (session: ExperimentRecord, label: string, xsiType: string, fields: Record<string, string>): ExperimentRecord => {
    const id = `XNAT_E${pad(++experimentSeq, 5)}`;
    const date = session.fields.date ?? '';
    const inserted = Date.parse(`${date}T18:00:00Z`) + DAY_MS;
    const assessor: ExperimentRecord = {
      id,
      project: session.project,
      subjectId: session.subjectId,
      sessionId: session.id,
      label,
      xsiType,
      fields: { ID: id, project: session.project, label, xsiType, date, insert_date: timestamp(inserted), insert_user: 'admin', ...fields },
    };
    assessors.push(assessor);
    return assessor;
  };

  /** A `SNAPSHOTS` resource of PNGs on an assessor; each PNG's bytes come from its seed. */
  const addSnapshots = (assessor: ExperimentRecord, content: string, description: string, pngs: { path: string; seed: string }[]) => {
    const snapshots: ResourceRecord = {
      dbId: ++resourceSeq,
      label: 'SNAPSHOTS',
      parent: { kind: 'assessor', assessorId: assessor.id },
      format: 'PNG',
      content,
      description,
      tags: [],
    };
    dataset.resources.push(snapshots);
    for (const { path, seed } of pngs) {
      dataset.files.push({ resourceDbId: snapshots.dbId, path, format: 'PNG', content, tags: [], source: () => snapshotPng(seed, 64) });
    }
  };

  const sessions = dataset.experiments.filter((e) => e.project === 'test');
  sessions.forEach((session, index) => {
    if (index % 4 !== 3) {
      const fails = index % 5 === 2;
      add(session, `${session.label}_QC`, 'xnat:qcManualAssessorData', {
        pass: fails ? 'fail' : 'pass',
        rater: index % 2 === 0 ? 'mnovak' : 'admin',
        comments: fails ? 'motion artefact in T1w' : '',
      });
    }
    if (session.label.endsWith('_MR1')) {
      const fs = add(session, `${session.label}_freesurfer`, 'fs:fsData', { fs_version: '7.4.1' });
      addSnapshots(
        fs,
        'FS_SNAPSHOTS',
        'FreeSurfer segmentation snapshots',
        ['aseg', 'surfaces'].map((view) => ({ path: `${session.label}_${view}.png`, seed: `${fs.id}/${view}` })),
      );
    }
  });
  const onc = dataset.experiments.find((e) => e.project === 'PRIV_ONC' && e.label === 'ONC-001_CT1');
  if (onc) {
    const shared = add(onc, 'ONC-001_CT1_QC', 'xnat:qcManualAssessorData', { pass: 'pass', rater: 'admin', comments: '' });
    shared.shares = [{ project: 'PROT_NEURO', label: 'ONC-001_CT1_QC' }];
    addSnapshots(shared, 'QC_SNAPSHOTS', 'QC snapshot', [{ path: 'ONC-001_CT1_qc.png', seed: `${shared.id}/qc` }]);
    add(onc, 'ONC-001_CT1_QC_internal', 'xnat:qcManualAssessorData', { pass: 'fail', rater: 'admin', comments: 'contrast timing' });
  }
  dataset.assessors = assessors;
}
