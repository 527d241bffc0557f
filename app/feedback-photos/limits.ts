// Shared by the server module and the staff page's form (no server code here).
export const subjectKinds = ['wish', 'need', 'allocation'] as const
export type SubjectKind = (typeof subjectKinds)[number]
export const MAX_PHOTOS_PER_SUBJECT = 6
export const MAX_ALT_LENGTH = 200
