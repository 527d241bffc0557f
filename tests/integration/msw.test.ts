import { expect, test } from 'vitest'

test('an outside HTTP request that no msw handler mocks is refused by msw', async () => {
  const error = await fetch('https://api.example-sms.cn/send').then(
    () => null,
    (e: unknown) => e as Error & { cause?: Error },
  )
  // Refused by msw itself, not merely by the sandbox's missing network.
  expect(String(error?.cause ?? error)).toMatch(/\[MSW\]/)
})
