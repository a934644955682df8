// Baseline server: a bare express JSON handler doing what any POST handler does (parse, answer JSON).
import express from 'express';

const app = express();
app.use(express.json());
app.post(
  '/api/orders',
  (req, res) => void res.status(201).json({ success: true, order: req.body }),
);
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
