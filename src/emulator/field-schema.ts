import { parentOf } from './datatypes.js';

/**
 * The fields XNAT's data types declare (xnat.xsd; fs:fsData from the FreeSurfer plugin's
 * fs.xsd), with the XML Schema type of each value: what a PUT may set and how XNAT keeps it.
 * Paths are relative to the type and lower-cased, as XFT looks fields up
 * (`XFTItem.setXMLPropertyChild` compares `xmlPath.toLowerCase()`); a subtype inherits its
 * parents' fields. Only the types the emulator holds are listed.
 */
export type ValueKind = 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'dateTime' | 'time';

const strings = (...names: string[]): Record<string, ValueKind> => Object.fromEntries(names.map((n) => [n, 'string' as const]));

const INVESTIGATOR = ['firstname', 'lastname', 'title', 'institution', 'department', 'email', 'phone'];
const DEMOGRAPHICS: Record<string, ValueKind> = {
  dob: 'date',
  yob: 'integer',
  age: 'integer',
  gender: 'string',
  handedness: 'string',
  ses: 'integer',
  employment: 'integer',
  education: 'integer',
  educationdesc: 'string',
  race: 'string',
  race2: 'string',
  race3: 'string',
  race4: 'string',
  race5: 'string',
  race6: 'string',
  ethnicity: 'string',
  weight: 'float',
  'weight/units': 'string',
  height: 'float',
  'height/units': 'string',
  gestational_age: 'float',
  post_menstrual_age: 'float',
  birth_weight: 'float',
};
const VALIDATION: Record<string, ValueKind> = {
  'validation/method': 'string',
  'validation/date': 'date',
  'validation/notes': 'string',
  'validation/validated_by': 'string',
  'validation/status': 'string',
};
const MR: Record<string, ValueKind> = strings('coil', 'fieldstrength', 'marker', 'stabilization');

const TYPE_FIELDS: Record<string, Record<string, ValueKind>> = {
  'xnat:projectdata': {
    ...strings('id', 'secondary_id', 'name', 'type', 'description', 'keywords', 'aliases/alias/alias'),
    ...Object.fromEntries(INVESTIGATOR.map((n) => [`pi/${n}`, 'string' as const])),
    active: 'boolean',
  },
  'xnat:subjectdata': {
    ...strings('id', 'project', 'group', 'label', 'src', 'initials'),
    ...Object.fromEntries(INVESTIGATOR.map((n) => [`investigator/${n}`, 'string' as const])),
    // `demographics` is an xnat:abstractDemographicData; the shortcuts name the concrete type.
    ...Object.fromEntries(
      Object.entries(DEMOGRAPHICS).flatMap(([n, kind]) => [
        [`demographics/${n}`, kind],
        [`demographics[@xsi:type=xnat:demographicdata]/${n}`, kind],
      ]),
    ),
  },
  'xnat:experimentdata': {
    ...strings('id', 'project', 'label', 'visit_id', 'visit', 'original', 'protocol', 'note', 'acquisition_site', 'duration'),
    ...Object.fromEntries(INVESTIGATOR.map((n) => [`investigator/${n}`, 'string' as const])),
    ...VALIDATION,
    version: 'integer',
    date: 'date',
    time: 'time',
    delay: 'integer',
  },
  'xnat:subjectassessordata': { subject_id: 'string', age: 'float' },
  'xnat:imagesessiondata': {
    ...strings('scanner', 'scanner/manufacturer', 'scanner/model', 'operator', 'prearchivepath', 'dcmaccessionnumber'),
    ...strings('dcmpatientid', 'dcmpatientname', 'session_type', 'modality', 'uid', 'study_id'),
    dcmpatientbirthdate: 'date',
    dcmpatientweight: 'float',
  },
  'xnat:mrsessiondata': MR,
  'xnat:petsessiondata': {
    ...strings('stabilization', 'studytype', 'patientid', 'patientname', 'tracer/name', 'tracer/isotope', 'blood_glucose_units'),
    'tracer/dose': 'float',
    'tracer/specificactivity': 'float',
    'tracer/totalmass': 'float',
    'tracer/intermediate': 'float',
    'tracer/isotope/half-life': 'float',
    'tracer/transmissions': 'integer',
    'tracer/transmissions_starttime': 'dateTime',
    'tracer/starttime': 'dateTime',
    start_time: 'dateTime',
    start_time_scan: 'dateTime',
    start_time_injection: 'dateTime',
    blood_glucose: 'float',
    blood_glucose_time: 'dateTime',
  },
  'xnat:imageassessordata': { imagesession_id: 'string' },
  'xnat:qcmanualassessordata': strings('rater', 'stereotacticmarker', 'incidentalfindings', 'comments', 'pass'),
  'xnat:qcassessmentdata': strings('type'),
  'fs:fsdata': {
    fs_version: 'string',
    'measures/volumetric/icv': 'float',
    'measures/volumetric/lhcortexvol': 'float',
    'measures/volumetric/rhcortexvol': 'float',
    'measures/volumetric/cortexvol': 'float',
    'measures/volumetric/subcortgrayvol': 'float',
    'measures/volumetric/totalgrayvol': 'float',
    'measures/volumetric/supratentorialvol': 'float',
    'measures/volumetric/lhcorticalwhitemattervol': 'float',
    'measures/volumetric/rhcorticalwhitemattervol': 'float',
    'measures/volumetric/corticalwhitemattervol': 'float',
  },
  'xnat:imagescandata': {
    ...strings('id', 'type', 'uid', 'note', 'quality', 'condition', 'series_description', 'documentation', 'scanner', 'modality'),
    ...strings('operator', 'image_session_id'),
    ...VALIDATION,
    frames: 'integer',
    starttime: 'time',
  },
  // xnat_reconstructedImageData.js: ID, type, baseScanType, image_session_ID (attributes and fields).
  'xnat:reconstructedimagedata': strings('id', 'type', 'basescantype', 'image_session_id'),
  'xnat:mrscandata': {
    ...MR,
    'parameters/tr': 'float',
    'parameters/te': 'float',
    'parameters/ti': 'float',
    'parameters/flip': 'float',
    'parameters/orientation': 'string',
    'parameters/sequence': 'string',
    'parameters/imagetype': 'string',
  },
  'xnat:petscandata': {
    'parameters/orientation': 'integer',
    'parameters/originalfilename': 'string',
    'parameters/systemtype': 'integer',
    'parameters/filetype': 'integer',
    'parameters/transaxialfov': 'float',
    'parameters/acqtype': 'integer',
    'parameters/facility': 'string',
    'parameters/numplanes': 'integer',
    'parameters/frames/numframes': 'integer',
    'parameters/numgates': 'integer',
    'parameters/planeseparation': 'float',
    'parameters/binsize': 'float',
    'parameters/datatype': 'integer',
  },
};

/** The value kind of `field` (relative to `type`, any case) on `type` or a type it extends; undefined when XNAT has no such field. */
export function fieldKind(type: string, field: string): ValueKind | undefined {
  const lower = field.toLowerCase();
  for (let t: string | undefined = type.toLowerCase(); t; t = parentOf(t)) {
    const kind = TYPE_FIELDS[t]?.[lower];
    if (kind) return kind;
  }
  return undefined;
}

/**
 * The name in `fields/field[name=X]/field`: one custom variable of a project, subject or
 * experiment (its `…_field` child with that name; the project shortcut `note` is one).
 */
export function customFieldName(field: string): string | undefined {
  return /^fields\/field\[name=([^\]]+)\]\/field$/i.exec(field)?.[1];
}

/** A value XNAT cannot store in a field of its kind (XFT's validation answers 400 with this text). */
export class InvalidValue extends Error {}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;

/**
 * Java's `Double.toString`, which is how a number column reaches a listing cell
 * (`XFTTable.toJSON` writes each cell's `toString()`): `42` → `42.0`, `1.0E7` from ten million.
 */
function javaDouble(n: number): string {
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [mantissa, exponent] = n.toExponential().split('e');
    return `${mantissa!.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

function isoOf(date: string): string | undefined {
  const iso = ISO_DATE.exec(date);
  if (iso) return date;
  const us = US_DATE.exec(date);
  return us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : undefined;
}

/**
 * A query value as XNAT stores it and lists it again: numbers as Java prints them, dates as
 * `java.sql.Date` (`yyyy-MM-dd`), date-times as `java.sql.Timestamp` (`yyyy-MM-dd HH:mm:ss.S`),
 * booleans as `true`/`false`. An empty value clears the field.
 */
export function storedValue(kind: ValueKind, value: string): string {
  if (value === '') return '';
  const text = value.trim();
  switch (kind) {
    case 'string':
      return value;
    case 'integer':
      if (!/^[+-]?\d+$/.test(text)) throw new InvalidValue(`${value} is not a valid integer`);
      return String(Number.parseInt(text, 10));
    case 'float': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new InvalidValue(`${value} is not a valid float`);
      return javaDouble(n);
    }
    case 'boolean':
      if (/^(true|1)$/i.test(text)) return 'true';
      if (/^(false|0)$/i.test(text)) return 'false';
      throw new InvalidValue(`${value} is not a valid boolean`);
    case 'date': {
      const iso = isoOf(text);
      if (!iso || Number.isNaN(Date.parse(iso))) throw new InvalidValue(`${value} is not a valid date`);
      return iso;
    }
    case 'dateTime': {
      const match = DATE_TIME.exec(text);
      if (!match) throw new InvalidValue(`${value} is not a valid dateTime`);
      const time = match[2]!.length === 5 ? `${match[2]}:00` : match[2]!;
      return `${match[1]} ${time.includes('.') ? time : `${time}.0`}`;
    }
    case 'time':
      if (!TIME.test(text)) throw new InvalidValue(`${value} is not a valid time`);
      return text.length === 5 ? `${text}:00` : text;
  }
}
