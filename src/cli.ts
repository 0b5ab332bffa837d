import { Command, CommanderError } from 'commander';
import { ConfigError, resolveGatewayConfig, type ServeFlags } from './config/gateway-config.js';
import { startGateway } from './server/gateway.js';
import { startEmulator } from './emulator/index.js';

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

async function serve(flags: ServeFlags): Promise<void> {
  const config = await resolveGatewayConfig(flags, process.env);
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
  const gateway = await startGateway({
    xnatUrl,
    port: config.port,
    host: config.host,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    maxUpstreamConnections: config.maxUpstreamConnections,
    maxUploadBytes: config.maxUploadBytes,
    maxUploadFiles: config.maxUploadFiles,
    limits: { maxDepth: config.maxDepth, maxCost: config.maxCost, maxAliases: config.maxAliases },
    corsOrigins: config.corsOrigins,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    cacheTtlMs: config.cacheTtlMs,
    cacheUrl: config.cacheUrl,
    dashboard: config.dashboard,
    ...(credentials ? { credentials } : {}),
  });
  process.stdout.write(`xnat-graphql ready: GraphQL and GraphiQL at ${gateway.graphqlUrl}\n`);
  if (config.dashboard) process.stdout.write(`Dashboard at ${gateway.url}/dashboard\n`);
  onSignals(async () => {
    await gateway.close();
    await stopEmulator();
  });
}

interface EmulatorFlags {
  port: string;
  host: string;
  dataset: string;
  latencyMs: string;
  storage?: string;
}

function parseCount(name: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max) fail(`invalid ${name}: ${value}`);
  return Number(value);
}

async function emulator(flags: EmulatorFlags): Promise<void> {
  const running = await startEmulator({
    port: parseCount('--port', flags.port, 65535),
    host: flags.host,
    dataset: flags.dataset,
    latencyMs: parseCount('--latency-ms', flags.latencyMs, 600_000),
    ...(flags.storage ? { storage: flags.storage } : {}),
  });
  process.stdout.write(`XNAT emulator (dataset ${flags.dataset}) listening at ${running.url}\n`);
  onSignals(() => running.close());
}

function program(): Command {
  const cli = new Command('xnat-graphql')
    .description('A GraphQL gateway over XNAT, with an embedded XNAT emulator')
    .exitOverride()
    .configureOutput({ outputError: (text) => process.stderr.write(`xnat-graphql: ${text.replace(/^error: /, '')}`) });

  cli
    .command('serve')
    .description('start the GraphQL gateway (over the embedded emulator when no XNAT is given)')
    .option('--port <n>', 'port to listen on (0 picks a free one)')
    .option('--host <host>', 'address to listen on')
    .option('--xnat <url>', 'XNAT base URL (env XNAT_URL)')
    .option('--config <file>', 'pyxnat config file {"server", "user", "password"}')
    .option('--user <user>', 'XNAT user for requests without credentials (env XNAT_USER)')
    .option('--password <password>', 'password of --user (env XNAT_PASSWORD)')
    .option('--upstream-timeout-ms <n>', 'bound on each XNAT request (default 30000)')
    .option('--max-upstream-connections <n>', 'concurrent connections to XNAT (default 32)')
    .option('--max-upload-bytes <n>', 'largest accepted upload (default 64 GiB)')
    .option('--max-upload-files <n>', 'files per multipart request (default 20)')
    .option('--max-depth <n>', 'deepest selection a query may nest (default 24)')
    .option('--max-cost <n>', 'largest query cost, list fields multiplying their children (default 20000000)')
    .option('--max-aliases <n>', 'most aliases in one query (default 30)')
    .option('--public-url <url>', 'URL clients reach the gateway at, for downloadUrl behind a proxy (env XNAT_GRAPHQL_PUBLIC_URL)')
    .option('--cors-origin <origins>', 'comma-separated browser origins allowed to call the gateway (env XNAT_GRAPHQL_CORS_ORIGINS; default: none)')
    .option('--cache-ttl-ms <n>', 'keep XNAT listings this long across requests, per user, dropped by any write; 0 disables (env XNAT_GRAPHQL_CACHE_TTL_MS; default 30000)')
    .option('--cache <store>', 'memory, or redis://HOST:PORT to share the cache between replicas (env XNAT_GRAPHQL_CACHE; default memory)')
    .option('--dashboard', 'serve the example dashboard page at /dashboard')
    .action(serve);

  cli
    .command('emulator')
    .description('start the standalone XNAT emulator')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--dataset <name>', 'demo | empty | bench[:SCALE]', 'demo')
    .option('--latency-ms <n>', 'delay added to every answer', '0')
    .option('--storage <dir>', 'directory for file bytes (default: a fresh temp dir)')
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
