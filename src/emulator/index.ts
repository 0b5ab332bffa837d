import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Accounts, type ProjectRole } from './auth.js';
import { createBlobStore } from './blobs.js';
import { loadDataset } from './datasets/index.js';
import { parseCostModel } from './cost-model.js';
import type { Action } from './permissions.js';
import { FaultInjector } from './faults.js';
import { RequestLog } from './request-log.js';
import { createRequestListener } from './server.js';
import { Sessions } from './sessions.js';
import { Archive } from './store.js';
import { versionProfile, type VersionProfile } from './versions.js';

export type { FaultRule } from './faults.js';
export type { RequestLogEntry } from './request-log.js';
export { FaultInjector, RequestLog };
export { PROFILE_NAMES } from './versions.js';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** 'demo' | 'empty' | 'bench' | 'bench:N'; default 'demo'. */
  dataset?: string;
  /** Added before every answer. */
  latencyMs?: number;
  /** Folder for file bytes; default a fresh temporary folder removed on close. */
  storage?: string;
  /** XNAT's cost per request shape, e.g. `typical` or `request=4,file=0.02` (cost-model.ts); default none. */
  costModel?: string;
  /** XNAT's `concurrentMaxSessions`: most sessions per user before logins are refused (default 1000). */
  concurrentMaxSessions?: number;
  /** Sessions end after this long unused (default 15 minutes, XNAT's web.xml). */
  sessionTimeoutMs?: number;
  /** XNAT's `maxFailedLogins`: refused logins in a row that lock an account for an hour (default 20; 0 never locks). */
  maxFailedLogins?: number;
  /** The XNAT release to behave as (versions.ts PROFILES: 1.7, 1.8.0, 1.8.10); default the newest. */
  xnatVersion?: string;
  /** Project groups whose rights on the project's data the site changed from XNAT's defaults. */
  groupPermissions?: ReadonlyArray<{ project: string; role: ProjectRole; actions: readonly Action[] }>;
}

/** Test hooks on the emulator's HTTP sessions. */
export interface EmulatorSessions {
  /** Ends every session, as an XNAT restart does. */
  dropAll(): void;
  /** Live sessions registered to `login` (those a session-cap refusal opened included). */
  live(login: string): number;
  /** Sessions opened by logins of `login` since start. */
  opened(login: string): number;
  /** Refused logins of `login` since its last accepted one (XNAT locks the account at `maxFailedLogins`). */
  failedLogins(login: string): number;
}

export interface Emulator {
  /** http://HOST:PORT, without a trailing slash. */
  url: string;
  close(): Promise<void>;
  requests: RequestLog;
  faults: FaultInjector;
  /** The archive itself, for tests that check what is stored without going through REST. */
  archive: Archive;
  sessions: EmulatorSessions;
  /** The XNAT release emulated. */
  profile: VersionProfile;
}

const TOMCAT_MAX_HTTP_HEADER_SIZE = 8192;

/**
 * Tomcat answers a request line and headers past maxHttpHeaderSize with 400 ("Request header is
 * too large"), where Node would say 431; other unparsable requests get Node's plain 400 too.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const text = error.code === 'HPE_HEADER_OVERFLOW' ? 'Request header is too large\n' : 'Bad Request\n';
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

/** Starts an in-process XNAT emulator speaking XNAT's REST API under /data, /REST and /data/archive. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const profile = versionProfile(options.xnatVersion);
  const dataset = loadDataset(options.dataset ?? 'demo');
  const blobs = await createBlobStore(options.storage);
  try {
    const archive = await Archive.load(dataset, blobs);
    for (const { project, role, actions } of options.groupPermissions ?? []) {
      const record = archive.projects.get(project);
      if (!record) throw new Error(`groupPermissions: no project ${project}`);
      record.dataPermissions = { ...record.dataPermissions, [role]: actions };
    }
    const requests = new RequestLog();
    const faults = new FaultInjector();
    const sessions = new Sessions({
      ...(options.concurrentMaxSessions !== undefined ? { concurrentMaxSessions: options.concurrentMaxSessions } : {}),
      ...(options.sessionTimeoutMs !== undefined ? { timeoutMs: options.sessionTimeoutMs } : {}),
    });
    const accounts = new Accounts(options.maxFailedLogins !== undefined ? { maxFailedLogins: options.maxFailedLogins } : {});
    // Tomcat's maxHttpHeaderSize (default 8192 bytes) holds the request line and every header.
    const server = createServer(
      { maxHeaderSize: TOMCAT_MAX_HTTP_HEADER_SIZE },
      createRequestListener({
        archive,
        accounts,
        sessions,
        requests,
        faults,
        latencyMs: options.latencyMs ?? 0,
        ...(options.costModel ? { cost: parseCostModel(options.costModel) } : {}),
        profile,
      }),
    );
    // Large uploads and downloads may legitimately take longer than Node's default 5 minutes.
    server.requestTimeout = 0;
    server.on('clientError', answerClientError);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${shownHost}:${port}`,
      archive,
      profile,
      requests,
      faults,
      sessions: {
        dropAll: () => sessions.closeAll(),
        live: (login) => sessions.liveIds(login).length,
        opened: (login) => sessions.opened(login),
        failedLogins: (login) => accounts.failedLogins.count(login),
      },
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await blobs.close();
      },
    };
  } catch (error) {
    await blobs.close();
    throw error;
  }
}
