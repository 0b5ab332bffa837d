/**
 * XNAT's interactive-agent detection: the site preference `interactiveAgentIds`
 * (`SiteConfigPreferences.getInteractiveAgentIds`, default below) read by
 * `XnatAuthenticationEntryPoint`. A request to the REST API without credentials from such an
 * agent is sent to the login page instead of being challenged, so a client that looks like a
 * browser never gets the 401 it could answer with Basic.
 */
const INTERACTIVE_AGENTS = [/.*MSIE.*/, /.*Mozilla.*/, /.*AppleWebKit.*/, /.*Opera.*/];

export function isInteractiveAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && INTERACTIVE_AGENTS.some((pattern) => pattern.test(userAgent));
}

/** Where `LoginUrlAuthenticationEntryPoint` sends an interactive agent. */
export const LOGIN_URL = '/app/template/Login.vm';

/**
 * Whether XNAT checks the `XNAT_CSRF` token of this agent's writes to the REST API:
 * `SecureAction.isCsrfTokenOk(request, strict=false)`, called by `XnatSecureGuard` for every
 * authenticated request, exempts a blank agent, the XNAT desktop client, anything that mentions
 * Java, and whatever UserAgentUtils does not parse as a web or mobile browser. The emulator takes
 * the interactive-agent patterns above for UserAgentUtils' browser detection.
 */
export function checksCsrfToken(userAgent: string | undefined): boolean {
  if (!userAgent?.trim() || userAgent.includes('XNATDesktopClient') || userAgent.toUpperCase().includes('JAVA')) return false;
  return isInteractiveAgent(userAgent);
}
