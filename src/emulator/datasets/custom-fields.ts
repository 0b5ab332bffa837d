import type { Dataset } from '../model.js';

/**
 * XNAT custom variables (`fields/field`) on the demo's projects, subjects, sessions and
 * assessors, as a project defines them: `test` has a `note` (the project shortcut) and `funding`,
 * its subjects a `cohort` and a `consent` version, its sessions the scanner `site`, its
 * FreeSurfer runs the `pipeline` that made them; ADNI_DEMO has a `funding`. Derived from
 * positions, so the demo stays deterministic.
 */
export function addCustomFields(dataset: Dataset): void {
  for (const project of dataset.projects) {
    if (project.id === 'test') project.custom = { note: 'Seed walkthrough cohort', funding: 'internal' };
    if (project.id === 'ADNI_DEMO') project.custom = { funding: 'NIA' };
  }
  dataset.subjects
    .filter((s) => s.project === 'test')
    .forEach((subject, i) => {
      subject.custom = { cohort: i % 3 === 0 ? 'patient' : 'control', consent: i % 4 === 0 ? 'v1' : 'v2' };
    });
  dataset.experiments
    .filter((e) => e.project === 'test')
    .forEach((session, i) => {
      session.custom = { site: i % 2 === 0 ? 'Bay 1' : 'Bay 2' };
    });
  for (const assessor of dataset.assessors ?? []) {
    if (assessor.xsiType === 'fs:fsData') assessor.custom = { pipeline: 'recon-all 7.4.1' };
  }
}
