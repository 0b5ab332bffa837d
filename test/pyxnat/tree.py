"""The archive as pyxnat sees it, walked as the seed walkthrough does, printed as one JSON tree.

Usage: /usr/bin/python3 test/pyxnat/tree.py CONFIG_JSON

{project: {subject: {session: {scan: {"type": t, "resources": {resource: [file, ...]}}}}}}
"""
import json
import sys

import pyxnat

interface = pyxnat.Interface(config=sys.argv[1])
tree = {}
for project in interface.select.projects():
    subjects = tree.setdefault(project.label(), {})
    for subject in project.subjects():
        sessions = subjects.setdefault(subject.label(), {})
        for session in subject.experiments():
            scans = sessions.setdefault(session.label(), {})
            for scan in session.scans():
                resources = {}
                for resource in scan.resources():
                    resources[resource.label()] = sorted(f.label() for f in resource.files())
                scans[scan.label()] = {'type': scan.attrs.mget({'type'})[0], 'resources': resources}
interface.disconnect()
print(json.dumps(tree, sort_keys=True))
