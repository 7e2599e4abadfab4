import { connect, type Socket } from 'node:net';

/**
 * A bare SSE connection on a raw socket, for what the other readers cannot
 * do cheaply: a thousand of them in one test, or one that never reads.
 */
export interface RawSseClient {
  socket: Socket;
  /** Everything received, when reading. */
  received(): string;
  /** The `data` of every ping received so far. */
  pings(): string[];
  closed: Promise<void>;
}

export function openRawStream(port: number, path = '/v1/live', { read = true, headers = {} as Record<string, string> } = {}): Promise<RawSseClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => {
      const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n${extra}\r\n`);
      if (!read) {
        // Never reading: the kernel buffers fill and the server's backlog grows.
        socket.pause();
        resolve({ socket, received: () => '', pings: () => [], closed });
        return;
      }
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        const first = text === '';
        text += chunk;
        if (first) resolve(client);
      });
    });
    const client: RawSseClient = {
      socket,
      received: () => text,
      pings: () => [...text.matchAll(/event: ping\ndata: (\d+)\n\n/g)].map((match) => match[1]),
      closed,
    };
  });
}
