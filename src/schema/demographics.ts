import type { Demographics } from '../xnat/demographics.js';
import { builder } from './builder.js';
import { SubjectType } from './subject.js';

const DemographicsType = builder.objectRef<Demographics>('Demographics').implement({
  description:
    "A subject's demographics (XNAT's xnat:demographicData). Asked only when selected: one extra subjects listing per level, whatever the number of subjects.",
  fields: (t) => ({
    gender: t.exposeString('gender', { nullable: true }),
    handedness: t.exposeString('handedness', { nullable: true }),
    dob: t.expose('dob', { type: 'Date', nullable: true, description: 'Date of birth (XNAT keeps one of dob, yob and age).' }),
    yob: t.exposeInt('yob', { nullable: true, description: 'Year of birth.' }),
    age: t.exposeInt('age', { nullable: true, description: 'Age in years, when XNAT keeps it instead of a date or year of birth.' }),
    ses: t.exposeInt('ses', { nullable: true, description: 'Socioeconomic status.' }),
    education: t.exposeInt('education', { nullable: true, description: 'Years of education.' }),
    educationDesc: t.exposeString('educationDesc', { nullable: true }),
    race: t.exposeString('race', { nullable: true }),
    ethnicity: t.exposeString('ethnicity', { nullable: true }),
    weight: t.exposeFloat('weight', { nullable: true }),
    height: t.exposeFloat('height', { nullable: true }),
    gestationalAge: t.exposeFloat('gestationalAge', { nullable: true }),
    postMenstrualAge: t.exposeFloat('postMenstrualAge', { nullable: true }),
    birthWeight: t.exposeFloat('birthWeight', { nullable: true }),
  }),
});

builder.objectFields(SubjectType, (t) => ({
  demographics: t.field({
    type: DemographicsType,
    nullable: true,
    description: 'Demographics beyond the listing columns (gender, handedness, yob, age), typed.',
    resolve: (subject, _args, { loaders }) => loaders.fields.demographicsOf(subject),
  }),
}));
