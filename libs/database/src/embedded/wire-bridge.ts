import type { PGlite } from '@electric-sql/pglite';
import * as net from 'node:net';

/**
 * The PostgreSQL wire protocol on a loopback port, in front of one PGlite engine, for many
 * connections at once (the api's pool, the worker's, the migrations).
 *
 * PGlite is one session: every message from every connection lands in the same parser state,
 * the same unnamed statement and portal, the same transaction. So the engine is given to one
 * connection at a time, for a whole request cycle (from its first message to the Sync or simple
 * Query that ends it, when PostgreSQL answers ReadyForQuery), and for as long as that connection
 * keeps a transaction open. The others wait their turn, in the order they asked.
 *
 * This is what `@electric-sql/pglite-socket` 0.2.x gets wrong (electric-sql/pglite issue #1046):
 * it queues single messages, so the Parse/Bind/Execute of two connections interleave and one
 * gets the other's rows, or none; and one failing message stops its queue for good.
 */

/** Codes of the messages sent before the startup message, in place of its protocol version. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** A startup message longer than this is not one (PostgreSQL allows 10,000 bytes). */
const MAX_STARTUP_LENGTH = 10_000;

const code = (letter: string) => letter.charCodeAt(0);
/** Messages PostgreSQL answers with ReadyForQuery: Sync, simple Query, FunctionCall. */
const CYCLE_ENDS = new Set([code('S'), code('Q'), code('F')]);
const TERMINATE = code('X');
const SYNC = Uint8Array.of(code('S'), 0, 0, 0, 4);

/** A simple-protocol Query message. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = code('Q');
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}
const ROLLBACK = simpleQuery('ROLLBACK');

/** An ErrorResponse the way PostgreSQL words one (severity, SQLSTATE, message). */
function errorResponse(sqlState: string, text: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${text}\0\0`, 'utf8');
  const message = Buffer.alloc(5 + fields.length);
  message[0] = code('E');
  message.writeInt32BE(4 + fields.length, 1);
  fields.copy(message, 5);
  return message;
}

interface Message {
  bytes: Uint8Array;
  /** The engine may go to another connection after it (outside a transaction). */
  endsCycle: boolean;
}

export interface WireBridgeOptions {
  host: string;
  /** 0: a free port, chosen by the system as the server listens. */
  port: number;
  /** Connections open at once; one more is refused the way PostgreSQL refuses it (53300). */
  maxConnections: number;
  /** A failure of the engine on one connection (that connection is closed; the others go on). */
  onError?: (error: Error) => void;
}

/** One client connection: its bytes cut into whole messages, waiting for the engine. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  readonly pending: Message[] = [];
  /** Inside a request cycle (a Parse, Bind … without its Sync yet). */
  midCycle = false;
  closed = false;

  constructor(readonly socket: net.Socket) {}

  /** Cuts what arrived into messages; answers the requests before startup that PGlite does not take. False: not the protocol, close it. */
  receive(chunk: Buffer): boolean {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return true;
        const length = this.buffer.readInt32BE(0);
        const version = this.buffer.readInt32BE(4);
        if (length < 8 || length > MAX_STARTUP_LENGTH) return false;
        if (this.buffer.length < length) return true;
        const message = this.take(length);
        if (version === SSL_REQUEST || version === GSSENC_REQUEST) {
          // No encryption on a loopback port: "N", and the client goes on in plain text.
          this.socket.write('N');
          continue;
        }
        // Cancelling a running query is not supported by the one engine.
        if (version === CANCEL_REQUEST) return false;
        this.started = true;
        // PGlite answers the startup message itself (trust: AuthenticationOk … ReadyForQuery).
        this.pending.push({ bytes: message, endsCycle: true });
        continue;
      }
      if (this.buffer.length < 5) return true;
      const length = this.buffer.readInt32BE(1);
      if (length < 4) return false;
      if (this.buffer.length < 1 + length) return true;
      const message = this.take(1 + length);
      this.pending.push({ bytes: message, endsCycle: CYCLE_ENDS.has(message[0]) });
    }
  }

  private take(length: number): Uint8Array {
    // A copy: the rest of the buffer may be kept for long.
    const message = new Uint8Array(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  send(data: Uint8Array): void {
    if (!this.closed && this.socket.writable) this.socket.write(data);
  }
}

export class WireBridge {
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  /** The connection the engine serves now, and those waiting for it, first come first served. */
  private owner: Connection | null = null;
  private readonly waiting: Connection[] = [];
  private serving = false;

  constructor(
    private readonly db: PGlite,
    private readonly options: WireBridgeOptions,
  ) {}

  /** Listens; resolves with the port. */
  listen(): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Closes every connection and the port; the engine is left for its owner to close. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const connection of this.connections) connection.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Connections open and waiting for the engine (for logs and tests). */
  get stats(): { connections: number; waiting: number } {
    return { connections: this.connections.size, waiting: this.waiting.length };
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (this.connections.size >= this.options.maxConnections) {
      socket.end(errorResponse('53300', `sorry, too many clients already (the embedded database serves ${this.options.maxConnections} connections)`));
      return;
    }
    const connection = new Connection(socket);
    this.connections.add(connection);
    socket.on('data', (chunk: Buffer) => {
      if (connection.closed) return;
      if (!connection.receive(chunk)) {
        socket.destroy();
        return;
      }
      if (connection.pending.length > 0) this.ask(connection);
    });
    // A client that went away mid-cycle or mid-transaction: its state is undone before the next one is served.
    socket.on('close', () => this.drop(connection));
    socket.on('error', () => socket.destroy());
  }

  /** The connection has messages for the engine: served now, or when its turn comes. */
  private ask(connection: Connection): void {
    if (!this.owner) this.owner = connection;
    else if (this.owner !== connection && !this.waiting.includes(connection)) this.waiting.push(connection);
    void this.serve();
  }

  private drop(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    connection.pending.length = 0;
    this.connections.delete(connection);
    const at = this.waiting.indexOf(connection);
    if (at >= 0) this.waiting.splice(at, 1);
    // The owner's state is undone by the serving loop, which may be running a message of its now.
    if (this.owner === connection) void this.serve();
  }

  /** Runs the owner's messages, one at a time, and hands the engine on between request cycles. */
  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.owner) {
        const connection = this.owner;
        if (connection.closed) {
          await this.undo(connection);
          this.handOn();
          continue;
        }
        const message = connection.pending.shift();
        if (!message) {
          // Mid-cycle, or in a transaction: the engine waits for this connection's next message.
          if (connection.midCycle || this.db.isInTransaction()) break;
          this.handOn();
          continue;
        }
        if (message.bytes[0] === TERMINATE) {
          connection.socket.end();
          this.drop(connection);
          continue;
        }
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(message.bytes, { onRawData: (data) => connection.send(data) }));
        } catch (error) {
          // The engine threw instead of answering: this connection cannot trust its stream any more.
          this.options.onError?.(error as Error);
          connection.send(errorResponse('XX000', `embedded database: ${(error as Error).message}`));
          connection.socket.destroy();
          this.drop(connection);
          continue;
        }
        connection.midCycle = !message.endsCycle;
        // Between cycles and outside a transaction, the next connection waiting goes first.
        if (!connection.midCycle && !this.db.isInTransaction() && this.waiting.length > 0) this.handOn();
      }
    } finally {
      this.serving = false;
    }
  }

  /** The engine to the next connection waiting; the one it leaves goes to the back if it has more. */
  private handOn(): void {
    const previous = this.owner;
    this.owner = this.waiting.shift() ?? null;
    if (previous && !previous.closed && previous.pending.length > 0) {
      if (this.owner) this.waiting.push(previous);
      else this.owner = previous;
    }
  }

  /** Leaves the engine as the next connection expects it: out of any cycle and any transaction. */
  private async undo(connection: Connection): Promise<void> {
    try {
      if (connection.midCycle) await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
      if (this.db.isInTransaction()) await this.db.runExclusive(() => this.db.execProtocolRaw(ROLLBACK));
    } catch (error) {
      this.options.onError?.(error as Error);
    }
    connection.midCycle = false;
  }
}
