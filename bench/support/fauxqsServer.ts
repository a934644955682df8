// The SQS stand-in in a process of its own, as a real SQS endpoint is remote: its CPU is not the
// pipeline's. Prints {"port": N} once listening; stops on SIGTERM.
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
