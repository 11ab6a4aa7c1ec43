// One client connection: bytes → frames → budget → prepare (in order) → handler (concurrent) →
// ordered responses → socket. Any protocol violation closes this connection only.
import type { Socket } from 'node:net';
import { FrameError, FrameReader } from '@stratus/kafka-protocol';
import type { Logger } from '@stratus/platform-logging';
import type { CounterCell } from '@stratus/platform-metrics';
import type { CredentialSource } from '../credentials/credential-source';
import { isViolation, type ListenerInfo, type RequestContext } from '../handlers/handler';
import type { HandlerRegistry } from '../handlers/registry';
import { UNAUTHENTICATED, type ListenerMetrics } from '../metrics';
import { SaslController } from '../sasl/sasl-controller';
import type { SaslMechanism } from '../types';
import { MemoryBudget, Reservation, type TenantBudgets } from './memory-budget';
import { clientHostOf } from './client-host';
import { OrderedResponses } from './ordered-responses';
import { withThrottle, type QuotaPolicy } from './quota-policy';
import { prepareRequest } from './request-preparation';
import { encodeRawTokenFrame, encodeResponseFrame, type ResponseFrame } from './response-encoding';

export interface ConnectionOptions {
  readonly id: number;
  readonly socket: Socket;
  readonly registry: HandlerRegistry;
  readonly listener: ListenerInfo;
  readonly credentials: CredentialSource;
  readonly mechanisms: readonly SaslMechanism[];
  readonly maxSessionLifetimeMs: number;
  readonly failedAuthenticationDelayMs: number;
  readonly maxRequestBytes: number;
  readonly connectionMemoryBytes: number;
  /** Requests dispatched and not yet answered on one connection, beyond which reading pauses. */
  readonly maxInFlightRequests: number;
  readonly budgets: TenantBudgets;
  readonly idleTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics: ListenerMetrics | undefined;
  /** Per-tenant quotas (throttle + mute, connection limits); none enforced when absent. */
  readonly quotas?: QuotaPolicy;
  readonly onClosed: (connection: KafkaConnection) => void;
}

/** What leaves the ordered queue for one request. */
interface Outgoing {
  readonly bytes?: ResponseFrame;
  readonly closeAfter?: string;
  readonly violation?: string;
  /** KIP-219: stop reading the connection this long once the response is on its way. */
  readonly muteMs?: number;
  readonly reservation: Reservation;
}

export class KafkaConnection {
  readonly id: number;
  private readonly socket: Socket;
  private readonly reader: FrameReader;
  private readonly sasl: SaslController;
  private readonly budget: MemoryBudget;
  private readonly responses: OrderedResponses<Outgoing>;
  private readonly held = new Set<Reservation>();
  private logger: Logger;
  private blockedFrame: Buffer | undefined;
  private stopWaiting: Array<() => void> = [];
  /** Reading is paused until a response leaves (the in-flight cap was reached). */
  private waitingForSlot = false;
  /** Reading is paused while a quota throttle runs (KIP-219 muted channel). */
  private muteTimer: NodeJS.Timeout | undefined;
  private mutedUntilMs = 0;
  private releaseConnectionQuota: (() => void) | undefined;
  /** No new requests are dispatched (a violation or a closing response is queued). */
  private stopped = false;
  private closed = false;
  /** The socket is corked until the end of this event-loop turn (see corkUntilTurnEnds). */
  private corkedForTurn = false;
  private clientId: string | null = null;
  private tenantLabel = UNAUTHENTICATED;
  /** This connection's byte counters, for its tenant label (taken again when it authenticates). */
  private bytesIn: CounterCell | undefined;
  private bytesOut: CounterCell | undefined;
  /** Read once: a socket forgets its peer after it closes. */
  private readonly clientHost: string | undefined;

  constructor(private readonly options: ConnectionOptions) {
    this.id = options.id;
    this.socket = options.socket;
    this.clientHost = clientHostOf(options.socket.remoteAddress);
    this.logger = options.logger.child({ conn: options.id, remote: `${options.socket.remoteAddress}:${options.socket.remotePort}` });
    // Raw SASL tokens after a v0 handshake may be shorter than a request header, so the minimum is
    // checked per request in prepareRequest instead.
    this.reader = new FrameReader({ maxFrameBytes: options.maxRequestBytes, minFrameBytes: 0 });
    this.sasl = new SaslController({ mechanisms: options.mechanisms, credentials: options.credentials, maxSessionLifetimeMs: options.maxSessionLifetimeMs });
    this.budget = new MemoryBudget(`connection:${options.id}`, options.connectionMemoryBytes);
    this.responses = new OrderedResponses<Outgoing>((out) => this.emit(out));
    options.metrics?.connections.inc({ tenant: UNAUTHENTICATED });
    this.countBytesAs(UNAUTHENTICATED);
    this.socket.setNoDelay(true);
    this.socket.setTimeout(options.idleTimeoutMs);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('timeout', () => this.onIdle());
    this.socket.on('error', (error) => this.logger.debug({ err: error }, 'socket error'));
    this.socket.on('close', () => this.onSocketClosed());
  }

  /** Closes the connection at once (listener shutdown). */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.bytesIn?.inc(chunk.length);
    if (this.stopped) return;
    this.reader.push(chunk);
    this.safePump();
  }

  /** A bug in request handling must cost this connection, never the process. */
  private safePump(): void {
    try {
      this.pump();
    } catch (error) {
      this.logger.error({ err: error }, 'unexpected error while reading requests');
      this.violate('internal error', 'request');
    }
  }

  private pump(): void {
    while (!this.stopped && !this.closed) {
      if (this.muteTimer) return;
      if (this.responses.pending >= this.options.maxInFlightRequests) {
        // Every slot holds a response the client has not received: read no more until one leaves.
        this.waitingForSlot = true;
        this.socket.pause();
        return;
      }
      let frame = this.blockedFrame;
      if (!frame) {
        try {
          frame = this.reader.next();
        } catch (error) {
          if (!(error instanceof FrameError)) throw error;
          // A bad size prefix (negative, or beyond socket.request.max.bytes) desynchronises the stream.
          this.violate(`bad frame: ${error.message}`, 'frame');
          return;
        }
        if (!frame) return;
      }
      const tenantBudget = this.sasl.principal ? this.options.budgets.forTenant(this.sasl.principal.tenantId) : this.options.budgets.unauthenticated;
      const reservation = Reservation.tryTake([this.budget, tenantBudget], frame.length);
      if (!reservation) {
        this.blockedFrame = frame;
        this.waitForMemory([this.budget, tenantBudget]);
        return;
      }
      this.blockedFrame = undefined;
      this.held.add(reservation);
      this.dispatch(frame, reservation);
    }
  }

  /** Backpressure: stop reading from the socket until one of the budgets frees memory. */
  private waitForMemory(budgets: readonly MemoryBudget[]): void {
    if (this.stopWaiting.length > 0) return;
    this.socket.pause();
    const resume = (): void => {
      for (const stop of this.stopWaiting) stop();
      this.stopWaiting = [];
      if (this.closed) return;
      if (!this.muteTimer) this.socket.resume();
      setImmediate(() => this.safePump());
    };
    this.stopWaiting = budgets.map((b) => b.onRelease(resume));
  }

  private dispatch(frame: Buffer, reservation: Reservation): void {
    const complete = this.responses.take();
    if (this.sasl.expectsRawToken) {
      void this.rawToken(frame).then((out) => complete({ ...out, reservation }));
      return;
    }
    const expiresAt = this.sasl.sessionExpiresAtMs;
    const isHandshake = frame.length >= 2 && frame.readInt16BE(0) === 17;
    // KIP-368: after the session expired only a re-authentication may pass; anything else closes.
    if (expiresAt !== undefined && Date.now() > expiresAt && !isHandshake) {
      this.stopped = true;
      complete({ violation: 'session expired without re-authentication', reservation });
      return;
    }
    const prepared = prepareRequest(frame, { registry: this.options.registry, authenticated: this.sasl.authenticated });
    if (prepared.header && this.clientId === null && prepared.header.clientId !== null) {
      this.clientId = prepared.header.clientId;
      this.logger = this.logger.child({ clientId: this.clientId });
    }
    if (prepared.kind === 'violation') {
      this.stopped = true;
      complete({ violation: prepared.reason, reservation });
      return;
    }
    const { header } = prepared;
    if (prepared.kind === 'answer') {
      complete({ bytes: this.encode(header.apiKey, prepared.apiVersion, header.correlationId, prepared.response), reservation });
      return;
    }
    const { handler } = prepared.served;
    this.options.metrics?.requests.cell({ api: handler.name }).inc();
    const wasAuthenticated = this.sasl.authenticated;
    // The per-request child logger is made on first use only: most requests never log, and a pino
    // child re-applies the redaction paths: 3.6 % of a router's CPU in a bench-router-overhead
    // profile (2026-11-30) when it was made for every request.
    const connectionLogger = this.logger;
    let requestLogger: Logger | undefined;
    const ctx: RequestContext = {
      header,
      sasl: this.sasl,
      listener: this.options.listener,
      ...(this.clientHost !== undefined ? { clientHost: this.clientHost } : {}),
      get logger(): Logger {
        requestLogger ??= connectionLogger.child({ api: handler.name, correlationId: header.correlationId });
        return requestLogger;
      },
      advertised: this.options.registry.advertised,
      noteClientSoftware: (name, version) => {
        this.logger = this.logger.child({ clientSoftware: `${name}/${version}` });
      },
    };
    handler
      .handle(ctx, prepared.request)
      .then(async (result): Promise<Omit<Outgoing, 'reservation'>> => {
        if (isViolation(result)) {
          this.stopped = true;
          return { violation: result.violation };
        }
        const refused = !wasAuthenticated && this.sasl.authenticated ? await this.onAuthenticated() : undefined;
        if (result.noResponse === true) return { muteMs: this.recordUsage(header.apiKey, frame.length, 0) };
        let bytes = this.encode(header.apiKey, header.apiVersion, header.correlationId, result.response);
        const muteMs = wasAuthenticated ? this.recordUsage(header.apiKey, frame.length, bytes.size) : 0;
        // The throttle field is a fixed-width int32, so the re-encoded frame has the same size.
        if (muteMs > 0) bytes = this.encode(header.apiKey, header.apiVersion, header.correlationId, withThrottle(result.response, muteMs));
        const closeAfter = result.closeAfter ?? refused;
        if (closeAfter !== undefined) this.stopped = true;
        if (result.delayMs !== undefined && result.delayMs > 0) await delay(result.delayMs);
        return closeAfter === undefined ? { bytes, muteMs } : { bytes, closeAfter };
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error, api: handler.name }, 'request handler failed');
        this.stopped = true;
        return { violation: 'internal error' };
      })
      .then((out) => complete({ ...out, reservation }));
  }

  /** A token of the legacy v0 exchange: answered with a bare token, or the connection closes. */
  private async rawToken(token: Buffer): Promise<Omit<Outgoing, 'reservation'>> {
    const wasAuthenticated = this.sasl.authenticated;
    const outcome = await this.sasl.authenticate(token);
    switch (outcome.kind) {
      case 'challenge':
        return { bytes: encodeRawTokenFrame(outcome.bytes) };
      case 'success': {
        const refused = wasAuthenticated ? undefined : await this.onAuthenticated();
        if (refused !== undefined) this.stopped = true;
        return refused === undefined ? { bytes: encodeRawTokenFrame(outcome.bytes) } : { bytes: encodeRawTokenFrame(outcome.bytes), closeAfter: refused };
      }
      case 'failure':
        // The v0 exchange has no error field: Kafka just closes, after the KIP-306 delay.
        this.stopped = true;
        this.options.metrics?.authFailures.inc({ mechanism: this.sasl.mechanism ?? 'unknown' });
        this.logger.warn({ mechanism: this.sasl.mechanism, reason: outcome.reason }, 'SASL authentication failed');
        await delay(this.options.failedAuthenticationDelayMs);
        return { violation: 'authentication failed' };
      case 'violation':
        this.stopped = true;
        return { violation: outcome.reason };
    }
  }

  private encode(apiKey: number, apiVersion: number, correlationId: number, response: unknown): ResponseFrame {
    return encodeResponseFrame({ apiKey, apiVersion, correlationId, response });
  }

  /** Counts this connection's bytes under `tenant` from now on (cells taken once, not per read). */
  private countBytesAs(tenant: string): void {
    this.bytesIn = this.options.metrics?.bytesIn.cell({ tenant });
    this.bytesOut = this.options.metrics?.bytesOut.cell({ tenant });
  }

  /** Quota usage of one answered request of an authenticated tenant: the throttle time in ms. */
  private recordUsage(apiKey: number, requestBytes: number, responseBytes: number): number {
    const tenant = this.sasl.principal?.tenantId;
    if (!this.options.quotas || tenant === undefined) return 0;
    return this.options.quotas.recordRequest({ tenant, apiKey, requestBytes, responseBytes });
  }

  /**
   * Binds the tenant to the connection and applies its connection quotas. Returns the reason to
   * close when the tenant has too many connections (the authentication answer is still sent, then
   * the connection closes, as Kafka does beyond max.connections); over the creation rate the
   * answer is held back instead (KIP-612 throttles connection creation rather than refusing).
   */
  private async onAuthenticated(): Promise<string | undefined> {
    const principal = this.sasl.principal;
    if (!principal) return undefined;
    this.logger = this.logger.child({ tenant: principal.tenantId, user: principal.username });
    this.options.metrics?.connections.dec({ tenant: this.tenantLabel });
    this.tenantLabel = principal.tenantId;
    this.options.metrics?.connections.inc({ tenant: this.tenantLabel });
    this.countBytesAs(this.tenantLabel);
    this.logger.info({ mechanism: this.sasl.mechanism }, 'client authenticated');
    const admission = this.options.quotas?.admitConnection(principal.tenantId);
    if (!admission) return undefined;
    if (admission.kind === 'refuse') {
      this.logger.warn({ reason: admission.reason }, 'connection over the tenant connection quota');
      return `connection quota exceeded: ${admission.reason}`;
    }
    this.releaseConnectionQuota = admission.release;
    if (this.closed) admission.release();
    if (admission.delayMs > 0) await delay(admission.delayMs);
    return undefined;
  }

  /** KIP-219: stop reading requests for `ms` (the response already queued still goes out). */
  private mute(ms: number): void {
    const until = Date.now() + ms;
    if (this.closed || until <= this.mutedUntilMs) return;
    this.mutedUntilMs = until;
    if (this.muteTimer) clearTimeout(this.muteTimer);
    this.socket.pause();
    this.muteTimer = setTimeout(() => {
      this.muteTimer = undefined;
      if (this.closed) return;
      if (!this.waitingForSlot && this.stopWaiting.length === 0) this.socket.resume();
      setImmediate(() => this.safePump());
    }, ms);
  }

  private emit(out: Outgoing): void {
    if (this.closed) {
      this.release(out.reservation);
      return;
    }
    if (this.waitingForSlot) {
      this.waitingForSlot = false;
      if (this.stopWaiting.length === 0 && !this.muteTimer) this.socket.resume();
      setImmediate(() => this.safePump());
    }
    if (out.violation !== undefined) {
      this.release(out.reservation);
      this.violate(out.violation, out.violation === 'authentication failed' ? 'authentication' : 'request');
      return;
    }
    if (out.muteMs !== undefined && out.muteMs > 0) this.mute(out.muteMs);
    if (out.bytes === undefined) {
      // A request answered with nothing (acks=0 Produce): only its memory is given back.
      this.release(out.reservation);
      return;
    }
    const { parts, size } = out.bytes;
    this.bytesOut?.inc(size);
    this.corkUntilTurnEnds();
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(parts[i] as Buffer);
    // The memory is released once the frame's last part is written.
    this.socket.write(last >= 0 ? (parts[last] as Buffer) : Buffer.alloc(0), () => this.release(out.reservation));
    if (out.closeAfter !== undefined) {
      this.logger.info({ reason: out.closeAfter }, 'closing connection');
      if (out.closeAfter === 'authentication failed') this.options.metrics?.authFailures.inc({ mechanism: this.sasl.mechanism ?? 'unknown' });
      this.closed = true;
      // Flush the final response, then drop the socket even if the client never closes its side.
      this.socket.end(() => this.socket.destroy());
    }
  }

  /**
   * Holds this turn's responses back until the event loop's check phase, so every response that
   * completes in one turn (a broker answer often resolves several pipelined requests) leaves in one
   * writev. One syscall per response cost the router 15 % of its CPU under 32 pipelined produces
   * (profile in docs/benchmarks/2026-11-30-router-write-batching.md); the client then also reads
   * them in one go. Nothing waits for a timer: the frames go out before the loop polls again.
   * `end()` flushes a corked socket itself, so closing after a final response needs nothing more.
   */
  private corkUntilTurnEnds(): void {
    if (this.corkedForTurn) return;
    this.corkedForTurn = true;
    this.socket.cork();
    setImmediate(() => this.uncorkNow());
  }

  private uncorkNow(): void {
    if (!this.corkedForTurn) return;
    this.corkedForTurn = false;
    this.socket.uncork();
  }

  private release(reservation: Reservation): void {
    this.held.delete(reservation);
    reservation.release();
  }

  /** Logs the violation with client id (and tenant once known) and closes this connection only. */
  private violate(reason: string, kind: 'frame' | 'request' | 'authentication'): void {
    if (this.closed) return;
    this.options.metrics?.protocolViolations.inc({ reason: kind });
    this.logger.warn({ reason, clientId: this.clientId }, 'closing connection: protocol violation');
    this.stopped = true;
    this.closed = true;
    // Responses already emitted this turn still leave, as they did before the close.
    this.uncorkNow();
    this.socket.destroy();
  }

  private onIdle(): void {
    // connections.max.idle.ms: an idle connection is closed, but not while a request is in flight.
    if (this.responses.pending > 0) return;
    this.logger.info('closing idle connection');
    this.closed = true;
    this.socket.destroy();
  }

  private onSocketClosed(): void {
    this.closed = true;
    this.stopped = true;
    this.responses.clear();
    for (const reservation of [...this.held]) this.release(reservation);
    for (const stop of this.stopWaiting) stop();
    this.stopWaiting = [];
    if (this.muteTimer) clearTimeout(this.muteTimer);
    this.muteTimer = undefined;
    this.releaseConnectionQuota?.();
    this.releaseConnectionQuota = undefined;
    this.options.metrics?.connections.dec({ tenant: this.tenantLabel });
    this.options.onClosed(this);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

