"""The image assessors of one project as pyxnat sees them, printed as one JSON object.

Usage: /usr/bin/python3 test/pyxnat/assessors.py CONFIG_JSON PROJECT

{session: {assessor: {"id": ID, "type": xsiType, "pass": …, "fs_version": …, "resources": {resource: [file, ...]}}}}
"""
import json
import sys

import pyxnat

interface = pyxnat.Interface(config=sys.argv[1])
tree = {}
for subject in interface.select.project(sys.argv[2]).subjects():
    for session in subject.experiments():
        assessors = tree.setdefault(session.label(), {})
        for assessor in session.assessors():
            datatype = assessor.datatype()
            entry = {'id': assessor.id(), 'type': datatype, 'resources': {}}
            if datatype == 'xnat:qcManualAssessorData':
                entry['pass'] = assessor.attrs.get('xnat:qcManualAssessorData/pass')
            if datatype == 'fs:fsData':
                entry['fs_version'] = assessor.attrs.get('fs:fsData/fs_version')
            for resource in assessor.resources():
                entry['resources'][resource.label()] = sorted(f.label() for f in resource.files())
            assessors[assessor.label()] = entry
interface.disconnect()
print(json.dumps(tree, sort_keys=True))
