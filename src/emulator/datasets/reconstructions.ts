import { niftiGz } from '../formats/nifti.js';
import type { Dataset, ReconstructionRecord, ResourceRecord } from '../model.js';
import { largest } from './generate.js';

/**
 * Reconstructions (`xnat:reconstructedImageData`) of the demo's project `test`, added after
 * every other record so that earlier records keep their resource IDs: every `_MR1` session has
 * `<session>_mni152`, its mprage resampled to MNI152 space (`type` `T1_MNI152`, `baseScanType`
 * `mprage`), with a `NIFTI` out-resource holding `<session>_T1w_space-MNI152.nii.gz`; the
 * first also has `<session>_mni152_2mm` (no resources). Reconstruction IDs are unique within a
 * session only; these are unique in the site too, as XNAT's by-ID routes assume.
 */
export function addReconstructions(dataset: Dataset): void {
  let resourceSeq = largest(dataset.resources.map((r) => r.dbId));
  let reconSeq = 0;
  const reconstructions: ReconstructionRecord[] = [];
  const sessions = dataset.experiments.filter((e) => e.project === 'test' && e.label.endsWith('_MR1'));
  sessions.forEach((session, index) => {
    const id = `${session.label}_mni152`;
    reconstructions.push({ experimentId: session.id, id, dbId: ++reconSeq, fields: { type: 'T1_MNI152', baseScanType: 'mprage' } });
    const nifti: ResourceRecord = {
      dbId: ++resourceSeq,
      label: 'NIFTI',
      parent: { kind: 'reconstruction', experimentId: session.id, reconstructionId: id },
      format: 'NIFTI',
      content: 'T1_MNI152',
      description: 'mprage resampled to MNI152',
      tags: [],
    };
    dataset.resources.push(nifti);
    dataset.files.push({
      resourceDbId: nifti.dbId,
      path: `${session.label}_T1w_space-MNI152.nii.gz`,
      format: 'NIFTI',
      content: 'T1_MNI152',
      tags: [],
      source: () => niftiGz({ seed: `${id}/nifti`, description: `${session.label} mprage in MNI152` }),
    });
    if (index === 0) {
      reconstructions.push({
        experimentId: session.id,
        id: `${id}_2mm`,
        dbId: ++reconSeq,
        fields: { type: 'T1_MNI152_2mm', baseScanType: 'mprage' },
      });
    }
  });
  dataset.reconstructions = reconstructions;
}
