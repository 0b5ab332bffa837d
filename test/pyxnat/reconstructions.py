"""The reconstructions of one project as pyxnat sees them, printed as one JSON object. Objects
are selected by label (as the seed walkthrough does), so `_uri` is built from labels.

Usage: /usr/bin/python3 test/pyxnat/reconstructions.py CONFIG_JSON PROJECT

{session: {reconstruction ID: {"type": …, "baseScanType": …, "uri": _uri,
  "resources": {label: {"uri": out_resource(label)._uri, "files": {path: size}}}}}}
"""
import json
import sys

import pyxnat

interface = pyxnat.Interface(config=sys.argv[1])
tree = {}
project = interface.select.project(sys.argv[2])
for listed_subject in project.subjects():
    subject = project.subject(listed_subject.label())
    for listed_session in subject.experiments():
        session = subject.experiment(listed_session.label())
        reconstructions = tree.setdefault(session.label(), {})
        for listed in session.reconstructions():
            recon = session.reconstruction(listed.id())
            entry = {
                'type': recon.attrs.get('type'),
                'baseScanType': recon.attrs.get('baseScanType'),
                'uri': recon._uri,
                'resources': {},
            }
            for listed_resource in recon.out_resources():
                resource = recon.out_resource(listed_resource.label())
                files = {f.label(): int(f.size()) for f in resource.files()}
                entry['resources'][resource.label()] = {'uri': resource._uri, 'files': files}
            reconstructions[recon.id()] = entry
interface.disconnect()
print(json.dumps(tree, sort_keys=True))
