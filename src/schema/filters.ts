import { matchesNothing, scanMatcher, type ScanFilter } from '../loaders/filters.js';
import type { Scan } from '../loaders/models.js';
import { builder } from './builder.js';

const LABEL_PATTERN =
  'Label pattern: without `*` an exact, case-sensitive label; with `*` (any run of characters) a case-insensitive match of the whole label, e.g. `sub-0*`.';

export const ExperimentFilterInput = builder.inputType('ExperimentFilter', {
  description:
    'Experiments to keep; all given conditions must hold, each list is an OR. XNAT filters first — `/data/experiments` with `project=` ' +
    '(`subject_ID=` under a subject), a single `xsiType=`, `modality=`, `date=MM/DD/YYYY-MM/DD/YYYY` and `label=` LIKE — and the gateway ' +
    'refines the answer (several types, the exact label pattern). Every project or subject asked with the same filter in one request shares one listing.',
  fields: (t) => ({
    projects: t.stringList({ required: false, description: 'Owning project IDs.' }),
    xsiTypes: t.stringList({
      required: false,
      description:
        'XNAT data types, e.g. xnat:mrSessionData (case-insensitive). One type is pushed to XNAT; several are applied by the gateway.',
    }),
    modalities: t.stringList({
      required: false,
      description: 'Session modality as XNAT records it (MR, PT for PET, CT…); only imaging sessions match.',
    }),
    dateFrom: t.field({
      type: 'Date',
      required: false,
      description: 'Earliest session date (inclusive); undated experiments never match a date bound.',
    }),
    dateTo: t.field({ type: 'Date', required: false, description: 'Latest session date (inclusive).' }),
    label: t.string({ required: false, description: LABEL_PATTERN }),
  }),
});

export const ScanFilterInput = builder.inputType('ScanFilter', {
  description:
    "Scans to keep (exact values, each list an OR). On `Query.scans` pushed into the experiment listing's scan-column join " +
    "(`xnat:imageScanData/type=`, `…/quality=`), which XNAT honours; on `Experiment.scans` applied by the gateway, because XNAT's scan listing ignores filters.",
  fields: (t) => ({
    types: t.stringList({ required: false, description: 'Scan types, e.g. ["mprage", "T2w"] (exact, case-sensitive).' }),
    qualities: t.stringList({ required: false, description: 'Scan quality, e.g. ["usable"].' }),
  }),
});

export const SubjectFilterInput = builder.inputType('SubjectFilter', {
  description:
    "Subjects to keep: `label=` is pushed to `/data/subjects?project=P1,P2` (XNAT's LIKE) and the gateway refines; every project asked with the same filter in one request shares one listing.",
  fields: (t) => ({
    label: t.string({ required: false, description: LABEL_PATTERN }),
  }),
});

export function filterScans(list: Scan[], filter: ScanFilter | null | undefined): Scan[] {
  if (!filter) return list;
  if (matchesNothing(filter)) return [];
  return list.filter(scanMatcher(filter));
}
