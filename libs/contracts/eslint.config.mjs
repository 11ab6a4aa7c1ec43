import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // ts-proto starts every file with a blanket `/* eslint-disable */`; in files where no rule
    // would fire anyway (the service-only files) that is an "unused directive". The generated
    // code is checked by the contracts-are-current test, not by hand, so do not report it.
    files: ['**/generated/**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
];
