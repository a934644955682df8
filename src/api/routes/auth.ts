import { Router, type Request } from 'express';
import { z } from 'zod';
import { passwordPolicy, type Accounts } from '../../application/accounts/index.js';
import { actorOf, authenticate } from '../middleware/authenticate.js';
import { parse } from '../validation.js';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{3,30}$/, 'must be a phone number');
const password = z.string().min(passwordPolicy.minLength).max(passwordPolicy.maxLength);

export const emailVerifyBody = z.strictObject({
  email,
  // Older clients send the phone number too; it is accepted and unused, since the code goes by email only.
  number: z.string().max(40).optional(),
});

export const registerBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    email,
    phone: phone.optional(),
    number: phone.optional(),
    password,
    confirmPassword: z.string().max(passwordPolicy.maxLength),
    otp: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
  })
  .refine((body) => body.confirmPassword === body.password, {
    path: ['confirmPassword'],
    message: 'must match password',
  })
  .refine((body) => (body.phone ?? body.number) !== undefined, {
    path: ['phone'],
    message: 'is required',
  })
  .refine((body) => !body.phone || !body.number || body.phone === body.number, {
    path: ['number'],
    message: 'must equal phone when both are sent',
  })
  .transform(({ number, phone, ...rest }) => ({ ...rest, phone: (phone ?? number) as string }));

export const loginBody = z.strictObject({
  email,
  password: z.string().min(1).max(passwordPolicy.maxLength),
});

export const refreshTokenBody = z.strictObject({ refreshToken: z.string().min(1).max(200) });

// Behind a proxy the app sets `trust proxy`, and req.ip becomes the client's; never read headers here.
const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Mount with `app.use('/api/auth', authRouter(accounts))` after `express.json()`. */
export const authRouter = (accounts: Accounts): Router => {
  const router = Router();

  router.post('/emailVerify', async (req, res) => {
    const body = parse(emailVerifyBody, req.body);
    await accounts.requestEmailOtp({ email: body.email, ip: clientIp(req) });
    res.status(200).json({ success: true, message: 'OTP generated and sent successfully' });
  });

  router.post('/register', async (req, res) => {
    const body = parse(registerBody, req.body);
    await accounts.register({ ...body, ip: clientIp(req) });
    res.status(201).json({ success: true, message: 'User created successfully' });
  });

  router.post('/login', async (req, res) => {
    const body = parse(loginBody, req.body);
    const { token, refreshToken } = await accounts.login({ ...body, ip: clientIp(req) });
    res.set('Cache-Control', 'no-store').status(200).json({ success: true, token, refreshToken });
  });

  router.post('/refresh', async (req, res) => {
    const body = parse(refreshTokenBody, req.body);
    const { accessToken, refreshToken } = await accounts.refresh(body);
    res
      .set('Cache-Control', 'no-store')
      .status(200)
      .json({ success: true, accessToken, refreshToken });
  });

  router.post('/logout', async (req, res) => {
    await accounts.logout(parse(refreshTokenBody, req.body));
    res.status(204).end();
  });

  router.get(
    '/me',
    authenticate({ verify: (token) => accounts.verifyAccessToken(token) }),
    async (_req, res) => {
      res
        .set('Cache-Control', 'no-store')
        .status(200)
        .json(await accounts.me(actorOf(res)));
    },
  );

  return router;
};
