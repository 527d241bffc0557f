import { z } from 'zod'
import { idField } from '~/utils/ids'

// The staff visits dashboard's small forms: confirm or query a logged visit, or name a
// substitute volunteer for a pairing. Parsed by Conform on the server.

const visitId = idField('编号无效')

export const staffVisitActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('confirm'), visitId }),
  z.object({ intent: z.literal('query'), visitId, queryNote: z.string().default('') }),
  z.object({ intent: z.literal('substitute'), pairingId: idField('编号无效'), userId: idField('请选择替班志愿者') }),
])
