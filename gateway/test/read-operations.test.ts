import { ReadOperations, rightsKey } from '../src/response-cache';

/** Which requests may share an answer in flight (REQUEST_SHARING): reads only, however the document comes. */
describe('ReadOperations', () => {
  const documents = { get: async (id: string) => (id === 'sha256:abc' ? 'query Trusted { viewer { role } } mutation Write { x }' : undefined) };
  const reads = new ReadOperations(documents);

  it('tells queries from mutations, by text or by trusted document id and operation name', async () => {
    expect(await reads.isRead({ query: '{ viewer { role } }' })).toBe(true);
    expect(await reads.isRead({ query: 'mutation { openCase { id } }' })).toBe(false);
    expect(await reads.isRead({ documentId: 'sha256:abc', operationName: 'Trusted' })).toBe(true);
    expect(await reads.isRead({ documentId: 'sha256:abc', operationName: 'Write' })).toBe(false);
    expect(await reads.isRead({ extensions: { persistedQuery: { sha256Hash: 'sha256:abc' } }, operationName: 'Trusted' })).toBe(true);
  });

  it('treats what it cannot tell as not a read', async () => {
    expect(await reads.isRead({ documentId: 'sha256:unknown' })).toBe(false);
    expect(await reads.isRead({ query: '{ viewer {' })).toBe(false);
    expect(await reads.isRead({ documentId: 'sha256:abc' })).toBe(false); // two operations, none named
    expect(await reads.isRead({})).toBe(false);
  });
});

describe('rightsKey', () => {
  const staff = (subject: string, jurisdictionCodes: string[]) => ({ role: 'prefecture' as const, subject, jurisdictionCodes, organizationId: null });
  it('is the same for two people with the same rights, and differs with the rights', () => {
    expect(rightsKey(staff('a', ['310000']))).toBe(rightsKey(staff('b', ['310000'])));
    expect(rightsKey(staff('a', ['310000']))).not.toBe(rightsKey(staff('a', ['010006'])));
  });
  it("counts a vendor's API key: each has its own documents and quota", () => {
    const vendor = (subject: string) => ({ role: 'vendor' as const, subject, jurisdictionCodes: [], organizationId: null });
    expect(rightsKey(vendor('apikey:1'))).not.toBe(rightsKey(vendor('apikey:2')));
  });
});
