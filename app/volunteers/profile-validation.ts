import { z } from 'zod'
import { idField } from '~/utils/ids'

// The 删除资质 button on 志愿者资料 (/me/volunteer). The profile, qualification and background
// schemas live in profiles.server.ts next to the writes that use them.
export const removeQualificationSchema = z.object({ qualificationId: idField('没有找到这项资质') })
