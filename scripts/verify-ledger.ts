// Independent verifier of WeiNuan's public log. Usage:
//   scripts/verify-ledger https://weinuan.example [--receipt WN-2026-000123]
// It downloads every entry from /api/ledger, recomputes each leaf hash from the entry's
// canonical bytes and the RFC 9162 Merkle tree, checks the signed tree head against the public
// key at /.well-known/weinuan-ledger-key, checks every published disclosure's (tree size, root,
// signature) and the consistency between consecutive disclosures, and optionally one receipt's
// inclusion proof. Exits 1 on any mismatch. Depends only on app/ledger/merkle.ts (pure) and
// node built-ins: never on the site's database or server code.
import { pathToFileURL } from 'node:url'
import { verifyLedger } from '../app/ledger/verifier'

export { verifyLedger, verifyLedgerData } from '../app/ledger/verifier'

async function main() {
  const args = process.argv.slice(2)
  const receiptAt = args.indexOf('--receipt')
  const receipt = receiptAt >= 0 ? args[receiptAt + 1] : undefined
  const url = args.find((a, i) => !a.startsWith('--') && (receiptAt < 0 || i !== receiptAt + 1))
  if (!url) {
    console.error('usage: scripts/verify-ledger <base URL> [--receipt WN-YYYY-NNNNNN]')
    process.exit(2)
  }
  try {
    const report = await verifyLedger(url, { receipt })
    for (const c of report.checks) console.log(`ok    ${c}`)
    for (const w of report.warnings) console.log(`warn  ${w}`)
    for (const e of report.errors) console.log(`FAIL  ${e}`)
    console.log(
      report.ok ? '\n账本验证通过 / ledger verified' : `\n账本验证失败 / ledger verification FAILED (${report.errors.length} problems)`,
    )
    process.exit(report.ok ? 0 : 1)
  } catch (error) {
    console.error(`FAIL  ${(error as Error).message}`)
    process.exit(1)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main()
