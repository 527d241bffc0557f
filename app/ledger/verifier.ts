// The core of the independent ledger verifier (scripts/verify-ledger). Depends only on
// ./merkle (pure) and node built-ins plus global fetch — never on the site's database or server
// code — so the same checks can run anywhere against any WeiNuan site's public API.
// (It lives under app/ so tests can import it; scripts/verify-ledger.ts is the CLI.)
import crypto from 'node:crypto'
import {
  bytesEqual,
  canonicalJson,
  fromHex,
  leafHashHex,
  merkleRoot,
  toHex,
  treeHeadMessage,
  verifyConsistency,
  verifyInclusion,
  type CanonicalValue,
} from './merkle'

export type VerifierEntry = { leafIndex: number; kind: string; canonical: string | null; leafHash: string }
export type VerifierHead = { size: number; rootHash: string; signature: string; keyId?: string }
export type VerifierDisclosure = {
  id: number | string
  institution?: string
  label?: string
  treeSize: number | null
  rootHash: string | null
  signature: string | null
}
export type VerifierConsistency = { from: number; to: number; proof: string[] }
export type VerifierProof = {
  receiptNo?: string
  leafIndex: number
  treeSize: number
  canonical: string
  leafHash: string
  proof: string[]
  rootHash: string
}

export type VerifyInput = {
  entries: VerifierEntry[]
  head: VerifierHead
  publicKeyPem: string
  /** null: the site has no /api/disclosures (skipped with a warning). */
  disclosures: VerifierDisclosure[] | null
  fetchConsistency: (from: number, to: number) => Promise<VerifierConsistency>
  receipt?: { receiptNo: string; proof: VerifierProof | null }
}

export type VerifyReport = { ok: boolean; checks: string[]; warnings: string[]; errors: string[] }

function signatureValid(size: number, rootHash: string, signature: string, publicKeyPem: string): boolean {
  try {
    return crypto.verify(null, Buffer.from(treeHeadMessage(size, rootHash), 'utf8'), publicKeyPem, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}

/** The verifier's core, fed over HTTP by the CLI and directly by tests. */
export async function verifyLedgerData(input: VerifyInput): Promise<VerifyReport> {
  const checks: string[] = []
  const warnings: string[] = []
  const errors: string[] = []
  const entries = [...input.entries].sort((a, b) => a.leafIndex - b.leafIndex)

  // 1. Every entry: dense index, canonical bytes in canonical form, recomputed leaf hash.
  const hashes: Uint8Array[] = []
  let entryErrors = 0
  entries.forEach((e, i) => {
    if (e.leafIndex !== i) {
      errors.push(`leaf ${i}: missing (next entry has index ${e.leafIndex})`)
      entryErrors++
    }
    if (e.canonical === null) {
      errors.push(`leaf ${e.leafIndex}: entry is missing`)
      entryErrors++
    } else {
      try {
        if (canonicalJson(JSON.parse(e.canonical) as CanonicalValue) !== e.canonical) {
          errors.push(`leaf ${e.leafIndex}: bytes are not canonical JSON`)
          entryErrors++
        }
      } catch {
        errors.push(`leaf ${e.leafIndex}: bytes are not JSON`)
        entryErrors++
      }
      if (leafHashHex(e.canonical) !== e.leafHash) {
        errors.push(`leaf ${e.leafIndex}: entry does not match its leaf hash (changed after it was logged)`)
        entryErrors++
      }
    }
    hashes.push(fromHex(e.leafHash))
  })
  if (entryErrors === 0) checks.push(`${entries.length} entries: leaf hashes recomputed from their bytes`)
  const rootAt = (size: number) => toHex(merkleRoot(hashes.slice(0, size)))

  // 2. The signed tree head.
  const head = input.head
  if (head.size > entries.length) {
    errors.push(`tree head has ${head.size} leaves but only ${entries.length} entries were served`)
  } else if (rootAt(head.size) !== head.rootHash) {
    errors.push(`tree head root ${head.rootHash} differs from the recomputed root ${rootAt(head.size)} at size ${head.size}`)
  } else {
    checks.push(`tree head: size ${head.size}, root ${head.rootHash} recomputed`)
  }
  if (signatureValid(head.size, head.rootHash, head.signature, input.publicKeyPem)) checks.push('tree head signature valid')
  else errors.push('tree head signature INVALID')

  // 3. Published disclosures and the consistency between consecutive ones.
  if (input.disclosures === null) {
    warnings.push('no /api/disclosures on this site: disclosures not checked')
  } else {
    const signed = input.disclosures
      .filter(
        (d): d is VerifierDisclosure & { treeSize: number; rootHash: string; signature: string } =>
          d.treeSize !== null && d.rootHash !== null && d.signature !== null,
      )
      .sort((a, b) => a.treeSize - b.treeSize)
    for (const d of signed) {
      const name = `disclosure ${d.id}${d.institution ? ` (${d.institution} ${d.label ?? ''})` : ''}`
      let ok = true
      if (d.treeSize > entries.length) {
        errors.push(`${name}: tree size ${d.treeSize} larger than the log (${entries.length})`)
        ok = false
      } else if (rootAt(d.treeSize) !== d.rootHash) {
        errors.push(`${name}: published root ${d.rootHash} differs from the recomputed root at size ${d.treeSize}: the log was changed`)
        ok = false
      }
      if (!signatureValid(d.treeSize, d.rootHash, d.signature, input.publicKeyPem)) {
        errors.push(`${name}: signature INVALID`)
        ok = false
      }
      if (ok) checks.push(`${name}: size ${d.treeSize}, root and signature valid`)
    }
    for (let i = 1; i < signed.length; i++) {
      const a = signed[i - 1]!
      const b = signed[i]!
      if (a.treeSize === b.treeSize) continue
      try {
        const c = await input.fetchConsistency(a.treeSize, b.treeSize)
        const valid = verifyConsistency(a.treeSize, b.treeSize, c.proof.map(fromHex), fromHex(a.rootHash), fromHex(b.rootHash))
        if (valid) checks.push(`consistency ${a.treeSize} → ${b.treeSize}: valid`)
        else errors.push(`consistency ${a.treeSize} → ${b.treeSize}: proof INVALID (the log was rewritten between disclosures)`)
      } catch (error) {
        errors.push(`consistency ${a.treeSize} → ${b.treeSize}: ${(error as Error).message}`)
      }
    }
  }

  // 4. One receipt's inclusion proof.
  if (input.receipt) {
    const { receiptNo, proof } = input.receipt
    if (!proof) {
      errors.push(`${receiptNo}: no inclusion proof served`)
    } else {
      const leaf = fromHex(leafHashHex(proof.canonical))
      let names = false
      try {
        names = (JSON.parse(proof.canonical) as { receiptNo?: string }).receiptNo === receiptNo
      } catch {
        names = false
      }
      if (!names) errors.push(`${receiptNo}: proof is for another entry`)
      else if (!bytesEqual(leaf, fromHex(proof.leafHash)) || proof.leafHash !== entries[proof.leafIndex]?.leafHash)
        errors.push(`${receiptNo}: entry does not match leaf ${proof.leafIndex}`)
      else if (!verifyInclusion(leaf, proof.leafIndex, proof.treeSize, proof.proof.map(fromHex), fromHex(proof.rootHash)))
        errors.push(`${receiptNo}: inclusion proof INVALID`)
      else if (proof.treeSize <= entries.length && rootAt(proof.treeSize) !== proof.rootHash)
        errors.push(`${receiptNo}: proof root differs from the recomputed root`)
      else checks.push(`${receiptNo}: included as leaf ${proof.leafIndex} of ${proof.treeSize}`)
    }
  }

  return { ok: errors.length === 0, checks, warnings, errors }
}

// ---- Fetching over HTTP --------------------------------------------------------------------------

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } })
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`)
  return (await res.json()) as T
}

export async function verifyLedger(baseUrl: string, options: { receipt?: string } = {}): Promise<VerifyReport> {
  const base = baseUrl.replace(/\/+$/, '')
  // A live site keeps appending while this runs. Read the signed head and the disclosures
  // first, the entries last: everything they name is then among the entries served (the log
  // only grows), and entries appended meanwhile are simply beyond the head.
  const head = await getJson<VerifierHead>(`${base}/api/ledger/tree-head`)
  const keyRes = await fetch(`${base}/.well-known/weinuan-ledger-key`)
  if (!keyRes.ok) throw new Error(`GET /.well-known/weinuan-ledger-key: HTTP ${keyRes.status}`)
  const publicKeyPem = await keyRes.text()
  // Published disclosures, paged by cursor; a site without /api/disclosures is warned about.
  let disclosures: VerifierDisclosure[] | null = null
  let cursor: string | null = ''
  while (cursor !== null) {
    const dRes = await fetch(`${base}/api/disclosures?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { Accept: 'application/json' },
    })
    if (!dRes.ok || !(dRes.headers.get('content-type') ?? '').includes('json')) {
      if (disclosures !== null) throw new Error(`GET /api/disclosures: HTTP ${dRes.status}`)
      break
    }
    const body = (await dRes.json()) as VerifierDisclosure[] | { disclosures: VerifierDisclosure[]; next?: string | null }
    disclosures = [...(disclosures ?? []), ...(Array.isArray(body) ? body : body.disclosures)]
    cursor = Array.isArray(body) ? null : (body.next ?? null)
  }
  const entries: VerifierEntry[] = []
  let after: number | null = -1
  while (after !== null) {
    const page: { entries: VerifierEntry[]; next: number | null } = await getJson(
      `${base}/api/ledger?${after < 0 ? '' : `after=${after}&`}limit=500`,
    )
    entries.push(...page.entries)
    after = page.next
  }
  let receipt: VerifyInput['receipt']
  if (options.receipt) {
    const receiptNo = options.receipt.trim().toUpperCase()
    const res = await fetch(`${base}/api/ledger/proof/${encodeURIComponent(receiptNo)}?size=${head.size}`)
    receipt = { receiptNo, proof: res.ok ? ((await res.json()) as VerifierProof) : null }
  }
  return verifyLedgerData({
    entries,
    head,
    publicKeyPem,
    disclosures,
    fetchConsistency: (from, to) => getJson<VerifierConsistency>(`${base}/api/ledger/consistency?from=${from}&to=${to}`),
    receipt,
  })
}
