import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { maySeeOrderOf, ownerToList } from '../../../src/application/accounts/index.js';

describe('who sees which orders', () => {
  const owner = randomUUID();
  const other = randomUUID();

  it('given a customer, then they see their own order and no one else’s', () => {
    expect(maySeeOrderOf({ userId: owner, role: 'customer' }, owner)).to.equal(true);
    expect(maySeeOrderOf({ userId: other, role: 'customer' }, owner)).to.equal(false);
    expect(maySeeOrderOf({ userId: other, role: 'customer' }, undefined)).to.equal(false);
  });

  it('given an admin or an auditor, then they see every order', () => {
    expect(maySeeOrderOf({ userId: other, role: 'admin' }, owner)).to.equal(true);
    expect(maySeeOrderOf({ userId: other, role: 'auditor' }, owner)).to.equal(true);
  });

  it('given a listing, then a customer gets their own whatever they ask for, others get what they ask for', () => {
    expect(ownerToList({ userId: owner, role: 'customer' }, other)).to.equal(owner);
    expect(ownerToList({ userId: owner, role: 'customer' }, undefined)).to.equal(owner);
    expect(ownerToList({ userId: owner, role: 'auditor' }, other)).to.equal(other);
    expect(ownerToList({ userId: owner, role: 'admin' }, undefined)).to.equal(undefined);
  });
});
