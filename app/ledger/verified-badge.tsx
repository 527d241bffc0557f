import { useEffect, useState } from 'react'
import { fromHex, leafHash, utf8Bytes, verifyInclusion, bytesEqual } from './merkle'

// "已验证" on a public log entry, computed in the visitor's browser: fetch the current tree
// head and this receipt's inclusion proof, recompute the leaf hash from the entry's canonical
// bytes and check the proof against the head's root (RFC 9162). Without JavaScript the badge
// explains how to check the JSON proof independently.

type State =
  | { status: 'idle' }
  | { status: 'checking' }
  | { status: 'verified'; position: number; size: number }
  | { status: 'failed'; reason: string }

type Head = { size: number; rootHash: string }
type Proof = { leafIndex: number; treeSize: number; canonical: string; leafHash: string; proof: string[]; rootHash: string }

export async function verifyReceiptInBrowser(receiptNo: string, description: string, fetcher: typeof fetch = fetch): Promise<State> {
  const headRes = await fetcher('/api/ledger/tree-head', { headers: { Accept: 'application/json' } })
  if (!headRes.ok) return { status: 'failed', reason: '无法获取日志树头' }
  const head = (await headRes.json()) as Head
  const proofRes = await fetcher(`/api/ledger/proof/${encodeURIComponent(receiptNo)}?size=${head.size}`, {
    headers: { Accept: 'application/json' },
  })
  if (!proofRes.ok) return { status: 'failed', reason: '无法获取包含证明' }
  const p = (await proofRes.json()) as Proof
  let entry: { receiptNo?: unknown; description?: unknown }
  try {
    entry = JSON.parse(p.canonical) as typeof entry
  } catch {
    return { status: 'failed', reason: '记录数据无法解析' }
  }
  if (entry.receiptNo !== receiptNo || entry.description !== description)
    return { status: 'failed', reason: '日志中的记录与本页内容不一致' }
  const leaf = leafHash(utf8Bytes(p.canonical))
  if (!bytesEqual(leaf, fromHex(p.leafHash))) return { status: 'failed', reason: '记录内容与日志中的哈希不一致' }
  if (p.treeSize !== head.size || p.rootHash !== head.rootHash) return { status: 'failed', reason: '证明与当前树头不一致' }
  if (!verifyInclusion(leaf, p.leafIndex, p.treeSize, p.proof.map(fromHex), fromHex(head.rootHash)))
    return { status: 'failed', reason: '包含证明无效' }
  return { status: 'verified', position: p.leafIndex + 1, size: head.size }
}

export function VerifiedBadge({ receiptNo, description }: { receiptNo: string; description: string }) {
  const [state, setState] = useState<State>({ status: 'idle' })
  useEffect(() => {
    let cancelled = false
    setState({ status: 'checking' })
    verifyReceiptInBrowser(receiptNo, description)
      .then((s) => !cancelled && setState(s))
      .catch(() => !cancelled && setState({ status: 'failed', reason: '网络错误，请稍后重试' }))
    return () => {
      cancelled = true
    }
  }, [receiptNo, description])

  const proofUrl = `/api/ledger/proof/${receiptNo}`
  // Plain words first for donors (issue 13 item 13); the technical detail for those who want to
  // check it themselves sits behind a <details> disclosure, which opens without JavaScript.
  return (
    <section aria-labelledby="verify-heading" className="card space-y-2 text-sm">
      <h2 id="verify-heading" className="text-base font-semibold">
        公开核验
      </h2>
      <p className="text-stone-900" data-testid="ledger-plain">
        这笔记录已被公开登记，任何人都可核验，无法被悄悄修改。如有错误，只能以一条新的更正记录公开说明。
      </p>
      <p aria-live="polite" data-testid="ledger-verification">
        {state.status === 'verified' ? (
          <span className="inline-flex items-center gap-1 rounded-full bg-emerald-100 px-3 py-1 font-semibold text-emerald-900">
            <span aria-hidden="true">✓</span> 已验证（第 {state.position} 条，共 {state.size} 条）
          </span>
        ) : state.status === 'failed' ? (
          <span className="inline-flex items-center gap-1 rounded-full bg-red-100 px-3 py-1 font-semibold text-red-900">
            <span aria-hidden="true">✗</span> 验证失败：{state.reason}
          </span>
        ) : state.status === 'checking' ? (
          <span className="text-stone-700">正在浏览器中验证…</span>
        ) : (
          <span className="text-stone-700">开启 JavaScript 后，本页会在您的浏览器中自动验证这条记录。</span>
        )}
      </p>
      {state.status === 'verified' ? <p className="text-stone-700">本页显示的内容与公开登记的记录一致。</p> : null}
      <details className="text-stone-700" data-testid="ledger-technical">
        <summary className="cursor-pointer font-medium text-stone-900">技术细节</summary>
        <p className="mt-2">
          本记录是公开日志（默克尔树，RFC 9162）中的一条，任何人都可以自行核验：下载{' '}
          <a href={proofUrl} className="link">
            包含证明（JSON）
          </a>{' '}
          与{' '}
          <a href="/api/ledger/tree-head" className="link">
            签名树头
          </a>
          ，或运行{' '}
          <code className="break-all">
            scripts/verify-ledger {'<网站地址>'} --receipt {receiptNo}
          </code>
          。
        </p>
      </details>
    </section>
  )
}
