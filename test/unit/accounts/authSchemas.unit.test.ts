import { expect } from 'chai';
import { registerBody } from '../../../src/api/routes/auth.js';
import { ValidationFailed, parse } from '../../../src/api/validation.js';

describe('register schema', () => {
  const valid = {
    name: 'Ada',
    email: ' ADA@Example.Test ',
    phone: '+1 555 0100',
    password: 'correct horse battery',
    confirmPassword: 'correct horse battery',
    otp: '123456',
  };
  const fails = (body: unknown) =>
    expect(() => parse(registerBody, body)).to.throw(ValidationFailed);

  it('normalises the email and takes `number` for `phone`', () => {
    const { phone, ...rest } = valid;
    expect(parse(registerBody, valid)).to.deep.include({
      email: 'ada@example.test',
      phone: '+1 555 0100',
    });
    expect(parse(registerBody, { ...rest, number: phone })).to.deep.include({
      phone: '+1 555 0100',
    });
    expect(parse(registerBody, { ...rest, number: phone })).to.not.have.property('number');
  });

  it('enforces the password policy and the confirmation', () => {
    fails({ ...valid, password: 'short', confirmPassword: 'short' });
    fails({ ...valid, password: 'x'.repeat(129), confirmPassword: 'x'.repeat(129) });
    fails({ ...valid, confirmPassword: 'something else' });
  });

  it('refuses a missing phone, a bad code, a bad email, and a role', () => {
    const { phone: _phone, ...noPhone } = valid;
    fails(noPhone);
    fails({ ...valid, number: '+1 555 0199' });
    fails({ ...valid, otp: '12345' });
    fails({ ...valid, otp: 123456 });
    fails({ ...valid, email: 'not-an-email' });
    fails({ ...valid, role: 'admin' });
  });
});
