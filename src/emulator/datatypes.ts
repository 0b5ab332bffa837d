/**
 * XNAT data types the emulator knows: the type hierarchy (for `xsiType=` root selection) and
 * the REST shortcut maps of XMLPathShortcuts.java (for `columns=`, filters and key naming).
 */

export type Family = 'project' | 'subject' | 'experiment' | 'scan' | 'reconstruction';

/** Parent of each abstract or concrete type, lower-cased. */
const PARENTS: Record<string, string> = {
  'xnat:subjectassessordata': 'xnat:experimentdata',
  'xnat:imagesessiondata': 'xnat:subjectassessordata',
  // Image assessors (xnat.xsd; fs:fsData from the FreeSurfer plugin's fs.xsd).
  'xnat:deriveddata': 'xnat:experimentdata',
  'xnat:imageassessordata': 'xnat:deriveddata',
  'xnat:mrassessordata': 'xnat:imageassessordata',
  'xnat:petassessordata': 'xnat:imageassessordata',
  'xnat:qcmanualassessordata': 'xnat:imageassessordata',
  'xnat:qcassessmentdata': 'xnat:mrassessordata',
  'fs:fsdata': 'xnat:mrassessordata',
  'xnat:mrscandata': 'xnat:imagescandata',
  'xnat:petscandata': 'xnat:imagescandata',
  'xnat:ctscandata': 'xnat:imagescandata',
};

const FAMILY_ROOTS: Record<string, Family> = {
  'xnat:projectdata': 'project',
  'xnat:subjectdata': 'subject',
  'xnat:experimentdata': 'experiment',
  'xnat:imagescandata': 'scan',
  'xnat:reconstructedimagedata': 'reconstruction',
};

/** The type a data type extends (lower-cased), per xnat.xsd's `extension base=`. */
export function parentOf(type: string): string | undefined {
  const lower = type.toLowerCase();
  const known = PARENTS[lower];
  if (known) return known;
  // Concrete modality types (xnat:mrSessionData, xnat:otherDicomScanData, …) follow a naming rule.
  if (/^\w+:\w+sessiondata$/.test(lower) && lower !== 'xnat:imagesessiondata') return 'xnat:imagesessiondata';
  if (/^\w+:\w+scandata$/.test(lower) && lower !== 'xnat:imagescandata') return 'xnat:imagescandata';
  return undefined;
}

/** True when `type` is `ancestor` or derives from it (case-insensitive, as XNAT compares). */
export function isA(type: string, ancestor: string): boolean {
  const target = ancestor.toLowerCase();
  for (let t: string | undefined = type.toLowerCase(); t; t = parentOf(t)) if (t === target) return true;
  return false;
}

export function familyOf(type: string): Family | undefined {
  for (let t: string | undefined = type.toLowerCase(); t; t = parentOf(t)) {
    const family = FAMILY_ROOTS[t];
    if (family) return family;
  }
  return undefined;
}

export const ROOT_TYPE: Record<Family, string> = {
  project: 'xnat:projectData',
  subject: 'xnat:subjectData',
  experiment: 'xnat:experimentData',
  scan: 'xnat:imageScanData',
  reconstruction: 'xnat:reconstructedImageData',
};

interface Shortcut {
  path: string;
  readOnly: boolean;
}

function shortcuts(entries: Array<[string, string, boolean?]>): Map<string, Shortcut> {
  return new Map(entries.map(([name, path, readOnly]) => [name, { path, readOnly: readOnly ?? false }]));
}

const DEMO = 'xnat:subjectData/demographics[@xsi:type=xnat:demographicData]';

/** XMLPathShortcuts.java, per family (later duplicates in the Java map win there too). */
export const SHORTCUTS: Record<Family, Map<string, Shortcut>> = {
  project: shortcuts([
    ['ID', 'xnat:projectData/ID'],
    ['secondary_ID', 'xnat:projectData/secondary_ID'],
    ['name', 'xnat:projectData/name'],
    ['description', 'xnat:projectData/description'],
    ['keywords', 'xnat:projectData/keywords'],
    ['alias', 'xnat:projectData/aliases/alias/alias'],
    ['pi_firstname', 'xnat:projectData/PI/firstname'],
    ['pi_lastname', 'xnat:projectData/PI/lastname'],
    ['note', 'xnat:projectData/fields/field[name=note]/field'],
  ]),
  subject: shortcuts([
    ['project', 'xnat:subjectData/project'],
    ['label', 'xnat:subjectData/label'],
    ['ID', 'xnat:subjectData/ID'],
    ['group', 'xnat:subjectData/group'],
    ['src', 'xnat:subjectData/src'],
    ['pi_firstname', 'xnat:subjectData/investigator/firstname'],
    ['pi_lastname', 'xnat:subjectData/investigator/lastname'],
    ...[
      'dob',
      'yob',
      'age',
      'gender',
      'handedness',
      'ses',
      'education',
      'educationDesc',
      'race',
      'ethnicity',
      'weight',
      'height',
      'gestational_age',
      'post_menstrual_age',
      'birth_weight',
    ].map((name): [string, string] => [name, `${DEMO}/${name}`]),
    ['insert_date', 'xnat:subjectData/meta/insert_date', true],
    ['insert_user', 'xnat:subjectData/meta/insert_user/login', true],
    ['last_modified', 'xnat:subjectData/meta/last_modified', true],
  ]),
  experiment: shortcuts([
    ['ID', 'xnat:experimentdata/id'],
    ['visit_id', 'xnat:experimentdata/visit_id'],
    ['visit', 'xnat:experimentdata/visit'],
    ['date', 'xnat:experimentdata/date'],
    ['time', 'xnat:experimentdata/time'],
    ['note', 'xnat:experimentdata/note'],
    ['pi_firstname', 'xnat:experimentdata/investigator/firstname'],
    ['pi_lastname', 'xnat:experimentdata/investigator/lastname'],
    ['validation_method', 'xnat:experimentdata/validation/method'],
    ['validation_status', 'xnat:experimentdata/validation/status'],
    ['validation_date', 'xnat:experimentdata/validation/date'],
    ['validation_notes', 'xnat:experimentdata/validation/notes'],
    ['project', 'xnat:experimentdata/project'],
    ['label', 'xnat:experimentdata/label'],
    ['scanner', 'xnat:imagesessiondata/scanner'],
    ['operator', 'xnat:imagesessiondata/operator'],
    ['dcmAccessionNumber', 'xnat:imagesessiondata/dcmaccessionnumber'],
    ['dcmPatientId', 'xnat:imagesessiondata/dcmpatientid'],
    ['dcmPatientName', 'xnat:imagesessiondata/dcmpatientname'],
    ['session_type', 'xnat:imagesessiondata/session_type'],
    ['modality', 'xnat:imagesessiondata/modality'],
    ['UID', 'xnat:imagesessiondata/uid'],
    ['studyInstanceUID', 'xnat:imagesessiondata/uid'],
    ['coil', 'xnat:mrsessiondata/coil'],
    ['fieldStrength', 'xnat:mrsessiondata/fieldstrength'],
    ['marker', 'xnat:mrsessiondata/marker'],
    ['studyType', 'xnat:petsessiondata/studytype'],
    ['patientID', 'xnat:petsessiondata/patientid'],
    ['patientName', 'xnat:petsessiondata/patientname'],
    ['stabilization', 'xnat:petsessiondata/stabilization'],
    ['scan_start_time', 'xnat:petsessiondata/start_time_scan'],
    ['injection_start_time', 'xnat:petsessiondata/start_time_injection'],
    ['tracer_name', 'xnat:petsessiondata/tracer/name'],
    ['tracer_startTime', 'xnat:petsessiondata/tracer/starttime'],
    ['tracer_dose', 'xnat:petsessiondata/tracer/dose'],
    ['tracer_sa', 'xnat:petsessiondata/tracer/specificactivity'],
    ['tracer_totalmass', 'xnat:petsessiondata/tracer/totalmass'],
    ['tracer_intermediate', 'xnat:petsessiondata/tracer/intermediate'],
    ['tracer_isotope', 'xnat:petsessiondata/tracer/isotope/half-life'],
    ['tracer_transmissions', 'xnat:petsessiondata/tracer/transmissions'],
    ['tracer_transmissions_start', 'xnat:petsessiondata/tracer/transmissions_starttime'],
    ['subject_ID', 'xnat:subjectassessordata/subject_id'],
    ['subject_label', 'xnat:subjectdata/label', true],
    ['subject_project', 'xnat:subjectdata/project', true],
    ['session_ID', 'xnat:imagesessiondata/id', true],
    ['session_label', 'xnat:imagesessiondata/label', true],
    ['session_project', 'xnat:imagesessiondata/project', true],
    ['insert_date', 'xnat:experimentData/meta/insert_date', true],
    ['insert_user', 'xnat:experimentData/meta/insert_user/login', true],
    ['last_modified', 'xnat:experimentData/meta/last_modified', true],
    ['xsiType', 'xnat:experimentData/extension_item/element_name', true],
  ]),
  scan: shortcuts([
    ['ID', 'xnat:imageScanData/ID'],
    ['type', 'xnat:imageScanData/type'],
    ['UID', 'xnat:imageScanData/UID'],
    ['note', 'xnat:imageScanData/note'],
    ['quality', 'xnat:imageScanData/quality'],
    ['condition', 'xnat:imageScanData/condition'],
    ['series_description', 'xnat:imageScanData/series_description'],
    ['documentation', 'xnat:imageScanData/documentation'],
    ['scanner', 'xnat:imageScanData/scanner'],
    ['modality', 'xnat:imageScanData/modality'],
    ['frames', 'xnat:imageScanData/frames'],
    ['validation_method', 'xnat:imageScanData/validation/method'],
    ['validation_status', 'xnat:imageScanData/validation/status'],
    ['validation_date', 'xnat:imageScanData/validation/date'],
    ['validation_notes', 'xnat:imageScanData/validation/notes'],
    ['xnat_imagescandata_id', 'xnat:imageScanData/xnat_imagescandata_id', true],
    ['scanTime', 'xnat:imageScanData/startTime'],
    ['coil', 'xnat:mrScanData/coil'],
    ['fieldStrength', 'xnat:mrScanData/fieldStrength'],
    ['marker', 'xnat:mrScanData/marker'],
    ['stabilization', 'xnat:mrScanData/stabilization'],
    ...[
      'orientation',
      'originalFileName',
      'systemType',
      'fileType',
      'transaxialFOV',
      'acqType',
      'facility',
      'numPlanes',
      'numGates',
      'planeSeparation',
      'binSize',
      'dataType',
    ].map((name): [string, string] => [name, `xnat:petScanData/parameters/${name}`]),
    ['numFrames', 'xnat:petScanData/parameters/frames/numFrames'],
    ['insert_date', 'xnat:imageScanData/meta/insert_date', true],
    ['insert_user', 'xnat:imageScanData/meta/insert_user/login', true],
    ['last_modified', 'xnat:imageScanData/meta/last_modified', true],
    ['xsiType', 'xnat:imageScanData/extension_item/element_name', true],
  ]),
  reconstruction: shortcuts([
    ['ID', 'xnat:reconstructedImageData/ID'],
    ['type', 'xnat:reconstructedImageData/type'],
    ['baseScanType', 'xnat:reconstructedImageData/baseScanType'],
    ['xnat_reconstructedimagedata_id', 'xnat:reconstructedImageData/xnat_reconstructedimagedata_id', true],
    ['xsiType', 'xnat:reconstructedImageData/extension_item/element_name', true],
  ]),
};

/** The shortcut whose path equals `xpath` (case-insensitive), as formatHeaders names columns. */
export function shortcutForPath(family: Family, xpath: string): string | undefined {
  const lower = xpath.toLowerCase();
  for (const [name, s] of SHORTCUTS[family]) if (s.path.toLowerCase() === lower) return name;
  return undefined;
}

/** The shortcut whose path ends in the same field (`…/subject_id`), for xpaths on a subtype. */
export function shortcutForField(family: Family, field: string): string | undefined {
  const lower = field.toLowerCase();
  for (const [name, s] of SHORTCUTS[family]) {
    if (s.path.slice(s.path.indexOf('/') + 1).toLowerCase() === lower) return name;
  }
  return undefined;
}

/** Shortcuts whose values are dates, filtered as `MM/DD/YYYY[-MM/DD/YYYY]` ranges. */
export const DATE_FIELDS = new Set(['date', 'dob', 'insert_date', 'last_modified', 'validation_date']);

/** A syntactically valid `prefix:name` data type. */
export function isTypeName(type: string): boolean {
  return /^[A-Za-z][\w-]*:[A-Za-z]\w*$/.test(type);
}
