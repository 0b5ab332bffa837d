import type { IncomingMessage } from 'node:http';

/** Names that always reach this machine itself. */
const loopbackNames = ['localhost', '127.0.0.1', '::1'];

/** `localhost`, a loopback IPv4 or `::1` (what `--host` may bind without exposing the gateway). */
export function isLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** The host name of a Host header, without port or IPv6 brackets, lower-cased; undefined when malformed. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(header.trim());
  return match?.[1]?.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * Which Host headers the gateway answers: loopback names, the host of `--public-url`, the
 * address it listens on (unless a wildcard), and `--allowed-hosts` (`*` allows any). A page on a
 * DNS-rebinding domain reaches the gateway with its own name as Host, so refusing unknown names
 * keeps such pages from acting with the configured credentials.
 */
export function hostAllowlist(options: {
  allowedHosts?: readonly string[];
  publicUrl?: string;
  listenHost?: string;
}): (req: IncomingMessage) => boolean {
  const allowed = new Set(loopbackNames);
  for (const host of options.allowedHosts ?? [])
    allowed.add(
      host
        .trim()
        .replace(/^\[|\]$/g, '')
        .toLowerCase(),
    );
  if (options.publicUrl) allowed.add(new URL(options.publicUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase());
  const listen = options.listenHost?.replace(/^\[|\]$/g, '').toLowerCase();
  if (listen && listen !== '0.0.0.0' && listen !== '::') allowed.add(listen);
  if (allowed.has('*')) return () => true;
  return (req) => {
    const name = hostName(req.headers.host);
    return name !== undefined && (allowed.has(name) || isLoopback(name));
  };
}
