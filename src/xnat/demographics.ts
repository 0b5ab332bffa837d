/**
 * A subject's demographics: XNAT's `xnat:demographicData` (xnat.xsd), read through the subject
 * shortcuts XMLPathShortcuts defines for it (`gender` is
 * `xnat:subjectData/demographics[@xsi:type=xnat:demographicData]/gender`, …). They are asked in
 * a listing of their own, so the subject listing itself carries none of them beyond the four
 * its rows always had.
 */
export interface Demographics {
  gender: string | null;
  handedness: string | null;
  /** YYYY-MM-DD; XNAT keeps one of dob, yob and age (an xs:choice). */
  dob: string | null;
  yob: number | null;
  age: number | null;
  /** Socioeconomic status. */
  ses: number | null;
  /** Years of education (0–30). */
  education: number | null;
  educationDesc: string | null;
  race: string | null;
  ethnicity: string | null;
  weight: number | null;
  height: number | null;
  gestationalAge: number | null;
  postMenstrualAge: number | null;
  birthWeight: number | null;
}

/** The shortcut of each field. */
const COLUMNS = {
  gender: 'gender',
  handedness: 'handedness',
  dob: 'dob',
  yob: 'yob',
  age: 'age',
  ses: 'ses',
  education: 'education',
  educationDesc: 'educationDesc',
  race: 'race',
  ethnicity: 'ethnicity',
  weight: 'weight',
  height: 'height',
  gestationalAge: 'gestational_age',
  postMenstrualAge: 'post_menstrual_age',
  birthWeight: 'birth_weight',
} as const satisfies Record<keyof Demographics, string>;

export const demographicColumns: readonly string[] = Object.values(COLUMNS);

const text = (value: string | null | undefined) => value || null;
const integer = (value: string | null | undefined) => (value && /^[+-]?\d+$/.test(value) ? Number(value) : null);
const float = (value: string | null | undefined) => {
  const n = value ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};
const date = (value: string | null | undefined) => (value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null);

/** Typed demographics from the cells of the shortcut columns (keyed by shortcut, null for XNAT's ""). */
export function parseDemographics(cells: ReadonlyMap<string, string | null>): Demographics {
  const cell = (field: keyof Demographics) => cells.get(COLUMNS[field]);
  return {
    gender: text(cell('gender')),
    handedness: text(cell('handedness')),
    dob: date(cell('dob')),
    yob: integer(cell('yob')),
    age: integer(cell('age')),
    ses: integer(cell('ses')),
    education: integer(cell('education')),
    educationDesc: text(cell('educationDesc')),
    race: text(cell('race')),
    ethnicity: text(cell('ethnicity')),
    weight: float(cell('weight')),
    height: float(cell('height')),
    gestationalAge: float(cell('gestationalAge')),
    postMenstrualAge: float(cell('postMenstrualAge')),
    birthWeight: float(cell('birthWeight')),
  };
}
