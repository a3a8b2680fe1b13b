import type { DataSource } from 'typeorm';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { documentHash, MANIFEST_FORMAT, normaliseDocument, parseDocumentId, soleOperation } from '@nimo/schema';

/**
 * Vendors' own trusted documents, in the gateway's database (`trusted_document`). A vendor sends its
 * documents as its tools write them — GraphQL Code Generator's client preset
 * (`persisted-documents.json`, `{ "sha256:<hex>": "<body>" }`) or Apollo's persisted query manifest
 * — and an operator submits them (`npm run documents -- submit`); each is checked (it parses, is
 * one named operation, is valid against the API, its id is the SHA-256 of its body) and waits,
 * pending, until an operator approves it. A safelisted caller may run an approved document only with
 * an API key of the vendor that submitted it (the key's name is the vendor's name), so that one
 * vendor's approval widens nobody else's safelist; callers outside the safelist may send any valid
 * document anyway. What a document may read is still decided per principal by the subgraphs.
 */
export type DocumentStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface VendorDocument {
  readonly id: string;
  readonly normalisedId: string;
  readonly name: string;
  readonly type: string;
  readonly body: string;
  readonly vendor: string;
  readonly status: DocumentStatus;
  readonly submittedAt: Date;
  readonly reviewedBy: string | null;
  readonly reviewedAt: Date | null;
  readonly reviewNote: string | null;
}

interface Row {
  id: string;
  normalised_id: string;
  operation_name: string;
  operation_type: string;
  body: string;
  vendor: string;
  status: DocumentStatus;
  submitted_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
}

const COLUMNS = 'id, normalised_id, operation_name, operation_type, body, vendor, status, submitted_at, reviewed_by, reviewed_at, review_note';
const fromRow = (r: Row): VendorDocument => ({
  id: r.id,
  normalisedId: r.normalised_id,
  name: r.operation_name,
  type: r.operation_type,
  body: r.body,
  vendor: r.vendor,
  status: r.status,
  submittedAt: r.submitted_at,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  reviewNote: r.review_note,
});

/** A document as a vendor's tool listed it: the id it computed (if any) and the body. */
export interface SubmittedDocument {
  readonly id?: string;
  readonly body: string;
}

/**
 * The documents of a file a vendor's tool wrote: codegen's `persisted-documents.json`, Apollo's
 * persisted query manifest, or GraphQL text (one operation, with its fragments). Throws with what
 * is wrong.
 */
export function readDocumentsFile(text: string, fileName: string): SubmittedDocument[] {
  if (!fileName.endsWith('.json')) return [{ body: text }];
  const json = JSON.parse(text) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${fileName}: expected a JSON object`);
  const record = json as Record<string, unknown>;
  if (record.format === MANIFEST_FORMAT) {
    if (record.version !== 1 || !Array.isArray(record.operations))
      throw new Error(`${fileName}: an Apollo manifest of version 1 with "operations" is expected`);
    return (record.operations as unknown[]).map((op, i) => {
      const o = op as Record<string, unknown>;
      if (typeof o.id !== 'string' || typeof o.body !== 'string') throw new Error(`${fileName}: operation ${i} needs a string id and body`);
      return { id: o.id, body: o.body };
    });
  }
  return Object.entries(record).map(([id, body]) => {
    if (typeof body !== 'string') throw new Error(`${fileName}: the value of ${id} is not a document`);
    return { id, body };
  });
}

/** One checked document, ready to store; or why it is refused. */
export type Checked =
  { ok: true; id: string; normalisedId: string; name: string; type: string; body: string } | { ok: false; id: string | null; reason: string };

export function checkDocument(submitted: SubmittedDocument, schema: GraphQLSchema): Checked {
  const bodyHash = documentHash(submitted.body);
  const given = submitted.id === undefined ? bodyHash : parseDocumentId(submitted.id);
  if (given === null) return { ok: false, id: submitted.id ?? null, reason: 'its id is not a SHA-256 (set hashAlgorithm: "sha256" in the codegen config)' };
  if (given !== bodyHash) return { ok: false, id: given, reason: 'its id is not the SHA-256 of its body' };
  try {
    const document = parse(submitted.body);
    const operation = soleOperation(document);
    const errors = validate(schema, document);
    if (errors.length > 0) return { ok: false, id: given, reason: `it is not valid against the API: ${errors.map((e) => e.message).join('; ')}` };
    return {
      ok: true,
      id: given,
      normalisedId: documentHash(normaliseDocument(document)),
      name: operation.name.value,
      type: operation.operation,
      body: submitted.body,
    };
  } catch (error) {
    return { ok: false, id: given, reason: error instanceof Error ? error.message : String(error) };
  }
}

export class VendorDocuments {
  constructor(private readonly db: DataSource) {}

  /** Stores checked documents as pending; a document already known keeps its row and status. */
  async submit(vendor: string, documents: readonly Checked[]): Promise<{ stored: VendorDocument[]; known: VendorDocument[] }> {
    const name = vendor.trim();
    if (name.length < 1 || name.length > 200) throw new Error('the vendor needs a name, 1–200 characters');
    const stored: VendorDocument[] = [];
    const known: VendorDocument[] = [];
    for (const d of documents) {
      if (!d.ok) throw new Error(`document ${d.id ?? '(no id)'} is refused: ${d.reason}`);
      const [row] = await this.db.query<Row[]>(
        `INSERT INTO trusted_document (id, normalised_id, operation_name, operation_type, body, vendor) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
        [d.id, d.normalisedId, d.name, d.type, d.body, name],
      );
      if (row) stored.push(fromRow(row));
      else {
        const existing = await this.get(d.id);
        if (existing) known.push(existing);
      }
    }
    return { stored, known };
  }

  async get(id: string): Promise<VendorDocument | null> {
    const [row] = await this.db.query<Row[]>(`SELECT ${COLUMNS} FROM trusted_document WHERE id = $1`, [parseDocumentId(id) ?? id]);
    return row ? fromRow(row) : null;
  }

  async list(status?: DocumentStatus): Promise<VendorDocument[]> {
    const rows = await this.db.query<Row[]>(`SELECT ${COLUMNS} FROM trusted_document WHERE $1::text IS NULL OR status = $1 ORDER BY submitted_at, id`, [
      status ?? null,
    ]);
    return rows.map(fromRow);
  }

  /**
   * An operator's decision: approve or reject a pending document, or revoke an approved one.
   * Null when there is no such document in a state that allows it.
   */
  async review(id: string, decision: 'approved' | 'rejected' | 'revoked', reviewer: string, note: string | null = null): Promise<VendorDocument | null> {
    if (reviewer.trim() === '') throw new Error('say who reviews (--by "<name>")');
    const from = decision === 'revoked' ? 'approved' : 'pending';
    const [row] = await this.db.query<Row[]>(
      `WITH changed AS (UPDATE trusted_document SET status = $2, reviewed_by = $3, reviewed_at = now(), review_note = $4 WHERE id = $1 AND status = $5 RETURNING ${COLUMNS}) SELECT * FROM changed`,
      [parseDocumentId(id) ?? id, decision, reviewer.trim(), note, from],
    );
    return row ? fromRow(row) : null;
  }

  /** The approved document with this id (as the vendor's tool computed it, or normalised), and whose it is. */
  async approved(hex: string): Promise<{ id: string; body: string; vendor: string } | null> {
    const [row] = await this.db.query<
      {
        id: string;
        body: string;
        vendor: string;
      }[]
    >(`SELECT id, body, vendor FROM trusted_document WHERE status = 'approved' AND (id = $1 OR normalised_id = $1) LIMIT 1`, [hex]);
    return row ?? null;
  }
}
