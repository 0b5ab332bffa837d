import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/** What a newcomer sees first in GraphiQL: the whole archive tree in one request. */
export const defaultQuery = /* GraphQL */ `# The whole archive, Project → Subject → Session → Scan → Resource → File,
# in one request. Press the ▶ button.
query ArchiveTree {
  projects {
    totalCount
    nodes {
      label
      name
      subjects {
        nodes {
          label
          experiments {
            nodes {
              label
              xsiType
              date
              scans {
                nodes {
                  label
                  type
                  seriesDescription
                  resources {
                    nodes {
                      label
                      format
                      fileCount
                      files {
                        nodes { name size downloadUrl }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
`;

/** GraphiQL served from the installed package, so it works on networks without internet access. */
export { renderGraphiQL };
