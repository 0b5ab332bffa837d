/** The XNAT identity one gateway request acts as. Passed per call: the client holds no user state. */
export type XnatAuth = { kind: 'basic'; user: string; password: string } | { kind: 'anonymous' };

export function authorizationHeader(auth: XnatAuth): string | undefined {
  if (auth.kind === 'anonymous') return undefined;
  return `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
}
