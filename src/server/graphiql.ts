import type { GraphiQLOptions } from 'graphql-yoga';

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

/**
 * Who GraphiQL's requests act as, from `/session`, with a link to sign in (or a button to sign
 * out). Requests from GraphiQL carry the sign-in cookie like any same-origin fetch.
 */
export const signInBar = `
<div id="xg-signin" style="position:fixed;top:6px;right:12px;z-index:1000;font:13px system-ui,sans-serif;background:#fff;border:1px solid #ccc;border-radius:6px;padding:4px 10px;box-shadow:0 1px 4px #0002">…</div>
<script>
(async () => {
  const bar = document.getElementById('xg-signin');
  const here = encodeURIComponent(location.pathname + location.search);
  const signIn = '<a id="xg-signin-link" href="/login?next=' + here + '">Sign in</a>';
  try {
    const who = await (await fetch('/session', { cache: 'no-store' })).json();
    const name = (text) => { const b = document.createElement('b'); b.textContent = text; return b.outerHTML; };
    if (who.signedIn) {
      bar.innerHTML = 'Signed in as ' + name(who.user) + ' · <button id="xg-signout" type="button" style="font:inherit;border:0;background:none;color:#1f6feb;cursor:pointer;padding:0">Sign out</button>';
      document.getElementById('xg-signout').onclick = async () => {
        await fetch('/logout', { method: 'POST' });
        location.assign('/login?next=' + here);
      };
    } else if (who.user) {
      bar.innerHTML = 'As the gateway user ' + name(who.user) + ' · ' + signIn;
    } else {
      bar.innerHTML = 'Not signed in · ' + signIn;
    }
  } catch {
    bar.innerHTML = signIn;
  }
})();
</script>
`;

/** GraphiQL served from the installed package (so it works offline), with the sign-in bar. */
export async function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  // Loaded when a browser first asks: GraphiQL's bundle is tens of MiB of heap that a gateway
  // answering scripts never needs.
  const { renderGraphiQL: renderYogaGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const html = renderYogaGraphiQL(options);
  // The page inlines GraphiQL's bundle, whose code contains "</body>" too: the last one closes the page.
  const end = html.lastIndexOf('</body>');
  return end < 0 ? `${html}${signInBar}` : `${html.slice(0, end)}${signInBar}${html.slice(end)}`;
}
