/** A QR code rendered on the server (see app/utils/qr.server.ts), scaled to its box. */
export function QrCode({ svg, label, className = 'size-32', testId }: { svg: string; label: string; className?: string; testId?: string }) {
  return (
    <div
      role="img"
      aria-label={label}
      className={`shrink-0 [&>svg]:size-full ${className}`}
      dangerouslySetInnerHTML={{ __html: svg }}
      data-testid={testId}
    />
  )
}
