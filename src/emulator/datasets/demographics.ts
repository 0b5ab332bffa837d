import type { Dataset } from '../model.js';

const RACES = ['White', 'Asian', 'Black or African American', 'More than one race'];
const ETHNICITIES = ['Not Hispanic or Latino', 'Hispanic or Latino', 'Unknown'];

/**
 * Demographics beyond the listing columns for every demo subject (xnat:demographicData:
 * education, race, ethnicity, height, weight), derived from the subject's position so the demo
 * stays deterministic without drawing from the generator's random sequence. Heights and weights
 * are floats and kept as XNAT lists them (`172.5`, `74.0`).
 */
export function addDemographics(dataset: Dataset): void {
  dataset.subjects.forEach((subject, i) => {
    Object.assign(subject.fields, {
      education: String(10 + ((i * 7) % 11)),
      race: RACES[i % RACES.length]!,
      ethnicity: ETHNICITIES[i % ETHNICITIES.length]!,
      height: `${150 + ((i * 37) % 45)}.5`,
      weight: `${55 + ((i * 23) % 40)}.0`,
    });
  });
}
