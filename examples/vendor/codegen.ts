import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for a Nimo Hub client.
 * NIMO_SCHEMA: the hub's published schema, from the gateway (`https://<hub>/schema.graphql`) or a
 * copy of it; here the repository's published file by default, so the example builds offline.
 */
const config: CodegenConfig = {
  schema: process.env.NIMO_SCHEMA ?? '../../schema/published/api.graphql',
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        // Each document's id is sha256 of its normalised text ("sha256:<hex>"): the hub's ids.
        // persisted-documents.json lists them for the hub's operator to approve.
        persistedDocuments: { mode: 'replaceDocumentWithHash', hashAlgorithm: 'sha256' },
        fragmentMasking: false,
      },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        // The hub's seven custom scalars all travel as JSON strings. Without this mapping they come
        // out as `any`; strictScalars makes codegen fail on a scalar that is not mapped.
        strictScalars: true,
        scalars: {
          DateTime: 'string', // 2026-04-01T00:00:00Z (UTC, RFC 3339)
          DateTimeISO: 'string', // the same, ISO 8601
          EmailAddress: 'string',
          LocalDate: 'string', // 2026-04-01
          LocalGovCode: 'string', // "131016": 6 digits with the check digit
          LocalTime: 'string', // 08:30
          URL: 'string',
        },
      },
    },
  },
};

export default config;
