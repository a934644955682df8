import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { otpFrom } from '../support/testSystem.js';
import type { TestSystem } from '../support/testSystem.js';

/** An account of the given role, logged in. Customers go through the real OTP registration. */
export const signUp = async (
  system: TestSystem,
  role: 'customer' | 'admin' | 'auditor' = 'customer',
) => {
  const email = `${role}-${randomUUID()}@example.com`;
  const password = `${role} password ${randomUUID().slice(0, 8)}`;
  if (role === 'customer') {
    await system.http('POST', '/api/auth/emailVerify', { body: { email } });
    const otp = otpFrom(system.mailTo(email));
    const registered = await system.http('POST', '/api/auth/register', {
      body: { name: 'Test', email, phone: '+15550100', password, confirmPassword: password, otp },
    });
    expect(registered.status, registered.text).to.equal(201);
  } else {
    await system.cli('users', 'create', '--email', email, '--password', password, '--role', role);
  }
  const login = await system.http('POST', '/api/auth/login', { body: { email, password } });
  expect(login.status, login.text).to.equal(200);
  return {
    email,
    password,
    token: login.body.token as string,
    refreshToken: login.body.refreshToken as string,
  };
};

export const addProduct = async (
  system: TestSystem,
  adminToken: string,
  body = { name: 'Thing', price: 10, stock: 10 },
) => {
  const response = await system.http('POST', '/api/products', { token: adminToken, body });
  expect(response.status, response.text).to.equal(201);
  return response.body.product as { _id: string; name: string; price: number; stock: number };
};

/** Problem bodies never carry a stack trace or internals. */
export const expectProblem = (
  response: { status: number; headers: Headers; body: any; text: string },
  status: number,
) => {
  expect(response.status, response.text).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(response.body).to.include({ status, success: false });
  expect(response.body.type).to.be.a('string');
  expect(response.body.title).to.be.a('string');
  expect(response.body.message).to.equal(response.body.detail);
  expect(response.text).not.to.match(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Error:/);
};
