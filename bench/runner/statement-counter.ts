import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP relay between the service and PostgreSQL that counts the statements the service sends: each simple
 * Query ('Q') and each extended-protocol Execute ('E') message, read from the frontend's message headers
 * (PostgreSQL protocol 3: a type byte and a 32-bit length; the startup packet has no type byte). Used only
 * while counting, so the load itself runs on direct connections.
 */
export class StatementCounter {
  statements = 0;
  private readonly server: Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.relay(client));
  }

  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const server = createConnection(this.target);
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const header = started ? 5 : 4;
        if (pending.length < header) break;
        const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        if (!started) {
          // 196608 is protocol 3.0's startup packet; anything else (an SSL or cancel request) precedes it.
          started = pending.readInt32BE(4) === 196608;
        } else if (pending[0] === 0x51 || pending[0] === 0x45) {
          this.statements += 1;
        }
        pending = pending.subarray(length);
      }
      server.write(chunk);
    });
    server.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      server.destroy();
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  }
}
