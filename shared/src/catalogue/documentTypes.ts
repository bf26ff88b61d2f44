// The kinds of identity document an agent can record. A closed list, because the server hashes the type
// with the number for the duplicate check: free text would let the same document pass as new under
// another spelling of its type.
export const DOCUMENT_TYPES = ['national_id', 'passport', 'driving_licence', 'residence_permit', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
