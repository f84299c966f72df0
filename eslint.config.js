// One linter, configured once: typescript-eslint's recommended rules on top of ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // Every CSV and XLSX the product writes goes through src/tabular, which neutralises cells a
    // spreadsheet would run as formulas; the import reader is the one other user of ExcelJS.
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/tabular/**', 'src/registry/import/read-rows.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'exceljs', message: 'write spreadsheets with src/tabular/write.ts' },
            { name: 'csv-stringify', message: 'write CSV with src/tabular/write.ts' },
            { name: 'csv-stringify/sync', message: 'write CSV with src/tabular/write.ts' },
          ],
        },
      ],
    },
  },
);
