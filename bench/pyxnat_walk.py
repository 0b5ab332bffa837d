"""The full archive tree walked the pyxnat way, as the seed walkthrough does it.

Usage: /usr/bin/python3 bench/pyxnat_walk.py CONFIG_JSON

projects -> subjects -> experiments -> scans (with scan.attrs.mget({'type'})) -> resources ->
files (with label()), one pyxnat call per node as a researcher's script does. Prints one JSON line
with what it saw, e.g. {"projects": 3, "subjects": 24, ..., "files": 380}.
"""
import json
import sys

import pyxnat

interface = pyxnat.Interface(config=sys.argv[1])
counts = {'projects': 0, 'subjects': 0, 'experiments': 0, 'scans': 0, 'resources': 0, 'files': 0}
names = []

for project in interface.select.projects():
    counts['projects'] += 1
    project.label()
    for subject in project.subjects():
        counts['subjects'] += 1
        subject.label()
        for experiment in subject.experiments():
            counts['experiments'] += 1
            experiment.label()
            for scan in experiment.scans():
                counts['scans'] += 1
                scan.label()
                scan.attrs.mget({'type'})
                for resource in scan.resources():
                    counts['resources'] += 1
                    resource.label()
                    for f in resource.files():
                        counts['files'] += 1
                        names.append(f.label())

interface.disconnect()
counts['file_names'] = len(set(names))
print(json.dumps(counts))
