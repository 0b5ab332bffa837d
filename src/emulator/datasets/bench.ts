import type { Dataset } from '../model.js';
import { addCustomFields } from './custom-fields.js';
import { addDemographics } from './demographics.js';
import { DEMO_PLANS, share } from './demo.js';
import { generateDataset } from './generate.js';
import { addReconstructions } from './reconstructions.js';

export const DEFAULT_BENCH_SCALE = 10;
export const MAX_BENCH_SCALE = 1000;

/**
 * The demo's projects with SCALE times as many subjects each (bench:10 has 270 subjects), and
 * the demo's shares, reconstructions, demographics and custom variables. File bytes stay small and are
 * generated only when read.
 */
export function benchDataset(scale = DEFAULT_BENCH_SCALE): Dataset {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_BENCH_SCALE) {
    throw new Error(`bench scale must be an integer from 1 to ${MAX_BENCH_SCALE}, got ${scale}`);
  }
  const dataset = generateDataset(DEMO_PLANS, scale);
  share(dataset);
  addReconstructions(dataset);
  addDemographics(dataset);
  addCustomFields(dataset);
  return dataset;
}
