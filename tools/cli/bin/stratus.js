#!/usr/bin/env node
// `stratus` admin CLI launcher (the root package's bin, so `npx stratus` works from the checkout).
// It compiles the TypeScript sources on the fly with @swc-node/register, a dev dependency that
// `npm ci` installs, so there is no separate build step. Path aliases (@stratus/*) come from
// tsconfig.base.json.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
// grpc-js logs connection trouble itself unless told not to; the CLI reports errors in one line.
process.env.GRPC_VERBOSITY = process.env.GRPC_VERBOSITY || 'NONE';
try {
  require('@swc-node/register');
} catch (error) {
  process.stderr.write(`stratus: cannot load @swc-node/register (${error.message.split('\n')[0]}); run \`npm ci\` in ${root} first\n`);
  process.exit(1);
}
require(path.join(__dirname, '..', 'src', 'main.ts'));
