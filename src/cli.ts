import { Command, CommanderError } from 'commander';
import { serveDefaults } from './config/defaults.js';
import { ConfigError, gatewayOptionsOf, resolveGatewayConfig, type ServeFlags } from './config/gateway-config.js';
import { flagOf, type NumericOptionSpec, numericOptions, type ServedNumericOption, servedNumericOptions } from './config/serve-options.js';
import { PROFILE_NAMES as EMULATED_VERSIONS } from './emulator/versions.js';
import { heapPolicy } from './heap-policy.js';
import { packageVersion } from './package-version.js';
import { isLoopback } from './server/host-allowlist.js';

const demoCredentials = { user: 'admin', password: 'admin' };

function fail(message: string): never {
  process.stderr.write(`xnat-graphql: ${message}\n`);
  process.exit(2);
}

function onSignals(stop: () => Promise<void>): void {
  const handler = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

// The gateway and the emulator load only when a command needs them: --version, --help and a
// refused flag answer at once.
const loadGateway = () => import('./server/gateway.js');
const loadEmulator = () => import('./emulator/index.js');

async function startServe(flags: ServeFlags): Promise<void> {
  // A growth factor given on Node's command line is the operator's choice, and stays.
  if (flags.compactHeap !== false && !process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) heapPolicy.enable();
  const config = await resolveGatewayConfig(flags, process.env);
  const [{ startGateway }, { startEmulator }] = await Promise.all([loadGateway(), loadEmulator()]);
  for (const warning of config.warnings) process.stderr.write(`xnat-graphql: warning: ${warning}\n`);
  let xnatUrl = config.xnatUrl;
  let credentials = config.credentials;
  let stopEmulator = async () => {};
  if (!xnatUrl) {
    const emulator = await startEmulator({ port: 0, host: '127.0.0.1', dataset: 'demo' });
    xnatUrl = emulator.url;
    credentials ??= demoCredentials;
    stopEmulator = () => emulator.close();
    process.stdout.write(`Embedded XNAT emulator (demo dataset) at ${emulator.url}/data — users admin/admin, guest/guest\n`);
  }
  if (credentials && !isLoopback(config.host) && !config.exposeDefaultUser) {
    await stopEmulator();
    throw new ConfigError(
      `--host ${config.host} is reachable from the network, where callers without credentials would act as XNAT user ${credentials.user}: pass --expose-default-user to mean it, or drop --user`,
    );
  }
  const gateway = await startGateway({
    ...gatewayOptionsOf(config),
    xnatUrl,
    ...(credentials ? { credentials } : {}),
  });
  process.stdout.write(`xnat-graphql ready: GraphQL and GraphiQL at ${gateway.graphqlUrl}\n`);
  if (credentials) {
    // On loopback only this machine's users reach the default user (the Host allowlist keeps
    // rebinding pages out): worth saying, not worth a warning. Beyond loopback it is one.
    const actsAs = `requests without credentials (no or an empty Authorization header) act as XNAT user ${credentials.user}`;
    if (isLoopback(config.host)) process.stdout.write(`Default user: ${actsAs} (listening on loopback only)\n`);
    else process.stderr.write(`xnat-graphql: warning: ${actsAs}, for anyone who can reach ${config.host}\n`);
  }
  if (config.dashboard) process.stdout.write(`Dashboard at ${gateway.url}/dashboard\n`);
  // The gateway serves either way (XNAT may come up later); the operator learns now, not from users.
  void gateway.checkXnat().then((problem) => {
    if (problem)
      process.stderr.write(`xnat-graphql: warning: XNAT at ${xnatUrl} is not usable: ${problem}; /readyz answers 503 until it answers\n`);
  });
  onSignals(async () => {
    await gateway.close();
    await stopEmulator();
  });
}

interface EmulatorFlags {
  xnatVersion: string;
  port: string;
  host: string;
  dataset: string;
  latencyMs: string;
  storage?: string;
  costModel?: string;
  concurrentMaxSessions: string;
  maxFailedLogins: string;
}

function parseCount(name: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max) fail(`invalid ${name}: ${value}`);
  return Number(value);
}

async function emulator(flags: EmulatorFlags): Promise<void> {
  const options = {
    port: parseCount('--port', flags.port, 65535),
    host: flags.host,
    dataset: flags.dataset,
    latencyMs: parseCount('--latency-ms', flags.latencyMs, 600_000),
    ...(flags.storage ? { storage: flags.storage } : {}),
    ...(flags.costModel ? { costModel: flags.costModel } : {}),
    concurrentMaxSessions: parseCount('--concurrent-max-sessions', flags.concurrentMaxSessions, 1_000_000),
    maxFailedLogins: parseCount('--max-failed-logins', flags.maxFailedLogins, 1_000_000),
    xnatVersion: flags.xnatVersion,
  };
  if (!EMULATED_VERSIONS.includes(flags.xnatVersion))
    fail(`invalid --xnat-version: ${flags.xnatVersion} (one of ${EMULATED_VERSIONS.join(', ')})`);
  const { startEmulator } = await loadEmulator();
  const running = await startEmulator(options);
  process.stdout.write(`XNAT emulator (XNAT ${running.profile.version}, dataset ${flags.dataset}) listening at ${running.url}\n`);
  onSignals(() => running.close());
}

/** An option's help: what it does, the variable that also sets it, and what it is when unset. */
function help(text: string, more: { env?: string; default?: string | number } = {}): string {
  const notes = [more.env ? `env ${more.env}` : '', more.default !== undefined ? `default ${more.default}` : ''].filter(Boolean);
  return notes.length ? `${text} (${notes.join('; ')})` : text;
}

const serveHelp = `
Environment variables (flags win over them, they win over --config):
  PORT, HOST                      as --port, --host
  XNAT_URL, XNAT_USER, XNAT_PASSWORD
                                  as --xnat, --user, --password
  XNAT_GRAPHQL_PUBLIC_URL, XNAT_GRAPHQL_CORS_ORIGINS, XNAT_GRAPHQL_CACHE_TTL_MS, XNAT_GRAPHQL_CACHE
                                  as --public-url, --cors-origin, --cache-ttl-ms, --cache
  XNAT_GRAPHQL_CACHE_SECRET       key of the cache's credential hashes; replicas sharing Redis need the same
  LOG_LEVEL                       fatal|error|warn|info|debug|silent (default info; debug logs every XNAT request)
  OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf|http/json|grpc),
  OTEL_TRACES_EXPORTER, OTEL_SERVICE_NAME, …
                                  OpenTelemetry tracing, off unless set (docs/operations.md)

Examples:
  xnat-graphql serve                                   # over the embedded demo emulator
  xnat-graphql serve --xnat https://xnat.example.org --port 8080
  XNAT_URL=https://xnat.example.org PORT=8080 HOST=0.0.0.0 xnat-graphql serve
  xnat-graphql serve --config ~/xnat_config.cfg --cache redis://127.0.0.1:6379
`;

const emulatorHelp = `
Examples:
  xnat-graphql emulator --port 8080                    # demo dataset: users admin/admin, guest/guest
  xnat-graphql emulator --dataset bench:10 --latency-ms 20
  curl -u admin:admin 'http://127.0.0.1:8080/data/projects?format=json'
`;

function program(): Command {
  const d = serveDefaults;
  const cli = new Command('xnat-graphql')
    .description('A GraphQL gateway over XNAT, with an embedded XNAT emulator')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (text) => process.stderr.write(`xnat-graphql: ${text.replace(/^error: /, '')}`) })
    .addHelpText('after', '\nExamples:\n  xnat-graphql serve --help\n  xnat-graphql serve\n  xnat-graphql emulator --port 8080\n');

  const serve = cli.command('serve').description('start the GraphQL gateway (over the embedded emulator when no XNAT is given)');
  const numeric = (name: ServedNumericOption, spec: NumericOptionSpec) =>
    serve.option(`${flagOf(name)} <n>`, help(spec.help, { ...(spec.env ? { env: spec.env } : {}), default: spec.shownDefault ?? d[name] }));
  numeric('port', numericOptions.port);
  serve
    .option('--host <host>', help('address to listen on', { env: 'HOST', default: d.host }))
    .option('--xnat <url>', help('XNAT base URL', { env: 'XNAT_URL', default: 'the embedded emulator' }))
    .option('--config <file>', 'pyxnat config file {"server", "user", "password"}')
    .option('--user <user>', help('XNAT user for requests without credentials', { env: 'XNAT_USER' }))
    .option(
      '--password <password>',
      help('password of --user; visible in the process list, prefer --password-file', { env: 'XNAT_PASSWORD' }),
    )
    .option('--password-file <file>', 'file holding the password of --user (one line)');
  for (const [name, spec] of servedNumericOptions) if (name !== 'port') numeric(name, spec);
  serve
    .option(
      '--public-url <url>',
      help('URL clients reach the gateway at, for downloadUrl behind a proxy', {
        env: 'XNAT_GRAPHQL_PUBLIC_URL',
        default: "the request's origin",
      }),
    )
    .option(
      '--cors-origin <origins>',
      help('comma-separated browser origins allowed to call the gateway', { env: 'XNAT_GRAPHQL_CORS_ORIGINS', default: 'none' }),
    )
    .option(
      '--cache <store>',
      help('memory, or redis://HOST:PORT to share the cache between replicas', { env: 'XNAT_GRAPHQL_CACHE', default: d.cache }),
    )
    .option('--dashboard', 'serve the example dashboard page at /dashboard')
    .option(
      '--xnat-version <version>',
      help('the XNAT release behind the gateway (e.g. 1.7.6, 1.8.10), for how it decodes URLs', {
        env: 'XNAT_VERSION',
        default: 'asked of XNAT',
      }),
    )
    .option(
      '--allowed-hosts <hosts>',
      help('comma-separated Host names answered besides loopback and the --public-url host; * for any', {
        env: 'XNAT_GRAPHQL_ALLOWED_HOSTS',
        default: 'none',
      }),
    )
    .option('--expose-default-user', 'let callers without credentials act as --user on a non-loopback --host')
    .option('--no-graphiql', 'do not serve GraphiQL to browsers (production)')
    .option('--no-introspection', 'refuse introspection queries and field suggestions (production)')
    .option(
      '--no-compact-heap',
      'let V8 size the heap as it does by default: large answers peak up to 1.5 times higher, at about the same speed (docs/operations.md)',
    )
    .option(
      '--trusted-documents <file>',
      "run only the operations in this JSON map of id → document (e.g. codegen's persisted-documents.json); others get PERSISTED_QUERY_NOT_FOUND",
    )
    .option(
      '--ca-file <file>',
      'PEM certificates to trust for XNAT\'s TLS (a site CA or a self-signed certificate); pyxnat config "verify": "PATH" does the same',
    )
    .option('--insecure', 'do not check XNAT\'s TLS certificate (pyxnat config "verify": false does the same); never in production')
    .addHelpText('after', serveHelp)
    .action(startServe);

  cli
    .command('emulator')
    .description('start the standalone XNAT emulator')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--dataset <name>', 'demo | empty | bench[:SCALE] | site:SCALE', 'demo')
    .option('--latency-ms <n>', 'delay added to every answer', '0')
    .option('--storage <dir>', 'directory for file bytes (default: a fresh temp dir)')
    .option(
      '--cost-model <spec>',
      'wait as long as XNAT works on each request: typical, or request=MS,session=MS,scan=MS,resource=MS,catalog=MS,file=MS,row=MS (docs/emulator.md)',
    )
    .option('--concurrent-max-sessions <n>', "sessions one user may hold before logins are refused (XNAT's concurrentMaxSessions)", '1000')
    .option(
      '--max-failed-logins <n>',
      "refused logins in a row that lock an account for an hour (XNAT's maxFailedLogins; 0 never locks)",
      '20',
    )
    .option(
      '--xnat-version <name>',
      `the XNAT release to behave as: ${EMULATED_VERSIONS.join(' | ')}`,
      EMULATED_VERSIONS[EMULATED_VERSIONS.length - 1],
    )
    .addHelpText('after', emulatorHelp)
    .action(emulator);

  return cli;
}

function describe(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port in use: ${(error as Error).message.replace(/^.*address already in use\s*/, '')}`;
  if (code === 'EACCES') return `cannot listen: ${(error as Error).message}`;
  return (error as Error).message ?? String(error);
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    fail(describe(error));
  }
}
