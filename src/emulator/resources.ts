import type { ResourceRecord } from './model.js';
import { isA } from './datatypes.js';
import { type Owner, resourceParent } from './owners.js';
import type { Archive } from './store.js';

/** A resource together with the object that holds it. */
export interface OwnedResource {
  owner: Owner;
  resource: ResourceRecord;
}

/** Resources of the owners; with `all`, sessions contribute their scans' resources too. */
export function resourcesOf(archive: Archive, owners: Owner[], all: boolean): OwnedResource[] {
  return owners.flatMap((owner) => {
    if (owner.kind === 'reconstruction' && owner.inputs) return [];
    const own = archive.resourcesOf(resourceParent(owner)).map((resource) => ({ owner, resource }));
    if (!all || owner.kind !== 'experiment' || !isA(owner.experiment.xsiType, 'xnat:imageSessionData')) return own;
    const scans = archive.scansOf(owner.experiment.id).flatMap((scan) => {
      const scanOwner: Owner = { ...owner, kind: 'scan', scan };
      return archive.resourcesOf(resourceParent(scanOwner)).map((resource) => ({ owner: scanOwner, resource }));
    });
    return [...own, ...scans];
  });
}

/** `{RESOURCE_ID}`: numeric xnat_abstractresource_id or label, comma list; `NULL` = no label. */
export function matchResources(candidates: OwnedResource[], spec: string): OwnedResource[] {
  const tokens = spec.split(',');
  return candidates.filter(({ resource }) =>
    tokens.some((t) => resource.label === t || String(resource.dbId) === t || (t === 'NULL' && resource.label === '')),
  );
}

/** The REST path of an owner normalised to IDs, as file URIs and listings spell it. */
export function ownerPath(owner: Owner): string {
  switch (owner.kind) {
    case 'project':
      return `/projects/${owner.project.id}`;
    case 'subject':
      return `/projects/${owner.project.id}/subjects/${owner.subject.id}`;
    case 'experiment':
      return `/experiments/${owner.experiment.id}`;
    case 'scan':
      return `/experiments/${owner.experiment.id}/scans/${owner.scan.id}`;
    case 'assessor':
      // XNATTemplate.loadCatalogs: an assessor's (default `out`) resources.
      return `/experiments/${owner.experiment.id}/assessors/${owner.assessor.id}/out`;
    case 'reconstruction':
      // XNATTemplate.loadCatalogs: a reconstruction's (default `out`) resources.
      return `/experiments/${owner.experiment.id}/reconstructions/${owner.reconstruction.id}/out`;
  }
}
