import { roles } from '../../../application/ports/index.js';
import { emailVerifyBody, loginBody, refreshTokenBody, registerBody } from '../../routes/auth.js';
import { loggedIn, me, otpSent, refreshed, userCreated } from '../schemas.js';
import { problems } from '../operation.js';
import type { Operation } from '../operation.js';

const tags = ['Auth'];

export const authOperations: readonly Operation[] = [
  {
    method: 'post',
    path: '/api/auth/emailVerify',
    operationId: 'requestEmailOtp',
    summary: 'Email a one-time code for registration',
    description:
      'The answer is the same whether or not the email has an account, so it reveals nothing; ' +
      '`number` is accepted from older clients and unused.',
    tags,
    body: emailVerifyBody,
    responses: [
      {
        status: 200,
        description: 'The code was mailed (or, for a known email, a notice)',
        schema: otpSent,
      },
    ],
    problems: problems({ body: true }, 429),
  },
  {
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    summary: 'Create a customer account with the emailed code',
    description: '`number` is accepted for `phone`. A wrong or expired code is 400.',
    tags,
    body: registerBody,
    responses: [{ status: 201, description: 'Account created', schema: userCreated }],
    problems: problems({ body: true }, 409, 429),
  },
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Exchange email and password for an access and a refresh token',
    description:
      'Repeated failures lock the account and the address for a while: 429 with Retry-After.',
    tags,
    body: loginBody,
    responses: [{ status: 200, description: 'Logged in', schema: loggedIn }],
    problems: problems({ body: true }, 401, 429),
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    operationId: 'refresh',
    summary: 'Rotate a refresh token',
    description:
      'The refresh token sent is spent; replaying a spent one revokes the whole session (401).',
    tags,
    body: refreshTokenBody,
    responses: [
      { status: 200, description: 'A new access token and refresh token', schema: refreshed },
    ],
    problems: problems({ body: true }, 401),
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    summary: 'Revoke a refresh token',
    tags,
    body: refreshTokenBody,
    responses: [
      { status: 204, description: 'Revoked; an unknown or spent token is answered the same' },
    ],
    problems: problems({ body: true }),
  },
  {
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    summary: 'The account the access token belongs to',
    tags,
    roles,
    responses: [{ status: 200, description: 'The account', schema: me }],
    problems: problems({ token: true }),
  },
];
