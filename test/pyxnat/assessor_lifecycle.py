"""pyxnat's create(), attrs.set/mset/get and delete() on image assessors, printed as JSON.

Usage: /usr/bin/python3 test/pyxnat/assessor_lifecycle.py CONFIG_JSON PROJECT SUBJECT SESSION

Creates <SESSION>_fs_kept (kept, for GraphQL to read) and <SESSION>_qc_gone (deleted again).
"""
import json
import sys

import pyxnat

interface = pyxnat.Interface(config=sys.argv[1])
project, subject, session = sys.argv[2:5]
select = interface.select.project(project).subject(subject).experiment(session)
out = {}

kept = select.assessor(session + '_fs_kept')
kept.create(assessors='fs:fsData', **{'fs:fsData/fs_version': '7.4.1'})
kept.attrs.set('fs:fsData/measures/volumetric/ICV', '1500000')
kept.attrs.mset({'fs:fsData/measures/volumetric/lhCortexVol': '42', 'xnat:experimentData/note': 'from pyxnat'})
out['kept'] = {
    'exists': kept.exists(),
    'datatype': kept.datatype(),
    'values': kept.attrs.mget(['fs:fsData/fs_version', 'fs:fsData/measures/volumetric/ICV',
                               'fs:fsData/measures/volumetric/lhCortexVol', 'xnat:experimentData/note']),
}

gone = select.assessor(session + '_qc_gone')
gone.create(assessors='xnat:qcManualAssessorData', **{'xnat:qcManualAssessorData/pass': 'fail'})
out['gone'] = {'created': gone.exists(), 'pass': gone.attrs.get('xnat:qcManualAssessorData/pass')}
gone.delete()
out['gone']['after_delete'] = gone.exists()
out['assessors'] = sorted(a.label() for a in select.assessors())
interface.disconnect()
print(json.dumps(out, sort_keys=True))
