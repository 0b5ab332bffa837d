"""A GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)
with plain `requests`, and a raw `PUT` to an `uploadUrl` for large files: the upload half of
talking to xnat-graphql from Python.

    from graphql_upload import put_file, upload
    result = upload(endpoint, auth, UPLOAD_FILE, {"parent": scan_id}, "file", "result.nii.gz")
    stored = put_file(upload_url, auth, "result.nii.gz")
"""
import json
import os

import requests


def upload(endpoint, auth, query, variables, file_variable, path, name=None):
    """Sends `query` with the file at `path` as the variable `file_variable`; returns `data`.

    The file streams from disk. The `graphql-preflight` header is what the gateway asks of every
    multipart request, so that no other web site can make a browser upload on a user's behalf.
    """
    operations = {"query": query, "variables": {**variables, file_variable: None}}
    with open(path, "rb") as handle:
        answer = requests.post(
            endpoint,
            auth=auth,
            headers={"graphql-preflight": "1"},
            # Form fields go out in this order: operations, map, then the file, as the spec requires.
            data={"operations": json.dumps(operations), "map": json.dumps({"0": [f"variables.{file_variable}"]})},
            files={"0": (name or os.path.basename(path), handle)},
            timeout=600,
        )
    body = answer.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


def put_file(upload_url, auth, path):
    """PUTs the file at `path` as the raw request body to an `uploadUrl`; returns `uploadFile`.

    The file streams from disk with its length, and the gateway hands it to XNAT as it is (no
    multipart re-encoding): the way to send large files. The answer is `uploadFile`'s JSON.
    """
    with open(path, "rb") as handle:
        answer = requests.put(upload_url, data=handle, auth=auth, headers={"graphql-preflight": "1"}, timeout=600)
    body = answer.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]["uploadFile"]
