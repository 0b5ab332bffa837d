// Talking to the gateway: GraphQL over fetch (the browser's sign-in cookie goes along, as with any
// same-origin request) and who this browser acts as.

/** Raised when the gateway has no identity for this browser: the page then offers /login. */
export class SignInNeeded extends Error {}

/** Runs one GraphQL operation; throws SignInNeeded on UNAUTHENTICATED, Error on any other error. */
export async function graphql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const result = await response.json();
  const errors = result.errors ?? [];
  if (response.status === 401 || errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    throw new SignInNeeded(errors[0]?.message ?? 'Sign in to see the archive.');
  }
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  return result.data;
}

/** `{ user, signedIn }` from /session: the browser's own sign-in, the gateway's user, or nobody. */
export async function whoAmI() {
  try {
    return await (await fetch('/session', { cache: 'no-store' })).json();
  } catch {
    return { user: null, signedIn: false };
  }
}

export async function signOut() {
  await fetch('/logout', { method: 'POST' });
}

/** The sign-in page, coming back to this page afterwards. */
export function signInHref() {
  return `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
}
