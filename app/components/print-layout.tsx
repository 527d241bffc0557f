import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'

type Paper = { size: 'A4' | 'A5' | 'A6'; margin: string }

// On paper only the sheet is printed: the site header, footer, skip link and the page's own
// buttons are left off. Set as raw CSS (not as a text child, which React would HTML-escape:
// `>` became `&gt;`, breaking the selectors and the hydration of every printable page).
const printCss = (paper: Paper) => `@page { size: ${paper.size}; margin: ${paper.margin}; }
@media print {
  body { background: #fff; }
  body > header, body > footer, body > a[href="#main"], .no-print { display: none !important; }
  main { max-width: none !important; padding: 0 !important; }
}`

/**
 * The frame of a printable page (receipt, poster, label, slip, certificate, disclosure): a print
 * button, a way back and a hint above the sheet, none of which is printed.
 */
export function PrintLayout({
  paper = { size: 'A4', margin: '15mm' },
  printLabel = '打印',
  back,
  hint,
  children,
}: {
  paper?: Paper
  printLabel?: string
  back?: { to: string; label: string }
  hint?: ReactNode
  children: ReactNode
}) {
  return (
    <div className="space-y-4">
      <style dangerouslySetInnerHTML={{ __html: printCss(paper) }} />
      <div className="no-print flex flex-wrap items-center gap-3">
        <button type="button" className="btn-primary" onClick={() => window.print()}>
          {printLabel}
        </button>
        {back ? (
          <Link to={back.to} className="link">
            {back.label}
          </Link>
        ) : null}
        {hint ? <p className="w-full text-sm text-stone-700">{hint}</p> : null}
      </div>
      {children}
    </div>
  )
}
