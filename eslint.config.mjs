// Workspace lint rules. The heart of it is @nx/enforce-module-boundaries: every project carries a
// `type:*` and a `scope:*` tag (see docs/architecture.md) and may only depend on what its tags allow,
// so layers stay layered and no cycle can form between libraries.
import nx from '@nx/eslint-plugin';

const typeRules = [
  // Deployables wire libraries together; nothing may import an app.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:contracts', 'type:protocol'] },
  // Domain logic (router, broker, metadata, storage ...) sits on the platform and protocol layers.
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:contracts', 'type:protocol'] },
  // Kafka wire protocol libraries are pure: no I/O, no platform.
  { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:protocol'] },
  // Platform runtime (config, logging, metrics, gRPC) knows generated contracts and pure protocol data
  // (the Kafka error table, for the one Kafka error <-> gRPC status map).
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:protocol'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  // The integration-test harness may reach everything but apps (it starts them as processes).
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:contracts', 'type:protocol', 'type:domain'] },
  // Tools (codegen, CLI, bench, local cluster) may use any library.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:tool', 'type:testing', 'type:domain', 'type:platform', 'type:contracts', 'type:protocol'] },
];

const scopeRules = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:kafka'] },
  { sourceTag: 'scope:kafka', onlyDependOnLibsWithTags: ['scope:kafka'] },
  { sourceTag: 'scope:router', onlyDependOnLibsWithTags: ['scope:router', 'scope:shared', 'scope:kafka'] },
  { sourceTag: 'scope:broker', onlyDependOnLibsWithTags: ['scope:broker', 'scope:shared', 'scope:kafka', 'scope:storage'] },
  { sourceTag: 'scope:metadata', onlyDependOnLibsWithTags: ['scope:metadata', 'scope:shared', 'scope:kafka'] },
  { sourceTag: 'scope:storage', onlyDependOnLibsWithTags: ['scope:storage', 'scope:shared', 'scope:kafka'] },
  { sourceTag: 'scope:replication', onlyDependOnLibsWithTags: ['scope:replication', 'scope:storage', 'scope:shared', 'scope:kafka'] },
  { sourceTag: 'scope:tiered', onlyDependOnLibsWithTags: ['scope:tiered', 'scope:storage', 'scope:shared', 'scope:kafka'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
];

// Nx requires a dependency to satisfy every constraint whose source tag matches, so test files get
// the same rules with the integration harness added rather than extra rules.
const boundaries = ({ allowTesting }) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: [],
    banTransitiveDependencies: false,
    depConstraints: [
      ...typeRules.map((rule) =>
        allowTesting && !rule.onlyDependOnLibsWithTags.includes('type:testing')
          ? { ...rule, onlyDependOnLibsWithTags: [...rule.onlyDependOnLibsWithTags, 'type:testing'] }
          : rule,
      ),
      ...scopeRules,
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/tmp', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ allowTesting: false }),
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@stratus/*/src/*', '**/libs/**'], message: "Import a library through its index.ts ('@stratus/<lib>')." }] },
      ],
    },
  },
  {
    // Tests may additionally use the integration harness.
    files: ['**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ allowTesting: true }),
    },
  },
  {
    // Generated code is checked against its generator, not hand-linted.
    files: ['**/generated/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
];
