/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, YYYY-MM-DD. */
  Date: { input: string; output: string; }
  /** A date and time without offset (XNAT server local time), YYYY-MM-DDTHH:mm[:ss[.SSS]]. */
  LocalDateTime: { input: string; output: string; }
  /** An integer up to 2^53 - 1 (file sizes beyond 2 GiB fit, unlike Int). */
  SafeInt: { input: number; output: number; }
  /** A file part of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec). */
  Upload: { input: unknown; output: unknown; }
};

/** Experiments to keep; all given conditions must hold, each list is an OR. XNAT is asked to filter by project, a single type, modality, date range and label first, and the gateway refines its answer (several types, the exact label pattern). Every project or subject asked with the same filter in one request shares one request to XNAT. */
export type ExperimentFilter = {
  /** Earliest session date (inclusive); undated experiments never match a date bound. */
  dateFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Latest session date (inclusive). */
  dateTo?: InputMaybe<Scalars['Date']['input']>;
  /** Label pattern: without `*` an exact, case-sensitive label; with `*` (any run of characters) a case-insensitive match of the whole label, e.g. `sub-0*`. */
  label?: InputMaybe<Scalars['String']['input']>;
  /** Session modality as XNAT records it (MR, PT for PET, CT…); only imaging sessions match. */
  modalities?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Owning project IDs. */
  projects?: InputMaybe<Array<Scalars['String']['input']>>;
  /** XNAT data types, e.g. xnat:mrSessionData (case-insensitive). One type is pushed to XNAT; several are applied by the gateway. */
  xsiTypes?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** One sort key of experiments; several keys sort by the first, then the next among equals. */
export type ExperimentOrder = {
  direction?: InputMaybe<OrderDirection>;
  field: ExperimentOrderField;
};

export type ExperimentOrderField =
  /** Session date (then time). */
  | 'DATE'
  /** When the experiment was added to XNAT. */
  | 'INSERT_DATE'
  /** Experiment label. */
  | 'LABEL'
  /** XNAT data type (xsiType). */
  | 'TYPE';

/** One field to set: a shortcut (e.g. "quality", "gender") or an XML path, and its value as XNAT takes it. */
export type FieldValueInput = {
  path: Scalars['String']['input'];
  /** The value; "" clears the field. Numbers, dates (YYYY-MM-DD) and booleans as text. */
  value: Scalars['String']['input'];
};

export type OrderDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest first. */
  | 'DESC';

/** One sort key of projects; several keys sort by the first, then the next among equals. */
export type ProjectOrder = {
  direction?: InputMaybe<OrderDirection>;
  field: ProjectOrderField;
};

export type ProjectOrderField =
  /** Project ID. */
  | 'LABEL'
  /** Project name. */
  | 'NAME';

/** A user's role in an XNAT project. */
export type ProjectRole =
  /** Collaborators read the project and its data. */
  | 'COLLABORATOR'
  /** Members read the project and read and write its data, but do not delete it. */
  | 'MEMBER'
  /** Owners read, write and delete the project and its data. */
  | 'OWNER';

/** One sort key of resources; several keys sort by the first, then the next among equals. */
export type ResourceOrder = {
  direction?: InputMaybe<OrderDirection>;
  field: ResourceOrderField;
};

export type ResourceOrderField =
  /** Number of files, as XNAT recorded it. */
  | 'FILE_COUNT'
  /** Resource label. */
  | 'LABEL';

/** Scans to keep (exact values, each list an OR). On `Query.scans` XNAT applies them; on `Experiment.scans` the gateway does, because XNAT's listing of a session's scans ignores filters. */
export type ScanFilter = {
  /** Scan quality, e.g. ["usable"]. */
  qualities?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Scan types, e.g. ["mprage", "T2w"] (exact, case-sensitive). */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** One sort key of scans; several keys sort by the first, then the next among equals. */
export type ScanOrder = {
  direction?: InputMaybe<OrderDirection>;
  field: ScanOrderField;
};

export type ScanOrderField =
  /** Scan ID, compared as numbers where they are ("2" before "10"). */
  | 'LABEL'
  /** Series description. */
  | 'SERIES_DESCRIPTION'
  /** Scan type. */
  | 'TYPE';

/** Subjects to keep: XNAT is asked to filter by label first (a case-insensitive 'contains') and the gateway refines its answer; every project asked with the same filter in one request shares one request to XNAT. */
export type SubjectFilter = {
  /** Label pattern: without `*` an exact, case-sensitive label; with `*` (any run of characters) a case-insensitive match of the whole label, e.g. `sub-0*`. */
  label?: InputMaybe<Scalars['String']['input']>;
};

/** One sort key of subjects; several keys sort by the first, then the next among equals. */
export type SubjectOrder = {
  direction?: InputMaybe<OrderDirection>;
  field: SubjectOrderField;
};

export type SubjectOrderField =
  /** When the subject was added to XNAT. */
  | 'INSERT_DATE'
  /** Subject label. */
  | 'LABEL';

export type ArchiveTreeQueryVariables = Exact<{ [key: string]: never; }>;


export type ArchiveTreeQuery = { projects: { totalCount: number, nodes: Array<{ id: string, label: string, name: string | null, subjects: { totalCount: number, nodes: Array<{ id: string, label: string, experiments: { totalCount: number, nodes: Array<
              | { id: string, label: string, xsiType: string, date: string | null, scans: { totalCount: number, nodes: Array<{ id: string, label: string, type: string | null, seriesDescription: string | null, resources: { totalCount: number, nodes: Array<{ id: string, label: string, format: string | null, fileCount: number, files: { totalCount: number, nodes: Array<{ id: string, name: string, size: number | null, uri: string }> } | null }> } | null }> } | null }
              | { id: string, label: string, xsiType: string, date: string | null, scans: { totalCount: number, nodes: Array<{ id: string, label: string, type: string | null, seriesDescription: string | null, resources: { totalCount: number, nodes: Array<{ id: string, label: string, format: string | null, fileCount: number, files: { totalCount: number, nodes: Array<{ id: string, name: string, size: number | null, uri: string }> } | null }> } | null }> } | null }
              | { id: string, label: string, xsiType: string, date: string | null, scans: { totalCount: number, nodes: Array<{ id: string, label: string, type: string | null, seriesDescription: string | null, resources: { totalCount: number, nodes: Array<{ id: string, label: string, format: string | null, fileCount: number, files: { totalCount: number, nodes: Array<{ id: string, name: string, size: number | null, uri: string }> } | null }> } | null }> } | null }
              | { id: string, label: string, xsiType: string, date: string | null, scans: { totalCount: number, nodes: Array<{ id: string, label: string, type: string | null, seriesDescription: string | null, resources: { totalCount: number, nodes: Array<{ id: string, label: string, format: string | null, fileCount: number, files: { totalCount: number, nodes: Array<{ id: string, name: string, size: number | null, uri: string }> } | null }> } | null }> } | null }
              | { id: string, label: string, xsiType: string, date: string | null, scans: { totalCount: number, nodes: Array<{ id: string, label: string, type: string | null, seriesDescription: string | null, resources: { totalCount: number, nodes: Array<{ id: string, label: string, format: string | null, fileCount: number, files: { totalCount: number, nodes: Array<{ id: string, name: string, size: number | null, uri: string }> } | null }> } | null }> } | null }
            > } | null }> } | null }> } | null };

export type UploadFileMutationVariables = Exact<{
  parent: string | number;
  resource: string;
  file: unknown;
  name?: string | null | undefined;
  overwrite?: boolean | null | undefined;
  extract?: boolean | null | undefined;
}>;


export type UploadFileMutation = { uploadFile: { id: string, name: string, size: number | null, uri: string, downloadUrl: string } };


export const ArchiveTreeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ArchiveTree"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"projects"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"subjects"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"experiments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"xsiType"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"scans"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"seriesDescription"}},{"kind":"Field","name":{"kind":"Name","value":"resources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"fileCount"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"uri"}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ArchiveTreeQuery, ArchiveTreeQueryVariables>;
export const UploadFileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadFile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"parent"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resource"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Upload"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"overwrite"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"extract"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadFile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"parent"},"value":{"kind":"Variable","name":{"kind":"Name","value":"parent"}}},{"kind":"Argument","name":{"kind":"Name","value":"resource"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resource"}}},{"kind":"Argument","name":{"kind":"Name","value":"file"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"overwrite"},"value":{"kind":"Variable","name":{"kind":"Name","value":"overwrite"}}},{"kind":"Argument","name":{"kind":"Name","value":"extract"},"value":{"kind":"Variable","name":{"kind":"Name","value":"extract"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"uri"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}}]} as unknown as DocumentNode<UploadFileMutation, UploadFileMutationVariables>;