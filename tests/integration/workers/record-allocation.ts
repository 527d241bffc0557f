// A separate process that records one 用途 against the database in DATABASE_PATH, started by
// allocation-limits.test.ts so that several processes write at the same moment (true
// concurrency: each process has its own SQLite connection). Waits for "go" on stdin, then
// prints the result as one JSON line.
import readline from 'node:readline'
import { recordAllocation } from '~/allocations/allocations.server'

const [userId, institutionId, receiptNo, amountFen, usedAt] = process.argv.slice(2)
const rl = readline.createInterface({ input: process.stdin })
process.stdout.write('ready\n')
rl.once('line', () => {
  const result = recordAllocation({ userId: Number(userId), ip: null }, Number(institutionId), {
    usedAt: new Date(usedAt!),
    purpose: '购买冬季棉衣',
    amountFen: Number(amountFen),
    beneficiaryDescription: '本院学龄儿童',
    sourceReceipts: [receiptNo!],
  })
  process.stdout.write(`${JSON.stringify(result)}\n`)
  rl.close()
})
