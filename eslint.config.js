// One linter, configured once: typescript-eslint's recommended rules on top of ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import path from 'node:path';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

// Every CSV and XLSX the product writes goes through src/tabular, which neutralises cells a
// spreadsheet would run as formulas; the import reader is the one other user of ExcelJS.
const TABULAR_ONLY = [
  { name: 'exceljs', message: 'write spreadsheets with src/tabular/write.ts' },
  { name: 'csv-stringify', message: 'write CSV with src/tabular/write.ts' },
  { name: 'csv-stringify/sync', message: 'write CSV with src/tabular/write.ts' },
];

// The domains. The toolboxes (kernel, db, http, tabular) import none of them but for types, so a
// domain never reaches another through a toolbox; nothing imports the composition root (src/app).
const DOMAINS = [
  'registry',
  'policy',
  'settlement',
  'gateway',
  'catalogue',
  'chronic',
  'care',
  'reconcile',
  'monitoring',
  'assistance',
  'payment',
  'replay',
  'audit',
  'auth',
  'reports',
].map((d) => `**/${d}/**`);
const APP = { group: ['**/app/**'], message: 'only src/app/ builds services and lists routes' };

// A domain offers what its index.ts exports; other domains and the composition root import
// nothing else of it. Tests and a domain's testing/ helpers may reach inside to set up state.
const DOMAIN_NAMES = new Set(DOMAINS.map((g) => g.split('/')[1]));
const domainEntry = {
  meta: {
    type: 'problem',
    messages: { inner: "import {{domain}} through src/{{domain}}/index.ts, not '{{spec}}'" },
  },
  create(context) {
    const file = path.relative(path.resolve('src'), context.filename).split(path.sep);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path
        .relative(path.resolve('src'), path.resolve(path.dirname(context.filename), spec))
        .split(path.sep);
      const [domain, ...rest] = target;
      if (!DOMAIN_NAMES.has(domain) || domain === file[0]) return;
      if (rest.length === 1 && rest[0] === 'index.ts') return;
      context.report({ node: node.source, messageId: 'inner', data: { domain, spec } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/*/testing/**'],
    plugins: { triguard: { rules: { 'domain-entry': domainEntry } } },
    rules: { 'triguard/domain-entry': 'error' },
  },
  {
    // No module imports itself around a loop (type-only imports aside).
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver()],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/tabular/**', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: TABULAR_ONLY, patterns: [APP] },
      ],
    },
  },
  {
    files: ['src/kernel/**/*.ts', 'src/db/**/*.ts', 'src/http/**/*.ts', 'src/tabular/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: TABULAR_ONLY,
          patterns: [
            APP,
            {
              group: DOMAINS,
              allowTypeImports: true,
              message: 'a toolbox imports no domain: the domain imports the toolbox',
            },
          ],
        },
      ],
    },
  },
  {
    // The writer and the reader use ExcelJS, csv-stringify and csv-parse; a toolbox like the others.
    files: ['src/tabular/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            APP,
            { group: DOMAINS, allowTypeImports: true, message: 'a toolbox imports no domain' },
          ],
        },
      ],
    },
  },
  {
    // The audit domain reads the trails other domains keep through trails.ts, never their code:
    // they write audit entries, so an import back would close a loop.
    files: ['src/audit/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: TABULAR_ONLY,
          patterns: [
            APP,
            {
              group: ['**/settlement/**', '**/registry/**'],
              message: 'the audit domain reads other trails through trails.ts (src/app/audit.ts)',
            },
          ],
        },
      ],
    },
  },
  {
    // The composition root: the HTTP app, the CLI's commands, the schedules.
    files: ['src/app/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: TABULAR_ONLY }] },
  },
);
