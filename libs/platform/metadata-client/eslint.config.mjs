import baseConfig from '../../../eslint.config.mjs';

// *.testkit.ts files hold set-up shared by this library's integration specs (real etcd and
// metadata processes), so they get exactly the rules spec files get, harness included.
const specRules = baseConfig.find((c) => Array.isArray(c.files) && c.files.includes('**/*.spec.ts'))?.rules ?? {};

export default [...baseConfig, { files: ['**/*.testkit.ts'], rules: specRules }];
