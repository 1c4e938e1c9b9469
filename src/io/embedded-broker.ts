/**
 * An in-process MQTT broker (aedes) on loopback, so that the demo shows the broker side of
 * MQTT with nothing installed. Not for real use: no persistence, no authentication.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** Publish as the broker itself (the simulator uses it to play the device's messages). */
  publish(topic: string, payload: string | Uint8Array, opts?: { qos?: 0 | 1 | 2; retain?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(opts: { port?: number } = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    publish(topic, payload, p = {}) {
      return new Promise((resolve, reject) => {
        broker.publish(
          { cmd: 'publish', topic, payload: typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload), qos: p.qos ?? 0, retain: p.retain ?? false, dup: false },
          (err?: Error) => (err ? reject(err) : resolve()),
        );
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Connected clients keep the server open: aedes.close ends them first.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
