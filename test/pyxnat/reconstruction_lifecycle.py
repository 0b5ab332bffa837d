"""pyxnat's create(), attrs.set/mset/get, out_resource().file().insert() and delete() on
reconstructions, printed as JSON.

Usage: /usr/bin/python3 test/pyxnat/reconstruction_lifecycle.py CONFIG_JSON PROJECT SUBJECT SESSION FILE

Creates <SESSION>_dti_kept (kept, with FILE in its `maps` out-resource, for GraphQL to read) and
<SESSION>_dti_gone (deleted again).
"""
import json
import sys

import pyxnat

interface = pyxnat.Interface(config=sys.argv[1])
project, subject, session, upload = sys.argv[2:6]
select = interface.select.project(project).subject(subject).experiment(session)
out = {}

kept = select.reconstruction(session + '_dti_kept')
kept.create(**{'xnat:reconstructedImageData/type': 'DTI_FA'})
kept.attrs.set('baseScanType', 'dwi')
kept.attrs.mset({'xnat:reconstructedImageData/type': 'DTI_MD', 'baseScanType': 'DWI'})
kept.out_resource('maps').file('md.txt').insert(upload)
out['kept'] = {
    'exists': kept.exists(),
    'datatype': kept.datatype(),
    'values': kept.attrs.mget(['type', 'baseScanType']),
    'files': kept.out_resource('maps').files().get(),
}

gone = select.reconstruction(session + '_dti_gone')
gone.create()
out['gone'] = {'created': gone.exists()}
gone.delete()
out['gone']['after_delete'] = gone.exists()
out['reconstructions'] = sorted(select.reconstructions().get())
interface.disconnect()
print(json.dumps(out, sort_keys=True))
