// Every GraphQL document of the dashboard, in one place (the tests run them too). Each costs XNAT
// a number of requests set by its depth, not by how many projects, sessions or scans it lists.

/** How many QC thumbnails the strip shows (the first scans of the filtered sessions). */
export const THUMBNAILS = 16;

/**
 * One dashboard load: every project's figures counted by the gateway over the filtered sessions
 * (`stats(filter)`), and the QC thumbnails of the first matching scans.
 */
export const DASHBOARD = `query Dashboard($filter: ExperimentFilter, $thumbnails: Int!) {
  projects {
    nodes {
      label
      name
      stats(filter: $filter) {
        subjectCount
        sessionCount
        scanCount
        byModality { key count }
        byScanType { key count }
        sessionsByModalityAndMonth { modality month count }
      }
    }
  }
  qc: scans(experiments: $filter, first: $thumbnails) {
    nodes {
      label
      type
      session { label }
      snapshot: resource(label: "SNAPSHOTS") { files { nodes { name downloadUrl } } }
    }
  }
}`;

/** Drill-down, a project: its subjects with how many sessions match the filter. */
export const SUBJECTS = `query DrillProject($id: String!, $filter: ExperimentFilter) {
  project(id: $id) {
    label
    subjects { nodes { id label experiments(filter: $filter) { totalCount } } }
  }
}`;

/** Drill-down, a subject: its sessions matching the filter. */
export const SESSIONS = `query DrillSubject($id: ID!, $filter: ExperimentFilter) {
  node(id: $id) {
    ... on Subject {
      label
      experiments(filter: $filter, orderBy: [{ field: DATE }]) { nodes { id label date modality xsiType downloadUrl } }
    }
  }
}`;

/** Drill-down, a session: its scans with their resources, download links and QC thumbnail. */
export const SCANS = `query DrillSession($id: ID!) {
  node(id: $id) {
    ... on Experiment {
      label
      date
      modality
      downloadUrl
      scans {
        nodes {
          id label type seriesDescription quality downloadUrl
          resources { nodes { label fileCount downloadUrl } }
          snapshot: resource(label: "SNAPSHOTS") { files { nodes { name downloadUrl } } }
        }
      }
    }
  }
}`;
