import { builder } from './builder.js';

const LABEL_PATTERN =
  'Label pattern: without `*` an exact, case-sensitive label; with `*` (any run of characters) a case-insensitive match of the whole label, e.g. `sub-0*`.';

export const ExperimentFilterInput = builder.inputType('ExperimentFilter', {
  description:
    'Experiments to keep; all given conditions must hold, each list is an OR. XNAT is asked to filter by project, a single type, modality, ' +
    'date range and label first, and the gateway refines its answer (several types, the exact label pattern). Every project or subject ' +
    'asked with the same filter in one request shares one request to XNAT.',
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
    'Scans to keep (exact values, each list an OR). On `Query.scans` XNAT applies them; on `Experiment.scans` the gateway does, ' +
    "because XNAT's listing of a session's scans ignores filters.",
  fields: (t) => ({
    types: t.stringList({ required: false, description: 'Scan types, e.g. ["mprage", "T2w"] (exact, case-sensitive).' }),
    qualities: t.stringList({ required: false, description: 'Scan quality, e.g. ["usable"].' }),
  }),
});

export const SubjectFilterInput = builder.inputType('SubjectFilter', {
  description:
    "Subjects to keep: XNAT is asked to filter by label first (a case-insensitive 'contains') and the gateway refines its answer; " +
    'every project asked with the same filter in one request shares one request to XNAT.',
  fields: (t) => ({
    label: t.string({ required: false, description: LABEL_PATTERN }),
  }),
});
