"""The lab wiki's pyxnat walkthrough (seed-walkthrough.md), run unchanged against an XNAT.

Usage: /usr/bin/python3 seed_walkthrough.py CONFIG_JSON   (XNAT_URL in the environment too)

Every operation of the page runs as written; the checks assert what it saw. Two deliberate
departures, both forced by the page itself: `file.get()` gets a file path (the page passes a
folder, which pyxnat would open as a file), and `bet` is replaced by a copy. pyxnat 1.5 has no
`Interface.project`, so the processing example selects through `interface.select.project`.
"""
import base64
import gzip
import json
import os
import shutil
import struct
import sys
import tempfile
import urllib.request
import zipfile

import pyxnat

checks = 0


def check(condition, what):
    global checks
    if not condition:
        print('FAILED: %s' % what, file=sys.stderr)
        sys.exit(1)
    checks += 1


def is_nifti_gz(path):
    with gzip.open(path, 'rb') as f:
        header = f.read(348)
    return len(header) == 348 and struct.unpack('<i', header[:4])[0] == 348 and header[344:348] in (b'n+1\0', b'ni1\0')


config = sys.argv[1]
server = os.environ['XNAT_URL']
work = tempfile.mkdtemp(prefix='pyxnat-walkthrough-')

# --- Setup the connection -----------------------------------------------------------------
interface = pyxnat.Interface(config=config)
project = interface.select.project('test')
check(project.exists() is True, "project('test').exists()")

# --- Projects -------------------------------------------------------------------------------
labels = [p.label() for p in interface.select.projects()]
print('projects:', labels)
check('test' in labels, 'test is listed')
check(len(labels) >= 3, 'admin sees at least 3 projects (one private)')
check(interface.select.project('no_such_project').exists() is False, 'absent project does not exist')

# --- Subjects -------------------------------------------------------------------------------
subject_labels = [s.label() for s in project.subjects()]
print('subjects:', subject_labels)
check(len(subject_labels) > 0, 'project test has subjects')
subject = project.subject(subject_labels[0])
check(subject.exists() is True, 'subject by label exists')
check(project.subject('no_such_subject').exists() is False, 'absent subject does not exist')

# --- Sessions -------------------------------------------------------------------------------
session_labels = [e.label() for e in subject.experiments()]
print('sessions:', session_labels)
check(len(session_labels) > 0, 'subject has sessions')
session = subject.experiment(session_labels[0])
check(session.exists() is True, 'session by label exists')
check(subject.experiment('no_such_session').exists() is False, 'absent session does not exist')

# --- Scans ----------------------------------------------------------------------------------
types = {}
for scan in session.scans():
    scan_type = scan.attrs.mget({'type'})[0]
    print(scan.label(), scan_type)
    types[scan.label()] = scan_type
check('mprage' in types.values(), 'the session has an mprage scan')
mprage_id = [k for k, v in types.items() if v == 'mprage'][0]
scan = session.scan(mprage_id)
check(scan.exists() is True, 'scan by label exists')
check(session.scan('999').exists() is False, 'absent scan does not exist')

# --- Resources ------------------------------------------------------------------------------
resource_labels = [r.label() for r in scan.resources()]
print('resources:', resource_labels)
check('nifti' in resource_labels, 'mprage scan has a nifti resource')
resource = scan.resource('nifti')
check(resource.exists() is True, 'resource by label exists')
check(scan.resource('no_such_resource').exists() is False, 'absent resource does not exist')

# --- Files ----------------------------------------------------------------------------------
file_labels = [f.label() for f in resource.files()]
print('files:', file_labels)
check('mprage.nii.gz' in file_labels, 'nifti resource holds mprage.nii.gz')
file = resource.file('mprage.nii.gz')
check(file.exists() is True, 'file exists')
check(resource.file('no_such_file.txt').exists() is False, 'absent file does not exist')
print(file._uri)
expected_uri = '/data/projects/test/subjects/%s/experiments/%s/scans/%s/resources/nifti/files/mprage.nii.gz' % (
    subject_labels[0], session_labels[0], mprage_id)
check(file._uri == expected_uri, 'file._uri is the label path')

# --- Download data --------------------------------------------------------------------------
download = file.get(os.path.join(work, 'mprage.nii.gz'))
check(is_nifti_gz(download), 'downloaded file is a gzipped NIfTI-1 volume')
with open(download, 'rb') as f:
    downloaded = f.read()
check(len(downloaded) > 0, 'download is not empty')

# The same bytes over plain HTTP, at the URI the files listing gives (outside pyxnat). XNAT
# writes it without the /data prefix of the REST API.
with open(config) as f:
    credentials = json.load(f)
token = base64.b64encode(('%s:%s' % (credentials['user'], credentials['password'])).encode()).decode()
check(file._absuri.startswith('/experiments/'), 'the listed URI starts below /data')
request = urllib.request.Request(server + '/data' + file._absuri, headers={'Authorization': 'Basic ' + token})
with urllib.request.urlopen(request) as response:
    check(response.read() == downloaded, 'pyxnat download equals a plain HTTP GET of the listed URI')

zip_dir = os.path.join(work, 'zip')
os.makedirs(zip_dir)
zip_path = resource.get(zip_dir)
check(zip_path.endswith('nifti.zip'), 'resource.get returns the zip path')
with zipfile.ZipFile(zip_path) as z:
    names = z.namelist()
    print('zip:', names)
    member = [n for n in names if n.endswith('mprage.nii.gz')]
    check(len(member) == 1, 'zip holds mprage.nii.gz')
    check(z.read(member[0]) == downloaded, 'zip entry bytes equal the single-file download')

# --- Upload data ----------------------------------------------------------------------------
local = os.path.join(work, 'notes.txt')
with open(local, 'w') as f:
    f.write('uploaded by the pyxnat walkthrough\n')
upload = resource.file('notes.txt')
upload.insert(local)
check(upload.exists() is True, 'uploaded file exists')
print(upload.exists(), upload._uri)
copy = resource.file('notes.txt').get(os.path.join(work, 'notes-copy.txt'))
with open(copy) as f:
    check(f.read() == 'uploaded by the pyxnat walkthrough\n', 'uploaded bytes come back')

new_resource = scan.resource('WALKTHROUGH')
check(new_resource.exists() is False, 'new resource does not exist yet')
new_resource.file('notes.txt').insert(local)
check(new_resource.exists() is True, 'insert created the missing resource')
check(new_resource.file('notes.txt').exists() is True, 'file uploaded into the created resource')

# --- Delete data ----------------------------------------------------------------------------
upload.delete()
check(upload.exists() is False, 'deleted file is gone')
new_resource.delete()
check(new_resource.exists() is False, 'deleted resource is gone')

# --- Simple processing example (bet replaced by a copy) -------------------------------------
project = interface.select.project('test')
downloads = os.path.join(work, 'Downloads')
processed = []

for subject in project.subjects():
    for session in subject.experiments():
        for scan in session.scans():

            if scan.attrs.mget({'type'})[0] == 'mprage':

                resource = scan.resource('nifti')
                file = resource.file('mprage.nii.gz')
                assert file.exists(), 'Mprage file does not exist for subject {}'.format(subject.label())

                # Download the file
                target = os.path.join(downloads, session.id())
                os.makedirs(target, exist_ok=True)
                t1_filename = file.get(os.path.join(target, 'mprage.nii.gz'))

                # Extract the brain
                t1_filename = t1_filename.replace('.nii.gz', '')  # remove the extension
                brain_filename = t1_filename + '_brain'
                shutil.copy(t1_filename + '.nii.gz', brain_filename + '.nii.gz')  # stands in for: bet t1 brain

                # Uplaod the file
                remote_name = os.path.basename(brain_filename) + '.nii.gz'
                local_name = brain_filename + '.nii.gz'
                resource.file(remote_name).insert(local_name)

                # Check that the upload worked
                assert resource.file(remote_name).exists(), 'Upload did not work for subject {}'.format(subject)
                processed.append((subject.label(), session.label(), scan.id()))

print('processed:', len(processed))
check(len(processed) > 0, 'the processing example found mprage scans')
check(len(set((s, e) for s, e, _ in processed)) == len(processed), 'one mprage scan per session')

# Every mprage scan of the project now holds the brain next to the original, with its bytes.
for subject_label, session_label, scan_id in processed:
    nifti = project.subject(subject_label).experiment(session_label).scan(scan_id).resource('nifti')
    names = sorted(f.label() for f in nifti.files())
    check(names == ['mprage.nii.gz', 'mprage_brain.nii.gz'], 'nifti of %s holds original and brain' % session_label)
    original = nifti.file('mprage.nii.gz').get(os.path.join(work, 'orig.nii.gz'))
    brain = nifti.file('mprage_brain.nii.gz').get(os.path.join(work, 'brain.nii.gz'))
    with open(original, 'rb') as a, open(brain, 'rb') as b:
        check(a.read() == b.read(), 'uploaded brain of %s equals its source' % session_label)

interface.disconnect()
shutil.rmtree(work)
print('pyxnat walkthrough: %d checks passed' % checks)
