import { PassThrough } from 'node:stream'
import { createElement } from 'react'
import { renderToPipeableStream } from 'react-dom/server'
import { expect, test } from 'vitest'

// React 18.3.1's renderToPipeableStream wrote its whole 2048-byte buffer when a Chinese
// character did not fit at the end of it, so NUL bytes appeared inside Chinese text (seen on
// /staff/:slug/receive as "未\0\0找到"). patches/react-dom+18.3.1.patch writes only the bytes
// that were filled (the fix React 19 made); this test fails without the patch.

function render(element: ReturnType<typeof createElement>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const sink = new PassThrough()
    sink.on('data', (chunk: Buffer) => chunks.push(chunk))
    sink.on('end', () => resolve(Buffer.concat(chunks)))
    const { pipe } = renderToPipeableStream(element, { onAllReady: () => pipe(sink), onError: reject })
  })
}

test('streamed HTML never holds NUL bytes, wherever a Chinese character meets the buffer end', async () => {
  // A thousand paragraphs of growing length move the characters across every byte offset of the buffer.
  const paragraphs = Array.from({ length: 1000 }, (_, i) =>
    createElement('p', { key: i }, `${'x'.repeat(i % 7)}未找到认领编号为 ${i} 的认领。`),
  )
  const html = await render(createElement('div', null, paragraphs))
  expect(html.includes(0)).toBe(false)
  const text = html.toString('utf8')
  expect(text).not.toContain('\uFFFD')
  expect(text.match(/未找到认领编号为/g)).toHaveLength(1000)
})
