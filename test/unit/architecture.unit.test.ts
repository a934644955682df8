import { expect } from 'chai';
import { ESLint } from 'eslint';

/** The import arrows of ARCHITECTURE.md are lint rules; these cases show each one fires. */
describe('import arrows (lint)', function () {
  this.timeout(60_000);
  const eslint = new ESLint();
  const violations = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').length;
  };

  const cases: Array<[string, string, number]> = [
    ['src/domain/orders/x.ts', "import { a } from '../../application/ports/index.js';", 1],
    ['src/domain/orders/x.ts', "import { b } from 'node:crypto';", 1],
    ['src/application/orders/x.ts', "import { c } from '../../projections/index.js';", 1],
    ['src/application/orders/x.ts', "import { d } from '../../api/app.js';", 1],
    ['src/projections/orders/x.ts', "import { e } from '../../audit/index.js';", 1],
    ['src/audit/x.ts', "import { f } from '../consumers/forwarder.js';", 1],
    ['src/api/routes/x.ts', "import { g } from '../../infrastructure/cache/index.js';", 1],
    ['src/consumers/x.ts', "import { h } from '../infrastructure/queue/index.js';", 1],
    ['src/infrastructure/queue/x.ts', "import { i } from '../../consumers/forwarder.js';", 1],
  ];
  for (const [filePath, code, expected] of cases) {
    it(`refuses ${code.split("'")[1]} in ${filePath}`, async () => {
      expect(
        await violations(filePath, `${code}\nexport const used = [${code.split(' ')[2]}];\n`),
      ).to.equal(expected);
    });
  }

  it('allows the arrows pointing inwards', async () => {
    const inwards =
      "import { a } from '../../domain/orders/index.js';\nimport { b } from '../../application/ports/index.js';\nexport const used = [a, b];\n";
    expect(await violations('src/projections/orders/x.ts', inwards)).to.equal(0);
    expect(
      await violations(
        'src/audit/sub/x.ts',
        "import { c } from '../../projections/index.js';\nexport const used = [c];\n",
      ),
    ).to.equal(0);
  });
});
