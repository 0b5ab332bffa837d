"""pyxnat's attrs.mset and attrs.get on objects of every level, driven by a JSON plan.

Usage: /usr/bin/python3 test/pyxnat/set_fields.py CONFIG_JSON PLAN_JSON

PLAN_JSON: [{"object": [project, subject?, session?, ("scan"|"assessor", id)?], "mset": {path: value}?, "get": [path, ...]?}, ...]
Prints [{path: value read with attrs.get}, ...], one object per plan step, after its mset.
"""
import json
import sys

import pyxnat


def select(interface, coordinates):
    obj = interface.select.project(coordinates[0])
    if len(coordinates) > 1:
        obj = obj.subject(coordinates[1])
    if len(coordinates) > 2:
        obj = obj.experiment(coordinates[2])
    if len(coordinates) > 3:
        kind, name = coordinates[3]
        obj = obj.scan(name) if kind == 'scan' else obj.assessor(name)
    return obj


interface = pyxnat.Interface(config=sys.argv[1])
out = []
for step in json.loads(sys.argv[2]):
    obj = select(interface, step['object'])
    if step.get('mset'):
        obj.attrs.mset(step['mset'])
    out.append({path: obj.attrs.get(path) for path in step.get('get', [])})
interface.disconnect()
print(json.dumps(out))
