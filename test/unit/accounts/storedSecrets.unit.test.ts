import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWorld, freshEmail, type World } from './fixtures.js';

/** Every byte under `dir` except the mailbox (where the code belongs), as latin1 text to search. */
const storedBytes = async (dir: string, except: string): Promise<string> => {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter(
    (entry) => entry.isFile() && !join(entry.parentPath, entry.name).startsWith(except),
  );
  const contents = await Promise.all(
    files.map((entry) => readFile(join(entry.parentPath, entry.name))),
  );
  return contents.map((bytes) => bytes.toString('latin1')).join('\n');
};

describe('accounts: what is stored and logged', () => {
  let world: World;
  before(async () => (world = await createWorld()));
  after(() => world.close());

  it('keeps no plaintext code, password or refresh token in the cache, the documents or the logs', async () => {
    const email = freshEmail();
    const password = 'Plaintext-Password-42';
    await world.accounts.requestEmailOtp({ email, ip: world.nextIp() });
    const otp = await world.otpFor(email);
    // A wrong try and a failed login go through the same stores, so they are scanned too.
    await world.accounts
      .register({
        name: 'N',
        email,
        phone: '+1 555 0100',
        password,
        confirmPassword: password,
        otp: otp === '111111' ? '222222' : '111111',
        ip: world.nextIp(),
      })
      .catch(() => undefined);
    await world.accounts.register({
      name: 'N',
      email,
      phone: '+1 555 0100',
      password,
      confirmPassword: password,
      otp,
      ip: world.nextIp(),
    });
    await world.accounts
      .login({ email, password: 'Wrong-Password-42', ip: world.nextIp() })
      .catch(() => undefined);
    const { refreshToken, token } = await world.accounts.login({
      email,
      password,
      ip: world.nextIp(),
    });
    const rotated = await world.accounts.refresh({ refreshToken });

    const cache = world.cacheWrites.join('\n');
    const documents = JSON.stringify(
      await Promise.all(
        (await world.documents.listCollections()).map((name) =>
          world.documents.collection(name).find(),
        ),
      ),
    );
    const files = await storedBytes(world.dir, world.mailDir);
    const logs = world.logLines.join('\n');
    expect(files, 'the file scan reaches the stored documents').to.include(email);
    for (const [where, stored] of Object.entries({ cache, documents, files, logs })) {
      for (const secret of [
        password,
        'Wrong-Password-42',
        refreshToken,
        rotated.refreshToken,
        token,
      ]) {
        expect(stored, `${where} holds a secret`).to.not.include(secret);
      }
    }
    // Six digits can turn up by chance in hashes and uuids; a stored code would sit as a whole value.
    expect(world.cacheWrites).to.not.include(otp);
    expect(cache).to.not.match(new RegExp(`(^|[^0-9a-f])${otp}([^0-9a-f]|$)`, 'm'));
    expect(logs).to.not.include(otp);
    expect(cache, 'cache keys carry no email').to.not.include(email);
    expect(logs, 'logs carry no email except the mail line').to.satisfy((text: string) =>
      text
        .split('\n')
        .every((line) => !line.includes(email) || line.includes('mail written to mailbox')),
    );
  });

  it('keeps accounts in their own collections, with no order data', async () => {
    expect(await world.documents.listCollections()).to.deep.equal([
      'refreshFamilies',
      'refreshTokens',
      'users',
    ]);
    const [user] = await world.documents.collection('users').find();
    expect(Object.keys(user ?? {}).sort()).to.deep.equal(
      ['_id', 'createdAt', 'email', 'name', 'passwordHash', 'phone', 'role'].sort(),
    );
  });
});
