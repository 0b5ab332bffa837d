import './scalars.js';
import './node.js';
import './project.js';
import './subject.js';
import './experiment.js';
import './scan.js';
import './assessor.js';
import './resource.js';
import './file.js';
import './filters.js';
import './stats.js';
import './attributes.js';
import './set-fields.js';
import './demographics.js';
import './custom-fields.js';
import './upload-url.js';
import { builder } from './builder.js';

export const schema = builder.toSchema();
