#!/usr/bin/env node
// Scaffolds a library or app with the workspace's conventions (project.json with tags, strict
// tsconfig, unit + integration Jest configs, ESLint, src/index.ts) and registers its import path
// in tsconfig.base.json. Usage:
//   node tools/scripts/new-project.mjs lib libs/kafka/records @stratus/kafka-records type:protocol scope:kafka
//   node tools/scripts/new-project.mjs app apps/router router type:app scope:router
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const [kind, root, name, ...tags] = process.argv.slice(2);
if (!['lib', 'app'].includes(kind) || !root || !name || tags.length === 0) {
  console.error('usage: new-project.mjs lib|app <root> <import-path-or-app-name> <tags...>');
  process.exit(2);
}
if (existsSync(join(root, 'project.json'))) {
  console.error(`${root}/project.json exists already`);
  process.exit(2);
}
const projectName = kind === 'app' ? name : name.replace(/^@stratus\//, '');
const up = relative(root, '.') || '.';
mkdirSync(join(root, 'src'), { recursive: true });

const write = (file, content) => {
  const path = join(root, file);
  if (!existsSync(path)) writeFileSync(path, content);
};

const targets = {
  lint: { executor: '@nx/eslint:lint' },
  typecheck: {
    executor: 'nx:run-commands',
    options: { command: `tsc -p ${root}/tsconfig.json --noEmit` },
  },
  test: {
    executor: '@nx/jest:jest',
    // The results file lets a cached run restore its counts for npm test's closing summary.
    outputs: ['{workspaceRoot}/test-results/jest/{projectName}.json'],
    options: { jestConfig: `${root}/jest.config.js`, passWithNoTests: false },
  },
  integration: {
    executor: '@nx/jest:jest',
    outputs: [],
    options: { jestConfig: `${root}/jest.int.config.js`, passWithNoTests: true, runInBand: true },
  },
};
if (kind === 'app') {
  targets.build = {
    executor: '@nx/esbuild:esbuild',
    outputs: ['{options.outputPath}'],
    options: {
      main: `${root}/src/main.ts`,
      outputPath: `dist/${root}`,
      tsConfig: `${root}/tsconfig.json`,
      platform: 'node',
      format: ['cjs'],
      bundle: true,
      thirdParty: false,
      generatePackageJson: false,
      sourcemap: true,
      // Type errors are the typecheck target's job; esbuild only bundles.
      skipTypeCheck: true,
      declaration: false,
      esbuildOptions: { outExtension: { '.js': '.js' } },
    },
  };
}
write(
  'project.json',
  JSON.stringify(
    {
      name: projectName,
      $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
      sourceRoot: `${root}/src`,
      projectType: kind === 'app' ? 'application' : 'library',
      tags,
      targets,
    },
    null,
    2,
  ) + '\n',
);
write(
  'tsconfig.json',
  JSON.stringify(
    {
      extends: `${up}/tsconfig.base.json`,
      compilerOptions: { types: ['node', 'jest'] },
      include: ['src/**/*.ts'],
    },
    null,
    2,
  ) + '\n',
);
write(
  'jest.config.js',
  `module.exports = {
  displayName: '${projectName}',
  preset: '${up}/jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\\\.int\\\\.spec\\\\.ts$'],
};
`,
);
write(
  'jest.int.config.js',
  `module.exports = {
  displayName: '${projectName}:integration',
  preset: '${up}/jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts'],
  testTimeout: 120000,
};
`,
);
write(
  'eslint.config.mjs',
  `import baseConfig from '${up}/eslint.config.mjs';\n\nexport default [...baseConfig];\n`,
);
if (kind === 'app') {
  write('src/main.ts', `// Entry point of the ${name} service: wiring only.\n`);
} else {
  write('src/index.ts', '');
  const base = JSON.parse(readFileSync('tsconfig.base.json', 'utf8'));
  base.compilerOptions.paths[name] = [`${root}/src/index.ts`];
  base.compilerOptions.paths = Object.fromEntries(
    Object.entries(base.compilerOptions.paths).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync('tsconfig.base.json', JSON.stringify(base, null, 2) + '\n');
}
console.log(`created ${kind} ${projectName} at ${root}`);
