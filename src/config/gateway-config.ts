import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { serveDefaults } from './defaults.js';
import { type ServedNumericOption, servedNumericOptions } from './serve-options.js';
import type { GatewayOptions } from '../server/gateway.js';
import { parseTrustedDocuments, type TrustedDocuments } from './trusted-documents-file.js';
import type { XnatTls } from '../xnat/client.js';

/**
 * What `serve` runs: the gateway's options as flags, environment and config file resolved them
 * (flags win over env, env over the file), XNAT's URL absent for the embedded emulator, plus what
 * only `serve` itself acts on.
 */
export type GatewayConfig = Omit<GatewayOptions, 'xnatUrl'> &
  Required<
    Pick<
      GatewayOptions,
      ServedNumericOption | 'host' | 'corsOrigins' | 'allowedHosts' | 'cacheUrl' | 'dashboard' | 'graphiql' | 'introspection'
    >
  > & {
    /** Absent: serve over the embedded emulator with the demo dataset. */
    xnatUrl?: string;
    /** The configured user may act for callers reaching a non-loopback address. */
    exposeDefaultUser: boolean;
    /** What the operator should know before trusting this start (printed by `serve`). */
    warnings: string[];
  };

/** `serve`'s flags as commander parses them: numeric ones by option name, the rest below. */
export type ServeFlags = { [K in ServedNumericOption]?: string } & {
  host?: string;
  xnat?: string;
  config?: string;
  user?: string;
  password?: string;
  passwordFile?: string;
  corsOrigin?: string;
  allowedHosts?: string;
  exposeDefaultUser?: boolean;
  publicUrl?: string;
  cache?: string;
  dashboard?: boolean;
  xnatVersion?: string;
  /** commander's --no-graphiql / --no-introspection / --no-compact-heap set these false. */
  graphiql?: boolean;
  introspection?: boolean;
  compactHeap?: boolean;
  trustedDocuments?: string;
  caFile?: string;
  insecure?: boolean;
};

export class ConfigError extends Error {}

/**
 * pyxnat's config file: {"server": URL, "user": U, "password": P}, and `verify` as pyxnat passes
 * it to requests: false accepts any certificate, a string is a CA bundle to trust.
 */
const pyxnatConfigFile = z.object({
  server: z.string().optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  verify: z.union([z.boolean(), z.string()]).optional(),
});

const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'must start with http:// or https://')
  // Credentials in the URL would be dropped (the pool dials the origin) and then linger in memory.
  .refine((value) => {
    const url = new URL(value);
    return !url.username && !url.password && !url.search && !url.hash;
  }, 'must not carry a user, password, query or fragment (use --user and --password)');

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const numbers = Object.fromEntries(servedNumericOptions.map(([name, spec]) => [name, integer(spec.min, spec.max)])) as {
  [K in ServedNumericOption]: ReturnType<typeof integer>;
};

const resolved = z.object({
  host: z.string().min(1),
  xnatUrl: httpUrl.optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  ...numbers,
  corsOrigins: z.array(httpUrl),
  allowedHosts: z.array(z.string().regex(/^(\*|\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.:-]+)$/, 'must be host names or addresses, comma-separated')),
  exposeDefaultUser: z.boolean(),
  publicUrl: httpUrl.optional(),
  cacheUrl: z.string().regex(/^(memory|rediss?:\/\/\S+)$/, 'must be memory or redis://HOST:PORT'),
  dashboard: z.boolean(),
  xnatVersion: z
    .string()
    .regex(/^\d+\.\d+(\.\d+)*\S*$/, 'must be an XNAT release such as 1.7.6 or 1.8.10')
    .optional(),
});

async function readConfigFile(path: string): Promise<z.infer<typeof pyxnatConfigFile>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`config file ${path} is not valid JSON`);
  }
  const parsed = pyxnatConfigFile.safeParse(json);
  if (!parsed.success) throw new ConfigError(`config file ${path} must be {"server": URL, "user": U, "password": P}`);
  return parsed.data;
}

/** A password file holds the password alone; one trailing line break (as editors add) is not part of it. */
async function readPasswordFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read password file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const password = text.replace(/\r?\n$/, '');
  if (password === '' || /[\r\n]/.test(password)) throw new ConfigError(`password file ${path} must hold one line, the password`);
  return password;
}

async function readText(what: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

async function readTrustedDocuments(path: string): Promise<TrustedDocuments> {
  const text = await readText('trusted documents file', path);
  try {
    return parseTrustedDocuments(text);
  } catch (error) {
    throw new ConfigError(`trusted documents file ${path} ${(error as Error).message}`);
  }
}

/** --ca-file wins over the config file's `verify` path; --insecure or `verify: false` trusts any certificate. */
async function resolveTls(flags: ServeFlags, verify: boolean | string | undefined): Promise<XnatTls | undefined> {
  const caFile = flags.caFile ?? (typeof verify === 'string' ? verify : undefined);
  const insecure = flags.insecure === true || verify === false;
  if (!caFile && !insecure) return undefined;
  let ca: string | undefined;
  if (caFile) {
    ca = await readText('CA file', caFile);
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`CA file ${caFile} holds no PEM certificate`);
  }
  return { ...(ca ? { ca } : {}), ...(insecure ? { insecure } : {}) };
}

export async function resolveGatewayConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): Promise<GatewayConfig> {
  const file = flags.config ? await readConfigFile(flags.config) : {};
  if (flags.password !== undefined && flags.passwordFile !== undefined)
    throw new ConfigError('give --password or --password-file, not both');
  const warnings: string[] = [];
  if (flags.password !== undefined) {
    warnings.push('--password is visible to every user of this machine (ps, /proc); prefer --password-file FILE or XNAT_PASSWORD');
  }
  const passwordFromFile = flags.passwordFile !== undefined ? await readPasswordFile(flags.passwordFile) : undefined;
  const numbers = Object.fromEntries(
    servedNumericOptions.map(([name, spec]) => [
      name,
      flags[name] ?? (spec.env ? env[spec.env] : undefined) ?? String(serveDefaults[name]),
    ]),
  );
  const candidate = {
    host: flags.host ?? env.HOST ?? serveDefaults.host,
    ...numbers,
    xnatUrl: flags.xnat ?? env.XNAT_URL ?? file.server,
    user: flags.user ?? env.XNAT_USER ?? file.user,
    password: flags.password ?? passwordFromFile ?? env.XNAT_PASSWORD ?? file.password,
    corsOrigins: (flags.corsOrigin ?? env.XNAT_GRAPHQL_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    publicUrl: flags.publicUrl ?? env.XNAT_GRAPHQL_PUBLIC_URL,
    cacheUrl: flags.cache ?? env.XNAT_GRAPHQL_CACHE ?? serveDefaults.cache,
    dashboard: flags.dashboard ?? false,
    xnatVersion: flags.xnatVersion ?? env.XNAT_VERSION,
    allowedHosts: (flags.allowedHosts ?? env.XNAT_GRAPHQL_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    exposeDefaultUser: flags.exposeDefaultUser ?? false,
  };
  const parsed = resolved.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid ${issue?.path.join('.') ?? 'option'}: ${issue?.message ?? 'bad value'}`);
  }
  const { user, password, xnatUrl, ...rest } = parsed.data;
  const tls = await resolveTls(flags, file.verify);
  if (tls?.insecure) {
    warnings.push(
      "--insecure: XNAT's TLS certificate is NOT checked; anyone on the network path can pose as XNAT and read the credentials the gateway sends",
    );
  }
  const trustedDocuments = flags.trustedDocuments ? await readTrustedDocuments(flags.trustedDocuments) : undefined;
  if ((user === undefined) !== (password === undefined)) {
    throw new ConfigError('a user needs a password and a password needs a user');
  }
  return {
    ...rest,
    warnings,
    ...(xnatUrl ? { xnatUrl: xnatUrl.replace(/\/+$/, '') } : {}),
    ...(user !== undefined && password !== undefined ? { credentials: { user, password } } : {}),
    graphiql: flags.graphiql ?? true,
    introspection: flags.introspection ?? true,
    ...(trustedDocuments ? { trustedDocuments } : {}),
    ...(tls ? { tls } : {}),
  };
}

/**
 * The gateway options a configuration stands for, XNAT's URL aside (`serve` may start the
 * embedded emulator first). Tests build their gateways from `resolveGatewayConfig({}, {})` through
 * this, so they run what `serve` ships.
 */
export function gatewayOptionsOf(config: GatewayConfig): Omit<GatewayOptions, 'xnatUrl'> {
  const { xnatUrl: _xnatUrl, exposeDefaultUser: _exposeDefaultUser, warnings: _warnings, ...options } = config;
  return options;
}
